using System.Globalization;
using Microsoft.Extensions.Logging;
using Pipeline.Running;

namespace Pipeline.Worker.Hosting;

/// <summary>
/// Shows a run's progress: a live line redrawn in place when a person watches a terminal, a log
/// line every <see cref="PipelineOptions.ProgressInterval"/> otherwise (CI, journald, a pipe).
/// </summary>
internal sealed class ProgressDisplay(
    ConsoleOutput output,
    LastValidOptions<PipelineOptions> options,
    TimeProvider timeProvider,
    Systemd.SystemdStatus systemd,
    ILogger<ProgressDisplay> logger) : IRunObserver, IDisposable
{
    private static readonly TimeSpan LiveRefresh = TimeSpan.FromMilliseconds(200);
    private const int BarWidth = 24;
    private readonly LastValidOptions<PipelineOptions> _options = options;
    private readonly Lock _gate = new();
    private CancellationTokenSource? _stop;
    private bool _lineShown;

    public void OnRunStarted(RunPlan plan, RunCounters counters)
    {
        long? total = plan.Sources.All(s => s.KnownCount is not null) ? plan.Sources.Sum(s => s.KnownCount!.Value) : null;
        var mode = plan.Mode == PipelineMode.Sequential ? "sequential"
            : plan.Adaptive is not null ? "concurrent auto"
            : string.Create(CultureInfo.InvariantCulture, $"concurrent x{plan.Consumers}");
        var stop = new CancellationTokenSource();
        lock (_gate)
        {
            _stop = stop;
        }

        _ = RenderAsync(mode, counters, total, InputEstimate.For(plan.Sources, timeProvider), timeProvider.GetTimestamp(), stop.Token);
    }

    public void OnRunCompleted(RunSummary summary)
    {
        lock (_gate)
        {
            _stop?.Cancel();
            _stop?.Dispose();
            _stop = null;
            ClearLine();
        }
    }

    public void Dispose() => OnRunCompleted(null!);

    /// <summary>Writes whole lines above the live progress line, which the next tick redraws.</summary>
    /// <param name="text">The lines, each ending with a newline.</param>
    public void WriteAbove(string text)
    {
        lock (_gate)
        {
            ClearLine();
            output.Error.Write(text);
            output.Error.Flush();
        }
    }

    private async Task RenderAsync(string mode, RunCounters counters, long? total, InputEstimate? input, long started, CancellationToken cancellationToken)
    {
        var interval = output.IsInteractive ? LiveRefresh : _options.Value.ProgressInterval;
        using var timer = new PeriodicTimer(interval, timeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                var elapsed = timeProvider.GetElapsedTime(started);
                var (share, left) = input?.Sample() ?? (null, null);
                var read = InputEstimate.Describe(share, left);

                // Adaptive concurrency: the number of consumers allowed now, beside the mode.
                var label = counters.ConcurrencyLimit is > 0 and var limit ? string.Create(CultureInfo.InvariantCulture, $"{mode}, limit {limit}") : mode;
                lock (_gate)
                {
                    if (cancellationToken.IsCancellationRequested)
                    {
                        return;
                    }

                    if (output.IsInteractive)
                    {
                        output.Error.Write(LiveLine(label, counters, total, share, read, elapsed, output.Width));
                        output.Error.Flush();
                        _lineShown = true;
                    }
                    else
                    {
                        systemd.Status(string.Create(CultureInfo.InvariantCulture, $"{label}: {counters.Completed} done, {counters.InFlight} in flight, {counters.QueueDepth} queued"));
                        var ofTotal = total is { } t ? string.Create(CultureInfo.InvariantCulture, $"/{t}") : string.Empty;
                        Log.Progress(logger, label, counters.Completed, ofTotal, counters.InFlight, counters.QueueDepth, counters.Succeeded, counters.Completed - counters.Succeeded, Rate(counters, elapsed), read.Length == 0 ? string.Empty : "; " + read);
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The run ended.
        }
    }

    /// <summary>Renders the live line: a bar when the end is known (a count, or the share of the files read), the counters, the input's finish line.</summary>
    internal static string LiveLine(string mode, RunCounters counters, long? total, double? share, string read, TimeSpan elapsed, int width)
    {
        var done = counters.Completed;
        var bar = string.Empty;
        var count = done.ToString(CultureInfo.InvariantCulture);
        if (total is > 0 and var t)
        {
            bar = Bar((double)done / t);
            count += "/" + t.ToString(CultureInfo.InvariantCulture);
        }
        else if (share is { } part)
        {
            bar = Bar(part);
        }

        if (read.Length > 0)
        {
            read = "  " + read;
        }

        var line = string.Create(
            CultureInfo.InvariantCulture,
            $"  {mode,-15} {bar}{count}{read}  in flight {counters.InFlight}  queued {counters.QueueDepth}  ok {counters.Succeeded}  not ok {done - counters.Succeeded}  {Rate(counters, elapsed):0.0} fetches/s  {elapsed.TotalSeconds:0.0} s");
        // Never as wide as the terminal: a line that wraps cannot be redrawn in place by "\r".
        var room = Math.Max(20, width - 1);
        return "\r" + (line.Length > room ? line[..room] : line.PadRight(room));
    }

    private static string Bar(double share)
    {
        var filled = (int)Math.Clamp(share * BarWidth, 0, BarWidth);
        return "[" + new string('#', filled) + new string('.', BarWidth - filled) + "] ";
    }

    // Fetches, not lines: invalid and repeated lines settle at once and would flatter the rate.
    private static double Rate(RunCounters counters, TimeSpan elapsed)
        => elapsed > TimeSpan.Zero ? counters.Fetched / elapsed.TotalSeconds : 0;

    private void ClearLine()
    {
        if (_lineShown)
        {
            output.Error.Write("\r" + new string(' ', Math.Max(20, output.Width - 1)) + "\r");
            output.Error.Flush();
            _lineShown = false;
        }
    }
}
