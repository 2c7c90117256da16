using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Pipeline.DemoOrigin;
using Pipeline.Fetching;
using Pipeline.Running;
using Pipeline.Sources;
using Pipeline.Telemetry;

namespace Pipeline.Worker.Hosting;

/// <summary>Runs one batch from the configured sources (or the demo origin) and reports how it ended.</summary>
internal sealed class PipelineWorker(
    PipelineJob job,
    LastValidOptions<PipelineOptions> options,
    IOptions<DemoOptions> demoOptions,
    IOptions<ConsoleOptions> consoleOptions,
    IOptions<TelemetryOptions> telemetry,
    ProgressDisplay progress,
    BatchOutcome outcome,
    ConsoleOutput output,
    IHttpClientFactory httpClientFactory,
    IHostApplicationLifetime lifetime,
    ILogger<PipelineWorker> logger) : RunOnceService("batch", outcome, output, telemetry, lifetime, logger)
{
    protected override bool ResultsOnStandardOutput => options.Value.Output == Sinks.ResultFiles.StandardOutputPath;

    protected override async Task<RunOnceResult> RunOnceAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var sources = UrlSources.FromOptions(settings);
        DemoOriginServer? demo = null;
        if (sources.Count == 0)
        {
            var demoSettings = demoOptions.Value;
            settings = settings.Clone();
            settings.Mode = demoSettings.Mode;
            demo = await DemoOriginServer.StartAsync(demoSettings.Port, cancellationToken: stoppingToken);
            Log.DemoStarted(logger, demoSettings.UrlCount, demoSettings.Latency.TotalMilliseconds, demo.BaseAddress);

            // One request off the list warms the JIT and the HTTP stack, so that in Compare
            // mode the sequential run, which goes first, does not also pay the start-up.
            // Not traced: it belongs to no run.
            using var untraced = OpenTelemetry.SuppressInstrumentationScope.Begin();
            using var warmUp = await httpClientFactory.CreateClient(PipelineHttpClient.Name).GetAsync(demo.BaseAddress, stoppingToken);
            sources = [new ListUrlSource("demo", demo.DelayUrls(demoSettings.UrlCount, demoSettings.Latency))];
        }

        await using (demo)
        {
            // The demo list points at a port of this process only: nothing to resume next time.
            var report = await job.RunAsync(settings, sources, progress, stoppingToken, resumable: demo is null);
            if (demo is null && report.Runs.Sum(r => r.Total) == 0)
            {
                Log.EmptyInput(logger, string.Join(", ", sources.Select(s => s.Name)));
            }

            if (report.Interrupted)
            {
                Log.BatchInterrupted(logger, report.Output);
            }

            return new RunOnceResult(SummaryText.For(report, consoleOptions.Value.Summary), report.Interrupted, report.HasFailures)
            {
                // Standard input or output: a stop saved nothing to resume, and 130 would promise it did.
                ExitCode = report.Interrupted && report.NotResumable is not null ? ExitCodes.InterruptedNotSaved : null,
            };
        }
    }
}
