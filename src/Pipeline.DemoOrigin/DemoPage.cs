using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace Pipeline.DemoOrigin;

/// <summary>
/// The generated HTML page behind <c>/page/{links}</c>: a title and <c>links</c> absolute links in a list,
/// made once per size and cached, so that serving it is cheap and processing it is not.
/// </summary>
/// <remarks>
/// Each link is about 64 bytes (10,000 links ≈ 0.7 MB). Its <c>title</c> is
/// <c>Demo page with {links} links</c>; every link is absolute (<c>https://demo.example/items/{i}?ref=page</c>),
/// so the <c>links</c> step counts exactly <c>links</c>. The links point at a reserved name and are never fetched.
/// </remarks>
public static class DemoPage
{
    private static readonly ConcurrentDictionary<int, byte[]> Pages = new();

    /// <summary>Gets the page with the given number of links.</summary>
    /// <param name="links">How many links.</param>
    /// <returns>The UTF-8 bytes of the page.</returns>
    public static byte[] Get(int links) => Pages.GetOrAdd(links, Make);

    /// <summary>Gets the title the page with the given number of links has.</summary>
    /// <param name="links">How many links.</param>
    /// <returns>The title.</returns>
    public static string Title(int links) => string.Create(CultureInfo.InvariantCulture, $"Demo page with {links} links");

    private static byte[] Make(int links)
    {
        var html = new StringBuilder(256 + (links * 64));
        html.Append("<!doctype html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>").Append(Title(links)).Append("</title></head>\n<body>\n<ul>\n");
        for (var i = 1; i <= links; i++)
        {
            html.Append(CultureInfo.InvariantCulture, $"<li><a href=\"https://demo.example/items/{i}?ref=page\">Item {i}</a></li>\n");
        }

        html.Append("</ul>\n</body>\n</html>\n");
        return Encoding.UTF8.GetBytes(html.ToString());
    }
}
