namespace Pipeline.Worker.Hosting;

/// <summary>How the worker host runs: one batch and exit, or a service that stays up for new work.</summary>
internal enum RunMode
{
    /// <summary>Run the configured sources once, print the summary and exit with a code that tells how it went.</summary>
    Batch,

    /// <summary>Stay up: take URL files dropped in an inbox folder and, optionally, re-run the configured sources on a schedule.</summary>
    Service,
}
