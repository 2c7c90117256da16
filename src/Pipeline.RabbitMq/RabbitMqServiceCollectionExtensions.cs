using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Pipeline.RabbitMq;

/// <summary>Registers the RabbitMQ transport.</summary>
public static class RabbitMqServiceCollectionExtensions
{
    /// <summary>Adds the producer, worker and collector roles and their validated <c>Pipeline:RabbitMq</c> options; call after <c>AddPipeline</c>.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The configuration root.</param>
    /// <returns>The same services.</returns>
    public static IServiceCollection AddPipelineRabbitMq(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<RabbitMqOptions>()
            .BindChecked(configuration.GetSection(RabbitMqOptions.SectionName), static (section, options) => section.Bind(options))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RabbitMqOptions>, RabbitMqOptionsAnnotationsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RabbitMqOptions>, RabbitMqOptionsValidator>());
        services.TryAddSingleton<UrlPublisher>();
        services.TryAddSingleton<QueueWorker>();
        services.TryAddSingleton<ResultCollector>();
        return services;
    }
}
