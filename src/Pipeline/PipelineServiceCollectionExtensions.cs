using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Pipeline.Concurrency;
using Pipeline.Fetching;
using Pipeline.Processing;
using Pipeline.Running;
using Pipeline.Telemetry;

namespace Pipeline;

/// <summary>Registers the pipeline in a service collection.</summary>
public static class PipelineServiceCollectionExtensions
{
    /// <summary>
    /// Adds the pipeline: options bound from <c>Pipeline</c> and validated at start-up, the HTTP fetcher,
    /// the processing steps, the runner, the job, and telemetry (providers built and flushed by a hosted service).
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The configuration holding the <c>Pipeline</c> section.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddPipeline(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.TryAddSingleton(TimeProvider.System);

        // The one way to read settings a running service may edit: the latest valid value.
        services.TryAddSingleton(typeof(LastValidOptions<>));

        services.AddOptions<PipelineOptions>()
            .BindChecked(configuration.GetSection(PipelineOptions.SectionName), static (section, options) => section.Bind(options))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PipelineOptions>, PipelineOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PipelineOptions>, PipelineSourcesValidator>());

        services.AddOptions<AdaptiveOptions>()
            .BindChecked(configuration.GetSection(AdaptiveOptions.SectionName), static (section, options) => section.Bind(options))
            .PostConfigure(adaptive =>
            {
                // The raw value: the HTTP options may be invalid, and their own validation says so.
                var perHost = configuration[$"{HttpFetchOptions.SectionName}:{nameof(HttpFetchOptions.MaxConcurrencyPerHost)}"];
                adaptive.PerHostCeiling = int.TryParse(perHost, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var ceiling) ? ceiling : 0;
            })
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AdaptiveOptions>, AdaptiveOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AdaptiveOptions>>(new AdaptiveModeValidator(configuration)));

        services.AddOptions<HttpFetchOptions>()
            .BindChecked(configuration.GetSection(HttpFetchOptions.SectionName), static (section, options) => section.Bind(options))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<HttpFetchOptions>, HttpFetchOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<HttpFetchOptions>, HttpRequestOptionsValidator>());
        services.AddOptions<HttpRetryOptions>()
            .BindChecked(configuration.GetSection(HttpRetryOptions.SectionName), static (section, options) => section.Bind(options))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<HttpRetryOptions>, HttpRetryOptionsValidator>());
        services.AddOptions<HttpCircuitBreakerOptions>()
            .BindChecked(configuration.GetSection(HttpCircuitBreakerOptions.SectionName), static (section, options) => section.Bind(options))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<HttpCircuitBreakerOptions>, HttpCircuitBreakerOptionsValidator>());

        // The processing stage: its options, and the built-in steps. An application adds its own steps
        // as more IResultProcessor registrations and names them in Pipeline:Process:Steps.
        services.AddOptions<ProcessOptions>()
            .BindChecked(configuration.GetSection(ProcessOptions.SectionName), static (section, options) => section.Bind(options))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ProcessOptions>, ProcessOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ProcessOptions>, ProcessStepsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IResultProcessor, TitleProcessor>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IResultProcessor, LinksProcessor>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IResultProcessor, Sha256Processor>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IResultProcessor, SaveProcessor>());

        services.AddHttpClient(PipelineHttpClient.Name)
            .ConfigurePrimaryHttpMessageHandler(provider => CreateHandler(provider.GetRequiredService<IOptions<HttpFetchOptions>>().Value))
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan)
            .ConfigureHttpClient((provider, client) =>
            {
                // The fetcher enforces its own deadlines over headers and body.
                client.Timeout = Timeout.InfiniteTimeSpan;
                client.DefaultRequestHeaders.UserAgent.ParseAdd(provider.GetRequiredService<IOptions<HttpFetchOptions>>().Value.UserAgent);
            })
            // One log line per request would drown the progress; the spans carry that detail.
            .RemoveAllLoggers();

        services.AddPipelineTelemetry(configuration);
        services.TryAddSingleton<IUrlFetcher, HttpUrlFetcher>();
        services.TryAddSingleton<PipelineRunner>();
        services.TryAddSingleton<PipelineJob>();
        return services;
    }

    internal static SocketsHttpHandler CreateHandler(HttpFetchOptions options, GuardedConnector? connector = null) => new()
    {
        // Recycling pooled connections lets DNS changes take effect in a long-running service;
        // with it the factory need not rotate handlers, which would drop warm connections.
        PooledConnectionLifetime = options.PooledConnectionLifetime,
        AutomaticDecompression = DecompressionMethods.All,
        ConnectTimeout = options.ConnectTimeout,

        // The fetcher follows redirects itself (RedirectFollower): it counts the hops, knows the final
        // URL, tells a loop from a long chain, and sends each hop the headers of its own host.
        AllowAutoRedirect = false,

        // Every connection, redirects included, goes through the address policy. A proxy would
        // make the policy judge the proxy's address instead of the target's, so none is used.
        ConnectCallback = (connector ?? new GuardedConnector(AddressPolicy.From(options))).ConnectAsync,
        UseProxy = false,
    };
}
