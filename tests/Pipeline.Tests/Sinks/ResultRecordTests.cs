using System.Text;
using System.Text.Json;
using Pipeline.Fetching;
using Pipeline.Sinks;

namespace Pipeline.Tests.Sinks;

public sealed class ResultRecordTests
{
    [Fact]
    public void Parse_ReadsBackWhatTheSinkWrote_BrokerFieldsIncluded()
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
            MessageId = "b1/urls.txt:3",
            Redelivered = true,
            Worker = "w2",
        };
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            JsonLinesResultSink.Write(writer, written);
        }

        var read = ResultRecord.Parse(buffer.ToArray());

        Assert.Equivalent(
            new { written.Url, written.Source, written.Line, written.Outcome, written.StatusCode, written.Bytes, written.StartedAt, written.Duration, written.Attempts, written.Error, written.ConsumerId, written.Mode, written.MessageId, written.Redelivered, written.Worker },
            new { read.Url, read.Source, read.Line, read.Outcome, read.StatusCode, read.Bytes, read.StartedAt, read.Duration, read.Attempts, read.Error, read.ConsumerId, read.Mode, read.MessageId, read.Redelivered, read.Worker });
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
}
