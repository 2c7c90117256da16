using System.Text.Json.Serialization;

namespace Pipeline.State;

/// <summary>Source-generated JSON for <c>checkpoints.json</c>: no reflection, so the NativeAOT binary reads and writes it too.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(List<Checkpoint>))]
internal sealed partial class CheckpointJsonContext : JsonSerializerContext;
