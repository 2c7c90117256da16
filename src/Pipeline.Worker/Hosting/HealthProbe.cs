using System.Globalization;
using Microsoft.Extensions.Configuration;
using Pipeline.Worker.Hosting.Service;

namespace Pipeline.Worker.Hosting;

/// <summary>
/// <c>Pipeline.Worker --health</c>: exit 0 when the service's heartbeat file is younger than
/// <c>Pipeline:Service:HealthMaxAge</c>, 1 otherwise, with one line saying why. It reads the same
/// settings search order as the service, so it finds the same file.
/// </summary>
internal static class HealthProbe
{
    /// <summary>Checks the heartbeat.</summary>
    /// <param name="commandLine">The parsed command line (its configuration keys apply).</param>
    /// <param name="output">Where the one line goes.</param>
    /// <param name="timeProvider">The clock; the system clock when <see langword="null"/>.</param>
    /// <returns>0 healthy, 1 unhealthy, 2 invalid settings.</returns>
    public static async Task<int> RunAsync(CommandLine commandLine, TextWriter output, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        using var configuration = new ConfigurationManager();
        var environment = Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT") ?? "Production";
        configuration.AddPipelineSettings(commandLine, AppContext.BaseDirectory, environment);
        var section = configuration.GetSection(ServiceOptions.SectionName);
        var path = section[nameof(ServiceOptions.HeartbeatFile)] is { Length: > 0 } configured ? configured : ServiceDefaults.HeartbeatFile;
        var maxAgeText = section[nameof(ServiceOptions.HealthMaxAge)] ?? ServiceDefaults.HealthMaxAge;
        if (!TimeSpan.TryParse(maxAgeText, CultureInfo.InvariantCulture, out var maxAge))
        {
            await output.WriteLineAsync($"unhealthy: {ServiceOptions.SectionName}:{nameof(ServiceOptions.HealthMaxAge)} '{maxAgeText}' is not a duration");
            return ExitCodes.InvalidConfiguration;
        }

        var full = Path.GetFullPath(path);
        var age = HeartbeatFile.Age(full, (timeProvider ?? TimeProvider.System).GetUtcNow());
        string verdict = age switch
        {
            null => $"unhealthy: no heartbeat at {full}",
            { } a when a > maxAge => string.Create(CultureInfo.InvariantCulture, $"unhealthy: last heartbeat {a.TotalSeconds:0} s ago at {full} (allowed {maxAge.TotalSeconds:0} s)"),
            { } a => string.Create(CultureInfo.InvariantCulture, $"healthy: last heartbeat {Math.Max(0, a.TotalSeconds):0} s ago"),
        };
        await output.WriteLineAsync(verdict);
        return verdict.StartsWith("healthy", StringComparison.Ordinal) ? ExitCodes.Success : ExitCodes.Failed;
    }
}
