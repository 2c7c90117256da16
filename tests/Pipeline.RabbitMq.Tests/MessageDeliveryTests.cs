using System.Text.Json;
using Pipeline.Fetching;
using Pipeline.Sinks;

namespace Pipeline.RabbitMq.Tests;

/// <summary>The broker's fields travel in the result record the core writes, and the collector reads them back.</summary>
public sealed class MessageDeliveryTests
{
    [Fact]
    public void ReadBack_RecordOfAPublishedResult_GivesBackTheBrokersFields()
    {
        var delivery = new MessageDelivery(null, 0, "b1/urls.txt:3", redelivered: true, parentContext: null).FetchedBy("host/42");
        var record = Record(new FetchResult { Url = "http://127.0.0.1/", Source = "urls.txt", Line = 3, Outcome = FetchOutcome.Succeeded, Delivery = delivery });

        var read = MessageDelivery.ReadBack(record);

        Assert.NotNull(read);
        Assert.Equal(("b1/urls.txt:3", true, "host/42"), (read.MessageId, read.Redelivered, read.Worker));
        Assert.Equal(record, Record(ResultRecord.Parse(record) with { Delivery = read }));
    }

    [Fact]
    public void ReadBack_RecordOfAnInProcessResult_HasNoDelivery()
    {
        var record = Record(new FetchResult { Url = "http://127.0.0.1/", Source = "urls.txt", Line = 3, Outcome = FetchOutcome.Succeeded });

        Assert.Null(MessageDelivery.ReadBack(record));
    }

    private static byte[] Record(FetchResult result)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            ResultRecord.Write(writer, result);
        }

        return buffer.ToArray();
    }
}
