using Pipeline.Running;
using Pipeline.Sources;

namespace Pipeline.Tests.Support;

/// <summary>An observer whose hooks are set by the test.</summary>
public sealed class CallbackObserver : IRunObserver
{
    public Action? RunStarted { get; init; }

    public Action<WorkItem>? ProducerBlocked { get; init; }

    public Action<WorkItem, int>? FetchStarted { get; init; }

    public void OnRunStarted(RunPlan plan, RunCounters counters) => RunStarted?.Invoke();

    public void OnProducerBlocked(WorkItem item) => ProducerBlocked?.Invoke(item);

    public void OnFetchStarted(WorkItem item, int consumerId) => FetchStarted?.Invoke(item, consumerId);
}
