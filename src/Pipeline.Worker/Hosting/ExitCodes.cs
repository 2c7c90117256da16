namespace Pipeline.Worker.Hosting;

/// <summary>The process exit codes, for scripts and service managers.</summary>
internal static class ExitCodes
{
    /// <summary>Every URL is accounted for (fetched, or failed with a reason in the results).</summary>
    public const int Success = 0;

    /// <summary>The worker itself failed (the results file could not be written, for example).</summary>
    public const int Failed = 1;

    /// <summary>The configuration is invalid; nothing was fetched.</summary>
    public const int InvalidConfiguration = 2;

    /// <summary>The run was stopped (Ctrl+C, SIGTERM) before it finished: 128 + SIGINT, as shells report it.</summary>
    public const int Interrupted = 130;
}
