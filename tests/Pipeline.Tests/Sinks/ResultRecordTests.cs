using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Pipeline.Fetching;
using Pipeline.Sinks;
using Pipeline.Sources;

namespace Pipeline.Tests.Sinks;

public sealed class ResultRecordTests
{
    [Fact]
    public void Parse_ReadsBackWhatTheSinkWrote()
    {
        var written = new FetchResult
        {
            Url = "http://127.0.0.1:8080/ok?i=3",
            Source = "urls.txt",
            Line = 3,
            Outcome = FetchOutcome.HttpError,
            StatusCode = 503,
            Bytes = 12,
            StartedAt = new DateTimeOffset(2026, 11, 22, 6, 0, 0, TimeSpan.Zero),
            Duration = TimeSpan.FromMilliseconds(12.5),
            Attempts = 3,
            Error = "HTTP 503",
            ConsumerId = 7,
            Mode = PipelineMode.Sequential,
            QueueWait = TimeSpan.FromMilliseconds(4.25),
            FinalUrl = "http://127.0.0.1:8080/moved?i=3",
            Redirects = 2,
            ContentType = "text/html; charset=utf-8",
            ContentLength = 12,
        };
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            ResultRecord.Write(writer, written);
        }

        var read = ResultRecord.Parse(buffer.ToArray());

        Assert.Equivalent(
            new { written.Url, written.Source, written.Line, written.Outcome, written.StatusCode, written.Bytes, written.StartedAt, written.Duration, written.Attempts, written.Error, written.ConsumerId, written.Mode, written.QueueWait, written.FinalUrl, written.Redirects, written.ContentType, written.ContentLength },
            new { read.Url, read.Source, read.Line, read.Outcome, read.StatusCode, read.Bytes, read.StartedAt, read.Duration, read.Attempts, read.Error, read.ConsumerId, read.Mode, read.QueueWait, read.FinalUrl, read.Redirects, read.ContentType, read.ContentLength });
        Assert.Equal("503", ErrorTypes.Of(read));
    }

    [Fact]
    public void Write_ForTheResultsFile_RedactsTheFinalUrlLikeTheUrl()
    {
        var result = new FetchResult
        {
            Url = "http://u:s3cr3t@127.0.0.1/a?token=s3cr3t",
            FinalUrl = "http://u:s3cr3t@127.0.0.1/b?token=s3cr3t&i=1",
            Redirects = 1,
            Source = "q",
            Line = 1,
            Outcome = FetchOutcome.Succeeded,
        };
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            ResultRecord.Write(writer, result, JsonEncodedText.Encode("q"), Pipeline.Telemetry.UrlRedactor.Default);
        }

        var record = JsonDocument.Parse(buffer.ToArray()).RootElement;
        Assert.Equal("http://REDACTED:REDACTED@127.0.0.1/b?token=REDACTED&i=1", record.GetProperty("finalUrl").GetString());
        Assert.DoesNotContain("s3cr3t", Encoding.UTF8.GetString(buffer.ToArray()), StringComparison.Ordinal);
    }

    [Fact]
    public void Write_ResultWithADelivery_TheDeliveryAddsItsFieldsAfterTheRecords()
    {
        var result = new FetchResult { Url = "http://127.0.0.1/", Source = "q", Line = 1, Outcome = FetchOutcome.Succeeded, Delivery = new TaggedDelivery() };
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            ResultRecord.Write(writer, result);
        }

        var json = Encoding.UTF8.GetString(buffer.ToArray());
        Assert.EndsWith(",\"contentLength\":null,\"messageId\":\"b1/q:1\"}", json, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{\"url\":\"http://x/\",\"source\":\"s\"}")]
    [InlineData("{\"url\":\"http://x/\",\"source\":\"s\",\"line\":1,\"outcome\":\"great\"}")]
    public void Parse_NamesWhatIsWrong(string json)
    {
        var error = Assert.Throws<FormatException>(() => ResultRecord.Parse(Encoding.UTF8.GetBytes(json)));
        Assert.StartsWith("not a results record: ", error.Message, StringComparison.Ordinal);
    }

    private sealed class TaggedDelivery : IWorkDelivery
    {
        public ActivityContext? ParentContext => null;

        public ValueTask CompleteAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask ReleaseAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public void WriteResultFields(Utf8JsonWriter writer) => writer.WriteString("messageId", "b1/q:1");
    }
}
