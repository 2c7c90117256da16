using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Pipeline.State;

namespace Pipeline.RabbitMq;

/// <summary>
/// The producer's one state file, <c>producer.json</c>: <c>{"version":1,"checksum":…,"state":{…}}</c> with a
/// SHA-256 of the state's exact bytes, replaced atomically (temp file, fsync, rename, folder fsync).
/// </summary>
/// <remarks>
/// A producer of an earlier build kept the batch id in <c>batch.json</c> and the positions in the run
/// state's <c>checkpoints.json</c>, two writes a crash could split; such state is still read once and
/// replaced by this file at the next save.
/// </remarks>
internal static class ProducerStateFile
{
    /// <summary>The file's name in the producer's state folder.</summary>
    public const string FileName = "producer.json";

    private const int Version = 1;
    private const string LegacyFileName = "batch.json";

    /// <summary>Gets the state file of a state folder.</summary>
    public static string PathIn(string directory) => Path.Combine(directory, FileName);

    /// <summary>Reads the saved state, checking it.</summary>
    /// <returns>The state, or <see langword="null"/> when none was saved.</returns>
    /// <exception cref="BatchStateException">The file is damaged; the message names it and the way out.</exception>
    public static async Task<ProducerState?> LoadAsync(string directory, CancellationToken cancellationToken)
    {
        var path = PathIn(directory);
        return File.Exists(path)
            ? Decode(path, await File.ReadAllBytesAsync(path, cancellationToken))
            : await LoadLegacyAsync(directory, cancellationToken);
    }

    /// <summary>Replaces the state file atomically.</summary>
    public static async Task SaveAsync(string directory, ProducerState state, CancellationToken cancellationToken)
    {
        await DurableFile.WriteAtomicAsync(PathIn(directory), Encode(state), cancellationToken);
        DeleteLegacy(directory);
    }

    /// <summary>Forgets the batch: its end was confirmed by the broker.</summary>
    public static void Clear(string directory)
    {
        if (!Directory.Exists(directory))
        {
            return;
        }

        File.Delete(PathIn(directory));
        DeleteLegacy(directory);
        DurableFile.SyncDirectory(directory);
    }

    /// <summary>Encodes the state as written to the file.</summary>
    public static byte[] Encode(ProducerState state)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(state, ProducerStateJsonContext.Default.ProducerState);
        var head = Encoding.UTF8.GetBytes($"{{\"version\":{Version},\"checksum\":\"{Convert.ToHexStringLower(SHA256.HashData(body))}\",\"state\":");
        return [.. head, .. body, .. "}\n"u8];
    }

    /// <summary>Decodes and checks the file's content.</summary>
    /// <exception cref="BatchStateException">It is cut short, edited or of another format.</exception>
    public static ProducerState Decode(string path, byte[] content)
    {
        try
        {
            using var document = JsonDocument.Parse(content);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("version", out var version) || !version.TryGetInt32(out var number) || number != Version)
            {
                throw Damaged(path, $"it is not format version {Version}");
            }

            if (!root.TryGetProperty("checksum", out var checksum) || !root.TryGetProperty("state", out var state)
                || !string.Equals(checksum.GetString(), Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(state.GetRawText()))), StringComparison.Ordinal))
            {
                throw Damaged(path, "its checksum does not match its content");
            }

            return state.Deserialize(ProducerStateJsonContext.Default.ProducerState) is { Batch.Length: > 0, Sources: not null } saved
                ? saved
                : throw Damaged(path, "its state is incomplete");
        }
        catch (JsonException ex)
        {
            throw Damaged(path, $"it is not valid JSON ({ex.Message})");
        }
    }

    private static BatchStateException Damaged(string path, string problem) => new(
        path,
        $"{path} is damaged: {problem}. Move it aside to publish the sources as a new batch (the lines already published under the old batch are then fetched but never announced, so no collector completes that batch)")
    {
        Problem = BatchStateProblem.Damaged,
    };

    private static async Task<ProducerState?> LoadLegacyAsync(string directory, CancellationToken cancellationToken)
    {
        var legacy = Path.Combine(directory, LegacyFileName);
        var store = new RunStateStore(directory);
        if (!File.Exists(legacy) || !store.Exists || await store.LoadAsync(cancellationToken) is not var (saved, _))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(await File.ReadAllBytesAsync(legacy, cancellationToken));
            var batch = document.RootElement.GetProperty("batch").GetString();
            return string.IsNullOrEmpty(batch) ? throw Damaged(legacy, "it names no batch") : new ProducerState(batch, document.RootElement.GetProperty("published").GetInt64(), saved.Checkpoints);
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw Damaged(legacy, ex.Message);
        }
    }

    private static void DeleteLegacy(string directory)
    {
        var legacy = Path.Combine(directory, LegacyFileName);
        if (File.Exists(legacy))
        {
            // The positions first: batch.json without them is ignored, the other way round is not.
            new RunStateStore(directory).Clear();
            File.Delete(legacy);
        }
    }
}
