namespace Pipeline.State;

/// <summary>Another process holds the lock on a state folder or results file.</summary>
public sealed class StateLockedException : BatchStateException
{
    /// <summary>Initializes a new instance of the <see cref="StateLockedException"/> class.</summary>
    /// <param name="path">The locked folder or file.</param>
    /// <param name="pid">The holder's process id, when known.</param>
    /// <param name="role">The holder's role, when known.</param>
    public StateLockedException(string path, int? pid, string? role)
        : base(path, $"{path} is in use by another Pipeline process{(pid is { } p ? $" (pid {p}{(role is null ? string.Empty : $", {role}")})" : string.Empty)}: one instance per state folder and results file. Wait for it to finish, or stop it, then run again.")
    {
        Pid = pid;
        Problem = BatchStateProblem.Locked;
    }

    /// <summary>Initializes a new instance of the <see cref="StateLockedException"/> class.</summary>
    public StateLockedException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="StateLockedException"/> class.</summary>
    /// <param name="message">The message.</param>
    public StateLockedException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="StateLockedException"/> class.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public StateLockedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Gets the holder's process id, when known.</summary>
    public int? Pid { get; }
}
