using Pipeline.Running;
using Pipeline.Sources;

namespace Pipeline.Tests.Support;

/// <summary>An observer whose hooks are set by the test.</summary>
public sealed class CallbackObserver : IRunObserver
{
    public Action<string>? ProducerBlocked { get; init; }

    public Action<WorkItem, int>? FetchStarted { get; init; }

    public void OnProducerBlocked(string source) => ProducerBlocked?.Invoke(source);

    public void OnFetchStarted(WorkItem item, int consumerId) => FetchStarted?.Invoke(item, consumerId);
}
