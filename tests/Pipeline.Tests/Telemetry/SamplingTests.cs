using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;
using Pipeline.Running;
using Pipeline.Sources;
using Pipeline.Telemetry;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.Telemetry;

[Collection(ListenerIsolation.Name)]
public sealed class SamplingTests : IAsyncLifetime
{
    private const int Concurrency = 4;
    private TestOrigin _origin = null!;

    public async Task InitializeAsync() => _origin = await TestOrigin.StartAsync();

    public async Task DisposeAsync() => await _origin.DisposeAsync();

    [Theory]
    [InlineData("0", 0)]
    [InlineData("1", Concurrency * 2)]
    public async Task RunAsync_SamplingRatio_ExportsOnlySampledSpansButCountsEveryOne(string ratio, int exportedFetches)
    {
        var exported = new List<Activity>();
        using var services = PipelineServices.Create(
            new Dictionary<string, string?>
            {
                ["Pipeline:Mode"] = nameof(PipelineMode.Concurrent),
                ["Pipeline:Concurrency"] = Concurrency.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Pipeline:Telemetry:SamplingRatio"] = ratio,
                ["Pipeline:Telemetry:Report"] = string.Empty,
            },
            configure: s => s.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(exported)));
        await services.StartHostedAsync();

        // The barrier answers nobody until every consumer waits at it: the overlap is then exactly the concurrency.
        var urls = _origin.Urls($"barrier/sampling{ratio}/{Concurrency}", Concurrency * 2);
        var batch = await services.GetRequiredService<PipelineJob>().RunAsync([new ListUrlSource("list", urls)], null, CancellationToken.None).Guarded();
        await services.StopHostedAsync();

        var trace = Assert.Single(batch.Traces);
        Assert.Equal(Concurrency * 2, trace.SpanCount);
        Assert.Equal(Concurrency, trace.PeakOverlap);
        Assert.Equal(exportedFetches, exported.Count(a => a.OperationName == PipelineTelemetry.FetchSpanName && a.TraceId.ToHexString() == trace.TraceId));
        if (exportedFetches == 0)
        {
            Assert.DoesNotContain(exported, a => a.TraceId.ToHexString() == trace.TraceId);
        }
    }
}
