using System.Globalization;

namespace Pipeline.Fetching;

/// <summary>How durations read in failure reasons.</summary>
internal static class FetchText
{
    public static string Seconds(TimeSpan duration)
        => duration.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + " s";
}
