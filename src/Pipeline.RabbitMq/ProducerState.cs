using System.Text.Json;

namespace Pipeline.RabbitMq;

/// <summary>What an interrupted producer must remember besides the source checkpoints: its batch and how much of it is confirmed.</summary>
/// <param name="Batch">The batch id the resumed run keeps.</param>
/// <param name="Published">Messages confirmed so far.</param>
internal sealed record ProducerState(string Batch, long Published)
{
    private const string FileName = "batch.json";

    public static async Task<ProducerState?> LoadAsync(string directory, CancellationToken cancellationToken)
    {
        var path = Path.Combine(directory, FileName);
        if (!File.Exists(path))
        {
            return null;
        }

        await using var stream = File.OpenRead(path);
        return await JsonSerializer.DeserializeAsync(stream, ProducerStateJsonContext.Default.ProducerState, cancellationToken);
    }

    public static async Task SaveAsync(string directory, ProducerState state, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, FileName);

        // Written aside and moved: a crash mid-write leaves the old state, never half a file.
        await File.WriteAllTextAsync(path + ".tmp", JsonSerializer.Serialize(state, ProducerStateJsonContext.Default.ProducerState), cancellationToken);
        File.Move(path + ".tmp", path, overwrite: true);
    }

    public static void Clear(string directory)
    {
        if (Directory.Exists(directory))
        {
            File.Delete(Path.Combine(directory, FileName));
        }
    }
}
