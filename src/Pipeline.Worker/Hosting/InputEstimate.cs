using System.Globalization;
using Pipeline.Sources;

namespace Pipeline.Worker.Hosting;

/// <summary>
/// The finish line of a run over files: the share of the input read (bytes; of a <c>.gz</c> file, the
/// compressed bytes) and the time left at the current rate, measured over the last
/// <see cref="Window"/> so that a slow start or a resume's fast skip stops counting soon.
/// </summary>
/// <remarks>
/// The producers read ahead of the fetches by at most the work channel's capacity, so "read" is a
/// little ahead of "done": at 100 % the last channel-full is still being fetched.
/// </remarks>
internal sealed class InputEstimate
{
    /// <summary>How far back the rate is measured.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(10);

    private readonly IReadOnlyList<IReadProgress> _inputs;
    private readonly TimeProvider _timeProvider;
    private readonly Queue<(long Timestamp, long Bytes)> _samples = new();

    private InputEstimate(IReadOnlyList<IReadProgress> inputs, TimeProvider timeProvider)
    {
        _inputs = inputs;
        _timeProvider = timeProvider;
    }

    /// <summary>Creates the estimate of a run's sources, or <see langword="null"/> when none is a file.</summary>
    /// <param name="sources">The run's sources.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <returns>The estimate, or <see langword="null"/>.</returns>
    public static InputEstimate? For(IEnumerable<IUrlSource> sources, TimeProvider timeProvider)
    {
        List<IReadProgress> inputs = [.. sources.OfType<IReadProgress>()];
        return inputs.Count == 0 ? null : new InputEstimate(inputs, timeProvider);
    }

    /// <summary>Takes a sample now and estimates.</summary>
    /// <returns>The share read (0 to 1) and the time left, each <see langword="null"/> when not known yet.</returns>
    public (double? Share, TimeSpan? Left) Sample()
    {
        long read = 0;
        long total = 0;
        foreach (var input in _inputs)
        {
            if (input.TotalBytes is not { } size)
            {
                return (null, null); // A file not opened yet: its size is not known.
            }

            total += size;
            read += Math.Min(input.BytesRead, size);
        }

        if (total == 0)
        {
            return (1, TimeSpan.Zero);
        }

        var now = _timeProvider.GetTimestamp();
        _samples.Enqueue((now, read));
        while (_samples.Count > 2 && _timeProvider.GetElapsedTime(_samples.Peek().Timestamp, now) > Window)
        {
            _samples.Dequeue();
        }

        var share = (double)read / total;
        var (since, then) = _samples.Peek();
        var elapsed = _timeProvider.GetElapsedTime(since, now);
        if (read >= total)
        {
            return (1, TimeSpan.Zero);
        }

        if (elapsed <= TimeSpan.Zero || read <= then)
        {
            return (share, null);
        }

        var rate = (read - then) / elapsed.TotalSeconds;
        return (share, TimeSpan.FromSeconds(Math.Min((total - read) / rate, TimeSpan.MaxValue.TotalSeconds / 2)));
    }

    /// <summary>Describes an estimate for a progress line: <c>input 42% read, 1m23s left</c>.</summary>
    /// <param name="share">The share read.</param>
    /// <param name="left">The time left.</param>
    /// <returns>The text, or an empty string when nothing is known.</returns>
    public static string Describe(double? share, TimeSpan? left) => share switch
    {
        null => string.Empty,
        >= 1 => "input read",
        { } s when left is { } l => string.Create(CultureInfo.InvariantCulture, $"input {Math.Floor(s * 100):0}% read, {Duration(l)} left"),
        { } s => string.Create(CultureInfo.InvariantCulture, $"input {Math.Floor(s * 100):0}% read"),
    };

    // 45s, 3m05s, 2h07m: whole seconds are enough for a finish line.
    private static string Duration(TimeSpan value)
    {
        var seconds = (long)Math.Ceiling(value.TotalSeconds);
        return seconds switch
        {
            < 60 => string.Create(CultureInfo.InvariantCulture, $"{seconds}s"),
            < 3600 => string.Create(CultureInfo.InvariantCulture, $"{seconds / 60}m{seconds % 60:00}s"),
            _ => string.Create(CultureInfo.InvariantCulture, $"{seconds / 3600}h{seconds / 60 % 60:00}m"),
        };
    }
}
