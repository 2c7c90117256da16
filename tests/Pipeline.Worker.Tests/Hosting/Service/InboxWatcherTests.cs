using Pipeline.Worker.Hosting.Service;

namespace Pipeline.Worker.Tests.Hosting.Service;

public sealed class InboxWatcherTests : IDisposable
{
    private readonly string _inbox = Directory.CreateTempSubdirectory("pipeline-inbox-").FullName;

    public void Dispose() => Directory.Delete(_inbox, recursive: true);

    [Fact]
    public void Poll_FileStillGrowing_IsNotReadyUntilUnchangedAcrossTwoPolls()
    {
        var watcher = new InboxWatcher(_inbox);
        var path = Path.Combine(_inbox, "urls.txt");
        File.WriteAllText(path, "http://127.0.0.1/1\n");

        var first = watcher.Poll();
        File.AppendAllText(path, "http://127.0.0.1/2\n");
        var whileGrowing = watcher.Poll();
        var once = watcher.Poll();

        Assert.Empty(first);
        Assert.Empty(whileGrowing);
        Assert.Equal([path], once);
        Assert.True(watcher.IsUnchanged(path));
    }

    [Fact]
    public void IsUnchanged_FileWrittenAfterThePoll_IsFalse()
    {
        var watcher = new InboxWatcher(_inbox);
        var path = Path.Combine(_inbox, "urls.txt");
        File.WriteAllText(path, "http://127.0.0.1/1\n");
        watcher.Poll();
        watcher.Poll();

        File.AppendAllText(path, "http://127.0.0.1/2\n");

        Assert.False(watcher.IsUnchanged(path));
    }

    [Fact]
    public void Poll_PartFileAndOtherExtensions_AreNeverReady()
    {
        var watcher = new InboxWatcher(_inbox);
        File.WriteAllText(Path.Combine(_inbox, "urls.txt.part"), "http://127.0.0.1/1\n");
        File.WriteAllText(Path.Combine(_inbox, "urls.txt.failed"), "http://127.0.0.1/1\n");
        File.WriteAllText(Path.Combine(_inbox, "notes.md"), "x");

        watcher.Poll();

        Assert.Empty(watcher.Poll());
    }

    [Fact]
    public void Poll_SeveralReadyFiles_ReturnsThemInNameOrder()
    {
        var watcher = new InboxWatcher(_inbox);
        foreach (var name in new[] { "c.txt", "a.txt", "b.txt" })
        {
            File.WriteAllText(Path.Combine(_inbox, name), "http://127.0.0.1/1\n");
        }

        watcher.Poll();

        Assert.Equal(["a.txt", "b.txt", "c.txt"], watcher.Poll().Select(Path.GetFileName));
    }

    [Fact]
    public void Poll_UpperCaseExtension_IsReadyByDefault()
    {
        var watcher = new InboxWatcher(_inbox);
        var path = Path.Combine(_inbox, "URLS.TXT");
        File.WriteAllText(path, "http://127.0.0.1/1\n");

        watcher.Poll();

        Assert.Equal([path], watcher.Poll());
    }

    [Fact]
    public void Poll_ConfiguredPattern_TakesThoseFilesAndCaseSensitivityIsOptional()
    {
        File.WriteAllText(Path.Combine(_inbox, "a.csv"), "http://127.0.0.1/1\n");
        File.WriteAllText(Path.Combine(_inbox, "B.CSV"), "http://127.0.0.1/1\n");
        var insensitive = new InboxWatcher(_inbox, "*.csv");
        var sensitive = new InboxWatcher(_inbox, "*.csv", caseSensitive: true);

        insensitive.Poll();
        sensitive.Poll();

        Assert.Equal(["B.CSV", "a.csv"], insensitive.Poll().Select(Path.GetFileName));
        Assert.Equal(["a.csv"], sensitive.Poll().Select(Path.GetFileName));
    }

    [Fact]
    public void Poll_FileNotMatchingThePattern_IsLoggedOnceButPartAndFailedFilesAreNot()
    {
        using var logs = new LogCapture();
        var watcher = new InboxWatcher(_inbox, logger: logs.CreateLogger("test"));
        File.WriteAllText(Path.Combine(_inbox, "urls.csv"), "x");
        File.WriteAllText(Path.Combine(_inbox, "urls.txt.part"), "x");
        File.WriteAllText(Path.Combine(_inbox, "old.txt.failed"), "x");
        File.WriteAllText(Path.Combine(_inbox, "old.txt.failed.reason"), "x");

        watcher.Poll();
        watcher.Poll();
        watcher.Poll();

        Assert.Equal(["Inbox file urls.csv does not match the pattern *.txt: ignored (rename it to run it)"], logs.Messages);
    }

    [Fact]
    public void Poll_SkippedFile_IsNotReadyAgainUntilItChanges()
    {
        var watcher = new InboxWatcher(_inbox);
        var path = Path.Combine(_inbox, "urls.txt");
        File.WriteAllText(path, "http://127.0.0.1/1\n");
        watcher.Poll();
        Assert.Equal([path], watcher.Poll());

        watcher.Skip(path);
        var whileSkipped = watcher.Poll();
        File.AppendAllText(path, "http://127.0.0.1/2\n");
        watcher.Poll();

        Assert.Empty(whileSkipped);
        Assert.Equal([path], watcher.Poll());
    }
}
