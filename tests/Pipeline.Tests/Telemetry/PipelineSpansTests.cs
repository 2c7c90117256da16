using System.Diagnostics;
using Pipeline.Running;
using Pipeline.Sources;
using Pipeline.Telemetry;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.Telemetry;

public sealed class PipelineSpansTests : IAsyncLifetime
{
    private readonly SpanCapture _capture = new();
    private TestOrigin _origin = null!;

    public async Task InitializeAsync() => _origin = await TestOrigin.StartAsync();

    public async Task DisposeAsync()
    {
        _capture.Dispose();
        await _origin.DisposeAsync();
    }

    [Fact]
    public async Task RunAsync_SequentialMode_FetchSpansNeverOverlap()
    {

        var trace = await RunTracedAsync(PipelineMode.Sequential, _origin.Urls("delay/5", 10), concurrency: 8);

        var fetches = _capture.Of(trace, PipelineTelemetry.FetchSpanName).OrderBy(s => s.StartTimeUtc).ToList();
        Assert.Equal(10, fetches.Count);
        Assert.All(fetches.Zip(fetches.Skip(1)), pair => Assert.True(pair.First.StartTimeUtc + pair.First.Duration <= pair.Second.StartTimeUtc));
        Assert.Equal(1, SpanCapture.PeakOverlap(fetches));
    }

    [Theory]
    [InlineData(3)]
    [InlineData(6)]
    public async Task RunAsync_ConcurrentMode_FetchSpansOverlapUpToTheConcurrency(int concurrency)
    {

        // The barrier answers nobody until `concurrency` requests wait at once: reaching it is the proof.
        var urls = _origin.Urls($"barrier/spans{concurrency}/{concurrency}", concurrency * 2);
        var trace = await RunTracedAsync(PipelineMode.Concurrent, urls, concurrency);

        var fetches = _capture.Of(trace, PipelineTelemetry.FetchSpanName);
        Assert.Equal(concurrency * 2, fetches.Count);
        Assert.Equal(concurrency, SpanCapture.PeakOverlap(fetches));
    }

    [Theory]
    [InlineData(PipelineMode.Sequential)]
    [InlineData(PipelineMode.Concurrent)]
    public async Task RunAsync_EveryUrl_HasExactlyOneFetchSpanUnderTheRunSpan(PipelineMode mode)
    {
        string[] urls = [.. _origin.Urls("ok", 6), _origin.Url("status/404?i=7"), "http://127.0.0.1:9/refused", "not a url"];

        var trace = await RunTracedAsync(mode, urls, concurrency: 3);

        var run = Assert.Single(_capture.Of(trace, PipelineTelemetry.RunSpanName));
        var fetches = _capture.Of(trace, PipelineTelemetry.FetchSpanName);
        // Query strings read "?*" by default, as in HttpClient's own spans.
        Assert.Equal(urls[..^1].Select(UrlRedactor.Default.ForTelemetry).Order(), fetches.Select(f => (string)f.GetTagItem("url.full")!).Order());
        Assert.All(fetches, f => Assert.Equal(run.SpanId, f.ParentSpanId));
        Assert.Single(_capture.Of(trace, PipelineTelemetry.ProduceSpanName));
        Assert.Single(_capture.Of(trace, PipelineTelemetry.SinkSpanName));
        Assert.Equal(WireNames.Mode(mode), run.GetTagItem("pipeline.mode"));
        Assert.Equal(mode == PipelineMode.Sequential ? 1 : 3, run.GetTagItem("pipeline.concurrency"));
        Assert.Equal(4, run.GetTagItem("pipeline.channel.capacity"));
        Assert.Equal(9L, run.GetTagItem("pipeline.urls"));
    }

    [Fact]
    public async Task RunAsync_FetchSpan_CarriesHttpConventionAndPipelineAttributes()
    {
        var ok = _origin.Url("bytes/10?i=1");
        var notFound = _origin.Url("status/404?i=2");
        const string Refused = "http://127.0.0.1:9/refused";

        var trace = await RunTracedAsync(PipelineMode.Sequential, [ok, notFound, Refused]);

        var fetches = _capture.Of(trace, PipelineTelemetry.FetchSpanName).ToDictionary(f => (string)f.GetTagItem("url.full")!);
        Assert.Equal(_origin.Url("bytes/10?*"), UrlRedactor.Default.ForTelemetry(ok));
        ok = UrlRedactor.Default.ForTelemetry(ok);
        notFound = UrlRedactor.Default.ForTelemetry(notFound);
        var span = fetches[ok];
        Assert.Equal("GET", span.GetTagItem("http.request.method"));
        Assert.Equal(200, span.GetTagItem("http.response.status_code"));
        Assert.Equal("127.0.0.1", span.GetTagItem("server.address"));
        Assert.Equal(_origin.Server.BaseAddress.Port, span.GetTagItem("server.port"));
        Assert.Equal(0, span.GetTagItem("pipeline.consumer.id"));
        Assert.Equal(1, span.GetTagItem("pipeline.attempt"));
        Assert.Equal(10L, span.GetTagItem("pipeline.bytes"));
        Assert.IsType<double>(span.GetTagItem("pipeline.channel.wait_ms"));
        Assert.Equal("succeeded", span.GetTagItem("pipeline.outcome"));
        Assert.Null(span.GetTagItem("error.type"));
        Assert.Equal(ActivityStatusCode.Unset, span.Status);

        Assert.Equal("404", fetches[notFound].GetTagItem("error.type"));
        Assert.Equal(ActivityStatusCode.Error, fetches[notFound].Status);
        Assert.Equal("connection_error", fetches[Refused].GetTagItem("error.type"));
        Assert.Null(fetches[Refused].GetTagItem("http.response.status_code"));
    }

    [Fact]
    public async Task RunAsync_HttpClientSpans_AreChildrenOfFetchSpans()
    {

        var trace = await RunTracedAsync(PipelineMode.Concurrent, _origin.Urls("ok", 5), concurrency: 3);

        var fetches = _capture.Of(trace, PipelineTelemetry.FetchSpanName);
        var requests = _capture.Of(trace).Where(a => a.Source.Name == "System.Net.Http").ToList();
        Assert.Equal(5, requests.Count);
        Assert.Equal(fetches.Select(f => f.SpanId.ToHexString()).Order(), requests.Select(r => r.ParentSpanId.ToHexString()).Order());

        // The fetch span also covers the body, which HttpClient's span (ended at the headers) does not.
        Assert.All(requests, r =>
        {
            var parent = fetches.Single(f => f.SpanId == r.ParentSpanId);
            Assert.True(parent.StartTimeUtc <= r.StartTimeUtc && r.StartTimeUtc + r.Duration <= parent.StartTimeUtc + parent.Duration);
        });
    }

    [Fact]
    public async Task RunAsync_UrlWithCredentials_RedactsThemInUrlFull()
    {
        var url = new UriBuilder(_origin.Url("ok")) { UserName = "user", Password = "secret" }.Uri.AbsoluteUri;

        var trace = await RunTracedAsync(PipelineMode.Sequential, [url]);

        var fetch = Assert.Single(_capture.Of(trace, PipelineTelemetry.FetchSpanName));
        var full = (string)fetch.GetTagItem("url.full")!;
        Assert.DoesNotContain("secret", full, StringComparison.Ordinal);
        Assert.Contains("REDACTED:REDACTED@", full, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(PipelineMode.Sequential)]
    [InlineData(PipelineMode.Concurrent)]
    public async Task RunAsync_FetchSpansOff_RunSpanButNoFetchOrHttpClientSpanInTheTrace(PipelineMode mode)
    {
        using var services = PipelineServices.Create();
        using var root = SpanCapture.StartRoot();
        var sink = new RecordingSink();
        var plan = new RunPlan
        {
            Mode = mode,
            Concurrency = 3,
            Sources = [new ListUrlSource("list", _origin.Urls("ok", 6))],
            Sink = sink,
            FetchSpans = false,
        };

        var summary = await services.Runner().RunAsync(plan, CancellationToken.None).Guarded();

        // Every URL fetched and counted as before, the run still traced; the fetches left out of it,
        // HttpClient's own spans too (with a listener they start traces of their own, unrelated to the run).
        Assert.Equal(6, summary.Succeeded);
        Assert.InRange(summary.PeakInFlight, 1, mode == PipelineMode.Sequential ? 1 : 3);
        Assert.Single(_capture.Of(root.TraceId, PipelineTelemetry.RunSpanName));
        Assert.Empty(_capture.Of(root.TraceId, PipelineTelemetry.FetchSpanName));
        Assert.DoesNotContain(_capture.Of(root.TraceId), a => a.Source.Name == "System.Net.Http");
    }

    /// <summary>Runs a plan under a root span of the test's own and returns its trace id, the filter for every assertion.</summary>
    private static async Task<ActivityTraceId> RunTracedAsync(PipelineMode mode, IReadOnlyList<string> urls, int concurrency = 4)
    {
        using var services = PipelineServices.Create();
        using var root = SpanCapture.StartRoot();
        await services.Runner().RunAsync(Plan(mode, urls, concurrency), CancellationToken.None).Guarded();
        return root.TraceId;
    }

    private static RunPlan Plan(PipelineMode mode, IReadOnlyList<string> urls, int concurrency = 4) => new()
    {
        Mode = mode,
        Concurrency = concurrency,
        ChannelCapacity = 4,
        ResultChannelCapacity = 4,
        Sources = [new ListUrlSource("list", urls)],
        Sink = new RecordingSink(),
    };
}
