using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Pipeline.RabbitMq;

/// <summary>The message headers the roles agree on, and the W3C trace context carried in them.</summary>
internal static class MessageHeaders
{
    public const string Source = "pipeline-source";
    public const string Line = "pipeline-line";
    public const string Error = "pipeline-error";
    public const string DuplicateOf = "pipeline-duplicate-of";
    public const string Batch = "pipeline-batch";
    public const string Count = "pipeline-count";
    public const string Received = "pipeline-received";

    /// <summary>The message type of a URL.</summary>
    public const string UrlType = "url";

    /// <summary>The message type of a result record.</summary>
    public const string ResultType = "result";

    /// <summary>The message type the producer sends to the result queue when a batch is fully published.</summary>
    public const string BatchEndType = "batch-end";

    /// <summary>Writes <c>traceparent</c> (and <c>tracestate</c>) for the span, with the runtime's propagator.</summary>
    public static void InjectTraceContext(Activity? span, Dictionary<string, object?> headers)
    {
        if (span is null)
        {
            return;
        }

        DistributedContextPropagator.Current.Inject(span, headers, static (carrier, key, value) =>
        {
            if (carrier is Dictionary<string, object?> target)
            {
                target[key] = value;
            }
        });
    }

    /// <summary>Reads the trace context a producer put in the headers, if any.</summary>
    public static ActivityContext? ExtractTraceContext(IDictionary<string, object?>? headers)
    {
        if (headers is null)
        {
            return null;
        }

        DistributedContextPropagator.Current.ExtractTraceIdAndState(headers, static (carrier, key, out value, out values) =>
        {
            values = null;
            value = carrier is IDictionary<string, object?> source && source.TryGetValue(key, out var raw) ? AsString(raw) : null;
        }, out var traceParent, out var traceState);
        return ActivityContext.TryParse(traceParent, traceState, isRemote: true, out var context) ? context : null;
    }

    /// <summary>A string header: the client sends strings and receives them as UTF-8 bytes.</summary>
    public static string? String(IDictionary<string, object?>? headers, string key)
        => headers is not null && headers.TryGetValue(key, out var raw) ? AsString(raw) : null;

    /// <summary>A number header, as sent (an integer type) or as text.</summary>
    public static long? Number(IDictionary<string, object?>? headers, string key)
        => headers is null || !headers.TryGetValue(key, out var raw) ? null : raw switch
        {
            long value => value,
            int value => value,
            short value => value,
            byte value => value,
            _ => long.TryParse(AsString(raw), NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) ? parsed : null,
        };

    private static string? AsString(object? raw) => raw switch
    {
        byte[] bytes => Encoding.UTF8.GetString(bytes),
        string text => text,
        null => null,
        _ => Convert.ToString(raw, CultureInfo.InvariantCulture),
    };
}
