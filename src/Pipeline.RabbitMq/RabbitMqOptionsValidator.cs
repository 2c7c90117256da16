using Microsoft.Extensions.Options;

namespace Pipeline.RabbitMq;

/// <summary>Checks what data annotations cannot: a role is chosen, the URI is an AMQP one, names are usable.</summary>
internal sealed class RabbitMqOptionsValidator : IValidateOptions<RabbitMqOptions>
{
    public ValidateOptionsResult Validate(string? name, RabbitMqOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.Role == RabbitMqRole.None)
        {
            failures.Add($"{RabbitMqOptions.SectionName}:Role: choose what this process does with Pipeline:Transport RabbitMq (--role): {RabbitMqRole.Producer}, {RabbitMqRole.Worker} or {RabbitMqRole.Collector}.");
        }

        if (!System.Uri.TryCreate(options.Uri, UriKind.Absolute, out var uri) || uri.Scheme is not ("amqp" or "amqps"))
        {
            failures.Add($"{RabbitMqOptions.SectionName}:Uri: '{BrokerConnection.Redacted(options.Uri)}' is not an amqp:// or amqps:// URI.");
        }

        if (options.Batch is { } batch && (batch.Length == 0 || batch.Contains('/', StringComparison.Ordinal)))
        {
            failures.Add($"{RabbitMqOptions.SectionName}:Batch: '{batch}' must be non-empty and contain no '/'.");
        }

        if (options.ResultQueue == options.WorkQueue)
        {
            failures.Add($"{RabbitMqOptions.SectionName}:ResultQueue: must differ from WorkQueue ('{options.WorkQueue}').");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
