using System.Text;

namespace Pipeline.Worker.Hosting;

/// <summary>
/// The writer the console span exporter gets: span lines go to stderr above the live progress
/// line instead of being glued to its end.
/// </summary>
/// <param name="progress">The progress display that owns the live line.</param>
internal sealed class ProgressAwareWriter(ProgressDisplay progress) : TextWriter
{
    public override Encoding Encoding => Encoding.UTF8;

    public override void Write(string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            progress.WriteAbove(value);
        }
    }

    public override void Write(char value) => progress.WriteAbove(value.ToString());
}
