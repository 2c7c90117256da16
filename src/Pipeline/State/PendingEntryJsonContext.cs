using System.Text.Json.Serialization;

namespace Pipeline.State;

/// <summary>Source-generated JSON for one line of <c>pending.jsonl</c> (not indented: one entry per line).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(RunStateStore.PendingEntry))]
internal sealed partial class PendingEntryJsonContext : JsonSerializerContext;
