using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Pipeline.DemoOrigin;

namespace Pipeline.Worker.Tests.Hosting.Service;

[Collection(InProcessHostTests.Name)]
public sealed class ServiceInboxTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("pipeline-service-inbox-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task ExecuteAsync_InboxFileDeletedMidBatch_IsLoggedAndTheServiceRunsTheNextFile()
    {
        var requested = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var origin = await DemoOriginServer.StartAsync(0, endpoints => endpoints.MapGet("/gate", async context =>
        {
            requested.TrySetResult();
            await release.Task.WaitAsync(context.RequestAborted);
            await context.Response.WriteAsync("ok\n", context.RequestAborted);
        }));
        await using var service = ServiceHost.Start(_directory);
        await DropAsync("a.txt", [new Uri(origin.BaseAddress, "gate").ToString()]);

        // Read and in flight: the file goes while its batch runs, as an operator's rm would do it.
        await requested.Task.WaitAsync(TimeSpan.FromSeconds(60));
        File.Delete(Path.Combine(_directory, "inbox", "a.txt"));
        release.SetResult();
        await service.Logs.WaitForAsync(m => m.StartsWith("Inbox file a.txt vanished during its batch", StringComparison.Ordinal));
        await DropAsync("b.txt", origin.DelayUrls(1, TimeSpan.Zero));
        await service.Logs.WaitForAsync(m => m.StartsWith("Inbox file b.txt done", StringComparison.Ordinal));

        Assert.Equal(0, await service.StopAsync());
        Assert.Single(await File.ReadAllLinesAsync(Path.Combine(_directory, "outbox", "a.results.jsonl")));
    }

    [Fact]
    public async Task ExecuteAsync_BatchFails_QuarantinesTheFileWithItsReasonAndKeepsServing()
    {
        await using var origin = await DemoOriginServer.StartAsync();

        // The results file of bad.txt cannot be opened: a folder stands where it belongs.
        Directory.CreateDirectory(Path.Combine(_directory, "outbox", "bad.results.jsonl"));
        await using var service = ServiceHost.Start(_directory, args: ["--Pipeline:Service:Attempts=1"]);
        await DropAsync("bad.txt", origin.DelayUrls(1, TimeSpan.Zero));
        await service.Logs.WaitForAsync(m => m.StartsWith("Inbox file bad.txt failed and was renamed to", StringComparison.Ordinal));
        await DropAsync("good.txt", origin.DelayUrls(1, TimeSpan.Zero));
        await service.Logs.WaitForAsync(m => m.StartsWith("Inbox file good.txt done", StringComparison.Ordinal));

        Assert.Equal(0, await service.StopAsync());
        var inbox = Path.Combine(_directory, "inbox");
        Assert.True(File.Exists(Path.Combine(inbox, "bad.txt.failed")));
        Assert.Contains("bad.txt failed:", await File.ReadAllTextAsync(Path.Combine(inbox, "bad.txt.failed.reason")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExecuteAsync_UpperCaseNameAndOtherFiles_RunsTheOneAndLogsTheOtherOnce()
    {
        await using var origin = await DemoOriginServer.StartAsync();
        await using var service = ServiceHost.Start(_directory);
        await DropAsync("urls.csv", origin.DelayUrls(1, TimeSpan.Zero));
        await DropAsync("UPPER.TXT", origin.DelayUrls(1, TimeSpan.Zero));

        await service.Logs.WaitForAsync(m => m.StartsWith("Inbox file UPPER.TXT done", StringComparison.Ordinal));
        await service.Logs.WaitForAsync(m => m.StartsWith("Inbox file urls.csv does not match the pattern *.txt", StringComparison.Ordinal));
        await DropAsync("later.txt", origin.DelayUrls(1, TimeSpan.Zero));
        await service.Logs.WaitForAsync(m => m.StartsWith("Inbox file later.txt done", StringComparison.Ordinal));

        Assert.Equal(0, await service.StopAsync());
        Assert.Single(service.Logs.Messages, m => m.StartsWith("Inbox file urls.csv", StringComparison.Ordinal));
        var record = JsonDocument.Parse(Assert.Single(await File.ReadAllLinesAsync(Path.Combine(_directory, "outbox", "UPPER.results.jsonl")))).RootElement;
        Assert.Equal("succeeded", record.GetProperty("outcome").GetString());
    }

    private async Task DropAsync(string name, IEnumerable<string> urls)
    {
        var inbox = Path.Combine(_directory, "inbox");
        Directory.CreateDirectory(inbox);
        var part = Path.Combine(inbox, name + ".part");
        await File.WriteAllLinesAsync(part, urls);
        File.Move(part, Path.Combine(inbox, name));
    }
}
