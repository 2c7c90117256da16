using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

using Pipeline.Worker.Tests.Support;

namespace Pipeline.Worker.Tests;

/// <summary>
/// The real worker binary fed credentialed URLs (userinfo and secret query parameters) through a redirect
/// loop, a refused address, retries and an invalid line: the secret reaches no output stream.
/// </summary>
public sealed class SecretRedactionTests : IAsyncDisposable
{
    private const string Secret = "s3cr3t";

    private readonly string _directory = Directory.CreateTempSubdirectory("pipeline-secrets-").FullName;
    private WebApplication? _origin;

    [Fact]
    public async Task Main_CredentialedUrls_SecretReachesNoOutput()
    {
        var origin = await StartOriginAsync();
        string[] lines =
        [
            $"http://user:{Secret}@{origin}/ok?token={Secret}",
            $"http://user:{Secret}@{origin}/loop/0?sig={Secret}",
            $"http://user:{Secret}@169.254.169.254/latest/meta-data/?token={Secret}",
            $"http://user:{Secret}@{origin}/unavailable?password={Secret}",
            $"http://user:{Secret}@{origin}/has space?key={Secret}",
        ];
        var input = Path.Combine(_directory, "urls.txt");
        await File.WriteAllLinesAsync(input, lines);
        var output = Path.Combine(_directory, "results.jsonl");
        var report = Path.Combine(_directory, "report.html");

        var (exitCode, stdout, stderr) = await WorkerProcess.RunAsync(
            "--input", input,
            "--mode", "Concurrent",
            "--output", output,
            "--summary", "report",
            // Both span exporters: Compact writes its lines to standard error, OpenTelemetry's Console exporter
            // its records (attributes, status, HttpClient's own spans) to standard output.
            "--Pipeline:Telemetry:Exporters=Compact, Console",
            $"--Pipeline:Telemetry:Report={report}",
            "--Pipeline:Http:MaxRedirects=1",
            "--Pipeline:Http:Retry:MaxRetries=1",
            "--Pipeline:Http:Retry:BaseDelay=00:00:00",
            "--Logging:LogLevel:Default=Debug");

        var results = await File.ReadAllTextAsync(output);
        var html = await File.ReadAllTextAsync(report);
        Assert.Equal(3, exitCode);
        Assert.DoesNotContain(Secret, stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, results, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, html, StringComparison.Ordinal);

        // The streams did carry each URL, redacted: the absence above is not for want of writing them.
        // (How the rest of the query reads depends on the shipped appsettings.json's safe parameters.)
        Assert.Contains("Refused to connect for http://REDACTED:REDACTED@169.254.169.254/latest/meta-data/?", stderr, StringComparison.Ordinal);
        Assert.Contains($"GET http://REDACTED:REDACTED@{origin}/loop/0?", stderr, StringComparison.Ordinal);
        Assert.Contains("ERROR: too many redirects", stderr, StringComparison.Ordinal);
        Assert.Contains($"url.full: http://REDACTED:REDACTED@{origin}/loop/0?", stdout, StringComparison.Ordinal);
        Assert.Contains($"302 from http://REDACTED:REDACTED@{origin}/loop/1?", stdout, StringComparison.Ordinal);
        Assert.Contains($"url.full: http://{origin}/loop/0?", stdout, StringComparison.Ordinal);
        Assert.Contains($"Retrying http://REDACTED:REDACTED@{origin}/unavailable?", stderr, StringComparison.Ordinal);
        Assert.Contains($"http://REDACTED:REDACTED@{origin}/ok?", html, StringComparison.Ordinal);
        var records = results.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).OrderBy(r => r.GetProperty("line").GetInt64()).ToList();
        Assert.Equal([1L, 2, 3, 4, 5], records.Select(r => r.GetProperty("line").GetInt64()));
        Assert.Equal($"http://REDACTED:REDACTED@{origin}/ok?token=REDACTED", records[0].GetProperty("url").GetString());
        Assert.Contains($"to http://REDACTED:REDACTED@{origin}/loop/", records[1].GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal("address_refused", ErrorTypeOf(records[2]));
    }

    public async ValueTask DisposeAsync()
    {
        if (_origin is not null)
        {
            await _origin.DisposeAsync();
        }

        Directory.Delete(_directory, recursive: true);
    }

    private static string? ErrorTypeOf(JsonElement record)
        => record.GetProperty("error").GetString()!.StartsWith("address 169.254.169.254 refused", StringComparison.Ordinal) ? "address_refused" : null;

    /// <summary>A loopback origin: <c>/ok</c>, <c>/unavailable</c> (503) and <c>/loop/N</c>, which redirects to a credentialed <c>/loop/N+1</c>.</summary>
    private async Task<string> StartOriginAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        _origin = builder.Build();
        _origin.MapGet("/ok", () => "ok\n");
        _origin.MapGet("/unavailable", () => Results.StatusCode(503));
        _origin.MapGet("/loop/{n:int}", (HttpContext context, int n) =>
        {
            var host = context.Request.Host.Value;
            context.Response.StatusCode = 302;
            context.Response.Headers.Location = string.Create(CultureInfo.InvariantCulture, $"http://user:{Secret}@{host}/loop/{n + 1}?token={Secret}");
        });
        await _origin.StartAsync();
        return new Uri(_origin.Urls.First()).Authority;
    }
}
