using System.Globalization;
using System.Text.RegularExpressions;
using Pipeline.RabbitMq.Tests.Support;

namespace Pipeline.RabbitMq.Tests;

/// <summary><c>--concurrency auto</c> in the worker role: the limiter gates the worker's consumers as it does in-process.</summary>
public sealed partial class AutoConcurrencyWorkerTests : IDisposable
{
    private const int Capacity = 4;
    private static readonly TimeSpan Service = TimeSpan.FromMilliseconds(40);
    private readonly string _directory = Directory.CreateTempSubdirectory("pipeline-rmq-auto-").FullName;
    private readonly (string Work, string Results) _queues = Broker.NewQueues();

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [BrokerFact]
    public async Task Worker_AutoAgainstCapacityK_SettlesNearKWithFewTurnAways()
    {
        await using var origin = await GateOrigin.StartAsync();
        var input = Path.Combine(_directory, "urls.txt");
        await File.WriteAllLinesAsync(input, origin.Server.CapacityUrls(200, Capacity, Service, queue: Capacity));
        var producer = RoleHost.Start("producer", _queues, "--input", input);
        Assert.Equal(0, await producer.Exit.WaitAsync(TimeSpan.FromSeconds(60)));

        // A fixed 32 would keep 24 more in flight than this server holds (K served, K queued): most 503.
        var worker = RoleHost.Start(
            "worker", _queues, "--concurrency", "auto", "--Pipeline:Adaptive:Max", "32",
            "--Pipeline:Http:Retry:MaxRetries", "0", "--Pipeline:RabbitMq:IdleTimeout", "00:00:02");
        Assert.Equal(0, await worker.Exit.WaitAsync(TimeSpan.FromSeconds(120)));

        Assert.Contains("Concurrent run, adaptive consumers (auto 1-32)", worker.Out, StringComparison.Ordinal);
        var final = int.Parse(FinalLimit().Match(worker.Out).Groups["final"].Value, CultureInfo.InvariantCulture);
        Assert.InRange(final, Capacity / 2, (2 * Capacity) + 1);
        var station = origin.Server.Station(Capacity, Service, Capacity)!;
        Assert.Equal(200, station.Served + station.Rejected);
        Assert.True(station.Rejected <= 20, $"turned away {station.Rejected} of 200");

        // Every URL has its result on the result queue (and the producer's announcement).
        Assert.Equal(201u, await Broker.MessageCountAsync(_queues.Results));
    }

    [GeneratedRegex(@"limit +auto 1-32: min \d+ +max \d+ +final (?<final>\d+)")]
    private static partial Regex FinalLimit();
}
