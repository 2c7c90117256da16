namespace Pipeline.Tests.Support;

/// <summary>
/// Tests that read the process-wide <c>Pipeline</c> meter. Its instruments are static and a
/// MeterListener hears every run in the process, so these run alone, after the parallel tests.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MeterIsolation
{
    public const string Name = "Pipeline meter";
}
