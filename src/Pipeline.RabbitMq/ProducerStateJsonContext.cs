using System.Text.Json.Serialization;

namespace Pipeline.RabbitMq;

/// <summary>Source-generated JSON for the producer's state file: no reflection, so the NativeAOT binary reads and writes it too.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(ProducerState))]
internal sealed partial class ProducerStateJsonContext : JsonSerializerContext;
