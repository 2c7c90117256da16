namespace Pipeline.Tests.Running.Contract;

/// <summary>The runner's contract with one consumer loop.</summary>
public sealed class SequentialRunnerContractTests : RunnerContractTests
{
    protected override PipelineMode Mode => PipelineMode.Sequential;

    protected override int Consumers => 1;
}
