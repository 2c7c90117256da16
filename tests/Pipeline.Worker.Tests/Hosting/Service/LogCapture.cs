using Microsoft.Extensions.Logging;

namespace Pipeline.Worker.Tests.Hosting.Service;

/// <summary>Keeps every log message of a host and lets a test await one, instead of sleeping.</summary>
internal sealed class LogCapture : ILoggerProvider
{
    private readonly Lock _gate = new();
    private readonly List<string> _messages = [];
    private readonly List<(Func<string, bool> Match, TaskCompletionSource<string> Found)> _waiters = [];

    public IReadOnlyList<string> Messages
    {
        get
        {
            lock (_gate)
            {
                return [.. _messages];
            }
        }
    }

    /// <summary>Waits for a message, looking first at those already logged; the hang guard fails a broken test instead of blocking the run.</summary>
    public Task<string> WaitForAsync(Func<string, bool> match)
    {
        lock (_gate)
        {
            if (_messages.FirstOrDefault(match) is { } message)
            {
                return Task.FromResult(message);
            }

            var found = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((match, found));
            return found.Task.WaitAsync(TimeSpan.FromSeconds(60));
        }
    }

    /// <summary>Waits for the n-th message (counting from 1) that matches.</summary>
    public Task<string> WaitForAsync(Func<string, bool> match, int occurrence)
    {
        var seen = 0;
        return WaitForAsync(message => match(message) && ++seen == occurrence);
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void Dispose()
    {
    }

    private void Add(string message)
    {
        lock (_gate)
        {
            _messages.Add(message);
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Match(message))
                {
                    _waiters[i].Found.TrySetResult(message);
                    _waiters.RemoveAt(i);
                }
            }
        }
    }

    private sealed class Logger(LogCapture capture) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            => capture.Add(formatter(state, exception));
    }
}
