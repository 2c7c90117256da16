using Microsoft.Extensions.Configuration;
using Pipeline.Worker.Hosting;

namespace Pipeline.Worker.Tests.Hosting;

public sealed class WorkerConfigurationTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("pipeline-settings-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void SettingsFiles_WithConfigurationDirectory_PutsTheOperatorFileAfterTheShippedDefaults()
    {
        var files = WorkerConfiguration.SettingsFiles("/opt/pipeline", "Production", "/var/lib/pipeline", "/etc/pipeline");

        Assert.Equal(["/opt/pipeline/appsettings.json", "/opt/pipeline/appsettings.Production.json", "/etc/pipeline/appsettings.json"], files.Select(f => f.Path));
        Assert.Equal(SettingsFileRole.Operator, files[^1].Role);
    }

    [Fact]
    public void SettingsFiles_WithoutConfigurationDirectory_TheWorkingDirectorysFileIsTheOperators()
    {
        var files = WorkerConfiguration.SettingsFiles("/repo/src/Pipeline.Worker/bin/Debug/net10.0", "Development", "/repo", null);

        Assert.Equal("/repo/appsettings.json", files[^1].Path);
        Assert.Equal(SettingsFileRole.Operator, files[^1].Role);
    }

    [Theory]
    [InlineData(new[] { "--Pipeline:RunMode=Service" }, "Refuse", "Refuse")]
    [InlineData(new[] { "--role", "worker" }, "Refuse", "Refuse")]
    [InlineData(new[] { "--role", "producer" }, null, null)]
    [InlineData(new[] { "--input", "urls.txt" }, null, null)]
    [InlineData(new string[0], "Allow", null)]
    public void AddPipelineSettings_EachEntryPoint_GetsItsAddressDefaults(string[] args, string? loopback, string? @private)
    {
        using var configuration = Build(args);

        Assert.Equal(loopback, configuration["Pipeline:Http:LoopbackAddresses"]);
        Assert.Equal(@private, configuration["Pipeline:Http:PrivateAddresses"]);
    }

    [Fact]
    public void AddPipelineSettings_OperatorFileAllowsLoopback_OverridesTheServiceDefault()
    {
        File.WriteAllText(Path.Combine(_directory, "appsettings.json"), """{ "Pipeline": { "Http": { "LoopbackAddresses": "Allow" } } }""");

        using var configuration = Build(["--Pipeline:RunMode=Service"], configurationDirectory: _directory);

        Assert.Equal("Allow", configuration["Pipeline:Http:LoopbackAddresses"]);
        Assert.Equal("Refuse", configuration["Pipeline:Http:PrivateAddresses"]);
    }

    [Fact]
    public void AddPipelineSettings_ShippedAppSettings_LeavesModeToEachEntryPoint()
    {
        using var configuration = Build([]);

        Assert.Null(configuration["Pipeline:Mode"]);
        Assert.Equal("Compare", configuration["Pipeline:Demo:Mode"]);
    }

    private ConfigurationManager Build(string[] args, string? configurationDirectory = null)
    {
        var configuration = new ConfigurationManager();
        configuration.AddPipelineSettings(PipelineCommandLine.Parse(args), AppContext.BaseDirectory, "Production", _directory, configurationDirectory ?? _directory);
        return configuration;
    }
}
