using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Pipeline.DemoOrigin;
using Pipeline.Fetching;
using Pipeline.Processing;
using Pipeline.Running;
using Pipeline.Sinks;
using Pipeline.Sources;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.Processing;

/// <summary>The processing stage as a batch uses it: options from configuration, steps from DI, the record in the results file.</summary>
public sealed class ProcessingJobTests : OriginTest, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("pipeline-process-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData(PipelineMode.Sequential)]
    [InlineData(PipelineMode.Concurrent)]
    [InlineData(PipelineMode.Compare)]
    public async Task RunAsync_StepsInConfiguration_WritesOneNestedProcessObjectPerSucceededRecord(PipelineMode mode)
    {
        var output = Path.Combine(_directory, "results.jsonl");
        var saved = Path.Combine(_directory, "saved");
        using var services = PipelineServices.Create(new Dictionary<string, string?>
        {
            ["Pipeline:Mode"] = mode.ToString(),
            ["Pipeline:Output"] = output,
            ["Pipeline:StateDirectory"] = Path.Combine(_directory, "state"),
            ["Pipeline:Process:Steps"] = "title, links,sha256,save,wordcount",
            ["Pipeline:Process:SaveDirectory"] = saved,
            ["Pipeline:Process:Parallelism"] = "3",
        }, services => services.AddSingleton<IResultProcessor, WordCount>());
        string[] urls = [Origin.Url("page/40"), Origin.Url("status/500")];

        var report = await services.GetRequiredService<PipelineJob>().RunAsync([new ListUrlSource("list", urls)], observer: null, CancellationToken.None).Guarded();

        Assert.All(report.Runs, run => Assert.Equal((1L, run.Mode == PipelineMode.Sequential ? 1 : 3), (run.Processed, run.ProcessWorkers)));
        var records = (await File.ReadAllLinesAsync(output)).Select(line => JsonDocument.Parse(line).RootElement).ToList();
        Assert.Equal(mode == PipelineMode.Compare ? 4 : 2, records.Count);
        foreach (var record in records.Where(r => r.GetProperty("status").GetInt32() == 200))
        {
            var process = record.GetProperty("process");
            Assert.Equal(
                ["durationMs", "title", "links", "sha256", "saved", "words"],
                process.EnumerateObject().Select(p => p.Name));
            Assert.Equal(DemoPage.Title(40), process.GetProperty("title").GetString());
            Assert.Equal(40, process.GetProperty("links").GetInt64());
            Assert.Equal(DemoPage.Get(40), await File.ReadAllBytesAsync(process.GetProperty("saved").GetString()!));
        }

        Assert.All(records.Where(r => r.GetProperty("status").GetInt32() == 500), r => Assert.False(r.TryGetProperty("process", out _)));
    }

    [Fact]
    public void Validate_UnknownOrRepeatedStepAndBadLimits_NamesEveryKey()
    {
        using var services = PipelineServices.Create(new Dictionary<string, string?>
        {
            ["Pipeline:Process:Steps"] = "title,nope,title",
            ["Pipeline:Process:Parallelism"] = "0",
            ["Pipeline:Process:MaxBodyBytes"] = "10",
        });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptionsMonitor<ProcessOptions>>().CurrentValue);

        Assert.Contains("Pipeline:Process:Steps: unknown step 'nope' (known: title, links, sha256, save).", error.Failures);
        Assert.Contains("Pipeline:Process:Steps: step 'title' is listed more than once.", error.Failures);
        Assert.Contains(error.Failures, f => f.Contains("Parallelism", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("MaxBodyBytes", StringComparison.Ordinal));
    }

    [Fact]
    public void Defaults_AreDocumented()
    {
        var options = new ProcessOptions();

        Assert.Equal((string.Empty, Environment.ProcessorCount, 8, 1024 * 1024, "saved", false), (options.Steps, options.Parallelism, options.ChannelCapacity, options.MaxBodyBytes, options.SaveDirectory, options.ListLinks));
    }

    [Fact]
    public void Write_ProcessedResult_NestsTheOutputsUnderProcess()
    {
        var output = new ProcessOutput { Duration = TimeSpan.FromMilliseconds(1.5), Truncated = true };
        output.Set("title", "T");
        output.Set("links", 3);
        output.Set("linkList", ["https://a.example/"]);
        output.AddError("links", new InvalidOperationException("x"));
        var result = new FetchResult { Url = "http://127.0.0.1/", Source = "s", Line = 1, Outcome = FetchOutcome.Succeeded, Process = output };
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            ResultRecord.Write(writer, result);
        }

        var process = JsonDocument.Parse(buffer.ToArray()).RootElement.GetProperty("process");

        Assert.Equal(
            """{"durationMs":1.5,"title":"T","links":3,"linkList":["https://a.example/"],"truncated":true,"error":"links: InvalidOperationException: x"}""",
            process.GetRawText());
    }

    /// <summary>The README's example of an application's own step.</summary>
    private sealed class WordCount : IResultProcessor
    {
        public string Name => "wordcount";

        public bool NeedsBody => true;

        public ValueTask ProcessAsync(ProcessContext context, CancellationToken cancellationToken)
        {
            var text = System.Text.Encoding.UTF8.GetString(context.Body.Span);
            context.Output.Set("words", (long)text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length);
            return ValueTask.CompletedTask;
        }
    }
}
