using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Pipeline.Fetching;
using Pipeline.Running;
using Pipeline.Sources;
using Pipeline.Telemetry;

namespace Pipeline.Tests.Support;

/// <summary>Builds a <see cref="PipelineJob"/> over a fetcher of the test's choosing.</summary>
public static class JobHarness
{
    public static PipelineJob Job(IUrlFetcher fetcher, PipelineOptions options)
        => new(
            new PipelineRunner(fetcher, TimeProvider.System, NullLogger<PipelineRunner>.Instance),
            new StaticOptionsMonitor<PipelineOptions>(options),
            new FetchSpanCollector(limit: 10),
            new StaticOptionsMonitor<TelemetryOptions>(new TelemetryOptions { Report = string.Empty }),
            TimeProvider.System,
            NullLogger<PipelineJob>.Instance);

    private sealed class StaticOptionsMonitor<TOptions>(TOptions value) : IOptionsMonitor<TOptions>
    {
        public TOptions CurrentValue => value;

        public TOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<TOptions, string?> listener) => null;
    }
}

/// <summary>Succeeds at once for items the script allows; the others wait until cancelled.</summary>
public sealed class ScriptedFetcher(Func<WorkItem, bool> succeedsAtOnce) : IUrlFetcher
{
    private int _fetched;

    public int Fetched => _fetched;

    public async ValueTask<FetchResult> FetchAsync(WorkItem item, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (!succeedsAtOnce(item))
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }

        Interlocked.Increment(ref _fetched);
        return new FetchResult { Url = item.Text, Source = item.Source, Line = item.Line, Outcome = FetchOutcome.Succeeded, StatusCode = 200, Attempts = 1 };
    }
}
