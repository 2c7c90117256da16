using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Fetching;
using Pipeline.Running;
using Pipeline.Sources;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.Sinks;

/// <summary>docs/results.md is the schema of a results record: the real pipeline writes exactly what it documents.</summary>
public sealed partial class ResultSchemaTests : OriginTest, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("pipeline-schema-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task RunAsync_EveryKindOfLine_WritesExactlyTheDocumentedFieldsWithTheirTypes()
    {
        var fields = DocumentedFields();
        var output = Path.Combine(_directory, "results.jsonl");
        var urls = new[]
        {
            Origin.Url("echo/schema?size=10"),
            Origin.Url("fault/chain/2"),
            Origin.Url("fault/status/404"),
            Origin.Url("fault/loop"),
            Origin.Url("bytes/5000"),
            Origin.Url("fault/gzip/100"),
            "not a url",
            Origin.Url("echo/schema?size=10"),
            "http://127.0.0.1:9/refused",
        };
        using var services = PipelineServices.Create(new Dictionary<string, string?>
        {
            ["Pipeline:Mode"] = "Concurrent",
            ["Pipeline:Output"] = output,
            ["Pipeline:StateDirectory"] = Path.Combine(_directory, "state"),
            ["Pipeline:Telemetry:Report"] = string.Empty,
            ["Pipeline:Http:MaxResponseBytes"] = "1000",
            ["Pipeline:Http:Retry:MaxRetries"] = "0",
        });

        await services.GetRequiredService<PipelineJob>().RunAsync([new ListUrlSource("list", urls)], null, CancellationToken.None).Guarded();

        var records = (await File.ReadAllLinesAsync(output)).Select(line => JsonDocument.Parse(line).RootElement).OrderBy(r => r.GetProperty("line").GetInt64()).ToList();
        Assert.Equal(urls.Length, records.Count);
        foreach (var record in records)
        {
            foreach (var property in record.EnumerateObject())
            {
                Assert.True(fields.TryGetValue(property.Name, out var field), $"'{property.Name}' is written but not documented in docs/results.md");
                Assert.True(field.Kinds.Contains(property.Value.ValueKind), $"'{property.Name}' is {property.Value.ValueKind}; docs/results.md says {field.Type}");
            }

            foreach (var (name, field) in fields.Where(f => f.Value.Always))
            {
                Assert.True(record.TryGetProperty(name, out _), $"'{name}' is documented as always present but missing from line {record.GetProperty("line")}");
            }
        }

        // And the values say what the doc says they mean, one line of each kind.
        Assert.Equal(
            ["succeeded", "succeeded", "http_error", "failed", "failed", "succeeded", "invalid", "duplicate", "failed"],
            records.Select(r => r.GetProperty("outcome").GetString()));
        Assert.Equal(
            [null, null, "404", "redirect_loop", "too_large", null, "invalid_url", null, "connection_error"],
            records.Select(r => r.GetProperty("errorType").GetString()));
        Assert.Equal([0, 2, 0, 0, 0, 0, 0, 0, 0], records.Select(r => r.GetProperty("redirects").GetInt32()));
        Assert.Equal(urls[0], records[0].GetProperty("finalUrl").GetString());
        Assert.Equal(Origin.Url("fault/chain/0"), records[1].GetProperty("finalUrl").GetString());
        Assert.Equal(JsonValueKind.Null, records[6].GetProperty("finalUrl").ValueKind);
        Assert.Equal("text/plain; charset=utf-8", records[0].GetProperty("contentType").GetString());
        Assert.Equal((10, 10), (records[0].GetProperty("contentLength").GetInt64(), records[0].GetProperty("bytes").GetInt64()));
        Assert.Equal(5000, records[4].GetProperty("contentLength").GetInt64());
        Assert.Equal((JsonValueKind.Null, 100), (records[5].GetProperty("contentLength").ValueKind, records[5].GetProperty("bytes").GetInt64()));
        Assert.Equal(JsonValueKind.Null, records[6].GetProperty("contentType").ValueKind);
    }

    [Fact]
    public void ErrorTypes_DocumentedList_IsTheListInTheCode()
    {
        var section = Section("error-types");
        var named = section.Split('\n')
            .Select(row => ErrorTypeRow().Match(row))
            .Where(match => match.Success)
            .Select(match => match.Groups[1].Value)
            .ToList();

        Assert.Equal(ErrorTypes.All, named);
    }

    private static Dictionary<string, Field> DocumentedFields()
    {
        var fields = new Dictionary<string, Field>(StringComparer.Ordinal);
        foreach (var row in Section("record-fields").Split('\n'))
        {
            var cells = row.Split('|', StringSplitOptions.TrimEntries);
            if (cells.Length < 5 || !cells[1].StartsWith('`'))
            {
                continue;
            }

            var kinds = cells[2].Split(" or ", StringSplitOptions.TrimEntries).Select(type => type switch
            {
                "string" => JsonValueKind.String,
                "integer" or "number" => JsonValueKind.Number,
                "boolean" => JsonValueKind.True,
                "object" => JsonValueKind.Object,
                "null" => JsonValueKind.Null,
                _ => throw new InvalidOperationException($"docs/results.md: unknown type '{type}' of {cells[1]}"),
            }).ToHashSet();
            if (kinds.Contains(JsonValueKind.True))
            {
                kinds.Add(JsonValueKind.False);
            }

            fields.Add(cells[1].Trim('`'), new Field(cells[2], kinds, cells[3] == "always"));
        }

        Assert.NotEmpty(fields);
        return fields;
    }

    private static string Section(string name)
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Pipeline.sln")))
        {
            directory = directory.Parent;
        }

        var text = File.ReadAllText(Path.Combine(directory!.FullName, "docs", "results.md")).ReplaceLineEndings("\n");
        var begin = text.IndexOf($"<!-- {name}: begin -->", StringComparison.Ordinal);
        var end = text.IndexOf($"<!-- {name}: end -->", StringComparison.Ordinal);
        Assert.True(begin >= 0 && end > begin, $"docs/results.md has no '{name}' section");
        return text[begin..end];
    }

    // A row whose first cell is exactly one named value: "| `timeout` | ...".
    [GeneratedRegex(@"^\| `([^`]+)` \|")]
    private static partial Regex ErrorTypeRow();

    private sealed record Field(string Type, HashSet<JsonValueKind> Kinds, bool Always);
}
