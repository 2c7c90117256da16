namespace Pipeline.Worker.Hosting;

/// <summary>How one run of the worker (a batch, or a broker role) ended, in the terms the exit code is decided from.</summary>
/// <param name="Summary">The text for the summary stream.</param>
/// <param name="Interrupted">The run was stopped before its input was done.</param>
/// <param name="HasFailures">Some URLs failed, answered 4xx/5xx or were not URLs.</param>
internal sealed record RunOnceResult(string Summary, bool Interrupted, bool HasFailures)
{
    /// <summary>Gets an exit code of the run's own that overrides the common policy (a producer that lost its broker), or <see langword="null"/>.</summary>
    public int? ExitCode { get; init; }
}
