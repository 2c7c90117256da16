using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Pipeline.RabbitMq;
using Pipeline.State;

namespace Pipeline.Worker.Hosting.Broker;

/// <summary>
/// What the three RabbitMQ roles share as hosted services: run once, print the summary, set the exit
/// code, stop the host; a broker that cannot be reached is one clear line, not a stack trace.
/// </summary>
/// <param name="role">The role, for messages.</param>
/// <param name="outcome">Where the exit code goes.</param>
/// <param name="output">Where the summary goes.</param>
/// <param name="lifetime">Stopped when the role is done.</param>
/// <param name="logger">The logger.</param>
internal abstract class BrokerRoleService(RabbitMqRole role, BatchOutcome outcome, ConsoleOutput output, IHostApplicationLifetime lifetime, ILogger logger) : BackgroundService
{
    protected sealed override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            var (summary, exitCode) = await RunRoleAsync(stoppingToken);
            await output.Out.WriteAsync(summary.AsMemory(), CancellationToken.None);
            await output.Out.FlushAsync(CancellationToken.None);
            outcome.ExitCode = exitCode;
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            outcome.ExitCode = ExitCodes.Interrupted;
        }
        catch (BatchStateException ex)
        {
            // A second producer or collector on the same state folder or results file: one line, exit 2.
            await output.Error.WriteLineAsync(ex.Message);
            await output.Error.FlushAsync(CancellationToken.None);
            outcome.ExitCode = ExitCodes.InvalidConfiguration;
        }
        catch (BrokerException ex)
        {
            Log.BrokerFailed(logger, ex.Message);
            outcome.ExitCode = ExitCodes.Failed;
        }
        catch (Exception ex)
        {
            Log.RoleFailed(logger, role, ex);
            outcome.ExitCode = ExitCodes.Failed;
        }
        finally
        {
            lifetime.StopApplication();
        }
    }

    /// <summary>Runs the role once.</summary>
    /// <param name="stoppingToken">The host is stopping.</param>
    /// <returns>The text for standard output, and the exit code.</returns>
    protected abstract Task<(string Summary, int ExitCode)> RunRoleAsync(CancellationToken stoppingToken);
}
