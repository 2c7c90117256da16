namespace Pipeline.Tests.Running.Contract;

/// <summary>The runner's contract with several copies of the same consumer loop.</summary>
public sealed class ConcurrentRunnerContractTests : RunnerContractTests
{
    protected override PipelineMode Mode => PipelineMode.Concurrent;

    protected override int Consumers => 3;
}
