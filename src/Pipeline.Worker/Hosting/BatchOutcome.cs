namespace Pipeline.Worker.Hosting;

/// <summary>Carries the exit code from the worker, which knows how the batch ended, to <c>Main</c>.</summary>
internal sealed class BatchOutcome
{
    /// <summary>Gets or sets the exit code.</summary>
    /// <remarks>
    /// Until the worker decides, it reads "interrupted, not saved": a host whose shutdown timeout ran
    /// out before the worker's drain and save finished must not claim that the state was saved.
    /// </remarks>
    public int ExitCode { get; set; } = ExitCodes.InterruptedNotSaved;
}
