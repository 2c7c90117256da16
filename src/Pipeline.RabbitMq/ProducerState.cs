using Pipeline.State;

namespace Pipeline.RabbitMq;

/// <summary>
/// Everything a producer must remember to carry its batch on after any stop, <c>kill -9</c> included:
/// the batch id, how many messages the broker confirmed, and how far each source was confirmed.
/// </summary>
/// <remarks>
/// One record in one file (<see cref="ProducerStateFile"/>), replaced atomically: the batch id and the
/// positions can never come from two different saves. Taken in the publish loop between two
/// confirmations, so <paramref name="Published"/> counts exactly the lines the positions cover.
/// </remarks>
/// <param name="Batch">The batch id a resumed run keeps.</param>
/// <param name="Published">Messages confirmed so far, over every run of the batch.</param>
/// <param name="Sources">Each source's checkpoint: every line up to <see cref="Checkpoint.LastLine"/> was confirmed;
/// <see cref="Checkpoint.Exhausted"/> once the source was read to its end and all of it confirmed.</param>
internal sealed record ProducerState(string Batch, long Published, IReadOnlyList<Checkpoint> Sources);
