using Pipeline.RabbitMq.Tests.Support;

namespace Pipeline.RabbitMq.Tests;

/// <summary>What a user gets wrong: no role, a bad role, a broker that is not there. No broker needed.</summary>
public sealed class BrokerConfigurationTests
{
    [Fact]
    public async Task TheTransportWithoutARoleSaysWhichRolesThereAre()
    {
        var host = RoleHost.StartRaw("--Pipeline:Transport", "RabbitMq");
        Assert.Equal(2, await host.Exit.WaitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("Pipeline:RabbitMq:Role: choose what this process does with Pipeline:Transport RabbitMq (--role): Producer, Worker or Collector.", host.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnknownRoleIsNamedWithTheAllowedValues()
    {
        var host = RoleHost.StartRaw("--role", "boss", "--Pipeline:RabbitMq:Uri", "http://broker");
        Assert.Equal(2, await host.Exit.WaitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("Pipeline:RabbitMq:Role", host.Error, StringComparison.Ordinal);
        Assert.Contains("boss", host.Error, StringComparison.Ordinal);
        Assert.Contains("Pipeline:RabbitMq:Uri: 'http://broker' is not an amqp:// or amqps:// URI.", host.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnreachableBrokerIsOneLineThatNamesItWithoutThePassword()
    {
        // Port 1 on loopback: nothing listens, the connection is refused at once.
        using var process = RoleHost.StartProcess("--role", "worker", "--Pipeline:RabbitMq:Uri", "amqp://pipeline:s3cret@127.0.0.1:1/", "--Pipeline:Telemetry:Exporters", "None");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        var error = await stderr;
        await stdout;
        Assert.Equal(1, process.ExitCode);
        Assert.Contains("RabbitMQ at amqp://pipeline:REDACTED@127.0.0.1:1/ is unreachable", error, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", error, StringComparison.Ordinal);
    }
}
