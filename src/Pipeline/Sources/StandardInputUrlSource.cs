using System.Runtime.CompilerServices;

namespace Pipeline.Sources;

/// <summary>
/// URLs from standard input (<c>--input -</c>), one per line, read as they arrive: the bounded work
/// channel holds the reading back, so <c>producer | pipeline</c> never buffers more than the channel and
/// one read buffer, whatever the producer writes.
/// </summary>
/// <remarks>
/// Not an <see cref="IResumableUrlSource"/>: what was read cannot be read again, so a batch with this
/// source keeps no state (a stop saves nothing) and <see cref="PipelineMode.Compare"/>, which reads its
/// sources twice, refuses it.
/// </remarks>
/// <param name="open">Opens the input; the process's standard input when <see langword="null"/>.</param>
public sealed class StandardInputUrlSource(Func<Stream>? open = null) : IUrlSource
{
    /// <summary>The input path that means standard input.</summary>
    public const string Path = "-";

    /// <summary>The source name results carry.</summary>
    public const string SourceName = "stdin";

    private int _read;

    /// <inheritdoc />
    public string Name => SourceName;

    /// <inheritdoc />
    public long? KnownCount => null;

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">The input was read before: it can be read once.</exception>
    public IAsyncEnumerable<WorkItem> ReadAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _read, 1) != 0)
        {
            throw new InvalidOperationException("Standard input can be read once; a second pass (Compare) would find it empty.");
        }

        return ReadOnceAsync(cancellationToken);
    }

    private async IAsyncEnumerable<WorkItem> ReadOnceAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // A read of a terminal or a pipe blocks until data or the end comes: a stop must not wait for it.
        var input = new AbandonableReadStream((open ?? Console.OpenStandardInput)());
        await foreach (var item in UrlLineStream.ReadAsync(Name, input, 0, null, cancellationToken))
        {
            yield return item;
        }
    }
}
