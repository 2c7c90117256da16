using System.Diagnostics;
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
/// and where the limit went. Not a test: the figures depend on the machine and what else runs on it, so it
/// prints the load average and the process's CPU time beside every wall time. bench/adaptive-sweep.sh writes
/// the output into docs/adaptive-concurrency.md through bench/write-benchmarks-md.py.
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
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Measured {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC on {Environment.ProcessorCount} cores; load average at the start {Load()} (1, 5, 15 min). The pipeline and the origin run in one process; **CPU s** is that process's user + system time for the run."));
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
            "latency-only origin: /delay/50, no capacity limit, 8000 URLs",
            () => origin.DelayUrls(8000, TimeSpan.FromMilliseconds(50)),
            [32, 64, 128, 256]);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"\nLoad average at the end {Load()}."));
        return 0;
    }

    private static async Task SweepAsync(TextWriter output, PipelineRunner runner, string title, Func<IReadOnlyList<string>> urls, int[] fixedConcurrencies)
    {
        await output.WriteLineAsync($"\n### {title}\n");
        await output.WriteLineAsync("| consumers | wall s | CPU s | goodput URL/s | 503s | limit min / max / final / mean | limit at max after s | goodput after that URL/s |");
        await output.WriteLineAsync("|---|---:|---:|---:|---:|---|---:|---:|");

        // One unmeasured run first: connections, JIT and thread pool warm for every measured one.
        await RunOnceAsync(runner, urls(), 16, null, new Answers());
        double best = 0;
        var bestC = 0;
        foreach (var c in fixedConcurrencies)
        {
            var answers = new Answers();
            var (summary, cpu) = await RunOnceAsync(runner, urls(), c, null, answers);
            // A run that ends fast because the server turned most of it away is no win: the best fixed C
            // is the fastest with at most 1% of its URLs answered 503.
            var goodput = Goodput(summary);
            var clean = summary.StatusCounts.GetValueOrDefault(503) * 100 <= summary.Total;
            (best, bestC) = clean && goodput > best ? (goodput, c) : (best, bestC);
            await output.WriteLineAsync(Row(c.ToString(CultureInfo.InvariantCulture), summary, cpu, "-", "-", "-"));
        }

        var autoRuns = new List<(double Whole, double After)>();
        for (var i = 0; i < 2; i++)
        {
            var answers = new Answers();
            var (summary, cpu) = await RunOnceAsync(runner, urls(), 10, new AdaptiveOptions { Enabled = true }, answers);
            var a = summary.Adaptive!;

            // The ramp: slow start takes about two round trips per doubling to reach what it settles at.
            var ramp = a.Points.First(p => p.Limit >= a.Max).At;
            var after = answers.RateAfter(ramp);
            autoRuns.Add((Goodput(summary), after));
            await output.WriteLineAsync(Row(
                "auto",
                summary,
                cpu,
                string.Create(CultureInfo.InvariantCulture, $"{a.Min} / {a.Max} / {a.Final} / {a.Mean:0.0} ({a.Hosts.Sum(h => h.Drops)} drops)"),
                ramp.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture),
                after.ToString("0", CultureInfo.InvariantCulture)));
        }

        var whole = autoRuns.Max(r => r.Whole);
        var steady = autoRuns.Max(r => r.After);
        await output.WriteLineAsync(string.Create(
            CultureInfo.InvariantCulture,
            $"\nbest fixed C with at most 1% 503s: C = {bestC} at {best:0} URL/s; auto (better of two runs): {whole:0} URL/s over the whole run = **{whole / best:0%}** of the best fixed C; {steady:0} URL/s once its limit had reached its highest = **{steady / best:0%}**"));
    }

    private static async Task<(RunSummary Summary, double CpuSeconds)> RunOnceAsync(PipelineRunner runner, IReadOnlyList<string> urls, int concurrency, AdaptiveOptions? adaptive, Answers answers)
    {
        using var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var plan = new RunPlan
        {
            Mode = PipelineMode.Concurrent,
            Concurrency = concurrency,
            Adaptive = adaptive,
            Sources = [new ListUrlSource("sweep", urls)],
            Sink = answers,
        };
        answers.Start();
        var summary = await runner.RunAsync(plan, CancellationToken.None);
        process.Refresh();
        return (summary, (process.TotalProcessorTime - cpu).TotalSeconds);
    }

    private static string Load()
    {
        try
        {
            return string.Join(", ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "n/a";
        }
    }

    private static double Goodput(RunSummary summary) => summary.Succeeded / summary.Wall.TotalSeconds;

    private static string Row(string consumers, RunSummary summary, double cpu, string limit, string ramp, string after)
        => string.Create(
            CultureInfo.InvariantCulture,
            $"| {consumers} | {summary.Wall.TotalSeconds:0.00} | {cpu:0.00} | {Goodput(summary):0} | {summary.StatusCounts.GetValueOrDefault(503)} | {limit} | {ramp} | {after} |");

    // Counts the answers with 200 and when they came, to tell the ramp from the rest of the run.
    private sealed class Answers : IResultSink
    {
        private readonly List<TimeSpan> _at = [];
        private long _start;

        public void Start() => _start = Stopwatch.GetTimestamp();

        public ValueTask WriteAsync(Fetching.FetchResult result, CancellationToken cancellationToken)
        {
            if (result.StatusCode == 200)
            {
                lock (_at)
                {
                    _at.Add(Stopwatch.GetElapsedTime(_start));
                }
            }

            return ValueTask.CompletedTask;
        }

        public ValueTask FlushAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

        // Answers per second from `from` to the last answer.
        public double RateAfter(TimeSpan from)
        {
            lock (_at)
            {
                var later = _at.Where(t => t >= from).ToList();
                return later.Count < 2 ? 0 : later.Count / (later.Max() - from).TotalSeconds;
            }
        }
    }
}
