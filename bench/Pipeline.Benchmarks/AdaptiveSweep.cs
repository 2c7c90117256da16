using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Pipeline.Concurrency;
using Pipeline.DemoOrigin;
using Pipeline.Running;
using Pipeline.Sinks;
using Pipeline.Sources;

namespace Pipeline.Benchmarks;

/// <summary>
/// Adaptive concurrency against fixed ones (<c>--adaptive-sweep</c>): sweeps fixed C over two local origins,
/// runs Auto on the same lists, and prints a Markdown table of goodput (answers with 200 per second), 503s
/// and where the limit went. Not a test: the figures depend on the machine and what else runs on it.
/// </summary>
internal static class AdaptiveSweep
{
    public const string Argument = "--adaptive-sweep";

    private static readonly Dictionary<string, string?> Settings = new()
    {
        // A 503 is counted, not retried: goodput and turn-aways are then the server's own figures.
        ["Pipeline:Http:Retry:MaxRetries"] = "0",
        ["Logging:LogLevel:Default"] = "Warning",
    };

    public static async Task<int> RunAsync(TextWriter output)
    {
        await using var origin = await DemoOriginServer.StartAsync();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(Settings).Build();
        await using var services = new ServiceCollection().AddLogging(l => l.SetMinimumLevel(LogLevel.Warning)).AddPipeline(configuration).BuildServiceProvider();
        var runner = services.GetRequiredService<PipelineRunner>();

        const int Capacity = 16;
        var service = TimeSpan.FromMilliseconds(20);
        await SweepAsync(
            output,
            runner,
            $"capacity origin: K = {Capacity} served at once, 20 ms each, {Capacity} more queued, 503 past that (ideal {Capacity / service.TotalSeconds:0} URL/s)",
            () => origin.CapacityUrls(3000, Capacity, service, Capacity),
            [4, 8, 12, 16, 24, 32, 64]);
        await SweepAsync(
            output,
            runner,
            "latency-only origin: /delay/50, no capacity limit",
            () => origin.DelayUrls(4000, TimeSpan.FromMilliseconds(50)),
            [16, 32, 64, 128, 256]);
        return 0;
    }

    private static async Task SweepAsync(TextWriter output, PipelineRunner runner, string title, Func<IReadOnlyList<string>> urls, int[] fixedConcurrencies)
    {
        await output.WriteLineAsync($"\n### {title}\n");
        await output.WriteLineAsync("| consumers | wall s | goodput URL/s | 503s | limit min / max / final / mean |");
        await output.WriteLineAsync("|---|---:|---:|---:|---|");

        // One unmeasured run first: connections, JIT and thread pool warm for every measured one.
        await RunOnceAsync(runner, urls(), 16, null);
        double best = 0;
        var bestC = 0;
        foreach (var c in fixedConcurrencies)
        {
            var summary = await RunOnceAsync(runner, urls(), c, null);
            // A run that ends fast because the server turned most of it away is no win: the best fixed C
            // is the fastest with at most 1% of its URLs answered 503.
            var goodput = Goodput(summary);
            var clean = summary.StatusCounts.GetValueOrDefault(503) * 100 <= summary.Total;
            (best, bestC) = clean && goodput > best ? (goodput, c) : (best, bestC);
            await output.WriteLineAsync(Row(c.ToString(CultureInfo.InvariantCulture), summary, "-"));
        }

        var autoRuns = new List<double>();
        for (var i = 0; i < 2; i++)
        {
            var summary = await RunOnceAsync(runner, urls(), 10, new AdaptiveOptions { Enabled = true });
            autoRuns.Add(Goodput(summary));
            var a = summary.Adaptive!;
            await output.WriteLineAsync(Row("auto", summary, string.Create(CultureInfo.InvariantCulture, $"{a.Min} / {a.Max} / {a.Final} / {a.Mean:0.0}")));
        }

        var autoBest = autoRuns.Max();
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"\nbest fixed C with at most 1% 503s: C = {bestC} at {best:0} URL/s; auto (better of two runs): {autoBest:0} URL/s = {autoBest / best:0%} of the best fixed C"));
    }

    private static async Task<RunSummary> RunOnceAsync(PipelineRunner runner, IReadOnlyList<string> urls, int concurrency, AdaptiveOptions? adaptive)
    {
        var plan = new RunPlan
        {
            Mode = PipelineMode.Concurrent,
            Concurrency = concurrency,
            Adaptive = adaptive,
            Sources = [new ListUrlSource("sweep", urls)],
            Sink = NullSink.Instance,
        };
        return await runner.RunAsync(plan, CancellationToken.None);
    }

    private static double Goodput(RunSummary summary) => summary.Succeeded / summary.Wall.TotalSeconds;

    private static string Row(string consumers, RunSummary summary, string limit)
        => string.Create(
            CultureInfo.InvariantCulture,
            $"| {consumers} | {summary.Wall.TotalSeconds:0.00} | {Goodput(summary):0} | {summary.StatusCounts.GetValueOrDefault(503)} | {limit} |");

    private sealed class NullSink : IResultSink
    {
        public static readonly NullSink Instance = new();

        public ValueTask WriteAsync(Fetching.FetchResult result, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask FlushAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }
}
