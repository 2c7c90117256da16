namespace Pipeline.Worker.Hosting;

/// <summary>Carries the exit code from the worker, which knows how the batch ended, to <c>Main</c>.</summary>
internal sealed class BatchOutcome
{
    /// <summary>Gets or sets the exit code; a host stopped before the worker decided counts as interrupted.</summary>
    public int ExitCode { get; set; } = ExitCodes.Interrupted;
}
