namespace Pipeline.RabbitMq;

/// <summary>What a producer run published.</summary>
/// <param name="Batch">The batch id stamped on every message.</param>
/// <param name="Published">Messages the broker confirmed.</param>
/// <param name="Invalid">Of those, lines that are not usable URLs (published too, so they reach the results with their reason).</param>
/// <param name="Duplicates">Of those, URLs seen before in the batch (published marked, fetched once).</param>
/// <param name="Wall">From the first read to the last confirmation.</param>
/// <param name="Interrupted">Whether the run was stopped before every source was read.</param>
/// <param name="LastPosition">The last line whose message was confirmed (<c>source:line</c>), or <see langword="null"/>.</param>
public sealed record PublishSummary(string Batch, long Published, long Invalid, long Duplicates, TimeSpan Wall, bool Interrupted, string? LastPosition)
{
    /// <summary>Gets a value indicating whether this run continued an interrupted one.</summary>
    public bool Resumed { get; init; }

    /// <summary>Gets the messages of the batch confirmed so far, earlier interrupted runs included.</summary>
    public long Total { get; init; }

    /// <summary>Gets what went wrong with the broker (connection lost, message refused) when that stopped the run, or <see langword="null"/>.</summary>
    /// <remarks>The batch and its confirmed positions are saved then, as when stopped.</remarks>
    public string? BrokerFailure { get; init; }
}
