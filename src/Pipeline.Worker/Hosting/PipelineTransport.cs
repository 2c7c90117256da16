namespace Pipeline.Worker.Hosting;

/// <summary>How URLs travel from the sources to the consumers.</summary>
internal enum PipelineTransport
{
    /// <summary>In this process, through bounded channels: one machine.</summary>
    Channels,

    /// <summary>Through durable RabbitMQ queues: one producer, many workers on many machines, at-least-once.</summary>
    RabbitMq,
}
