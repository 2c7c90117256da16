using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Pipeline.Telemetry;
using Pipeline.Worker.Hosting;

namespace Pipeline.Worker.Tests.Hosting;

public sealed class SummarySpansTests
{
    [Theory]
    [InlineData("Report", true)]
    [InlineData("Line", false)]
    [InlineData("Json", false)]
    public void AddPipelineWorker_SummaryFormat_DecidesWhetherTheSummaryReadsSpans(string summary, bool reads)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Pipeline:Console:Summary"] = summary,
            ["Pipeline:Telemetry:Exporters"] = "None",
            ["Pipeline:Telemetry:Report"] = string.Empty,
        });
        builder.AddPipelineWorker([], new ConsoleOutput(TextWriter.Null, TextWriter.Null, isInteractive: false));
        using var host = builder.Build();

        // With no exporter and no report, only the text report's figures read the fetch spans.
        var telemetry = host.Services.GetRequiredService<IOptions<TelemetryOptions>>().Value;
        Assert.Equal(reads, telemetry.SummarySpans);
    }
}
