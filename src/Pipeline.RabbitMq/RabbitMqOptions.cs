using System.ComponentModel.DataAnnotations;

namespace Pipeline.RabbitMq;

/// <summary>The <c>Pipeline:RabbitMq</c> section: where the broker is and what this process does with it.</summary>
public sealed class RabbitMqOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Pipeline:RabbitMq";

    /// <summary>Gets or sets what this process does: <c>Producer</c>, <c>Worker</c> or <c>Collector</c> (<c>--role</c>).</summary>
    public RabbitMqRole Role { get; set; } = RabbitMqRole.None;

    /// <summary>Gets or sets the broker's AMQP URI, credentials and virtual host included.</summary>
    /// <value>The default value is <c>amqp://guest:guest@127.0.0.1:5672/</c>, a local broker as Debian installs it.</value>
    [Required(AllowEmptyStrings = false)]
    public string Uri { get; set; } = "amqp://guest:guest@127.0.0.1:5672/";

    /// <summary>Gets or sets the durable queue URLs are published to and workers take them from.</summary>
    [Required(AllowEmptyStrings = false)]
    public string WorkQueue { get; set; } = "pipeline.urls";

    /// <summary>Gets or sets the durable queue workers publish results to and the collector reads.</summary>
    /// <value>The default value is <c>pipeline.results</c>. Empty: each worker writes its own <c>Pipeline:Output</c> file instead.</value>
    public string ResultQueue { get; set; } = "pipeline.results";

    /// <summary>Gets or sets how many unacknowledged URLs the broker hands a worker at once.</summary>
    /// <value>The default value is 0: the worker's number of consumers (1 in Sequential mode).</value>
    [Range(0, ushort.MaxValue)]
    public int Prefetch { get; set; }

    /// <summary>Gets or sets how many publishes may await the broker's confirmation at once; beyond it the producer waits.</summary>
    [Range(1, 10_000)]
    public int PublishWindow { get; set; } = 256;

    /// <summary>Gets or sets the batch id the producer stamps on its messages; a re-run with the same id is de-duplicated by the collector.</summary>
    /// <value>The default value is <see langword="null"/>: a new id per producer run.</value>
    public string? Batch { get; set; }

    /// <summary>Gets or sets how long a worker or collector waits with nothing to do before it exits.</summary>
    /// <value>The default value is zero: wait until stopped (a worker is a service). The collector also exits once every announced batch is complete.</value>
    [TimeSpanRange("00:00:00", "1.00:00:00")]
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.Zero;

    /// <summary>Gets or sets the name a worker stamps on its results (the <c>worker</c> field).</summary>
    /// <value>The default value is <c>host/pid</c>.</value>
    [Required(AllowEmptyStrings = false)]
    public string WorkerName { get; set; } = $"{Environment.MachineName}/{Environment.ProcessId}";

    /// <summary>Gets or sets how long to try to connect to the broker.</summary>
    [TimeSpanRange("00:00:00.100", "00:10:00")]
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
