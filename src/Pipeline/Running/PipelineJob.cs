using Microsoft.Extensions.Options;
using Pipeline.Sinks;
using Pipeline.Sources;

namespace Pipeline.Running;

/// <summary>Runs one batch as the options say: one mode, or both for a comparison, into the results file.</summary>
/// <param name="runner">The runner.</param>
/// <param name="options">The options; read once per batch so that a service picks up edits.</param>
public sealed class PipelineJob(PipelineRunner runner, IOptionsMonitor<PipelineOptions> options)
{
    /// <summary>Runs the batch over the given sources.</summary>
    /// <param name="sources">The sources (from <see cref="UrlSources.FromOptions"/>, or the demo list).</param>
    /// <param name="observer">An observer for progress, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Stops the batch.</param>
    /// <returns>The report.</returns>
    public async Task<BatchReport> RunAsync(IReadOnlyList<IUrlSource> sources, IRunObserver? observer, CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue;
        await using var sink = JsonLinesResultSink.Create(settings.Output);
        if (settings.Mode != PipelineMode.Compare)
        {
            var run = await runner.RunAsync(RunPlan.From(settings, settings.Mode, sources, sink, observer), cancellationToken);
            return new BatchReport([run], null, settings.Output);
        }

        // Same sources, same sink, same code: only the number of consumers differs.
        var sequential = await runner.RunAsync(RunPlan.From(settings, PipelineMode.Sequential, sources, sink, observer), cancellationToken);
        if (sequential.Interrupted)
        {
            return new BatchReport([sequential], null, settings.Output);
        }

        var concurrent = await runner.RunAsync(RunPlan.From(settings, PipelineMode.Concurrent, sources, sink, observer), cancellationToken);
        var comparison = concurrent.Interrupted ? null : new ComparisonReport(sequential, concurrent);
        return new BatchReport([sequential, concurrent], comparison, settings.Output);
    }
}
