using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Pipeline.Telemetry;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.Telemetry;

public sealed class TelemetryOptionsTests
{
    [Fact]
    public void Ctor_Defaults_AreDocumented()
    {
        var options = new TelemetryOptions();

        Assert.Equal(TelemetryExporters.None, options.Exporters);
        Assert.Equal(1.0, options.SamplingRatio);
        Assert.Null(options.OtlpEndpoint);
        Assert.Null(options.OtlpProtocol);
        Assert.Equal("trace-report.html", options.Report);
        Assert.Equal(10_000, options.ReportSpanLimit);
        Assert.True(options.SummarySpans);
        Assert.Equal("Pipeline:Telemetry", TelemetryOptions.SectionName);
    }

    [Theory]
    [InlineData("None", "", false, false)]
    [InlineData("None", "", true, true)]
    [InlineData("None", "report.html", false, true)]
    [InlineData("Compact", "", false, true)]
    [InlineData("Otlp", "", false, true)]
    public void FetchSpansNeeded_ExporterReportOrSummary_AnyOneNeedsThem(string exporters, string report, bool summarySpans, bool needed)
    {
        var options = Bind(new()
        {
            ["Pipeline:Telemetry:Exporters"] = exporters,
            ["Pipeline:Telemetry:Report"] = report,
            ["Pipeline:Telemetry:SummarySpans"] = summarySpans ? "true" : "false",
        });

        Assert.Equal(needed, options.FetchSpansNeeded);
    }

    [Fact]
    public void Bind_SeveralExporters_CombinesTheFlags()
    {
        var options = Bind(new() { ["Pipeline:Telemetry:Exporters"] = "console, Otlp", ["Pipeline:Telemetry:OtlpProtocol"] = "HttpProtobuf", ["Pipeline:Telemetry:OtlpEndpoint"] = "http://localhost:4318" });

        Assert.Equal(TelemetryExporters.Console | TelemetryExporters.Otlp, options.Exporters);
        Assert.Equal(OtlpProtocol.HttpProtobuf, options.OtlpProtocol);
        Assert.Equal(new Uri("http://localhost:4318"), options.OtlpEndpoint);
    }

    [Fact]
    public void Validate_BadValues_ListsEveryProblemWithItsKey()
    {
        var failure = Assert.Throws<OptionsValidationException>(() => Bind(new()
        {
            ["Pipeline:Telemetry:Exporters"] = "Console, Jaeger",
            ["Pipeline:Telemetry:SamplingRatio"] = "1.5",
            ["Pipeline:Telemetry:OtlpEndpoint"] = "localhost:4317",
            ["Pipeline:Telemetry:ReportSpanLimit"] = "0",
        }));

        Assert.Contains("Pipeline:Telemetry:Exporters: 'Console, Jaeger' is not valid. Allowed values: None, Console, Otlp, Compact (several may be combined with commas).", failure.Failures);
        Assert.Contains("SamplingRatio: The field TelemetryOptions.SamplingRatio must be between 0 and 1.", failure.Failures);
        Assert.Contains("ReportSpanLimit: The field TelemetryOptions.ReportSpanLimit must be between 1 and 1000000.", failure.Failures);
        Assert.Contains("Pipeline:Telemetry:OtlpEndpoint: 'localhost:4317' is not an absolute http or https address such as http://localhost:4317.", failure.Failures);
    }

    private static TelemetryOptions Bind(Dictionary<string, string?> settings)
    {
        using var services = PipelineServices.Create(settings);
        return services.GetRequiredService<IOptions<TelemetryOptions>>().Value;
    }
}
