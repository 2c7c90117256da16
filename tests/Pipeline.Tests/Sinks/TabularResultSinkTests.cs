using System.Text.Json;
using Microsoft.Data.Sqlite;
using Pipeline.Fetching;
using Pipeline.Sinks;
using Pipeline.State;

namespace Pipeline.Tests.Sinks;

/// <summary>The CSV and SQLite outputs: the one column list, quoting, redaction, durability and the cut back to a checkpoint.</summary>
public sealed class TabularResultSinkTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("pipeline-tabular-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task ResultColumns_Names_AreTheJsonRecordsFieldsInOrder()
    {
        using var stream = new MemoryStream();
        await using (var sink = new JsonLinesResultSink(stream))
        {
            // With processing output, so the one field written only for processed results is there too.
            var processed = new Pipeline.Processing.ProcessOutput();
            processed.Set("title", "a page");
            await sink.WriteAsync(Result(1) with { Process = processed }, CancellationToken.None);
            await sink.FlushAsync(CancellationToken.None);
            using var record = JsonDocument.Parse(stream.ToArray());
            Assert.Equal(record.RootElement.EnumerateObject().Select(p => p.Name), ResultColumns.All.Select(c => c.Name));
        }
    }

    [Theory]
    [InlineData("r.jsonl", ResultFormat.JsonLines)]
    [InlineData("R.NDJSON", ResultFormat.JsonLines)]
    [InlineData("out/r.csv", ResultFormat.Csv)]
    [InlineData("r.db", ResultFormat.Sqlite)]
    [InlineData("r.sqlite3", ResultFormat.Sqlite)]
    [InlineData("-", ResultFormat.StandardOutput)]
    [InlineData("r.txt", null)]
    [InlineData("results", null)]
    public void FormatOf_Path_PicksTheFormatByExtension(string path, ResultFormat? expected) => Assert.Equal(expected, ResultFiles.FormatOf(path));

    [Fact]
    public async Task CsvResultSink_FieldsWithCommasQuotesAndLineBreaks_AreQuotedPerRfc4180AndSecretsRedacted()
    {
        var path = Path.Combine(_directory, "nested", "r.csv");
        await using (var sink = ResultFiles.OpenForBatch(path, resumeAt: null))
        {
            await sink.WriteAsync(Result(1) with { Url = "http://user:pw@127.0.0.1/a?token=s3cret&x=1" }, CancellationToken.None);
            await sink.WriteAsync(Result(2) with { Outcome = FetchOutcome.Failed, StatusCode = null, Error = "said \"no\", then\nhung up" }, CancellationToken.None);
            await sink.FlushAsync(CancellationToken.None);
        }

        var text = await File.ReadAllTextAsync(path);
        var rows = text.Split("\r\n");
        Assert.Equal("url,source,line,mode,outcome,status,bytes,startedAt,durationMs,queueWaitMs,attempts,consumer,error,errorType,finalUrl,redirects,contentType,contentLength,process", rows[0]);
        Assert.Equal("http://REDACTED:REDACTED@127.0.0.1/a?token=REDACTED&x=1,urls.txt,1,concurrent,succeeded,200,12,2026-11-22T01:02:03+00:00,201.5,0.042,1,3,,,,0,,,", rows[1]);
        Assert.Equal("http://127.0.0.1/2,urls.txt,2,concurrent,failed,,12,2026-11-22T01:02:03+00:00,201.5,0.042,1,3,\"said \"\"no\"\", then\nhung up\",_OTHER,,0,,,", rows[2]);
        Assert.Equal(string.Empty, rows[3]);
        Assert.DoesNotContain("s3cret", text, StringComparison.Ordinal);
        Assert.DoesNotContain("pw@", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CsvResultSink_ResumedAtACheckpoint_CutsBackAndAppendsWithoutASecondHeader()
    {
        var path = Path.Combine(_directory, "r.csv");
        long checkpoint;
        await using (var sink = ResultFiles.OpenForBatch(path, resumeAt: null))
        {
            await sink.WriteAsync(Result(1), CancellationToken.None);
            await sink.FlushAsync(CancellationToken.None);
            checkpoint = sink.FlushedLength;
            await sink.WriteAsync(Result(2), CancellationToken.None);
            await sink.FlushAsync(CancellationToken.None);
        }

        await using (var resumed = ResultFiles.OpenForBatch(path, checkpoint))
        {
            await resumed.WriteAsync(Result(3), CancellationToken.None);
            await resumed.FlushAsync(CancellationToken.None);
        }

        var rows = (await File.ReadAllLinesAsync(path)).Select(r => r.Split(',')).ToList();
        Assert.Equal(["url", "1", "3"], rows.Select(r => r[2] == "line" ? "url" : r[2]));
    }

    [Fact]
    public async Task SqliteResultSink_Results_AreOneRowEachIndexedByUrlAndOutcomeAndRedacted()
    {
        var path = Path.Combine(_directory, "r.db");
        await using (var sink = ResultFiles.OpenForBatch(path, resumeAt: null))
        {
            await sink.WriteAsync(Result(1) with { Url = "http://user:pw@127.0.0.1/a?token=s3cret" }, CancellationToken.None);
            await sink.WriteAsync(Result(2) with { Outcome = FetchOutcome.Failed, StatusCode = null, Error = "refused" }, CancellationToken.None);
            await sink.FlushAsync(CancellationToken.None);
            Assert.Equal(2, sink.FlushedLength);
        }

        using var connection = Open(path);
        Assert.Equal(
            [(1L, "http://REDACTED:REDACTED@127.0.0.1/a?token=REDACTED", "succeeded", (object)200L, (object)DBNull.Value), (2L, "http://127.0.0.1/2", "failed", DBNull.Value, "refused")],
            Query(connection, "SELECT id, url, outcome, status, error FROM results ORDER BY id", r => (r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetValue(3), r.GetValue(4))));
        Assert.Equal([201.5], Query(connection, "SELECT durationMs FROM results WHERE id = 1", r => r.GetDouble(0)));
        var plan = string.Join(" ", Query(connection, "EXPLAIN QUERY PLAN SELECT * FROM results WHERE outcome = 'failed'", r => r.GetString(3)));
        Assert.Contains("INDEX results_outcome", plan, StringComparison.Ordinal);
        Assert.Equal(["results_outcome", "results_url"], Query(connection, "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'results' ORDER BY name", r => r.GetString(0)));
    }

    [Fact]
    public async Task SqliteResultSink_ResumedAtACheckpoint_DeletesLaterRowsAndContinuesTheIds()
    {
        var path = Path.Combine(_directory, "r.db");
        await using (var sink = ResultFiles.OpenForBatch(path, resumeAt: null))
        {
            await sink.WriteAsync(Result(1), CancellationToken.None);
            await sink.FlushAsync(CancellationToken.None);

            // Committed after the checkpoint (a later flush) and left uncommitted (a kill): both go.
            await sink.WriteAsync(Result(2), CancellationToken.None);
            await sink.FlushAsync(CancellationToken.None);
            await sink.WriteAsync(Result(3), CancellationToken.None);
        }

        await using (var resumed = ResultFiles.OpenForBatch(path, resumeAt: 1))
        {
            Assert.Equal(1, resumed.FlushedLength);
            await resumed.WriteAsync(Result(4), CancellationToken.None);
            await resumed.FlushAsync(CancellationToken.None);
        }

        using var connection = Open(path);
        Assert.Equal([(1L, 1L), (2L, 4L)], Query(connection, "SELECT id, line FROM results ORDER BY id", r => (r.GetInt64(0), r.GetInt64(1))));
    }

    [Fact]
    public async Task SqliteResultSink_FewerRowsThanTheCheckpoint_IsRefusedAsDamaged()
    {
        var path = Path.Combine(_directory, "r.db");
        await using (var sink = ResultFiles.OpenForBatch(path, resumeAt: null))
        {
            await sink.WriteAsync(Result(1), CancellationToken.None);
            await sink.FlushAsync(CancellationToken.None);
        }

        var ex = Assert.Throws<BatchStateException>(() => ResultFiles.OpenForBatch(path, resumeAt: 5));

        Assert.Equal(BatchStateProblem.Damaged, ex.Problem);
        Assert.Contains("holds 1 result row(s) but the saved checkpoint recorded 5", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SqliteResultSink_FileThatIsNotADatabase_IsRefusedNamingIt()
    {
        var path = Path.Combine(_directory, "r.db");
        await File.WriteAllTextAsync(path, new string('x', 4096));

        var ex = Assert.Throws<BatchStateException>(() => ResultFiles.OpenForBatch(path, resumeAt: null));

        Assert.Contains(path + " cannot be used as the results database", ex.Message, StringComparison.Ordinal);
    }

    private static FetchResult Result(long line) => new()
    {
        Url = $"http://127.0.0.1/{line}",
        Source = "urls.txt",
        Line = line,
        Outcome = FetchOutcome.Succeeded,
        StatusCode = 200,
        Bytes = 12,
        StartedAt = new DateTimeOffset(2026, 11, 22, 1, 2, 3, TimeSpan.Zero),
        Duration = TimeSpan.FromMilliseconds(201.5),
        QueueWait = TimeSpan.FromTicks(420),
        Attempts = 1,
        ConsumerId = 3,
        Mode = PipelineMode.Concurrent,
    };

    private static SqliteConnection Open(string path)
    {
        var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        connection.Open();
        return connection;
    }

    private static List<T> Query<T>(SqliteConnection connection, string sql, Func<SqliteDataReader, T> row)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<T>();
        while (reader.Read())
        {
            rows.Add(row(reader));
        }

        return rows;
    }
}
