using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Pipeline.DemoOrigin;
using Pipeline.Fetching;
using Pipeline.Running;
using Pipeline.Sources;

namespace Pipeline.Worker.Hosting;

/// <summary>Runs one batch, prints its summary, records the exit code and stops the host.</summary>
internal sealed class PipelineWorker(
    PipelineJob job,
    IOptionsMonitor<PipelineOptions> options,
    IOptions<DemoOptions> demoOptions,
    IOptions<ConsoleOptions> consoleOptions,
    ProgressDisplay progress,
    BatchOutcome outcome,
    ConsoleOutput output,
    IHttpClientFactory httpClientFactory,
    IHostApplicationLifetime lifetime,
    ILogger<PipelineWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            var settings = options.CurrentValue;
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

                var summary = SummaryText.For(report, consoleOptions.Value.Summary);
                await output.Out.WriteAsync(summary.AsMemory(), CancellationToken.None);
                await output.Out.FlushAsync(CancellationToken.None);
                if (report.Interrupted)
                {
                    Log.BatchInterrupted(logger, report.Output);
                }

                outcome.ExitCode = report.Interrupted ? ExitCodes.Interrupted
                    : report.HasFailures ? ExitCodes.CompletedWithFailures
                    : ExitCodes.Success;
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            outcome.ExitCode = ExitCodes.Interrupted;
        }
        catch (Exception ex)
        {
            // Reported here with a clear exit code rather than left to BackgroundService, which
            // would stop the host with a less helpful message.
            Log.BatchFailed(logger, ex);
            outcome.ExitCode = ExitCodes.Failed;
        }
        finally
        {
            lifetime.StopApplication();
        }
    }
}
