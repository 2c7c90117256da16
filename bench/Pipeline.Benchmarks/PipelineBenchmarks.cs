using BenchmarkDotNet.Attributes;
using Pipeline.Benchmarks.Support;
using Pipeline.Running;
using Pipeline.Sources;

namespace Pipeline.Benchmarks;

/// <summary>
/// (c) The whole pipeline without I/O: a million URLs through source → work channel → 64
/// consumers with a fetcher that answers at once → result channel → JSON-lines sink to
/// <see cref="Stream.Null"/>. The target is at least 1M URLs/s.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(BenchmarkConfig))]
public class PipelineBenchmarks : ISmokeable, IDisposable
{
    /// <summary>URLs per call.</summary>
    public const int Urls = 1_000_000;

    /// <summary>Consumers, as in the harness's W2 and W3.</summary>
    public const int Consumers = 64;

    private int _size = Urls;
    private string[] _urls = [];
    private WorkItem[] _items = [];
    private PipelineRunner _runner = null!;
    private IDisposable? _telemetry;

    /// <summary>Gets or sets what the run does with repeated URLs: <c>Skip</c> (the default) remembers every URL.</summary>
    [Params(DuplicatePolicy.Fetch, DuplicatePolicy.Skip)]
    public DuplicatePolicy Duplicates { get; set; }

    /// <summary>Gets or sets whether spans are recorded as in the worker, which always listens with its in-process span collector (exporters off included).</summary>
    [ParamsAllValues]
    public bool Spans { get; set; }

    /// <inheritdoc />
    long ISmokeable.ExpectedCount => _size;

    /// <inheritdoc />
    void ISmokeable.UseSmokeSize() => _size = 2_000;

    /// <summary>Builds the URLs, the parsed items and the runner.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _urls = Workload.Urls(_size);
        _items = Workload.Items(_size);
        _runner = NoOpPipeline.Runner();
        _telemetry = Spans ? NoOpPipeline.Telemetry() : null;
    }

    /// <summary>Stops listening to spans.</summary>
    [GlobalCleanup]
    public void Dispose()
    {
        _telemetry?.Dispose();
        _telemetry = null;
        GC.SuppressFinalize(this);
    }

    /// <summary>Runs the pipeline over URLs parsed beforehand.</summary>
    /// <returns>The number of URLs that succeeded.</returns>
    [Benchmark(OperationsPerInvoke = Urls)]
    public Task<long> Run() => NoOpPipeline.RunAsync(_runner, new MemoryUrlSource(_items), Consumers, Duplicates);

    /// <summary>Runs the pipeline over URL strings, parsed by the source as the settings list is.</summary>
    /// <returns>The number of URLs that succeeded.</returns>
    [Benchmark(OperationsPerInvoke = Urls)]
    public Task<long> RunParsingUrls() => NoOpPipeline.RunAsync(_runner, new ListUrlSource(Workload.SourceName, _urls), Consumers, Duplicates);
}
