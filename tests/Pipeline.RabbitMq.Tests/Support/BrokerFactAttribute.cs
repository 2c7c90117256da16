namespace Pipeline.RabbitMq.Tests.Support;

/// <summary>
/// A test that needs a running RabbitMQ. Without one it is skipped with a message, except under CI
/// (<c>CI</c> set), where .ci/run starts a broker: there it runs and fails, never skips silently.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class BrokerFactAttribute : FactAttribute
{
    public BrokerFactAttribute()
    {
        if (!Broker.IsListening && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")))
        {
            Skip = $"no RabbitMQ at {Broker.Uri} (apt-get install -y rabbitmq-server, or set PIPELINE_RABBITMQ_URI); with CI=true this test fails instead of skipping";
        }
    }
}
