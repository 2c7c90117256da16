using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Pipeline.RabbitMq;
using Pipeline.State;
using Pipeline.Telemetry;

namespace Pipeline.Worker.Hosting;

/// <summary>
/// What a batch and the three broker roles share: run once, print the summary, turn the ending into
/// the exit code (one policy for all), stop the host. A broker that cannot be reached is one clear
/// line, not a stack trace.
/// </summary>
/// <remarks>
/// With <c>Telemetry:Exporters</c> including <c>Console</c>, OpenTelemetry's console exporter owns
/// standard output, and with <c>--output -</c> the results do, so the summary goes to standard error:
/// a script still finds it whole, in one stream.
/// </remarks>
/// <param name="name">What runs, for messages.</param>
/// <param name="outcome">Where the exit code goes.</param>
/// <param name="output">Where the summary goes.</param>
/// <param name="telemetry">Tells whether the console exporter writes to standard output.</param>
/// <param name="lifetime">Stopped when the run is done.</param>
/// <param name="logger">The logger.</param>
internal abstract class RunOnceService(string name, BatchOutcome outcome, ConsoleOutput output, IOptions<TelemetryOptions> telemetry, IHostApplicationLifetime lifetime, ILogger logger) : BackgroundService
{
    /// <summary>Decides the exit code of a run that ended by itself.</summary>
    /// <param name="result">How it ended.</param>
    /// <returns>130 when stopped (the work not done was saved or handed back), 3 with failures, 0 otherwise.</returns>
    public static int ExitCodeOf(RunOnceResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result.ExitCode ?? (result.Interrupted ? ExitCodes.Interrupted
            : result.HasFailures ? ExitCodes.CompletedWithFailures
            : ExitCodes.Success);
    }

    protected sealed override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            var result = await RunOnceAsync(stoppingToken);
            var summary = telemetry.Value.Exporters.HasFlag(TelemetryExporters.Console) || ResultsOnStandardOutput ? output.Error : output.Out;
            await summary.WriteAsync(result.Summary.AsMemory(), CancellationToken.None);
            await summary.FlushAsync(CancellationToken.None);
            outcome.ExitCode = ExitCodeOf(result);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopped before the run had taken anything that needs saving (starting up, or between steps).
            outcome.ExitCode = ExitCodes.Interrupted;
        }
        catch (BatchStateException ex)
        {
            // Another batch's state, damaged state or a second instance: one line saying what and
            // the way out, nothing fetched, no stack trace.
            await output.Error.WriteLineAsync(ex.Message);
            await output.Error.FlushAsync(CancellationToken.None);
            outcome.ExitCode = ExitCodes.InvalidConfiguration;
        }
        catch (BrokerException ex)
        {
            Log.BrokerFailed(logger, ex.Message);
            outcome.ExitCode = ExitCodes.Failed;
        }
        catch (Exception ex) when (stoppingToken.IsCancellationRequested)
        {
            // The stop was under way and saving what was not done failed: say so in the exit code.
            Log.StopNotSaved(logger, ex);
            outcome.ExitCode = ExitCodes.InterruptedNotSaved;
        }
        catch (Exception ex)
        {
            Log.RunFailed(logger, name, ex);
            outcome.ExitCode = ExitCodes.Failed;
        }
        finally
        {
            lifetime.StopApplication();
        }
    }

    /// <summary>Gets a value indicating whether the results themselves go to standard output (<c>--output -</c>), so the summary must not.</summary>
    protected virtual bool ResultsOnStandardOutput => false;

    /// <summary>Runs once.</summary>
    /// <param name="stoppingToken">The host is stopping.</param>
    /// <returns>How the run ended.</returns>
    protected abstract Task<RunOnceResult> RunOnceAsync(CancellationToken stoppingToken);
}
