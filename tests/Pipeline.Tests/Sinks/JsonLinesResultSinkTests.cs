using System.Text.Json;
using Pipeline.Fetching;
using Pipeline.Sinks;

namespace Pipeline.Tests.Sinks;

public sealed class JsonLinesResultSinkTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("pipeline-sink-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task WriteAsync_TwoResults_WritesOneJsonObjectPerLineWithTheRecordFields()
    {
        var path = Path.Combine(_directory, "nested", "results.jsonl");
        await using (var sink = JsonLinesResultSink.Create(path))
        {
            await sink.WriteAsync(new FetchResult
            {
                Url = "http://a.test/\"quoted\"",
                Source = "urls.txt",
                Line = 12,
                Outcome = FetchOutcome.Succeeded,
                StatusCode = 200,
                Bytes = 1234,
                StartedAt = new DateTimeOffset(2026, 11, 22, 1, 2, 3, TimeSpan.Zero),
                Duration = TimeSpan.FromMilliseconds(201.5),
                Attempts = 1,
                ConsumerId = 3,
                Mode = PipelineMode.Concurrent,
            }, CancellationToken.None);
            await sink.WriteAsync(new FetchResult { Url = "nope", Source = "urls.txt", Line = 13, Outcome = FetchOutcome.Invalid, Error = "not a URL" }, CancellationToken.None);
            await sink.FlushAsync(CancellationToken.None);
        }

        var lines = await File.ReadAllLinesAsync(path);
        Assert.Equal(2, lines.Length);
        using var first = JsonDocument.Parse(lines[0]);
        var root = first.RootElement;
        Assert.Equal(
            ["url", "source", "line", "mode", "outcome", "status", "bytes", "startedAt", "durationMs", "queueWaitMs", "attempts", "consumer", "error"],
            root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("http://a.test/\"quoted\"", root.GetProperty("url").GetString());
        Assert.Equal("concurrent", root.GetProperty("mode").GetString());
        Assert.Equal("succeeded", root.GetProperty("outcome").GetString());
        Assert.Equal(200, root.GetProperty("status").GetInt32());
        Assert.Equal(201.5, root.GetProperty("durationMs").GetDouble());
        Assert.Equal("2026-11-22T01:02:03+00:00", root.GetProperty("startedAt").GetString());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("error").ValueKind);
        using var second = JsonDocument.Parse(lines[1]);
        Assert.Equal("invalid", second.RootElement.GetProperty("outcome").GetString());
        Assert.Equal(JsonValueKind.Null, second.RootElement.GetProperty("status").ValueKind);
        Assert.Equal("not a URL", second.RootElement.GetProperty("error").GetString());
    }
}
