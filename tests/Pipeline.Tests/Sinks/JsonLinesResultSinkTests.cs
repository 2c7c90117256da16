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
            ["url", "source", "line", "mode", "outcome", "status", "bytes", "startedAt", "durationMs", "queueWaitMs", "attempts", "consumer", "error", "errorType", "finalUrl", "redirects", "contentType", "contentLength"],
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

    [Fact]
    public async Task WriteAsync_Durations_PrintAsMillisecondsRoundedToThreeDecimalsLikeADouble()
    {
        // The sink prints durations from whole microseconds; the text must be what writing
        // Math.Round(TotalMilliseconds, 3) as a double gives, the file's format before that change,
        // except exact half microseconds, where the double's binary error decides and the sink rounds to even.
        long[] ticks = [0, 1, 4, 5, 6, 15, 25, 10, 100, 1_000, 10_000, 12_345, 2_015_000, 2_015_005, 2_015_015, 99_999, 99_995, 10_000_000, 864_000_000_000];
        var random = new Random(6);
        ticks = [.. ticks, .. Enumerable.Range(0, 500).Select(_ => random.NextInt64(0, 100_000_000))];
        using var stream = new MemoryStream();
        await using (var sink = new JsonLinesResultSink(stream))
        {
            foreach (var value in ticks)
            {
                await sink.WriteAsync(new FetchResult { Url = "http://a.test/", Source = "s", Line = 1, Outcome = FetchOutcome.Succeeded, Duration = TimeSpan.FromTicks(value), QueueWait = TimeSpan.FromTicks(value) }, CancellationToken.None);
            }

            await sink.FlushAsync(CancellationToken.None);
            var lines = System.Text.Encoding.UTF8.GetString(stream.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(ticks.Length, lines.Length);
            for (var i = 0; i < ticks.Length; i++)
            {
                var rounded = Math.Round(TimeSpan.FromTicks(ticks[i]).TotalMilliseconds, 3);
                if (ticks[i] % 10 == 5)
                {
                    using var line = JsonDocument.Parse(lines[i]);
                    Assert.Equal(rounded, line.RootElement.GetProperty("durationMs").GetDouble(), 0.0011);
                    continue;
                }

                var expected = JsonSerializer.Serialize(rounded);
                Assert.Contains($"\"durationMs\":{expected},\"queueWaitMs\":{expected},", lines[i], StringComparison.Ordinal);
            }
        }
    }
}
