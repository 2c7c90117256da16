namespace Pipeline.Worker.Hosting;

/// <summary>Where the product's own output goes: the summary on stdout, progress and errors on stderr.</summary>
/// <remarks>A type of its own so tests can capture what a user would see.</remarks>
/// <param name="out">The writer for results and summaries.</param>
/// <param name="error">The writer for progress and configuration errors.</param>
/// <param name="isInteractive">Whether a person is watching a terminal (live progress line) or not (log lines).</param>
internal sealed class ConsoleOutput(TextWriter @out, TextWriter error, bool isInteractive)
{
    /// <summary>Gets the writer for results and summaries.</summary>
    public TextWriter Out { get; } = @out;

    /// <summary>Gets the writer for progress and configuration errors.</summary>
    public TextWriter Error { get; } = error;

    /// <summary>Gets a value indicating whether a live progress line may be drawn.</summary>
    public bool IsInteractive { get; } = isInteractive;

    /// <summary>Gets the terminal's width in columns (100 when it cannot be told).</summary>
    public int Width
    {
        get
        {
            if (!IsInteractive || !ReferenceEquals(Error, Console.Error))
            {
                return 100;
            }

            try
            {
                return Console.WindowWidth > 0 ? Console.WindowWidth : 100;
            }
            catch (IOException)
            {
                return 100;
            }
        }
    }

    /// <summary>Gets the process console, interactive when stderr is a terminal and <c>CI</c> is not set.</summary>
    public static ConsoleOutput System { get; } = new(
        Console.Out,
        Console.Error,
        !Console.IsErrorRedirected && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")));
}
