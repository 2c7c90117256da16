using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Pipeline.DemoOrigin;

namespace Pipeline.Worker.Tests.Support;

/// <summary>
/// A loopback origin that counts every request by path: <c>/ok/{id}</c> answers at once, <c>/slow/{id}</c>
/// after the latency, <c>/hang/{id}</c> only once <see cref="ReleaseHung"/> is called (or the test ends).
/// </summary>
internal sealed class CountingOrigin : IDisposable
{
    private readonly CancellationTokenSource _hang = new();

    /// <summary>Gets the number of requests per path (<c>ok/3</c>, <c>slow/7</c>, ...).</summary>
    public ConcurrentDictionary<string, int> Requests { get; } = new();

    /// <summary>Starts a server with the three endpoints; the caller disposes it.</summary>
    /// <param name="latency">How long <c>/slow/{id}</c> takes.</param>
    /// <returns>The running server.</returns>
    public Task<DemoOriginServer> StartAsync(TimeSpan latency) => DemoOriginServer.StartAsync(0, endpoints =>
    {
        endpoints.MapGet("/ok/{id}", (string id) => Count("ok/" + id));
        endpoints.MapGet("/slow/{id}", async (string id, HttpContext context) =>
        {
            Count("slow/" + id);
            await Task.Delay(latency, context.RequestAborted);
            return "ok\n";
        });
        endpoints.MapGet("/hang/{id}", async (string id, HttpContext context) =>
        {
            Count("hang/" + id);
            using var either = CancellationTokenSource.CreateLinkedTokenSource(_hang.Token, context.RequestAborted);
            await Task.Delay(Timeout.Infinite, either.Token).ContinueWith(_ => { }, TaskScheduler.Default);
            return "ok\n";
        });
    });

    /// <summary>Lets every hung request answer.</summary>
    /// <returns>A task that completes when they are released.</returns>
    public Task ReleaseHung() => _hang.CancelAsync();

    public void Dispose()
    {
        _hang.Cancel();
        _hang.Dispose();
    }

    private string Count(string key)
    {
        Requests.AddOrUpdate(key, 1, (_, n) => n + 1);
        return "ok\n";
    }
}
