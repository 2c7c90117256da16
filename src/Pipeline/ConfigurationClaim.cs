namespace Pipeline;

/// <summary>
/// A configuration section some registered component reads: its path, the options type bound from
/// it (none for a section only declared known) and the keys that type takes.
/// </summary>
/// <remarks>
/// Each assembly registers the sections it owns (the core <c>Pipeline</c> and <c>Pipeline:Http</c>,
/// the worker <c>Pipeline:Service</c>, the broker <c>Pipeline:RabbitMq</c> ...), so the core checks
/// for unknown keys without knowing the host's sections by name.
/// </remarks>
/// <param name="Path">The section's full path.</param>
/// <param name="Owner">The options type bound from it, or <see langword="null"/>.</param>
/// <param name="Keys">The keys that type takes.</param>
public sealed record ConfigurationClaim(string Path, Type? Owner, IReadOnlyCollection<string> Keys);
