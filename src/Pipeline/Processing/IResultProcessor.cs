namespace Pipeline.Processing;

/// <summary>
/// One step of the processing stage: reads a fetched result and its body, and adds key/value outputs
/// to the result's <c>process</c> object. Register implementations in DI as <see cref="IResultProcessor"/>
/// and name them in <c>Pipeline:Process:Steps</c>.
/// </summary>
/// <remarks>
/// Steps run on the processing workers (<c>Pipeline:Process:Parallelism</c>), one result at a time per
/// worker, in the order <c>Steps</c> lists them, so an implementation used by several workers must be
/// thread-safe (the built-ins hold no state). A step that throws marks that result's processing error
/// in its record; the run goes on and the result is still written.
/// </remarks>
public interface IResultProcessor
{
    /// <summary>Gets the step's name as <c>Pipeline:Process:Steps</c> lists it (case-insensitive), such as <c>title</c>.</summary>
    string Name { get; }

    /// <summary>Gets a value indicating whether the step reads the body: bodies are kept only when a chosen step needs them.</summary>
    bool NeedsBody { get; }

    /// <summary>Processes one successfully fetched result.</summary>
    /// <param name="context">The result, its body (up to <c>Pipeline:Process:MaxBodyBytes</c>) and the outputs so far.</param>
    /// <param name="cancellationToken">Cancelled when the run is aborted (after the stop's grace period).</param>
    /// <returns>A task that completes when the step is done.</returns>
    ValueTask ProcessAsync(ProcessContext context, CancellationToken cancellationToken);
}
