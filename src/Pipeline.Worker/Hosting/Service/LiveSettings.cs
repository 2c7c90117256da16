using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Pipeline.Fetching;

namespace Pipeline.Worker.Hosting.Service;

/// <summary>
/// The settings a service's next batch runs with: the latest configuration that passed validation.
/// Every reload is checked at once and logged, each changed setting with its old and new value; an
/// invalid edit is logged and ignored, and the last good settings stay in force.
/// </summary>
/// <remarks>
/// Options are built afresh through <see cref="IOptionsFactory{TOptions}"/> rather than read from the
/// monitor's cache: a reload callback may run before the monitor has dropped its cached value, and
/// after an invalid reload the monitor throws <see cref="OptionsValidationException"/> without
/// raising <c>OnChange</c>, so it would never tell us about the edit it rejected.
/// </remarks>
internal sealed class LiveSettings : IDisposable
{
    private readonly IOptionsFactory<PipelineOptions> _pipeline;
    private readonly IOptionsFactory<HttpFetchOptions> _http;
    private readonly ILogger<LiveSettings> _logger;
    private readonly IDisposable _subscription;
    private readonly Lock _gate = new();
    private PipelineOptions _good;
    private HttpFetchOptions _goodHttp;
    private string? _rejected;

    public LiveSettings(IConfiguration configuration, IOptionsFactory<PipelineOptions> pipeline, IOptionsFactory<HttpFetchOptions> http, ILogger<LiveSettings> logger)
    {
        _pipeline = pipeline;
        _http = http;
        _logger = logger;

        // Valid: ValidateOnStart has checked the same configuration before any hosted service starts.
        _good = pipeline.Create(Options.DefaultName);
        _goodHttp = http.Create(Options.DefaultName);
        _subscription = ChangeToken.OnChange(configuration.GetReloadToken, Refresh);
    }

    /// <summary>Gets the settings for the next batch, after taking in any edit not seen yet.</summary>
    /// <returns>The last settings that passed validation; the caller may not change them (see <see cref="PipelineOptions.Clone"/>).</returns>
    public PipelineOptions ForNextBatch()
    {
        Refresh();
        lock (_gate)
        {
            return _good;
        }
    }

    /// <summary>Reads the configuration again, logs what changed and keeps it if it is valid.</summary>
    public void Refresh()
    {
        lock (_gate)
        {
            var failures = new List<string>();
            var next = Create(_pipeline, failures);
            var nextHttp = Create(_http, failures);
            if (next is null || nextHttp is null)
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
            foreach (var (key, before, after) in Changes(_good, _goodHttp, next, nextHttp))
            {
                Log.SettingChanged(_logger, key, before, after);
            }

            _good = next;
            _goodHttp = nextHttp;
        }
    }

    public void Dispose() => _subscription.Dispose();

    private static TOptions? Create<TOptions>(IOptionsFactory<TOptions> factory, List<string> failures)
        where TOptions : class
    {
        try
        {
            return factory.Create(Options.DefaultName);
        }
        catch (OptionsValidationException ex)
        {
            failures.AddRange(ConfigurationErrors.From(ex));
            return null;
        }
    }

    private static IEnumerable<(string Key, string Before, string After)> Changes(PipelineOptions before, HttpFetchOptions beforeHttp, PipelineOptions after, HttpFetchOptions afterHttp)
    {
        const string Pipeline = PipelineOptions.SectionName + ":";
        (string Key, object Before, object After)[] watched =
        [
            (Pipeline + nameof(PipelineOptions.Mode), before.Mode, after.Mode),
            (Pipeline + nameof(PipelineOptions.Concurrency), before.Concurrency, after.Concurrency),
            (Pipeline + nameof(PipelineOptions.ChannelCapacity), before.ChannelCapacity, after.ChannelCapacity),
            (Pipeline + nameof(PipelineOptions.ResultChannelCapacity), before.ResultChannelCapacity, after.ResultChannelCapacity),
            (Pipeline + nameof(PipelineOptions.Duplicates), before.Duplicates, after.Duplicates),
            (Pipeline + nameof(PipelineOptions.ShutdownGrace), before.ShutdownGrace, after.ShutdownGrace),
            (Pipeline + nameof(PipelineOptions.Output), before.Output, after.Output),
            (Pipeline + nameof(PipelineOptions.Urls), string.Join(", ", before.Urls), string.Join(", ", after.Urls)),
            (Pipeline + nameof(PipelineOptions.Files), string.Join(", ", before.Files), string.Join(", ", after.Files)),
            (HttpFetchOptions.SectionName + ":" + nameof(HttpFetchOptions.RequestTimeout), beforeHttp.RequestTimeout, afterHttp.RequestTimeout),
        ];
        foreach (var (key, old, @new) in watched)
        {
            if (!Equals(old, @new))
            {
                yield return (key, Convert.ToString(old, CultureInfo.InvariantCulture) ?? string.Empty, Convert.ToString(@new, CultureInfo.InvariantCulture) ?? string.Empty);
            }
        }
    }
}
