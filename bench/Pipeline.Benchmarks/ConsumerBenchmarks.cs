using BenchmarkDotNet.Attributes;
using Pipeline.Benchmarks.Support;
using Pipeline.Running;
using Pipeline.Sources;

namespace Pipeline.Benchmarks;

/// <summary>
/// (d) Sequential against concurrent consumers with the no-op fetcher: what N reader loops cost
/// or gain when fetching takes no time (with real I/O they win by overlapping the waits).
/// </summary>
[MemoryDiagnoser]
[Config(typeof(BenchmarkConfig))]
public class ConsumerBenchmarks : ISmokeable
{
    /// <summary>URLs per call.</summary>
    public const int Urls = 200_000;

    private int _size = Urls;
    private WorkItem[] _items = [];
    private PipelineRunner _runner = null!;

    /// <summary>Gets or sets the number of consumers; 1 runs <see cref="PipelineMode.Sequential"/>.</summary>
    [Params(1, 2, 8, 64)]
    public int Consumers { get; set; }

    /// <inheritdoc />
    long ISmokeable.ExpectedCount => _size;

    /// <inheritdoc />
    void ISmokeable.UseSmokeSize() => _size = 1_000;

    /// <summary>Builds the items and the runner.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _items = Workload.Items(_size);
        _runner = NoOpPipeline.Runner();
    }

    /// <summary>Runs the pipeline with the given number of consumers.</summary>
    /// <returns>The number of URLs that succeeded.</returns>
    [Benchmark(OperationsPerInvoke = Urls)]
    public Task<long> Run() => NoOpPipeline.RunAsync(_runner, new MemoryUrlSource(_items), Consumers, DuplicatePolicy.Fetch);
}
