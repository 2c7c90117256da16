using System.Text;

namespace Pipeline.Sources;

/// <summary>
/// Reads lines from a <see cref="TextReader"/> without ever holding more than
/// <c>maxLength</c> characters of one line: a file with a gigabyte-long line (or no line breaks at
/// all) costs the same memory as any other.
/// </summary>
/// <remarks><see cref="StreamReader.ReadLineAsync()"/> would buffer the whole line before returning it.</remarks>
internal sealed class BoundedLineReader(TextReader reader, int maxLength)
{
    private readonly char[] _buffer = new char[16 * 1024];
    private readonly StringBuilder _line = new();
    private int _position;
    private int _length;
    private bool _sawCarriageReturn;

    /// <summary>Reads the next line.</summary>
    /// <param name="cancellationToken">Stops the read.</param>
    /// <returns>The line (or its first <c>maxLength</c> characters) and its full length; <see langword="null"/> at the end.</returns>
    public async ValueTask<(string Text, long Length)?> ReadLineAsync(CancellationToken cancellationToken)
    {
        _line.Clear();
        long length = 0;
        var any = false;
        while (true)
        {
            if (_position == _length)
            {
                _length = await reader.ReadAsync(_buffer.AsMemory(), cancellationToken);
                _position = 0;
                if (_length == 0)
                {
                    return any ? (_line.ToString(), length) : null;
                }
            }

            // A "\r\n" split across two buffers must not count as an empty line.
            if (_sawCarriageReturn)
            {
                _sawCarriageReturn = false;
                if (_buffer[_position] == '\n')
                {
                    _position++;
                    continue;
                }
            }

            any = true;
            var span = _buffer.AsSpan(_position, _length - _position);
            var end = span.IndexOfAny('\r', '\n');
            var chunk = end < 0 ? span : span[..end];
            var room = maxLength - _line.Length;
            if (room > 0)
            {
                _line.Append(chunk[..Math.Min(room, chunk.Length)]);
            }

            length += chunk.Length;
            if (end < 0)
            {
                _position = _length;
                continue;
            }

            _sawCarriageReturn = span[end] == '\r';
            _position += end + 1;
            return (_line.ToString(), length);
        }
    }
}
