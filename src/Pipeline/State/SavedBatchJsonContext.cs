using System.Text.Json.Serialization;

namespace Pipeline.State;

/// <summary>Source-generated JSON for the state in <c>checkpoints.json</c>: no reflection, so the NativeAOT binary reads and writes it too.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(SavedBatch))]
internal sealed partial class SavedBatchJsonContext : JsonSerializerContext;
