using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Pipeline.DemoOrigin;
using Pipeline.Worker.Hosting;
using Pipeline.Worker.Tests.Hosting.Service;
using Pipeline.Worker.Tests.Support;

namespace Pipeline.Worker.Tests.Hosting;

[Collection(InProcessHostTests.Name)]
public sealed class WorkerTelemetryTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("pipeline-worker-").FullName;
    private readonly StringWriter _out = new();
    private readonly StringWriter _error = new();
    private DemoOriginServer _origin = null!;
    private OtlpReceiver _receiver = null!;

    public async Task InitializeAsync()
    {
        _origin = await DemoOriginServer.StartAsync();
        _receiver = await OtlpReceiver.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _receiver.DisposeAsync();
        await _origin.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task RunBatchAsync_OtlpHttpProtobuf_ReceiverHasEverySpanByTheTimeTheHostHasStopped()
    {
        // A marker per URL: it travels in url.full of that URL's fetch span (m is listed as a safe
        // parameter) and nowhere else (HttpClient's own span redacts the query), so finding each one
        // proves each span arrived.
        var marker = Guid.NewGuid().ToString("N");
        var urls = Enumerable.Range(1, 6).Select(i => new Uri(_origin.BaseAddress, $"delay/5?m={marker}-{i}").ToString()).ToList();

        var exitCode = await RunAsync(urls, new()
        {
            ["Pipeline:Telemetry:Exporters"] = "Compact, Otlp",
            ["Pipeline:Telemetry:OtlpProtocol"] = "HttpProtobuf",
            ["Pipeline:Telemetry:OtlpEndpoint"] = _receiver.BaseAddress.ToString(),
            ["Pipeline:Telemetry:SafeQueryParameters:0"] = "m",
        });

        // The batch took well under the exporter's 5 s batching delay: what arrived, arrived at shutdown.
        Assert.Equal(0, exitCode);
        Assert.All(Enumerable.Range(1, 6), i => Assert.True(_receiver.TracesContain($"{marker}-{i}"), $"fetch span {i} was not exported"));
        Assert.True(_receiver.TracesContain("run pipeline"));
        Assert.True(_receiver.TracesContain("read source"));
        Assert.True(_receiver.TracesContain("write results"));
        Assert.True(_receiver.TracesContain("fetch url"));
        Assert.True(_receiver.TracesContain("pipeline.mode"));
        Assert.False(_receiver.TracesContain("/v1/traces"), "the exporter traced its own POSTs (instrumentation not suppressed)");
        Assert.True(_receiver.MetricsContain("pipeline.items.settled"));
        Assert.True(_receiver.MetricsContain("pipeline.fetch.duration"));
    }

    [Fact]
    public async Task RunBatchAsync_CompactExporter_WritesSpanLinesToStderrAndTheSummaryToStdout()
    {
        var urls = _origin.DelayUrls(4, TimeSpan.FromMilliseconds(5));
        var report = Path.Combine(_directory, "trace.html");

        var exitCode = await RunAsync(urls, new() { ["Pipeline:Telemetry:Exporters"] = "Compact", ["Pipeline:Telemetry:Report"] = report });

        Assert.Equal(0, exitCode);
        var spanLines = _error.ToString().Split('\n').Where(l => l.StartsWith('+')).ToList();
        Assert.Equal(2, spanLines.Count(l => l.Contains(" run pipeline ", StringComparison.Ordinal)));
        Assert.Equal(8, spanLines.Count(l => l.Contains(" fetch url ", StringComparison.Ordinal)));
        Assert.Contains(spanLines, l => l.Contains("mode=sequential", StringComparison.Ordinal));
        Assert.Contains(spanLines, l => l.Contains("mode=concurrent", StringComparison.Ordinal));

        var summary = _out.ToString();
        Assert.DoesNotContain(summary.Split('\n'), l => l.StartsWith('+'));
        Assert.Contains("spans open peak                1", summary, StringComparison.Ordinal);
        Assert.Contains($"trace report   {report}", summary, StringComparison.Ordinal);
        Assert.True(File.Exists(report));

        // Each run's trace id in the summary is the one on its span lines: grep one, find the other.
        var traceIds = summary.Split('\n').Where(l => l.Contains("   trace ", StringComparison.Ordinal)).Select(l => l.Trim().Split(' ')[^1]).ToList();
        Assert.Equal(2, traceIds.Distinct().Count());
        Assert.All(traceIds, id => Assert.Contains(spanLines, l => l.Contains(id, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task RunBatchAsync_BadTelemetrySettings_ExitsWithEveryProblemNamed()
    {
        var exitCode = await RunAsync([], new()
        {
            ["Pipeline:Telemetry:Exporters"] = "Zipkin",
            ["Pipeline:Telemetry:SamplingRatio"] = "2",
        });

        Assert.Equal(2, exitCode);
        var errors = _error.ToString();
        Assert.Contains("Pipeline:Telemetry:Exporters: 'Zipkin' is not valid. Allowed values: None, Console, Otlp, Compact (several may be combined with commas).", errors, StringComparison.Ordinal);
        Assert.Contains("Pipeline:Telemetry:SamplingRatio: must be between 0 and 1.", errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunBatchAsync_OtlpEndpointWhereNothingListens_WarnsOncePerEndpointWithItsAddress()
    {
        // A port that was free a moment ago: connections to it are refused, on loopback.
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var logs = new LogCapture();

        var exitCode = await RunAsync(
            _origin.DelayUrls(3, TimeSpan.Zero),
            new()
            {
                ["Pipeline:Telemetry:Exporters"] = "Otlp",
                ["Pipeline:Telemetry:OtlpProtocol"] = "HttpProtobuf",
                ["Pipeline:Telemetry:OtlpEndpoint"] = $"http://127.0.0.1:{port}/",
            },
            logs);

        Assert.Equal(0, exitCode);
        var traces = string.Create(CultureInfo.InvariantCulture, $"Telemetry export to http://127.0.0.1:{port}/v1/traces failed: ");
        Assert.Single(logs.Messages, m => m.StartsWith(traces, StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Messages, m => m.StartsWith("Telemetry export to", StringComparison.Ordinal) && !m.Contains(string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{port}/v1/"), StringComparison.Ordinal));
    }

    private async Task<int> RunAsync(IReadOnlyList<string> urls, Dictionary<string, string?> telemetry, ILoggerProvider? logs = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Pipeline:Mode"] = "Compare",
            ["Pipeline:Concurrency"] = "3",
            ["Pipeline:Output"] = Path.Combine(_directory, "results.jsonl"),
            ["Pipeline:Telemetry:Report"] = string.Empty,
        };
        for (var i = 0; i < urls.Count; i++)
        {
            settings[string.Create(CultureInfo.InvariantCulture, $"Pipeline:Urls:{i}")] = urls[i];
        }

        foreach (var (key, value) in telemetry)
        {
            settings[key] = value;
        }

        // No defaults: no appsettings.json, no environment variables, no console logger; only these settings.
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, ContentRootPath = _directory });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddPipelineWorker([], new ConsoleOutput(TextWriter.Synchronized(_out), TextWriter.Synchronized(_error), isInteractive: false));
        if (logs is not null)
        {
            builder.Logging.AddProvider(logs);
        }

        using var host = builder.Build();
        return await host.RunBatchAsync().WaitAsync(TimeSpan.FromSeconds(60));
    }
}
