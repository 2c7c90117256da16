using System.Diagnostics;

namespace Pipeline.Tests.Support;

/// <summary>Takes screenshots with headless Chromium, offline and with a throw-away profile.</summary>
public static class Chromium
{
    /// <summary>Gets the Chromium executable on the PATH, or <see langword="null"/>.</summary>
    public static string? Path { get; } = Find();

    public static async Task ScreenshotAsync(string htmlPath, string pngPath, int width = 1400, int height = 900)
    {
        var executable = Path ?? throw new InvalidOperationException("chromium is not installed: apt-get install -y chromium (the CI image must have it)");
        var profile = Directory.CreateTempSubdirectory("chromium-profile-").FullName;
        try
        {
            var start = new ProcessStartInfo(executable)
            {
                RedirectStandardError = true,
                RedirectStandardOutput = true,
            };
            foreach (var argument in new[]
            {
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", $"--user-data-dir={profile}", $"--screenshot={pngPath}",
                $"--window-size={width},{height}", new Uri(htmlPath).AbsoluteUri,
            })
            {
                start.ArgumentList.Add(argument);
            }

            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync().Guarded();
            if (process.ExitCode != 0 || !File.Exists(pngPath))
            {
                throw new InvalidOperationException($"chromium exited with {process.ExitCode}: {await output}{await error}");
            }
        }
        finally
        {
            Directory.Delete(profile, recursive: true);
        }
    }

    private static string? Find()
        => (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .SelectMany(directory => new[] { "chromium", "chromium-browser" }.Select(name => System.IO.Path.Combine(directory, name)))
            .FirstOrDefault(File.Exists);
}
