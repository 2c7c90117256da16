namespace Pipeline.Telemetry;

/// <summary>Where the console span exporter writes; a host replaces it to keep standard output for its summary.</summary>
/// <param name="writer">The writer, standard error by default.</param>
public sealed class TelemetryConsole(TextWriter writer)
{
    /// <summary>Gets the writer span lines go to.</summary>
    public TextWriter Writer { get; } = writer;
}
