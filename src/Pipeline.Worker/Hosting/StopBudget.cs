using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Pipeline.Worker.Hosting;

/// <summary>
/// How long a stop takes, derived from the settings so every supervisor's budget can follow it:
/// the host's shutdown timeout = <c>Pipeline:ShutdownGrace</c> + <see cref="SaveAllowance"/>;
/// systemd's <c>TimeoutStopSec</c> and Docker's <c>--stop-timeout</c> must be at least that plus
/// <see cref="ExitAllowance"/>.
/// </summary>
internal static class StopBudget
{
    /// <summary>After the grace: cancel what is in flight, drain the result channel, flush and fsync the results, write the state.</summary>
    public static readonly TimeSpan SaveAllowance = TimeSpan.FromSeconds(15);

    /// <summary>After the host's stop: flush telemetry (at most 5 s per provider) and exit.</summary>
    public static readonly TimeSpan ExitAllowance = TimeSpan.FromSeconds(2 * PipelineTelemetryFlushSeconds);

    private const int PipelineTelemetryFlushSeconds = 5;

    /// <summary>Gets the host's shutdown timeout for the configured grace.</summary>
    /// <param name="configuration">The configuration.</param>
    /// <returns><c>ShutdownGrace</c> + <see cref="SaveAllowance"/>.</returns>
    /// <remarks>Read from the raw value: resolving the options here would throw before validation can report a bad setting properly.</remarks>
    public static TimeSpan HostShutdownTimeout(IConfiguration configuration)
    {
        var grace = TimeSpan.TryParse(configuration[$"{PipelineOptions.SectionName}:{nameof(PipelineOptions.ShutdownGrace)}"], CultureInfo.InvariantCulture, out var configured)
            ? configured
            : new PipelineOptions().ShutdownGrace;
        return grace + SaveAllowance;
    }

    /// <summary>Gets the least a supervisor must wait after asking the process to stop before it kills it.</summary>
    /// <param name="configuration">The configuration.</param>
    /// <returns><see cref="HostShutdownTimeout"/> + <see cref="ExitAllowance"/>.</returns>
    public static TimeSpan SupervisorStopTimeout(IConfiguration configuration) => HostShutdownTimeout(configuration) + ExitAllowance;
}
