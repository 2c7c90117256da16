using Pipeline.State;

namespace Pipeline.RabbitMq.Tests;

/// <summary>The producer's one state file: what is written is read back, and anything else is refused with the file's name.</summary>
public sealed class ProducerStateFileTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("pipeline-producer-state-").FullName;

    private static ProducerState Sample => new("b1", 42, [new Checkpoint("/tmp/urls.txt", "10:20", 42, 45, false)]);

    [Fact]
    public async Task SaveAsync_ThenLoadAsync_ReadsBackBatchCountAndPositions()
    {
        await ProducerStateFile.SaveAsync(_directory, Sample, CancellationToken.None);

        var loaded = await ProducerStateFile.LoadAsync(_directory, CancellationToken.None);

        Assert.NotNull(loaded);
        Assert.Equal(("b1", 42L), (loaded.Batch, loaded.Published));
        Assert.Equal(Sample.Sources, loaded.Sources);
        Assert.False(File.Exists(ProducerStateFile.PathIn(_directory) + ".tmp"));
    }

    [Theory]
    [InlineData("cut")]
    [InlineData("edited")]
    [InlineData("empty")]
    public async Task LoadAsync_DamagedFile_RefusesNamingTheFile(string damage)
    {
        var content = ProducerStateFile.Encode(Sample);
        var path = ProducerStateFile.PathIn(_directory);
        await File.WriteAllBytesAsync(path, damage switch
        {
            "cut" => content[..(content.Length / 2)],
            "edited" => System.Text.Encoding.UTF8.GetBytes(System.Text.Encoding.UTF8.GetString(content).Replace("\"published\":42", "\"published\":43", StringComparison.Ordinal)),
            _ => [],
        });

        var refused = await Assert.ThrowsAsync<BatchStateException>(() => ProducerStateFile.LoadAsync(_directory, CancellationToken.None));

        Assert.Equal(BatchStateProblem.Damaged, refused.Problem);
        Assert.StartsWith($"{path} is damaged: ", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Clear_AfterSave_LeavesNoState()
    {
        await ProducerStateFile.SaveAsync(_directory, Sample, CancellationToken.None);

        ProducerStateFile.Clear(_directory);

        Assert.Null(await ProducerStateFile.LoadAsync(_directory, CancellationToken.None));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
