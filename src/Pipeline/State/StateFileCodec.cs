using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Pipeline.State;

/// <summary>
/// The on-disk form of the state files: <c>checkpoints.json</c> is <c>{"version":1,"checksum":…,"state":{…}}</c>
/// with a SHA-256 of the state's exact bytes; each line of <c>pending.jsonl</c> carries its own version
/// and a short checksum, so a damaged file is named with what is wrong, never half-read.
/// </summary>
internal static class StateFileCodec
{
    /// <summary>The format this build writes and reads.</summary>
    public const int Version = 1;

    // `,"sum":"` + 16 hex digits + `"}`.
    private const int LineSumSuffix = 26;

    private static readonly JsonSerializerOptions Options = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase, WriteIndented = true };
    private static readonly JsonSerializerOptions LineOptions = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public static byte[] EncodeCheckpoints(SavedBatch batch)
    {
        var state = JsonSerializer.SerializeToUtf8Bytes(batch, Options);
        var head = Encoding.UTF8.GetBytes($"{{\"version\":{Version},\"checksum\":\"{Convert.ToHexStringLower(SHA256.HashData(state))}\",\"state\":");
        return [.. head, .. state, .. "}\n"u8];
    }

    public static SavedBatch DecodeCheckpoints(string path, byte[] content)
    {
        if (content.Length == 0)
        {
            throw Damaged(path, "the file is empty (a write was cut short)");
        }

        try
        {
            using var document = JsonDocument.Parse(content);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("version", out var version) || !version.TryGetInt32(out var number))
            {
                throw Damaged(path, "it has no format version");
            }

            if (number != Version)
            {
                throw Damaged(path, $"it is format version {number}; this build reads version {Version}");
            }

            if (!root.TryGetProperty("checksum", out var checksum) || !root.TryGetProperty("state", out var state))
            {
                throw Damaged(path, "it has no checksum or no state");
            }

            var raw = Encoding.UTF8.GetBytes(state.GetRawText());
            if (!string.Equals(checksum.GetString(), Convert.ToHexStringLower(SHA256.HashData(raw)), StringComparison.Ordinal))
            {
                throw Damaged(path, "its checksum does not match its content");
            }

            return state.Deserialize<SavedBatch>(Options) is { Batch: not null, Checkpoints: not null, PendingChecksum: not null } batch
                ? batch
                : throw Damaged(path, "its state is incomplete");
        }
        catch (JsonException ex)
        {
            throw Damaged(path, $"it is not valid JSON (line {(ex.LineNumber ?? 0) + 1}, byte {(ex.BytePositionInLine ?? 0) + 1}): cut short or overwritten");
        }
    }

    public static byte[] EncodeLine(PendingEntry entry)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(new LineBody(Version, entry.Source, entry.Line, entry.Text, entry.Error, entry.DuplicateOf), LineOptions);
        var sum = Encoding.ASCII.GetBytes($",\"sum\":\"{LineSum(body)}\"}}\n");
        return [.. body.AsSpan(0, body.Length - 1), .. sum];
    }

    public static PendingEntry DecodeLine(string path, long number, string line)
    {
        if (line.Length < LineSumSuffix + 2 || !line.EndsWith("\"}", StringComparison.Ordinal) || !line.AsSpan(line.Length - LineSumSuffix).StartsWith(",\"sum\":\"", StringComparison.Ordinal))
        {
            throw Damaged(path, $"line {number} is cut short or has no checksum");
        }

        var body = Encoding.UTF8.GetBytes(string.Concat(line.AsSpan(0, line.Length - LineSumSuffix), "}"));
        if (!line.AsSpan(line.Length - 18, 16).SequenceEqual(LineSum(body)))
        {
            throw Damaged(path, $"line {number} does not match its checksum");
        }

        try
        {
            var value = JsonSerializer.Deserialize<LineBody>(body, LineOptions);
            if (value is null || value.V != Version || value.Source is null || value.Text is null)
            {
                throw Damaged(path, $"line {number} is not a version {Version} entry");
            }

            return new PendingEntry(value.Source, value.Line, value.Text, value.Error, value.DuplicateOf);
        }
        catch (JsonException)
        {
            throw Damaged(path, $"line {number} is not valid JSON");
        }
    }

    public static string FileSum(IEnumerable<byte[]> lines)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var line in lines)
        {
            hash.AppendData(line);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    public static BatchStateException Damaged(string path, string problem) => new(path, $"{path} is damaged: {problem}. {WayOut}") { Problem = BatchStateProblem.Damaged };

    /// <summary>Gets the way out every refusal names.</summary>
    public static string WayOut => "Run the same command with --fresh (Pipeline:Fresh=true) to move the state aside (it is kept, not deleted) and start the batch from the beginning";

    private static string LineSum(byte[] body) => Convert.ToHexStringLower(SHA256.HashData(body).AsSpan(0, 8));

    private sealed record LineBody(int V, string Source, long Line, string Text, string? Error, string? DuplicateOf);
}
