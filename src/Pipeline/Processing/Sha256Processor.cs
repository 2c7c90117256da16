namespace Pipeline.Processing;

/// <summary>The <c>sha256</c> step: the SHA-256 of the body that was kept, as lowercase hex.</summary>
internal sealed class Sha256Processor : IResultProcessor
{
    public const string StepName = "sha256";

    public string Name => StepName;

    public bool NeedsBody => true;

    public ValueTask ProcessAsync(ProcessContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Output.Set(StepName, context.Sha256());
        return ValueTask.CompletedTask;
    }
}
