using System.Buffers;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Benchmarks.Support;
using Pipeline.Fetching;
using Pipeline.Sources;

namespace Pipeline.Benchmarks;

/// <summary>
/// The real fetch path per request: <see cref="HttpUrlFetcher"/> as the worker builds it (resilience
/// pipeline, timeouts, pooled body drain, the configured <see cref="SocketsHttpHandler"/>) against a
/// bare <see cref="HttpClient"/> loop, both with 64 concurrent loops on a canned loopback server.
/// </summary>
/// <remarks>
/// Client and server share the process and the cores, so times say little; the allocations per
/// request are the client's, because the server allocates nothing per request.
/// </remarks>
[MemoryDiagnoser]
[Config(typeof(BenchmarkConfig))]
public class FetchBenchmarks : ISmokeable, IDisposable
{
    /// <summary>Requests per call.</summary>
    public const int Requests = 20_000;

    /// <summary>Concurrent request loops, as in the harness's W2.</summary>
    public const int Concurrency = 64;

    private int _size = Requests;
    private CannedHttpServer? _server;
    private ServiceProvider? _services;
    private IUrlFetcher _fetcher = null!;
    private HttpClient? _bare;
    private WorkItem[] _items = [];

    /// <summary>Gets or sets whether spans are recorded as in the worker (the tracer provider with its in-process collector; HttpClient's own span included).</summary>
    [ParamsAllValues]
    public bool Spans { get; set; }

    /// <inheritdoc />
    long ISmokeable.ExpectedCount => _size;

    /// <inheritdoc />
    void ISmokeable.UseSmokeSize() => _size = 200;

    /// <summary>Starts the server and builds both clients.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _server = new CannedHttpServer();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Pipeline:Concurrency"] = Concurrency.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }).Build();
        _services = new ServiceCollection().AddLogging().AddPipeline(configuration).BuildServiceProvider();
        _fetcher = _services.GetRequiredService<IUrlFetcher>();
        if (Spans)
        {
            // Built on first resolution, as the host's telemetry service does at start.
            _ = _services.GetRequiredService<OpenTelemetry.Trace.TracerProvider>();
        }

        _bare = new HttpClient();
        _items = [.. Workload.Urls(_size).Select((url, i) => UrlLineParser.ParseEntry(Workload.SourceName, i + 1, url.Replace("http://127.0.0.1:18080/", _server.BaseAddress.AbsoluteUri, StringComparison.Ordinal))!)];
    }

    /// <summary>Stops the server and disposes the clients.</summary>
    [GlobalCleanup]
    public void Dispose()
    {
        _bare?.Dispose();
        _services?.Dispose();
        _server?.Dispose();
        _bare = null;
        _services = null;
        _server = null;
        GC.SuppressFinalize(this);
    }

    /// <summary>What a user would write: <see cref="HttpClient.GetAsync(Uri?)"/>, body read to the end.</summary>
    /// <returns>The number of 2xx answers.</returns>
    [Benchmark(Baseline = true, OperationsPerInvoke = Requests)]
    public Task<long> BareHttpClient() => DriveAsync(async item =>
    {
        using var response = await _bare!.GetAsync(item.Url, HttpCompletionOption.ResponseHeadersRead);
        await using var body = await response.Content.ReadAsStreamAsync();
        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            while (await body.ReadAsync(buffer) > 0)
            {
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return response.IsSuccessStatusCode;
    });

    /// <summary>The worker's fetcher, result object included.</summary>
    /// <returns>The number of URLs that succeeded.</returns>
    [Benchmark(OperationsPerInvoke = Requests)]
    public Task<long> PipelineFetcher() => DriveAsync(async item => (await _fetcher.FetchAsync(item, CancellationToken.None)).Outcome == FetchOutcome.Succeeded);

    private async Task<long> DriveAsync(Func<WorkItem, Task<bool>> fetch)
    {
        var next = -1;
        long succeeded = 0;
        var loops = new Task[Concurrency];
        for (var i = 0; i < loops.Length; i++)
        {
            loops[i] = Task.Run(async () =>
            {
                int index;
                while ((index = Interlocked.Increment(ref next)) < _items.Length)
                {
                    if (await fetch(_items[index]))
                    {
                        Interlocked.Increment(ref succeeded);
                    }
                }
            });
        }

        await Task.WhenAll(loops);
        return succeeded;
    }
}
