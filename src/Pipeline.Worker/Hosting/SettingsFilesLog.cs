using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Pipeline.Worker.Hosting;

/// <summary>Logs at start-up which settings files were found, in the order they apply, and where the operator's file is expected.</summary>
/// <param name="files">The search order.</param>
/// <param name="logger">The logger.</param>
internal sealed class SettingsFilesLog(IReadOnlyList<SettingsFile> files, ILogger<SettingsFilesLog> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var found = files.Where(f => f.Exists).Select(f => f.Path).ToList();
        Log.SettingsFilesFound(logger, found.Count == 0 ? "none" : string.Join(", ", found));
        foreach (var missing in files.Where(f => f.Role == SettingsFileRole.Operator && !f.Exists))
        {
            Log.OperatorSettingsMissing(logger, missing.Path);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
