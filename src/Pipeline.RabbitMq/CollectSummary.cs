using Pipeline.Running;

namespace Pipeline.RabbitMq;

/// <summary>What a collector gathered.</summary>
/// <param name="Run">The results summarised as one run, as the in-process pipeline reports it.</param>
/// <param name="Written">Distinct results written to the file.</param>
/// <param name="DuplicatesDropped">Results for a message already written (a worker died after publishing but before acking).</param>
/// <param name="Redelivered">Written results whose URL had been delivered to a worker before.</param>
/// <param name="Batches">Batches announced by their producer, with how many of their results arrived.</param>
public sealed record CollectSummary(RunSummary Run, long Written, long DuplicatesDropped, long Redelivered, IReadOnlyDictionary<string, (long Expected, long Received)> Batches)
{
    /// <summary>Gets a value indicating whether every announced batch has all its results.</summary>
    public bool Complete => AllComplete(Batches);

    /// <summary>Whether at least one batch is known and every known one has all its results.</summary>
    internal static bool AllComplete(IReadOnlyDictionary<string, (long Expected, long Received)> batches)
        => batches.Count > 0 && batches.Values.All(b => b.Received >= b.Expected);
}
