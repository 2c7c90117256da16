namespace Pipeline.RabbitMq;

/// <summary>What a process does when <c>RabbitMq</c> is the transport.</summary>
public enum RabbitMqRole
{
    /// <summary>Not chosen: a configuration error when the transport is RabbitMQ.</summary>
    None,

    /// <summary>Reads the sources and publishes every line to the work queue, then exits.</summary>
    Producer,

    /// <summary>Takes URLs from the work queue, fetches them, publishes each result and only then acks.</summary>
    Worker,

    /// <summary>Gathers the results of every worker into one JSON-lines file and prints the summary.</summary>
    Collector,
}
