namespace Pipeline.Worker.Hosting;

/// <summary>What the command line asks the process to do.</summary>
internal enum CommandLineAction
{
    /// <summary>Run the host: a batch, the service, the demo or a broker role.</summary>
    Run,

    /// <summary>Print the help and exit 0.</summary>
    Help,

    /// <summary>Print the version and exit 0.</summary>
    Version,

    /// <summary>Check the service's heartbeat file and exit 0 (healthy) or 1.</summary>
    Health,
}
