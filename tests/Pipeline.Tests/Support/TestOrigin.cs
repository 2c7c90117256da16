using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Pipeline.DemoOrigin;

namespace Pipeline.Tests.Support;

/// <summary>The demo origin plus endpoints tests need: a barrier, a request that never answers, the faults of <see cref="FaultEndpoints"/> and the request echo of <see cref="EchoEndpoints"/>.</summary>
public sealed class TestOrigin : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Barrier> _barriers = new();
    private readonly FaultEndpoints _faults = new();
    private readonly EchoEndpoints _echo = new();

    private TestOrigin()
    {
    }

    public DemoOriginServer Server { get; private set; } = null!;

    public DemoOriginStats Stats => Server.Stats;

    public static async Task<TestOrigin> StartAsync()
    {
        var origin = new TestOrigin();
        origin.Server = await DemoOriginServer.StartAsync(0, origin.Map);
        return origin;
    }

    public string Url(string pathAndQuery) => new Uri(Server.BaseAddress, pathAndQuery).ToString();

    public IReadOnlyList<string> Urls(string path, int count)
        => [.. Enumerable.Range(1, count).Select(i => Url(string.Create(CultureInfo.InvariantCulture, $"{path}?i={i}")))];

    /// <summary>Gets the requests to <c>/hang</c> that arrived.</summary>
    public Tally HangsStarted { get; } = new();

    /// <summary>Gets the requests to <c>/hang</c> the client gave up on.</summary>
    public Tally HangsAborted { get; } = new();

    public ValueTask DisposeAsync() => Server.DisposeAsync();

    /// <summary>Gets how many requests a keyed fault endpoint (<c>/fault/flaky/{key}/…</c>) received.</summary>
    public int Hits(string key) => _faults.Hits(key);

    /// <summary>Gets the requests an echo endpoint (<c>/echo/{key}…</c>) received, in order.</summary>
    public IReadOnlyList<EchoedRequest> Requests(string key) => _echo.Requests(key);

    private void Map(IEndpointRouteBuilder endpoints)
    {
        _faults.Map(endpoints);
        _echo.Map(endpoints);

        // /barrier/{name}/{n}: each request waits until n requests of that name are waiting, then
        // all answer at once. A client that never has n requests in flight never gets an answer,
        // so reaching the barrier proves the concurrency without any timing.
        endpoints.MapGet("/barrier/{name}/{n:int}", async context =>
        {
            var name = (string)context.GetRouteValue("name")!;
            var n = int.Parse((string)context.GetRouteValue("n")!, CultureInfo.InvariantCulture);
            var barrier = _barriers.GetOrAdd(name, _ => new Barrier(n));
            await barrier.ArriveAsync(context.RequestAborted);
            await context.Response.WriteAsync("ok\n", context.RequestAborted);
        });

        // /hang: never answers; counts the requests the client gave up on.
        endpoints.MapGet("/hang", async context =>
        {
            HangsStarted.Increment();
            try
            {
                await Task.Delay(Timeout.Infinite, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                HangsAborted.Increment();
            }
        });
    }

    private sealed class Barrier(int size)
    {
        private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _arrived;

        public Task ArriveAsync(CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref _arrived) >= size)
            {
                _open.TrySetResult();
            }

            return _open.Task.WaitAsync(cancellationToken);
        }
    }
}
