using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Pipeline.DemoOrigin;
using Pipeline.Processing;
using Pipeline.Running;
using Pipeline.Sinks;
using Pipeline.Sources;

namespace Pipeline.Benchmarks;

/// <summary>
/// The I/O-bound / CPU-bound lesson with its own numbers (<c>--process-sweep</c>): pages that wait on the network
/// and then cost CPU to process (<c>/page/{links}?delay=ms</c>, steps <c>title,links,sha256</c>), swept over fetch
/// consumers and processing workers. Prints a Markdown table to paste into the README, with the CPU time the process
/// used (user + sys, from <see cref="Process.TotalProcessorTime"/>) beside the wall time, and the machine it ran on.
/// </summary>
internal static class ProcessSweep
{
    public const string Argument = "--process-sweep";

    private const int Urls = 120;
    private const int Links = 20_000;
    private static readonly TimeSpan Latency = TimeSpan.FromMilliseconds(50);

    public static async Task<int> RunAsync(TextWriter output)
    {
        await using var origin = await DemoOriginServer.StartAsync();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Warning" }).Build();
        await using var services = new ServiceCollection().AddLogging(l => l.SetMinimumLevel(LogLevel.Warning)).AddPipeline(configuration).BuildServiceProvider();
        var runner = services.GetRequiredService<PipelineRunner>();
        var processors = services.GetServices<IResultProcessor>().ToList();
        var page = DemoPage.Get(Links).Length;

        await output.WriteLineAsync($"<!-- process-sweep: {Environment.ProcessorCount} cores, {Urls} pages of {Links} links ({page / 1024} KiB) after {Latency.TotalMilliseconds:0} ms each, steps title,links,sha256; {DateTime.UtcNow:yyyy-MM-dd} -->");
        await output.WriteLineAsync("| fetch consumers | process workers | wall s | fetch busy | process busy | process ms/page | CPU s (user+sys) | pages/s |");
        await output.WriteLineAsync("|---:|---:|---:|---:|---:|---:|---:|---:|");

        // One unmeasured run first: JIT, connections and the origin's page cache are warm for every measured one.
        await RunOnceAsync(runner, processors, origin, 16, 2);
        foreach (var (consumers, workers) in new[] { (1, 1), (4, 1), (16, 1), (16, 2), (16, 4), (16, 8) })
        {
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var summary = await RunOnceAsync(runner, processors, origin, consumers, workers);
            var used = Process.GetCurrentProcess().TotalProcessorTime - cpu;
            await output.WriteLineAsync(string.Create(
                CultureInfo.InvariantCulture,
                $"| {consumers} | {workers} | {summary.Wall.TotalSeconds:0.00} | {summary.FetchUtilisation:0%} | {summary.ProcessUtilisation:0%} | {summary.ProcessMean.TotalMilliseconds:0.0} | {used.TotalSeconds:0.00} | {summary.Timed / summary.Wall.TotalSeconds:0.0} |"));
        }

        return 0;
    }

    private static Task<RunSummary> RunOnceAsync(PipelineRunner runner, IReadOnlyList<IResultProcessor> processors, DemoOriginServer origin, int consumers, int workers)
    {
        var options = new ProcessOptions { Steps = "title,links,sha256", Parallelism = workers, MaxBodyBytes = 4 * 1024 * 1024 };
        var plan = new RunPlan
        {
            Mode = PipelineMode.Concurrent,
            Concurrency = consumers,
            Sources = [new ListUrlSource("pages", origin.PageUrls(Urls, Links, Latency))],
            Sink = new NullSink(),
            Processing = ProcessPlan.From(options, processors, PipelineMode.Concurrent),
        };
        return runner.RunAsync(plan, CancellationToken.None);
    }

    private sealed class NullSink : IResultSink
    {
        public ValueTask WriteAsync(Fetching.FetchResult result, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask FlushAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }
}
