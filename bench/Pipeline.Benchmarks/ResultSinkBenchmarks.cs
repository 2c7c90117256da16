using BenchmarkDotNet.Attributes;
using Pipeline.Benchmarks.Support;
using Pipeline.Fetching;
using Pipeline.Sinks;

namespace Pipeline.Benchmarks;

/// <summary>(b) Result serialisation: <see cref="JsonLinesResultSink"/> writing results one by one, flushed at the end.</summary>
[MemoryDiagnoser]
[Config(typeof(BenchmarkConfig))]
public class ResultSinkBenchmarks : ISmokeable
{
    /// <summary>Results written per call.</summary>
    public const int Results = 100_000;

    private int _size = Results;
    private FetchResult[] _results = [];
    private string _path = string.Empty;

    /// <summary>Gets or sets where the sink writes.</summary>
    [Params(SinkTarget.Null, SinkTarget.File)]
    public SinkTarget Target { get; set; }

    /// <inheritdoc />
    long ISmokeable.ExpectedCount => _size;

    /// <inheritdoc />
    void ISmokeable.UseSmokeSize() => _size = 1_000;

    /// <summary>Builds the results and picks a file name.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _results = Workload.Results(_size);
        _path = Path.Combine(Path.GetTempPath(), $"pipeline-bench-{Environment.ProcessId}-{Guid.NewGuid():N}.jsonl");
    }

    /// <summary>Removes the file.</summary>
    [GlobalCleanup]
    public void Cleanup() => File.Delete(_path);

    /// <summary>Writes every result, then flushes.</summary>
    /// <returns>The number of results written.</returns>
    [Benchmark(OperationsPerInvoke = Results)]
    public async Task<long> WriteAll()
    {
        await using var sink = Target == SinkTarget.File ? JsonLinesResultSink.Create(_path) : new JsonLinesResultSink(Stream.Null);
        foreach (var result in _results)
        {
            await sink.WriteAsync(result, CancellationToken.None);
        }

        await sink.FlushAsync(CancellationToken.None);
        return _results.Length;
    }
}
