using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Pipeline.Worker.Tests.Support;

/// <summary>The real worker binary as a separate process, and the signals a user or a service manager sends it.</summary>
internal static partial class WorkerProcess
{
    public static Process Start(params string[] args) => Start(new Dictionary<string, string>(), args);

    /// <summary>Starts the worker with its standard input a pipe the test writes (<c>--input -</c>).</summary>
    public static Process StartPiped(params string[] args) => Start(new Dictionary<string, string>(), args, pipedInput: true);

    /// <summary>Starts the worker with extra environment variables (the worker always sees <c>CI=true</c>, as in CI).</summary>
    public static Process Start(IReadOnlyDictionary<string, string> environment, params string[] args) => Start(environment, args, pipedInput: false);

    private static Process Start(IReadOnlyDictionary<string, string> environment, string[] args, bool pipedInput)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = pipedInput,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Pipeline.Worker.dll"));
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["CI"] = "true";
        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        return Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start");
    }

    /// <summary>Runs the worker to its end.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        using var process = Start(args);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(120));
        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Reads standard error until a progress line says at least <paramref name="done"/> results are written.</summary>
    /// <returns>The count the line gave.</returns>
    public static async Task<long> WaitForProgressAsync(Process process, long done)
    {
        var seen = new List<string>();
        try
        {
            while (await process.StandardError.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60)) is { } line)
            {
                seen.Add(line);
                if (ProgressLine().Match(line) is { Success: true } match && long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) is var count && count >= done)
                {
                    return count;
                }
            }
        }
        catch (TimeoutException)
        {
        }

        throw new TimeoutException($"No progress line with {done} done; the last lines were:\n{string.Join('\n', seen.TakeLast(8))}");
    }

    /// <summary>Reads standard error until a line matches.</summary>
    /// <returns>The line.</returns>
    public static async Task<string> WaitForStderrAsync(Process process, Func<string, bool> match)
    {
        var seen = new List<string>();
        try
        {
            while (await process.StandardError.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60)) is { } line)
            {
                seen.Add(line);
                if (match(line))
                {
                    return line;
                }
            }
        }
        catch (TimeoutException)
        {
        }

        throw new TimeoutException($"No such line on stderr; the last lines were:\n{string.Join('\n', seen.TakeLast(8))}");
    }

    /// <summary>Sends a signal and waits for the exit, draining the output so the child never blocks on a full pipe.</summary>
    public static async Task<int> SignalAndWaitAsync(Process process, string signal)
    {
        using (var kill = Process.Start("kill", [signal, process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        var drain = Task.WhenAll(process.StandardOutput.ReadToEndAsync(), process.StandardError.ReadToEndAsync());
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(90));
        await drain;
        return process.ExitCode;
    }

    [GeneratedRegex(@"Progress \([^)]*\): (\d+)(/\d+)? done")]
    private static partial Regex ProgressLine();
}
