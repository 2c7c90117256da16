namespace Pipeline.Tests.Support;

/// <summary>
/// A fact that needs headless Chromium. Skipped with the reason when Chromium is missing on a
/// developer machine; in CI (<c>CI</c> set) it runs anyway and fails, so a broken image cannot hide it.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute()
    {
        if (Chromium.Path is null && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")))
        {
            Skip = "chromium is not installed (apt-get install -y chromium); with CI=true this test fails instead of skipping";
        }
    }
}
