using System.Diagnostics;
using System.Text.Json;

namespace Pipeline.Sources;

/// <summary>
/// What a source that must hear back (a broker) attaches to an item: how to acknowledge or return it,
/// the trace it continues, and what it needs written into the item's result. The pipeline carries it
/// from the item to the result without knowing what is inside.
/// </summary>
/// <remarks>
/// The runner's sink stage calls exactly one of <see cref="CompleteAsync"/> and <see cref="ReleaseAsync"/>
/// per item, and only after the item's result has been written and flushed: an item is never
/// acknowledged before its result is durable. Items of sources that need none of this (files, lists)
/// carry no delivery and are checkpointed instead.
/// </remarks>
public interface IWorkDelivery
{
    /// <summary>Gets the trace context the item was published under in another process, so its fetch joins that trace; <see langword="null"/> when none.</summary>
    ActivityContext? ParentContext { get; }

    /// <summary>The item has its final result, written by the sink: the source may forget it.</summary>
    /// <param name="cancellationToken">Stops waiting for the source.</param>
    /// <returns>A task that completes when the source has taken the acknowledgement.</returns>
    ValueTask CompleteAsync(CancellationToken cancellationToken);

    /// <summary>The run stopped before the item was fetched: the source should hand it to someone else.</summary>
    /// <param name="cancellationToken">Stops waiting for the source.</param>
    /// <returns>A task that completes when the source has taken the item back.</returns>
    ValueTask ReleaseAsync(CancellationToken cancellationToken);

    /// <summary>Writes the fields the source needs in the item's result record (a message id, say), after the record's own fields.</summary>
    /// <param name="writer">The writer, inside the record's JSON object.</param>
    void WriteResultFields(Utf8JsonWriter writer);
}
