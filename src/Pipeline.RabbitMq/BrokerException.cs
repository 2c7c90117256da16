namespace Pipeline.RabbitMq;

/// <summary>The broker could not be used: the message names the broker and what went wrong.</summary>
public sealed class BrokerException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="BrokerException"/> class.</summary>
    public BrokerException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="BrokerException"/> class.</summary>
    /// <param name="message">What went wrong, naming the broker.</param>
    public BrokerException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="BrokerException"/> class.</summary>
    /// <param name="message">What went wrong, naming the broker.</param>
    /// <param name="innerException">The client's exception.</param>
    public BrokerException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
