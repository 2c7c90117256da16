using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Pipeline.RabbitMq.Tests.Support;

/// <summary>A logger that completes a task when a given event is logged: a test waits on what the code reports, not on time.</summary>
public sealed class EventLogger<T>(int watchedEventId) : ILogger<T>
{
    private readonly TaskCompletionSource _logged = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Logged => _logged.Task;

    /// <summary>Gets every message logged, formatted, with its event id.</summary>
    public ConcurrentQueue<(int EventId, string Message)> Messages { get; } = new();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        Messages.Enqueue((eventId.Id, formatter(state, exception)));
        if (eventId.Id == watchedEventId)
        {
            _logged.TrySetResult();
        }
    }
}
