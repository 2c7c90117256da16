namespace Pipeline.Worker.Tests.Hosting;

/// <summary>
/// Tests that run the worker host inside the test process share one collection, so they run one at
/// a time: the host's TracerProvider listens to the process-wide <c>Pipeline</c> ActivitySource and
/// would otherwise also export the spans of a host another test is running.
/// </summary>
[CollectionDefinition(Name)]
public sealed class InProcessHostTests
{
    public const string Name = "in-process worker host";
}
