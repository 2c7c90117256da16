using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Pipeline.DemoOrigin;

namespace Pipeline.Worker.Tests.Hosting;

/// <summary>
/// Every summary format counts the same outcomes under the same names, all of them always, and they
/// add up to the input lines: the real worker host over a real file against a local origin.
/// </summary>
[Collection(InProcessHostTests.Name)]
public sealed partial class SummaryOutcomeTests : IAsyncLifetime
{
    // 12 lines: 5 ok, 2 x 404, 1 connection closed without an answer, 3 invalid, 1 repeat of the first.
    private static readonly Dictionary<string, long> Expected = new()
    {
        ["succeeded"] = 5, ["http_error"] = 2, ["failed"] = 1, ["invalid"] = 3, ["duplicate"] = 1, ["cancelled"] = 0, ["pending"] = 0,
    };

    private readonly string _directory = Directory.CreateTempSubdirectory("pipeline-outcomes-").FullName;
    private DemoOriginServer _origin = null!;
    private string _input = null!;

    public async Task InitializeAsync()
    {
        _origin = await DemoOriginServer.StartAsync(0, endpoints => endpoints.MapGet("/close", context =>
        {
            context.Abort();
            return Task.CompletedTask;
        }));
        var ok = _origin.DelayUrls(5, TimeSpan.Zero);
        _input = Path.Combine(_directory, "urls.txt");
        await File.WriteAllLinesAsync(_input,
        [
            "# a mixed list",
            .. ok,
            Url("status/404?i=1"),
            Url("status/404?i=2"),
            Url("close"),
            "mailto:someone@example.test",
            "not a url",
            "",
            "ftp://127.0.0.1/file",
            ok[0],
        ]);
    }

    public async Task DisposeAsync()
    {
        await _origin.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task RunBatchAsync_MixedInputLineSummary_NamesEveryOutcomeAndTheyAddUpToTheLines()
    {
        var (exitCode, stdout) = await RunAsync("line");

        Assert.Equal(3, exitCode);
        var line = Assert.Single(stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"concurrent run, 3 consumers, {InputLines()} line(s): ", line, StringComparison.Ordinal);
        AssertOutcomes(Counts(line));

        // The rate counts the 8 fetches (5 ok, 2 x 404, 1 closed), not the 12 lines.
        Assert.Contains("; 8 fetches in ", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunBatchAsync_MixedInputJsonSummary_KeepsThePeerContractAndAddsEveryOutcome()
    {
        var (exitCode, stdout) = await RunAsync("json");

        Assert.Equal(3, exitCode);
        var json = JsonDocument.Parse(Assert.Single(stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries))).RootElement;
        Assert.Equal(InputLines(), json.GetProperty("n").GetInt64());
        Assert.Equal(5, json.GetProperty("ok").GetInt64());
        Assert.Equal(InputLines() - 5, json.GetProperty("failed").GetInt64());
        Assert.True(json.GetProperty("rps").GetDouble() > 0);
        AssertOutcomes(json.GetProperty("outcomes").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt64()));
    }

    [Fact]
    public async Task RunBatchAsync_MixedInputReport_NamesEveryOutcomeAndTheyAddUpToTheLines()
    {
        var (exitCode, stdout) = await RunAsync("report");

        Assert.Equal(3, exitCode);
        var line = Assert.Single(stdout.Split('\n'), l => l.StartsWith("  lines ", StringComparison.Ordinal));
        Assert.StartsWith($"  lines          {InputLines()}  (", line, StringComparison.Ordinal);
        AssertOutcomes(Counts(line));
        Assert.Contains(" fetches/s (8 fetches: ", stdout, StringComparison.Ordinal);
        Assert.Contains($"{InputLines()} settled: 8 fetched to an end (succeeded, http_error, failed), 4 not (invalid, duplicate, cancelled, pending)", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunBatchAsync_MixedInputCompare_TableRowsUseTheOutcomeNames()
    {
        var (exitCode, stdout) = await RunAsync("report", "Compare");

        Assert.Equal(3, exitCode);
        Assert.Contains($"Sequential vs concurrent, same {InputLines()} line(s)", stdout, StringComparison.Ordinal);
        var rows = stdout.Split('\n')
            .Select(l => TableRow().Match(l))
            .Where(m => m.Success && Expected.ContainsKey(m.Groups["name"].Value))
            .ToList();
        Assert.Equal(Expected.Keys, rows.Select(m => m.Groups["name"].Value));
        foreach (var row in rows)
        {
            Assert.Equal(Expected[row.Groups["name"].Value], long.Parse(row.Groups["sequential"].Value, CultureInfo.InvariantCulture));
            Assert.Equal(Expected[row.Groups["name"].Value], long.Parse(row.Groups["concurrent"].Value, CultureInfo.InvariantCulture));
        }

        Assert.Contains("  warning        12 result(s) were neither succeeded nor duplicate", stdout, StringComparison.Ordinal);
    }

    private static void AssertOutcomes(Dictionary<string, long> counts)
    {
        Assert.Equal(Expected.Keys, counts.Keys);
        Assert.Equal(Expected, counts);
        Assert.Equal(InputLines(), counts.Values.Sum());
    }

    // Lines that are neither blank nor a comment: what every summary must account for.
    private static long InputLines() => 12;

    private static Dictionary<string, long> Counts(string text)
        => OutcomeCount().Matches(text).ToDictionary(m => m.Groups["name"].Value, m => long.Parse(m.Groups["count"].Value, CultureInfo.InvariantCulture));

    [GeneratedRegex(@"(?<count>\d+) (?<name>succeeded|http_error|failed|invalid|duplicate|cancelled|pending)\b")]
    private static partial Regex OutcomeCount();

    [GeneratedRegex(@"^  (?<name>\S+) +(?<sequential>\d+) +(?<concurrent>\d+)$")]
    private static partial Regex TableRow();

    private string Url(string path) => new Uri(_origin.BaseAddress, path).ToString();

    private async Task<(int ExitCode, string Out)> RunAsync(string summary, string mode = "Concurrent")
    {
        var (exitCode, stdout, _) = await WorkerHost.RunAsync(
            "--input", _input, "--mode", mode, "--concurrency", "3",
            "--output", Path.Combine(_directory, $"results-{summary}-{mode}.jsonl"),
            "--summary", summary,
            "--Pipeline:Http:Retry:MaxRetries=0",
            $"--Pipeline:StateDirectory={Path.Combine(_directory, "state")}");
        return (exitCode, stdout);
    }
}
