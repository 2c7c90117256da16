using System.Buffers;
using System.Text.Json;
using Pipeline.State;

namespace Pipeline.RabbitMq;

/// <summary>
/// The collector's durable bookkeeping: how long the results file is, each batch's announced size and
/// results written, and which lines of each source already have a result.
/// </summary>
/// <remarks>
/// Saved after the results it counts are fsync'd and before their messages are acked, so after a crash
/// at any point the file cut back to <see cref="ResultsLength"/> and this ledger agree, and every
/// message the broker delivers again is either counted here (dropped) or not in the file (written).
/// </remarks>
internal sealed class CollectorLedger
{
    public const string FileName = "ledger.json";
    private const int Version = 1;
    private readonly ArrayBufferWriter<byte> _buffer = new(4096);

    private CollectorLedger(string path, string output)
    {
        Path = path;
        Output = output;
    }

    /// <summary>Gets the ledger file.</summary>
    public string Path { get; }

    /// <summary>Gets the results file the ledger counts (full path).</summary>
    public string Output { get; }

    /// <summary>Gets or sets the length of the results file that the ledger accounts for.</summary>
    public long ResultsLength { get; set; }

    /// <summary>Gets the batches seen, by id.</summary>
    public Dictionary<string, LedgerBatch> Batches { get; } = new(StringComparer.Ordinal);

    /// <summary>Gets a value indicating whether no ledger was saved before (a first collector in this state folder).</summary>
    public bool IsNew { get; private init; }

    /// <summary>Gets a value indicating whether something changed since the last save.</summary>
    public bool Dirty { get; private set; }

    /// <summary>Loads the ledger of a state folder, or starts an empty one for the output.</summary>
    /// <exception cref="BatchStateException">The ledger is damaged, or counts another results file.</exception>
    public static async Task<CollectorLedger> LoadAsync(string directory, string output, CancellationToken cancellationToken)
    {
        var path = System.IO.Path.Combine(directory, FileName);
        var full = System.IO.Path.GetFullPath(output);
        if (!File.Exists(path))
        {
            return new CollectorLedger(path, full) { IsNew = true };
        }

        var content = await File.ReadAllBytesAsync(path, cancellationToken);
        CollectorLedger ledger;
        try
        {
            using var document = JsonDocument.Parse(content);
            var root = document.RootElement;
            if (root.GetProperty("version").GetInt32() != Version)
            {
                throw new BatchStateException(path, $"{path} has format version {root.GetProperty("version")}, this collector reads {Version}.") { Problem = BatchStateProblem.Damaged };
            }

            ledger = new CollectorLedger(path, root.GetProperty("output").GetString() ?? string.Empty) { ResultsLength = root.GetProperty("resultsLength").GetInt64() };
            foreach (var batch in root.GetProperty("batches").EnumerateObject())
            {
                var entry = new LedgerBatch
                {
                    Expected = batch.Value.GetProperty("expected").ValueKind == JsonValueKind.Null ? null : batch.Value.GetProperty("expected").GetInt64(),
                    Received = batch.Value.GetProperty("received").GetInt64(),
                };
                foreach (var source in batch.Value.GetProperty("sources").EnumerateObject())
                {
                    entry.Sources[source.Name] = new LineBitmap(source.Value.GetBytesFromBase64());
                }

                foreach (var id in batch.Value.GetProperty("others").EnumerateArray())
                {
                    entry.Others.Add(id.GetString() ?? string.Empty);
                }

                ledger.Batches[batch.Name] = entry;
            }
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new BatchStateException(path, $"{path} is damaged: {ex.Message}. Move it aside to collect from scratch (results already in the file are then counted again).") { Problem = BatchStateProblem.Damaged };
        }

        if (!string.Equals(ledger.Output, full, StringComparison.Ordinal))
        {
            throw new BatchStateException(path, $"{path} counts the results in {ledger.Output}, not {full}: collect into that file, or use another state folder (Pipeline:StateDirectory) for this one.") { Problem = BatchStateProblem.OtherBatch };
        }

        return ledger;
    }

    /// <summary>Records a result by its message id; false when the message already has a result.</summary>
    public bool TryAdd(string batch, string messageId)
    {
        var entry = BatchEntry(batch);
        if (entry.Complete)
        {
            return false;
        }

        // "<batch>/<source>:<line>": the source may hold ':' itself (a Windows path), the line cannot.
        var slash = messageId.IndexOf('/', StringComparison.Ordinal);
        var colon = messageId.LastIndexOf(':');
        bool added;
        if (slash >= 0 && colon > slash && long.TryParse(messageId.AsSpan(colon + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var line))
        {
            var source = messageId[(slash + 1)..colon];
            if (!entry.Sources.TryGetValue(source, out var bitmap))
            {
                entry.Sources[source] = bitmap = new LineBitmap();
            }

            added = bitmap.Add(line);
        }
        else
        {
            added = entry.Others.Add(messageId);
        }

        if (added)
        {
            entry.Received++;
            Dirty = true;
            Settle(entry);
        }

        return added;
    }

    /// <summary>Records a batch's announced size.</summary>
    public void Announce(string batch, long expected)
    {
        var entry = BatchEntry(batch);
        if (entry.Expected != expected)
        {
            entry.Expected = expected;
            Dirty = true;
            Settle(entry);
        }
    }

    /// <summary>Writes the ledger atomically (temp file, fsync, rename, folder fsync).</summary>
    public async Task SaveAsync(CancellationToken cancellationToken)
    {
        // One buffer for every save: the bitmaps make it megabytes at millions of lines.
        var buffer = _buffer;
        buffer.ResetWrittenCount();
        await using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("version", Version);
            writer.WriteString("output", Output);
            writer.WriteNumber("resultsLength", ResultsLength);
            writer.WriteStartObject("batches");
            foreach (var (id, batch) in Batches)
            {
                writer.WriteStartObject(id);
                if (batch.Expected is { } expected)
                {
                    writer.WriteNumber("expected", expected);
                }
                else
                {
                    writer.WriteNull("expected");
                }

                writer.WriteNumber("received", batch.Received);
                writer.WriteStartObject("sources");
                foreach (var (source, bitmap) in batch.Sources)
                {
                    writer.WriteBase64String(source, bitmap.Bits);
                }

                writer.WriteEndObject();
                writer.WriteStartArray("others");
                foreach (var other in batch.Others)
                {
                    writer.WriteStringValue(other);
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        await DurableFile.WriteAtomicAsync(Path, buffer.WrittenMemory, cancellationToken);
        Dirty = false;
    }

    // A complete batch needs no more bits: any later result of it is a repeat.
    private static void Settle(LedgerBatch entry)
    {
        if (entry.Complete)
        {
            entry.Sources.Clear();
            entry.Others.Clear();
        }
    }

    private LedgerBatch BatchEntry(string batch)
    {
        if (!Batches.TryGetValue(batch, out var entry))
        {
            Batches[batch] = entry = new LedgerBatch();
            Dirty = true;
        }

        return entry;
    }
}
