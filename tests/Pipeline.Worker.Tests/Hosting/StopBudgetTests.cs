using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Pipeline.Worker.Hosting;

namespace Pipeline.Worker.Tests.Hosting;

public sealed class StopBudgetTests
{
    [Theory]
    [InlineData("00:00:00", 15)]
    [InlineData("00:00:07", 22)]
    [InlineData(null, 25)]
    public void AddPipelineWorker_ShutdownGrace_HostWaitsTheGracePlusTheSave(string? grace, int seconds)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Pipeline:ShutdownGrace"] = grace });
        builder.AddPipelineWorker([], new ConsoleOutput(TextWriter.Null, TextWriter.Null, isInteractive: false));
        using var host = builder.Build();

        Assert.Equal(TimeSpan.FromSeconds(seconds), host.Services.GetRequiredService<IOptions<HostOptions>>().Value.ShutdownTimeout);
        Assert.Equal(TimeSpan.FromSeconds(seconds + 10), StopBudget.SupervisorStopTimeout(builder.Configuration));
    }

    [Fact]
    public void BatchOutcome_BeforeTheWorkerDecides_SaysStoppedWithoutSaving()
        => Assert.Equal(4, new BatchOutcome().ExitCode);

    [Theory]
    [InlineData(true, false, 130)]
    [InlineData(true, true, 130)]
    [InlineData(false, true, 3)]
    [InlineData(false, false, 0)]
    public void ExitCodeOf_HowTheRunEnded_IsTheDocumentedCode(bool interrupted, bool failures, int expected)
        => Assert.Equal(expected, RunOnceService.ExitCodeOf(new RunOnceResult(string.Empty, interrupted, failures)));

    [Fact]
    public void ShippedUnits_TimeoutStopSec_CoversTheStopBudgetOfTheDefaultGrace()
    {
        var root = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../.."));
        var budget = StopBudget.SupervisorStopTimeout(new ConfigurationBuilder().Build());
        foreach (var unit in Directory.GetFiles(Path.Combine(root, "deploy", "systemd"), "*.service"))
        {
            var line = File.ReadAllLines(unit).Single(l => l.StartsWith("TimeoutStopSec=", StringComparison.Ordinal));
            Assert.True(TimeSpan.FromSeconds(int.Parse(line["TimeoutStopSec=".Length..], System.Globalization.CultureInfo.InvariantCulture)) >= budget, $"{unit}: {line} < {budget}");
        }
    }
}
