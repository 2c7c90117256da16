using System.Buffers;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Pipeline.Fetching;
using Pipeline.State;
using Pipeline.Telemetry;

namespace Pipeline.Sinks;

/// <summary>Writes one JSON object per line: easy to <c>tail -f</c>, <c>grep</c> and <c>jq</c>.</summary>
/// <remarks>
/// Lines are serialised into a buffer of the sink's own and handed to the stream in chunks of
/// about 32 KiB, and on every <see cref="FlushAsync"/>: one stream write per hundred-odd results
/// instead of two per result.
/// </remarks>
public sealed class JsonLinesResultSink : IResultSink, IAsyncDisposable
{
    private const int ChunkSize = 32 * 1024;

    // Far beyond any real file: a byte-range lock there keeps a second writer out without stopping
    // anyone from reading the file (`tail -f`, `jq`) while it is written.
    private const long OutputLockOffset = 1L << 62;

    private readonly Stream _stream;
    private readonly ArrayBufferWriter<byte> _buffer = new(ChunkSize + (4 * 1024));
    private readonly Utf8JsonWriter _writer;
    private readonly bool _fsync;
    private string? _source;
    private JsonEncodedText _encodedSource;

    /// <summary>Initializes a new instance of the <see cref="JsonLinesResultSink"/> class writing to a stream.</summary>
    /// <param name="stream">The stream; the sink owns and disposes it.</param>
    /// <param name="fsync">Whether <see cref="FlushAsync"/> also makes a <see cref="FileStream"/>'s data durable (fsync); off only to measure what that costs.</param>
    public JsonLinesResultSink(Stream stream, bool fsync = true)
    {
        _stream = stream;
        _fsync = fsync;
        _writer = new Utf8JsonWriter(_buffer, new JsonWriterOptions { SkipValidation = true });
    }

    /// <summary>Gets the length of the file up to the last flush: every record before it is whole and on the disk.</summary>
    public long FlushedLength { get; private set; }

    /// <summary>Gets what was done to a partial last line found when the file was opened for appending.</summary>
    public TailRepair TailRepair { get; private init; }

    /// <summary>Creates (or truncates, or appends to) a results file, creating its folder if needed.</summary>
    /// <param name="path">The file path.</param>
    /// <param name="append">Whether to append (a resumed batch, a collector) rather than start a new file.</param>
    /// <param name="logger">Where to say that a partial last line was repaired before appending, or <see langword="null"/>.</param>
    /// <returns>The sink.</returns>
    /// <remarks>
    /// Appending first cuts off a partial last line, which only a write cut short by a crash leaves:
    /// such a record was never acknowledged, so its item is fetched or delivered again.
    /// </remarks>
    public static JsonLinesResultSink Create(string path, bool append = false, ILogger? logger = null)
    {
        var stream = Open(path, append ? FileMode.OpenOrCreate : FileMode.Create);
        var repair = append ? DurableFile.RepairTail(stream, TailRepairMode.Trim) : TailRepair.None;
        if (repair.Action != TailRepairAction.None && logger is not null)
        {
            Log.PartialLineRepaired(logger, path, repair.Bytes, repair.Action == TailRepairAction.Trimmed ? "cut off" : "ended");
        }

        stream.Seek(0, SeekOrigin.End);
        return new JsonLinesResultSink(stream) { TailRepair = repair, FlushedLength = stream.Length };
    }

    /// <summary>Opens the results file of a batch that keeps state: exclusively, and cut back to the length its last checkpoint recorded.</summary>
    /// <param name="path">The file path.</param>
    /// <param name="resumeAt">The length recorded by the checkpoint being resumed, or <see langword="null"/> for a new batch (the file starts empty).</param>
    /// <param name="logger">Where to say what was cut off.</param>
    /// <returns>The sink.</returns>
    /// <exception cref="BatchStateException">Another process writes the file, or it is shorter than the checkpoint says.</exception>
    /// <remarks>
    /// What was written after the checkpoint belongs to lines the checkpoint still counts as pending or
    /// unread; they are settled again, so cutting keeps exactly one record per line.
    /// </remarks>
    public static JsonLinesResultSink OpenForBatch(string path, long? resumeAt, ILogger? logger = null)
    {
        var stream = Open(path, FileMode.OpenOrCreate);
        try
        {
            LockExclusively(stream, path);
            var length = stream.Length;
            var keep = resumeAt ?? 0;
            if (keep > length)
            {
                throw new BatchStateException(path, $"{Path.GetFullPath(path)} is {length} bytes long but the saved checkpoint recorded {keep}: it was replaced or cut since the batch stopped. Move it back, or run with --fresh (Pipeline:Fresh=true) to start the batch again.") { Problem = BatchStateProblem.Damaged };
            }

            if (keep < length)
            {
                stream.SetLength(keep);
                stream.Flush(flushToDisk: true);
                if (resumeAt is not null && logger is not null)
                {
                    Log.ResultsCutBack(logger, path, length - keep, keep);
                }
            }

            stream.Seek(0, SeekOrigin.End);
            return new JsonLinesResultSink(stream) { FlushedLength = keep };
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    private static FileStream Open(string path, FileMode mode)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        return new FileStream(path, new FileStreamOptions
        {
            Mode = mode,
            Access = mode == FileMode.Create ? FileAccess.Write : FileAccess.ReadWrite,
            Share = FileShare.Read,
            // The sink writes in chunks of its own: a second buffer would only copy them.
            BufferSize = 0,
            Options = FileOptions.Asynchronous,
        });
    }

    private static void LockExclusively(FileStream stream, string path)
    {
        if (OperatingSystem.IsMacOS() || OperatingSystem.IsIOS() || OperatingSystem.IsTvOS())
        {
            // FileStream.Lock is not supported there; the state folder's lock still holds.
            return;
        }

        try
        {
            stream.Lock(OutputLockOffset, 1);
        }
        catch (IOException)
        {
            throw new StateLockedException(Path.GetFullPath(path), null, null);
        }
    }

    /// <inheritdoc />
    public ValueTask WriteAsync(FetchResult result, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (!ReferenceEquals(result.Source, _source))
        {
            _source = result.Source;
            _encodedSource = JsonEncodedText.Encode(result.Source);
        }

        ResultRecord.Write(_writer, result, _encodedSource);
        _writer.Flush();
        _writer.Reset();
        _buffer.GetSpan(1)[0] = (byte)'\n';
        _buffer.Advance(1);
        return _buffer.WrittenCount >= ChunkSize ? WriteBufferedAsync(cancellationToken) : ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    /// <remarks>Flushed <em>and</em> fsync'd: a source may forget an item (a broker ack, a checkpoint) once this returns.</remarks>
    public async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        await WriteBufferedAsync(cancellationToken);
        if (_stream is FileStream file)
        {
            file.Flush(flushToDisk: _fsync);
            FlushedLength = file.Position;
        }
        else
        {
            await _stream.FlushAsync(cancellationToken);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        try
        {
            await WriteBufferedAsync(CancellationToken.None);
        }
        finally
        {
            await _writer.DisposeAsync();
            await _stream.DisposeAsync();
        }
    }

    private async ValueTask WriteBufferedAsync(CancellationToken cancellationToken)
    {
        if (_buffer.WrittenCount == 0)
        {
            return;
        }

        await _stream.WriteAsync(_buffer.WrittenMemory, cancellationToken);
        _buffer.ResetWrittenCount();
    }
}
