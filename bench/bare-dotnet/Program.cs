using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;

// The ~60-line program a user would write instead of Pipeline (issue 6's "bare .NET"): one
// HttpClient, one bounded channel of 2 x C URLs, C reader loops, every body read, no results file,
// no retries, no tracing, .NET's default settings. Follows the shared harness's peer contract:
//   BareDotnet URLS_FILE C   ->   one JSON line {tool, n, c, ok, failed, wall_s, rps, peak_rss_mb}
if (args.Length != 2 || !int.TryParse(args[1], CultureInfo.InvariantCulture, out var concurrency) || concurrency < 1)
{
    await Console.Error.WriteLineAsync("usage: BareDotnet URLS_FILE C");
    return 2;
}

using var client = new HttpClient();
var channel = Channel.CreateBounded<Uri>(2 * concurrency);
long ok = 0;
long failed = 0;
var watch = Stopwatch.StartNew();
var readers = new Task[concurrency];
for (var i = 0; i < concurrency; i++)
{
    readers[i] = Task.Run(async () =>
    {
        await foreach (var url in channel.Reader.ReadAllAsync())
        {
            try
            {
                using var response = await client.GetAsync(url);
                _ = await response.Content.ReadAsByteArrayAsync();
                if (response.IsSuccessStatusCode)
                {
                    Interlocked.Increment(ref ok);
                }
                else
                {
                    Interlocked.Increment(ref failed);
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                Interlocked.Increment(ref failed);
            }
        }
    });
}

using (var file = File.OpenText(args[0]))
{
    while (await file.ReadLineAsync() is { } line)
    {
        if (Uri.TryCreate(line.Trim(), UriKind.Absolute, out var url))
        {
            await channel.Writer.WriteAsync(url);
        }
    }
}

channel.Writer.Complete();
await Task.WhenAll(readers);
var wall = watch.Elapsed.TotalSeconds;
var n = ok + failed;
using var self = Process.GetCurrentProcess();
Console.WriteLine(string.Create(
    CultureInfo.InvariantCulture,
    $"{{\"tool\":\"bare-dotnet\",\"n\":{n},\"c\":{concurrency},\"ok\":{ok},\"failed\":{failed},\"wall_s\":{wall:0.0000},\"rps\":{n / wall:0.0},\"peak_rss_mb\":{self.PeakWorkingSet64 / 1048576.0:0.0}}}"));
return 0;
