using System.Text.Json;
using Pipeline.DemoOrigin;

namespace Pipeline.Worker.Tests.Deployment;

/// <summary>
/// Each way the README deploys the service, run as the real process with the settings that way
/// ships (the unit's Environment= lines, the image's ENV lines, the development run's working
/// directory): the first batch runs Concurrent with one result per URL, editing the file the README
/// names switches the next batch, and an invalid edit (Compare) keeps the last good settings.
/// </summary>
public sealed class EntryPointSettingsTests : IAsyncLifetime
{
    private readonly string _root = Directory.CreateTempSubdirectory("pipeline-deploy-").FullName;
    private DemoOriginServer _origin = null!;

    public async Task InitializeAsync() => _origin = await DemoOriginServer.StartAsync();

    public async Task DisposeAsync()
    {
        await _origin.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task SystemdUnit_EditOfEtcPipelineAppSettings_SwitchesTheNextBatch()
    {
        var unit = DeploymentFiles.UnitEnvironment("pipeline.service");
        Assert.Equal("pipeline", DeploymentFiles.UnitSetting("pipeline.service", "ConfigurationDirectory"));
        Assert.All(unit.Keys, key => Assert.True(key == "Pipeline__RunMode" || unit[key].StartsWith('/'), $"{key} is not a path or the run mode: the operator's file could not override it"));
        var environment = DeploymentFiles.Rooted(unit, _root);
        var settings = Path.Combine(_root, "etc", "pipeline", "appsettings.json");
        environment["CONFIGURATION_DIRECTORY"] = Path.GetDirectoryName(settings)!;
        var workingDirectory = Path.Combine(_root, "var", "lib", "pipeline");

        await RunAsync(environment, workingDirectory, settings, environment["Pipeline__Service__Inbox"], environment["Pipeline__Service__Outbox"]);
    }

    [Fact]
    public async Task ContainerImage_EditOfTheMountedConfigFile_SwitchesTheNextBatch()
    {
        var image = DeploymentFiles.ImageEnvironment();
        Assert.DoesNotContain(image.Keys, key => key.StartsWith("Pipeline__", StringComparison.Ordinal) && !(key == "Pipeline__RunMode" || image[key].StartsWith('/')));
        var environment = DeploymentFiles.Rooted(image, _root);
        var settings = Path.Combine(environment["CONFIGURATION_DIRECTORY"], "appsettings.json");

        await RunAsync(environment, Path.Combine(_root, "data"), settings, environment["Pipeline__Service__Inbox"], environment["Pipeline__Service__Outbox"]);
    }

    [Fact]
    public async Task DevelopmentRun_EditOfTheWorkingDirectorysAppSettings_SwitchesTheNextBatch()
    {
        // The repository root of `dotnet run --project src/Pipeline.Worker`, with its top-level file.
        var repository = Path.Combine(_root, "repo");
        var settings = Path.Combine(repository, "appsettings.json");
        Directory.CreateDirectory(repository);
        File.Copy(Path.Combine(DeploymentFiles.RepositoryRoot, "appsettings.json"), settings);
        var environment = new Dictionary<string, string>();

        await RunAsync(environment, repository, settings, Path.Combine(repository, "inbox"), Path.Combine(repository, "outbox"), "--Pipeline:RunMode=Service");
    }

    private async Task RunAsync(Dictionary<string, string> environment, string workingDirectory, string settings, string inbox, string outbox, params string[] args)
    {
        Directory.CreateDirectory(workingDirectory);
        Directory.CreateDirectory(Path.GetDirectoryName(settings)!);

        // The operator allows the test origin (loopback, refused by default in service mode) and
        // keeps whatever else the file already says.
        await EditAsync(settings, pipeline => pipeline["Http"] = new Dictionary<string, object?> { ["LoopbackAddresses"] = "Allow" });
        await using var service = WorkerProcess.Start(workingDirectory, environment, ["--Pipeline:Service:PollInterval=00:00:00.100", .. args]);
        var found = await service.WaitForAsync("Settings files in effect");
        Assert.Contains(settings, found, StringComparison.Ordinal);

        await DropAsync(inbox, "a.txt", 3);
        await service.WaitForAsync("Inbox file a.txt done");
        Assert.Contains(service.Lines, l => l.Contains("Batch a.txt ran Concurrent with 10 consumer(s): 3 line(s): 3 succeeded", StringComparison.Ordinal));
        var records = (await File.ReadAllLinesAsync(Path.Combine(outbox, "a.results.jsonl"))).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal([1, 2, 3], records.Select(r => r.GetProperty("line").GetInt32()).Order());

        await EditAsync(settings, pipeline => pipeline["Mode"] = "Sequential");
        await service.WaitForAsync("Configuration changed: Pipeline:Mode (unset) -> Sequential (from the next batch)");
        await DropAsync(inbox, "b.txt", 2);
        await service.WaitForAsync("Inbox file b.txt done");
        Assert.Contains(service.Lines, l => l.Contains("Batch b.txt ran Sequential with 1 consumer(s): 2 line(s): 2 succeeded", StringComparison.Ordinal));

        await EditAsync(settings, pipeline => pipeline["Mode"] = "Compare");
        var rejected = await service.WaitForAsync("Configuration edit ignored");
        Assert.Contains("'Compare' fetches every URL twice and is for batch runs only", rejected, StringComparison.Ordinal);
        await DropAsync(inbox, "c.txt", 1);
        await service.WaitForAsync("Inbox file c.txt done");
        Assert.Contains(service.Lines, l => l.Contains("Batch c.txt ran Sequential with 1 consumer(s)", StringComparison.Ordinal));

        Assert.Equal(0, await service.StopAsync());
    }

    private static async Task EditAsync(string path, Action<Dictionary<string, object?>> edit)
    {
        var root = File.Exists(path)
            ? JsonSerializer.Deserialize<Dictionary<string, object?>>(await File.ReadAllTextAsync(path))!
            : [];
        var pipeline = root.TryGetValue("Pipeline", out var section) && section is JsonElement element
            ? JsonSerializer.Deserialize<Dictionary<string, object?>>(element.GetRawText())!
            : [];
        edit(pipeline);
        root["Pipeline"] = pipeline;

        // Written beside and renamed over, as editors save: the watcher never reads half a file.
        var temporary = path + ".tmp";
        await File.WriteAllTextAsync(temporary, JsonSerializer.Serialize(root));
        File.Move(temporary, path, overwrite: true);
    }

    private async Task DropAsync(string inbox, string name, int count)
    {
        Directory.CreateDirectory(inbox);
        var part = Path.Combine(inbox, name + ".part");
        await File.WriteAllLinesAsync(part, _origin.DelayUrls(count, TimeSpan.Zero));
        File.Move(part, Path.Combine(inbox, name));
    }
}
