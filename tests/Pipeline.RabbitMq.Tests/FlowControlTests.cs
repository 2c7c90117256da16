using Microsoft.Extensions.Options;
using Pipeline.RabbitMq.Tests.Support;
using Pipeline.Sources;

namespace Pipeline.RabbitMq.Tests;

/// <summary>Runs alone: the broker's memory alarm blocks every publisher on the broker, not just this test's.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class BrokerAlarmIsolation
{
    public const string Name = "broker memory alarm";
}

[Collection(BrokerAlarmIsolation.Name)]
public sealed class FlowControlTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("pipeline-flow-").FullName;
    private readonly (string Work, string Results) _queues = Broker.NewQueues();

    [BrokerFact]
    public async Task ABlockedBrokerMakesTheProducerWait_ThenItPublishesEverything()
    {
        var file = Path.Combine(_directory, "urls.txt");
        await File.WriteAllLinesAsync(file, Enumerable.Range(1, 2000).Select(i => $"http://127.0.0.1:9/ok?i={i}"));
        var logger = new EventLogger<UrlPublisher>(watchedEventId: 102);
        var publisher = new UrlPublisher(
            Options.Create(new RabbitMqOptions { Uri = Broker.Uri, WorkQueue = _queues.Work, ResultQueue = _queues.Results, PublishWindow = 64 }),
            TimeProvider.System,
            logger);

        await Broker.SetMemoryAlarmAsync(raised: true);
        Task<PublishSummary> publishing;
        try
        {
            publishing = publisher.PublishAsync([new TextFileUrlSource(file)], DuplicatePolicy.Skip, Path.Combine(_directory, "state"), TimeSpan.FromSeconds(5), CancellationToken.None);
            await logger.Logged.WaitAsync(TimeSpan.FromSeconds(60));

            // Blocked: the broker took nothing, and the producer has not run ahead through the file.
            Assert.False(publishing.IsCompleted);
            Assert.Equal(0u, await Broker.MessageCountAsync(_queues.Work));
        }
        finally
        {
            await Broker.SetMemoryAlarmAsync(raised: false);
        }

        var summary = await publishing.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(2000, summary.Published);
        Assert.Equal(2000u, await Broker.MessageCountAsync(_queues.Work));
    }

    public void Dispose()
    {
        Directory.Delete(_directory, recursive: true);
        if (Broker.IsListening)
        {
            Broker.DeleteAsync(_queues.Work, _queues.Results).GetAwaiter().GetResult();
        }
    }
}
