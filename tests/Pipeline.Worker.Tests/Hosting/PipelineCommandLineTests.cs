using Pipeline.Worker.Hosting;

namespace Pipeline.Worker.Tests.Hosting;

public sealed class PipelineCommandLineTests
{
    [Fact]
    public void Parse_MistypedSwitch_IsRefusedWithTheNearestSwitch()
    {
        var parsed = PipelineCommandLine.Parse(["--inptu", "urls.txt"]);

        Assert.Equal("unknown option '--inptu' (did you mean '--input'?)", parsed.Error);
    }

    [Fact]
    public void Parse_UnknownSwitchFarFromAny_IsRefusedWithoutSuggestion()
    {
        Assert.Equal("unknown option '--bogus-thing' (see --help)", PipelineCommandLine.Parse(["--bogus-thing"]).Error);
    }

    [Fact]
    public void Parse_Mode_AppliesToTheOfflineDemoToo()
    {
        var parsed = PipelineCommandLine.Parse(["--mode", "Sequential"]);

        Assert.Null(parsed.Error);
        Assert.Equal("Sequential", parsed.Settings["Pipeline:Mode"]);
        Assert.Equal("Sequential", parsed.Settings["Pipeline:Demo:Mode"]);
    }

    [Fact]
    public void Parse_SeveralInputs_AreSeveralFiles()
    {
        var parsed = PipelineCommandLine.Parse(["--input", "a.txt", "--input=b.txt"]);

        Assert.Null(parsed.Error);
        Assert.Equal("a.txt", parsed.Settings["Pipeline:Files:0"]);
        Assert.Equal("b.txt", parsed.Settings["Pipeline:Files:1"]);
    }

    [Theory]
    [InlineData("--mode")]
    [InlineData("--output")]
    [InlineData("--concurrency")]
    public void Parse_SingleValueSwitchTwice_IsRefused(string name)
    {
        var parsed = PipelineCommandLine.Parse([name, "1", name, "2"]);

        Assert.Equal($"option '{name}' given more than once (it takes one value)", parsed.Error);
    }

    [Fact]
    public void Parse_ConfigurationKeys_PassToTheConfigurationUnchanged()
    {
        var parsed = PipelineCommandLine.Parse(["--Pipeline:ChannelCapacity=500", "--Pipeline:Telemetry:Report", "", "--mode", "Sequential"]);

        Assert.Null(parsed.Error);
        Assert.Equal(["--Pipeline:ChannelCapacity=500", "--Pipeline:Telemetry:Report", ""], parsed.ConfigurationArguments);
        Assert.Equal("Sequential", parsed.Settings["Pipeline:Mode"]);
    }

    [Fact]
    public void Parse_LooseArgument_IsRefused()
    {
        Assert.Equal("unexpected argument 'urls.txt' (switches start with --; see --help)", PipelineCommandLine.Parse(["urls.txt"]).Error);
    }

    [Fact]
    public void Parse_SwitchWithoutItsValue_IsRefused()
    {
        Assert.Equal("option '--output' needs a value (FILE)", PipelineCommandLine.Parse(["--output", "--mode", "Concurrent"]).Error);
    }

    [Fact]
    public void Parse_Fresh_SetsPipelineFresh()
    {
        Assert.Equal("true", PipelineCommandLine.Parse(["--fresh"]).Settings["Pipeline:Fresh"]);
    }

    [Theory]
    [InlineData("--help", nameof(CommandLineAction.Help))]
    [InlineData("-h", nameof(CommandLineAction.Help))]
    [InlineData("--version", nameof(CommandLineAction.Version))]
    [InlineData("--health", nameof(CommandLineAction.Health))]
    public void Parse_Actions_AreRecognised(string arg, string action)
    {
        Assert.Equal(action, PipelineCommandLine.Parse([arg]).Action.ToString());
    }

    [Fact]
    public void Help_ListsEverySwitchTheModesAndTheRoles()
    {
        var help = PipelineCommandLine.Help();

        Assert.All(PipelineCommandLine.Switches, s => Assert.Contains("  " + s.Name, help, StringComparison.Ordinal));
        Assert.All(Enum.GetNames<PipelineMode>(), m => Assert.Contains("  " + m, help, StringComparison.Ordinal));
        Assert.All(Enum.GetNames<RunMode>(), m => Assert.Contains("  " + m, help, StringComparison.Ordinal));
        Assert.All(["producer", "worker", "collector"], r => Assert.Contains("  " + r, help, StringComparison.Ordinal));
    }

    [Fact]
    public void Help_IsTheCopyInTheReadme()
    {
        var readme = File.ReadAllText(Path.Combine(Deployment.DeploymentFiles.RepositoryRoot, "README.md")).ReplaceLineEndings("\n");

        Assert.Contains("<!-- pipeline-help: begin -->\n```\n" + PipelineCommandLine.Help().ReplaceLineEndings("\n") + "```\n<!-- pipeline-help: end -->", readme, StringComparison.Ordinal);
    }
}
