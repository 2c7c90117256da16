using Pipeline.Fetching;
using Pipeline.Sources;

namespace Pipeline.Benchmarks.Support;

/// <summary>The inputs the benchmarks share: URLs shaped like the harness's W2/W3 files.</summary>
internal static class Workload
{
    public const string SourceName = "bench";

    /// <summary>Gets <paramref name="count"/> unique URLs, <c>http://127.0.0.1:18080/ok?i=k</c>, as the harness's gen-urls.sh writes them.</summary>
    public static string[] Urls(int count)
    {
        var urls = new string[count];
        for (var i = 0; i < count; i++)
        {
            urls[i] = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"http://127.0.0.1:18080/ok?i={i}");
        }

        return urls;
    }

    /// <summary>Gets the URLs parsed into work items, as a source would yield them.</summary>
    public static WorkItem[] Items(int count)
    {
        var urls = Urls(count);
        var items = new WorkItem[count];
        for (var i = 0; i < count; i++)
        {
            items[i] = UrlLineParser.ParseEntry(SourceName, i + 1, urls[i])!;
        }

        return items;
    }

    /// <summary>Gets results as a run over the URLs would produce them: mostly successes, a few failures.</summary>
    public static FetchResult[] Results(int count)
    {
        var urls = Urls(count);
        var started = new DateTimeOffset(2026, 11, 22, 4, 3, 26, TimeSpan.Zero);
        var results = new FetchResult[count];
        for (var i = 0; i < count; i++)
        {
            var failed = i % 100 == 99;
            results[i] = new FetchResult
            {
                Url = urls[i],
                Source = SourceName,
                Line = i + 1,
                Outcome = failed ? FetchOutcome.Failed : FetchOutcome.Succeeded,
                StatusCode = failed ? null : 200,
                Bytes = failed ? 0 : 3,
                StartedAt = started.AddTicks(i * 397L),
                Duration = TimeSpan.FromTicks(1_000 + (i * 7919L % 50_000)),
                Attempts = failed ? 4 : 1,
                Error = failed ? "ConnectionError: Connection refused (127.0.0.1:18080)" : null,
                ErrorType = failed ? "connection_error" : null,
                ConsumerId = i % 64,
                Mode = PipelineMode.Concurrent,
                QueueWait = TimeSpan.FromTicks(i * 31L % 10_000),
            };
        }

        return results;
    }
}
