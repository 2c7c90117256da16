using System.Text.Json;

namespace Pipeline.Worker.Hosting.Settings;

/// <summary>Where and why a settings file did not parse, as a person opening it in an editor needs it.</summary>
/// <param name="Path">The file.</param>
/// <param name="Line">The 1-based line, or <see langword="null"/> when the parser did not say.</param>
/// <param name="Column">The 1-based column (byte in the line), or <see langword="null"/>.</param>
/// <param name="Reason">The parser's message, without its position suffix.</param>
internal sealed record SettingsFileError(string Path, long? Line, long? Column, string Reason)
{
    /// <summary>Reads the position from the parser's exception.</summary>
    /// <param name="path">The file.</param>
    /// <param name="exception">The provider's exception; its inner one is the parser's.</param>
    /// <returns>The error.</returns>
    public static SettingsFileError From(string path, Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (exception.InnerException is JsonException json)
        {
            // System.Text.Json counts from 0 and appends " LineNumber: … | BytePositionInLine: …." to the message.
            var reason = json.Message;
            var suffix = reason.IndexOf(" LineNumber:", StringComparison.Ordinal);
            reason = suffix > 0 ? reason[..suffix] : reason;
            var path2 = reason.IndexOf(" Path:", StringComparison.Ordinal);
            reason = path2 > 0 ? reason[..path2] : reason;
            return new SettingsFileError(path, json.LineNumber + 1, json.BytePositionInLine + 1, reason.TrimEnd());
        }

        return new SettingsFileError(path, null, null, exception.Message);
    }
}
