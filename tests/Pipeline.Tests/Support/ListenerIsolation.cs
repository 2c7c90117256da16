namespace Pipeline.Tests.Support;

/// <summary>
/// Tests whose outcome depends on which ActivityListeners exist: a sampling decision is the most
/// generous of every listener's, so another test's capture would sample what these expect dropped.
/// They run alone, after the parallel tests.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ListenerIsolation
{
    public const string Name = "Process-wide span listeners";
}
