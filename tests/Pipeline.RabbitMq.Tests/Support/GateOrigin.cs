using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Pipeline.DemoOrigin;

namespace Pipeline.RabbitMq.Tests.Support;

/// <summary>
/// A local origin whose <c>/gate</c> requests wait until the test opens the gate, so a test knows
/// exactly which URLs a worker holds in flight, without timing; <c>/ok</c> answers at once.
/// </summary>
public sealed class GateOrigin : IAsyncDisposable
{
    private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _gate = new();
    private readonly List<(int Count, TaskCompletionSource Reached)> _waiters = [];
    private int _waiting;

    private GateOrigin()
    {
    }

    public DemoOriginServer Server { get; private set; } = null!;

    public static async Task<GateOrigin> StartAsync()
    {
        var origin = new GateOrigin();
        origin.Server = await DemoOriginServer.StartAsync(0, endpoints => endpoints.MapGet("/gate", origin.GateAsync));
        return origin;
    }

    public IReadOnlyList<string> Urls(string path, int count)
        => [.. Enumerable.Range(1, count).Select(i => new Uri(Server.BaseAddress, string.Create(CultureInfo.InvariantCulture, $"{path}?i={i}")).ToString())];

    /// <summary>Completes when at least <paramref name="count"/> requests wait at the gate at once.</summary>
    public Task WaitingAsync(int count)
    {
        lock (_gate)
        {
            if (_waiting >= count)
            {
                return Task.CompletedTask;
            }

            var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((count, reached));
            return reached.Task;
        }
    }

    public void Open() => _open.TrySetResult();

    public ValueTask DisposeAsync()
    {
        Open();
        return Server.DisposeAsync();
    }

    private async Task GateAsync(HttpContext context)
    {
        lock (_gate)
        {
            _waiting++;
            foreach (var waiter in _waiters.Where(w => w.Count <= _waiting))
            {
                waiter.Reached.TrySetResult();
            }
        }

        try
        {
            await _open.Task.WaitAsync(context.RequestAborted);
            await context.Response.WriteAsync("ok\n", context.RequestAborted);
        }
        finally
        {
            lock (_gate)
            {
                _waiting--;
            }
        }
    }
}
