// Publishes synthetic result records and a batch-end announcement to a result queue, as workers and
// a producer would, for bench/collector-memory.sh (issue 17). A .NET 10 file-based app:
//   dotnet run result-feed.cs -- URI QUEUE BATCH COUNT
#:package RabbitMQ.Client@7.1.2
#:property ImportDirectoryBuildProps=false
#:property ImportDirectoryPackagesProps=false
#:property ManagePackageVersionsCentrally=false
using System.Text;
using RabbitMQ.Client;

var (uri, queue, batch, count) = (args[0], args[1], args[2], long.Parse(args[3]));
var factory = new ConnectionFactory { Uri = new Uri(uri) };
await using var connection = await factory.CreateConnectionAsync();
await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, arguments: null);

// Announced first, as a producer does: the collector then knows when it is done.
var end = new BasicProperties { Persistent = true, Type = "batch-end", MessageId = $"{batch}/end", Headers = new Dictionary<string, object?> { ["pipeline-batch"] = batch, ["pipeline-count"] = count } };
await channel.BasicPublishAsync(string.Empty, queue, mandatory: true, end, ReadOnlyMemory<byte>.Empty);

var window = new Queue<Task>();
const string Source = "/data/urls.txt";
for (long line = 1; line <= count; line++)
{
    var id = $"{batch}/{Source}:{line}";
    var started = DateTimeOffset.UnixEpoch.AddMilliseconds(1_700_000_000_000 + (line * 2)).ToString("O");
    var body = Encoding.UTF8.GetBytes(
        $"{{\"url\":\"http://127.0.0.1:8080/delay/100?i={line}\",\"source\":\"{Source}\",\"line\":{line},\"mode\":\"concurrent\",\"outcome\":\"succeeded\",\"status\":200,\"bytes\":3,\"startedAt\":\"{started}\",\"durationMs\":100.2,\"queueWaitMs\":0.1,\"attempts\":1,\"consumer\":{line % 50},\"messageId\":\"{id}\",\"redelivered\":false,\"worker\":\"w{line % 4}\"}}");
    var properties = new BasicProperties { Persistent = true, Type = "result", ContentType = "application/json", MessageId = id };
    window.Enqueue(channel.BasicPublishAsync(string.Empty, queue, mandatory: true, properties, body).AsTask());
    if (window.Count >= 2048)
    {
        await window.Dequeue();
    }
}

while (window.Count > 0)
{
    await window.Dequeue();
}

Console.WriteLine($"published {count} result(s) of batch {batch} to {queue}");
