using Microsoft.Extensions.Logging;
using Pipeline.State;
using Pipeline.Telemetry;

namespace Pipeline.Sinks;

/// <summary>Opening the results file: new, appended to after a torn-tail repair, or resumed at a checkpoint under an exclusive lock.</summary>
public sealed partial class JsonLinesResultSink
{
    /// <summary>Creates (or truncates, or appends to) a results file, creating its folder if needed.</summary>
    /// <param name="path">The file path.</param>
    /// <param name="append">Whether to append (a resumed batch, a collector) rather than start a new file.</param>
    /// <param name="logger">Where to say that a partial last line was repaired before appending, or <see langword="null"/>.</param>
    /// <param name="redactor">How URLs and error texts are written; <see cref="UrlRedactor.Default"/> when <see langword="null"/>.</param>
    /// <returns>The sink.</returns>
    /// <remarks>
    /// Appending first cuts off a partial last line, which only a write cut short by a crash leaves:
    /// such a record was never acknowledged, so its item is fetched or delivered again.
    /// </remarks>
    public static JsonLinesResultSink Create(string path, bool append = false, ILogger? logger = null, UrlRedactor? redactor = null)
    {
        var stream = ResultFileStream.Open(path, append ? FileMode.OpenOrCreate : FileMode.Create);
        var repair = append ? DurableFile.RepairTail(stream, TailRepairMode.Trim) : TailRepair.None;
        if (repair.Action != TailRepairAction.None && logger is not null)
        {
            Log.PartialLineRepaired(logger, path, repair.Bytes, repair.Action == TailRepairAction.Trimmed ? "cut off" : "ended");
        }

        stream.Seek(0, SeekOrigin.End);
        return new JsonLinesResultSink(stream, redactor) { TailRepair = repair, FlushedLength = stream.Length };
    }

    /// <summary>Opens the results file of a batch that keeps state: exclusively, and cut back to the length its last checkpoint recorded.</summary>
    /// <param name="path">The file path.</param>
    /// <param name="resumeAt">The length recorded by the checkpoint being resumed, or <see langword="null"/> for a new batch (the file starts empty).</param>
    /// <param name="logger">Where to say what was cut off.</param>
    /// <param name="redactor">How URLs and error texts are written; <see cref="UrlRedactor.Default"/> when <see langword="null"/>.</param>
    /// <returns>The sink.</returns>
    /// <exception cref="BatchStateException">Another process writes the file, or it is shorter than the checkpoint says.</exception>
    /// <remarks>
    /// What was written after the checkpoint belongs to lines the checkpoint still counts as pending or
    /// unread; they are settled again, so cutting keeps exactly one record per line.
    /// </remarks>
    public static JsonLinesResultSink OpenForBatch(string path, long? resumeAt, ILogger? logger = null, UrlRedactor? redactor = null)
    {
        var stream = ResultFileStream.OpenForBatch(path, resumeAt, logger);
        return new JsonLinesResultSink(stream, redactor) { FlushedLength = stream.Length };
    }
}
