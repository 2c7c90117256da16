using System.Collections;
using System.Globalization;

namespace Pipeline.Fetching;

/// <summary>
/// A set of HTTP status codes written as a list of codes and inclusive ranges, <c>200..299,403</c>:
/// the statuses <see cref="HttpFetchOptions.AcceptStatuses"/> counts as success.
/// </summary>
internal sealed class StatusSet
{
    /// <summary>The lowest status code a list may name.</summary>
    public const int Min = 100;

    /// <summary>The highest status code a list may name (the three digits HTTP allows).</summary>
    public const int Max = 999;

    private readonly BitArray _codes;

    private StatusSet(BitArray codes) => _codes = codes;

    /// <summary>Gets whether the set holds a status code.</summary>
    /// <param name="status">The status code.</param>
    /// <returns><see langword="true"/> when it is in the set.</returns>
    public bool Contains(int status) => status is >= Min and <= Max && _codes[status];

    /// <summary>Reads a list such as <c>200..299,403</c>.</summary>
    /// <param name="text">The list: codes and inclusive ranges <c>low..high</c>, separated by commas; spaces are ignored.</param>
    /// <param name="set">The set, when the list is valid.</param>
    /// <param name="problem">What is wrong with the list, when it is not.</param>
    /// <returns>Whether the list is valid.</returns>
    public static bool TryParse(string? text, out StatusSet set, out string? problem)
    {
        var codes = new BitArray(Max + 1);
        set = new StatusSet(codes);
        problem = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            problem = "the list is empty";
            return false;
        }

        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            var dots = part.IndexOf("..", StringComparison.Ordinal);
            var (lowText, highText) = dots < 0 ? (part, part) : (part[..dots].Trim(), part[(dots + 2)..].Trim());
            if (!TryCode(lowText, out var low) || !TryCode(highText, out var high))
            {
                problem = part.Length == 0
                    ? "an entry is empty"
                    : $"'{part}' is not a status code ({Min}-{Max}) or a range of them such as 200..299";
                return false;
            }

            if (low > high)
            {
                problem = $"the range '{part}' is empty (write the lower code first)";
                return false;
            }

            for (var code = low; code <= high; code++)
            {
                codes[code] = true;
            }
        }

        return true;
    }

    private static bool TryCode(string text, out int code)
        => int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out code) && code is >= Min and <= Max;
}
