using System.Diagnostics;
using System.Globalization;

namespace Pipeline.Worker.Tests.Deployment;

/// <summary>The real worker binary as a service manager starts it: its environment, its working directory, its stderr lines awaitable.</summary>
internal sealed class WorkerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Lock _gate = new();
    private readonly List<string> _lines = [];
    private readonly List<(Func<string, bool> Match, TaskCompletionSource<string> Found)> _waiters = [];
    private readonly Task _stderr;
    private readonly Task<string> _stdout;

    private WorkerProcess(Process process)
    {
        _process = process;
        _stdout = process.StandardOutput.ReadToEndAsync();
        _stderr = Task.Run(async () =>
        {
            while (await process.StandardError.ReadLineAsync() is { } line)
            {
                lock (_gate)
                {
                    _lines.Add(line);
                    foreach (var waiter in _waiters.Where(w => w.Match(line)).ToList())
                    {
                        _waiters.Remove(waiter);
                        waiter.Found.TrySetResult(line);
                    }
                }
            }
        });
    }

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_gate)
            {
                return [.. _lines];
            }
        }
    }

    /// <summary>Starts the binary with exactly this environment for the Pipeline and settings variables (inherited ones are removed).</summary>
    public static WorkerProcess Start(string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Pipeline.Worker.dll"));
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var name in info.Environment.Keys.Where(k => k.StartsWith("Pipeline__", StringComparison.OrdinalIgnoreCase) || k is "CONFIGURATION_DIRECTORY" or "NOTIFY_SOCKET" or "DOTNET_ENVIRONMENT" or "DOTNET_USE_POLLING_FILE_WATCHER").ToList())
        {
            info.Environment.Remove(name);
        }

        info.Environment["CI"] = "true";
        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        return new WorkerProcess(Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start"));
    }

    /// <summary>Waits for a stderr line, looking first at those already written.</summary>
    public Task<string> WaitForAsync(string fragment)
    {
        lock (_gate)
        {
            if (_lines.FirstOrDefault(l => l.Contains(fragment, StringComparison.Ordinal)) is { } line)
            {
                return Task.FromResult(line);
            }

            var found = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((l => l.Contains(fragment, StringComparison.Ordinal), found));
            return found.Task.WaitAsync(TimeSpan.FromSeconds(90)).ContinueWith(
                t => t.IsCompletedSuccessfully ? t.Result : throw new TimeoutException($"No line with '{fragment}'; the last lines were:\n{string.Join('\n', Lines.TakeLast(10))}"),
                TaskScheduler.Default);
        }
    }

    /// <summary>Sends SIGTERM, as systemctl stop and docker stop do, and returns the exit code.</summary>
    public async Task<int> StopAsync()
    {
        if (!_process.HasExited)
        {
            using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]);
            await kill.WaitForExitAsync();
        }

        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(90));
        await _stderr;
        await _stdout;
        return _process.ExitCode;
    }

    /// <summary>Waits for the process to end by itself and returns its exit code and stdout.</summary>
    public async Task<(int ExitCode, string Stdout)> ExitAsync()
    {
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(90));
        await _stderr;
        return (_process.ExitCode, await _stdout);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
