namespace Pipeline.Benchmarks;

/// <summary>Where <see cref="ResultSinkBenchmarks"/> writes.</summary>
public enum SinkTarget
{
    /// <summary><see cref="Stream.Null"/>: serialisation only.</summary>
    Null,

    /// <summary>A results file as the worker opens it (64 KiB buffer, asynchronous), in the temp folder.</summary>
    File,
}
