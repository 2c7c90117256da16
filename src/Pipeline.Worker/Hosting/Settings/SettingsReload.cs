using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Pipeline.Fetching;
using Pipeline.Telemetry;
using Pipeline.Worker.Hosting.Service;

namespace Pipeline.Worker.Hosting.Settings;

/// <summary>
/// Tells a running service the truth about each edit of its settings: every changed key is logged
/// either as applied (from the next batch, or at once for logging) or as needing a restart; an
/// edit that does not validate, or a file that does not parse, is logged and the last good
/// settings stay in force.
/// </summary>
/// <remarks>
/// It only reports: what a batch runs with comes from <see cref="LastValidOptions{TOptions}"/>, the
/// one mechanism that keeps the last valid settings. Options are built afresh through their
/// factories to validate an edit, because after an invalid reload the options monitor throws
/// without raising <c>OnChange</c>.
/// </remarks>
internal sealed class SettingsReload : IHostedService, IDisposable
{
    private readonly IConfigurationRoot _configuration;
    private readonly Func<List<string>>[] _validators;
    private readonly ILogger<SettingsReload> _logger;
    private readonly Lock _gate = new();
    private Dictionary<string, string> _accepted;
    private IDisposable? _subscription;
    private string? _rejected;
    private SettingsFileError? _unreadable;

    public SettingsReload(
        IConfiguration configuration,
        IOptionsFactory<PipelineOptions> pipeline,
        IOptionsFactory<HttpFetchOptions> http,
        IOptionsFactory<HttpRetryOptions> retry,
        IOptionsFactory<HttpCircuitBreakerOptions> circuitBreaker,
        IOptionsFactory<TelemetryOptions> telemetry,
        IOptionsFactory<ServiceOptions> service,
        IOptionsFactory<WorkerOptions> worker,
        ILogger<SettingsReload> logger)
    {
        _configuration = (IConfigurationRoot)configuration;
        _validators = [Check(pipeline), Check(http), Check(retry), Check(circuitBreaker), Check(telemetry), Check(service), Check(worker)];
        _logger = logger;

        // Valid: ValidateOnStart has checked the same configuration before any hosted service starts.
        _accepted = Snapshot(_configuration);
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _subscription = ChangeToken.OnChange(_configuration.GetReloadToken, Refresh);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _subscription?.Dispose();

    /// <summary>Says what a changed key does: <see langword="true"/> when a running service applies it without a restart.</summary>
    /// <param name="key">The full key, such as <c>Pipeline:Concurrency</c>.</param>
    /// <returns>Whether the change applies without a restart.</returns>
    internal static bool AppliesLive(string key)
    {
        // Logging: the logger filters follow the configuration by themselves.
        if (key.StartsWith("Logging:", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        // Read per batch (LastValidOptions in the service loop, the job, the progress display) or
        // per URL (the fetcher's timeouts and size limit). Everything else is read once: the HTTP
        // handler and address policy, retry, circuit and host limits (their state must survive a
        // reload), exporters and sampling, the service's folders, run mode and transport.
        string[] live =
        [
            "Pipeline:Mode", "Pipeline:Concurrency", "Pipeline:ChannelCapacity", "Pipeline:ResultChannelCapacity",
            "Pipeline:Duplicates", "Pipeline:ShutdownGrace", "Pipeline:Output", "Pipeline:StateDirectory",
            "Pipeline:ProgressInterval", "Pipeline:Urls", "Pipeline:Files",
            "Pipeline:Http:RequestTimeout", "Pipeline:Http:HeadersTimeout", "Pipeline:Http:TotalTimeout", "Pipeline:Http:MaxResponseBytes",
            "Pipeline:Http:MaxRedirects", "Pipeline:Http:Method", "Pipeline:Http:Headers", "Pipeline:Http:HostHeaders", "Pipeline:Http:AcceptStatuses",
            "Pipeline:Telemetry:Report",
        ];
        return live.Any(prefix => key.Equals(prefix, StringComparison.OrdinalIgnoreCase)
            || key.StartsWith(prefix + ConfigurationPath.KeyDelimiter, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Reads the configuration again and logs what an edit did.</summary>
    internal void Refresh()
    {
        lock (_gate)
        {
            // A file that does not parse kept its last data: say where it broke, once per distinct error.
            var unreadable = _configuration.Providers.OfType<LastGoodJsonConfigurationProvider>().Select(p => p.Error).FirstOrDefault(e => e is not null);
            if (unreadable is not null)
            {
                if (unreadable != _unreadable)
                {
                    _unreadable = unreadable;
                    Log.SettingsFileUnreadable(_logger, unreadable.Path, unreadable.Line ?? 0, unreadable.Column ?? 0, unreadable.Reason);
                }

                return;
            }

            _unreadable = null;
            var failures = _validators.SelectMany(check => check()).Distinct(StringComparer.Ordinal).ToList();
            if (failures.Count > 0)
            {
                // Worded as at start-up, naming each key. A file save often raises two reloads:
                // report each distinct problem once.
                var rejected = string.Join(" ", failures);
                if (rejected != _rejected)
                {
                    _rejected = rejected;
                    Log.SettingsRejected(_logger, rejected);
                }

                return;
            }

            _rejected = null;
            var next = Snapshot(_configuration);
            foreach (var key in _accepted.Keys.Union(next.Keys, StringComparer.OrdinalIgnoreCase).Order(StringComparer.OrdinalIgnoreCase))
            {
                var before = _accepted.GetValueOrDefault(key) ?? "(unset)";
                var after = next.GetValueOrDefault(key) ?? "(unset)";
                if (before == after)
                {
                    continue;
                }

                if (AppliesLive(key))
                {
                    Log.SettingChanged(_logger, key, Shown(key, before), Shown(key, after));
                }
                else
                {
                    Log.SettingNeedsRestart(_logger, key, Shown(key, before), Shown(key, after));
                }
            }

            _accepted = next;
        }
    }

    private static Func<List<string>> Check<TOptions>(IOptionsFactory<TOptions> factory)
        where TOptions : class => () =>
    {
        try
        {
            _ = factory.Create(Options.DefaultName);
            return [];
        }
        catch (OptionsValidationException ex)
        {
            return ConfigurationErrors.From(ex);
        }
    };

    private static bool IsHeaderValue(string key)
        => key.StartsWith("Pipeline:Http:Headers:", StringComparison.OrdinalIgnoreCase)
            || key.StartsWith("Pipeline:Http:HostHeaders:", StringComparison.OrdinalIgnoreCase);

    private static Dictionary<string, string> Snapshot(IConfiguration configuration)
        => configuration.AsEnumerable()
            .Where(pair => pair.Value is not null)
            .ToDictionary(pair => pair.Key, pair => pair.Value!, StringComparer.OrdinalIgnoreCase);

    // Header values (an API key, a cookie) are secrets: the log shows that one changed, never what it is.
    // A broker URI or an endpoint may carry a password: the log shows that one was set, not what it is.
    private static string Shown(string key, string value)
        => value == "(unset)" ? value
        : IsHeaderValue(key) ? "REDACTED"
        : Uri.TryCreate(value, UriKind.Absolute, out var uri) && !string.IsNullOrEmpty(uri.UserInfo)
            ? value.Replace(uri.UserInfo + "@", "REDACTED@", StringComparison.Ordinal)
            : value;
}
