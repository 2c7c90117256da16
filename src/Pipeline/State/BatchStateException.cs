namespace Pipeline.State;

/// <summary>
/// The saved state stops this start: it belongs to another batch, it is damaged, or another process
/// holds it. The message is one line for the user, naming the path and the way out; hosts report it
/// with exit code 2 and no stack trace.
/// </summary>
public class BatchStateException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="BatchStateException"/> class.</summary>
    /// <param name="path">The state file or folder concerned.</param>
    /// <param name="message">The one-line message.</param>
    public BatchStateException(string path, string message)
        : base(message)
    {
        Path = path;
    }

    /// <summary>Initializes a new instance of the <see cref="BatchStateException"/> class.</summary>
    public BatchStateException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="BatchStateException"/> class.</summary>
    /// <param name="message">The message.</param>
    public BatchStateException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="BatchStateException"/> class.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public BatchStateException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Gets the state file or folder concerned.</summary>
    public string? Path { get; }

    /// <summary>Gets why the start was refused.</summary>
    public BatchStateProblem Problem { get; init; }
}
