using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Pipeline.Fetching;
using Pipeline.Tests.Support;

namespace Pipeline.Tests;

public sealed class OptionsTests
{
    [Fact]
    public void PipelineOptions_Ctor_HasTheDocumentedDefaults()
    {
        var options = new PipelineOptions();

        Assert.Equal(PipelineMode.Concurrent, options.Mode);
        Assert.Equal(10, options.Concurrency);
        Assert.Equal(100, options.ChannelCapacity);
        Assert.Equal(100, options.ResultChannelCapacity);
        Assert.Equal("results.jsonl", options.Output);
        Assert.Equal(TimeSpan.FromSeconds(2), options.ProgressInterval);
        Assert.Empty(options.Urls);
        Assert.Empty(options.Files);
        Assert.Equal(DuplicatePolicy.Skip, options.Duplicates);
        Assert.Equal(TimeSpan.FromSeconds(10), options.ShutdownGrace);
        Assert.Equal("state", options.StateDirectory);
    }

    [Fact]
    public void HttpFetchOptions_Ctor_HasTheDocumentedDefaults()
        => Assert.Equal(TimeSpan.FromSeconds(30), new HttpFetchOptions().RequestTimeout);

    [Fact]
    public void Get_ValidSection_BindsEveryKey()
    {
        using var services = PipelineServices.Create(new Dictionary<string, string?>
        {
            ["Pipeline:Mode"] = "sequential",
            ["Pipeline:Concurrency"] = "3",
            ["Pipeline:ChannelCapacity"] = "7",
            ["Pipeline:Urls:0"] = "http://a.test/",
            ["Pipeline:Http:RequestTimeout"] = "00:00:05",
        });

        var options = services.GetRequiredService<IOptions<PipelineOptions>>().Value;

        Assert.Equal(PipelineMode.Sequential, options.Mode);
        Assert.Equal(3, options.Concurrency);
        Assert.Equal(7, options.ChannelCapacity);
        Assert.Equal(["http://a.test/"], options.Urls);
        Assert.Equal(TimeSpan.FromSeconds(5), services.GetRequiredService<IOptions<HttpFetchOptions>>().Value.RequestTimeout);
    }

    [Fact]
    public void Get_InvalidValues_ListsEveryProblemWithItsKey()
    {
        using var services = PipelineServices.Create(new Dictionary<string, string?>
        {
            ["Pipeline:Mode"] = "Fast",
            ["Pipeline:Concurency"] = "3",
            ["Pipeline:Concurrency"] = "0",
            ["Pipeline:ChannelCapacity"] = "lots",
            ["Pipeline:Files:0"] = "/definitely/missing/urls.txt",
        });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<PipelineOptions>>().Value);

        Assert.Equal(
            [
                "Pipeline:ChannelCapacity: 'lots' is not a value of type Int32.",
                "Pipeline:Concurency: unknown setting. Known settings of 'Pipeline': ChannelCapacity, Concurrency, Console, Demo, Duplicates, Files, Http, Mode, Output, ProgressInterval, ResultChannelCapacity, ShutdownGrace, StateDirectory, Telemetry, Urls.",
                "Pipeline:Mode: 'Fast' is not valid. Allowed values: Sequential, Concurrent, Compare.",
                "Concurrency: The field PipelineOptions.Concurrency must be between 1 and 10000.",
                "Pipeline:Files:0: file '/definitely/missing/urls.txt' not found (looked for /definitely/missing/urls.txt).",
            ],
            error.Failures);
    }

    [Theory]
    [InlineData("3")]
    [InlineData("-1")]
    public void Get_NumericMode_IsRefusedEvenWhenItMapsToAValue(string value)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Pipeline:Mode"] = value }).Build();

        var problems = ConfigurationCheck.Problems(configuration.GetSection("Pipeline"), typeof(PipelineOptions), []);

        Assert.Equal($"Pipeline:Mode: '{value}' is not valid. Allowed values: Sequential, Concurrent, Compare.", Assert.Single(problems).Message);
    }
}
