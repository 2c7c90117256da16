namespace Pipeline.Sources;

/// <summary>A source that a stopped run can continue where it left off.</summary>
public interface IResumableUrlSource : IUrlSource
{
    /// <summary>Gets a value that changes when the source's content changes; a checkpoint is only used while it matches.</summary>
    string Fingerprint { get; }

    /// <summary>Returns a source that yields what comes after the position.</summary>
    /// <param name="position">Where the stopped run got to.</param>
    /// <returns>The remaining source.</returns>
    IUrlSource StartAfter(SourcePosition position);
}
