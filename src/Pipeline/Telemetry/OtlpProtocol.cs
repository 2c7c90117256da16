namespace Pipeline.Telemetry;

/// <summary>The transport of the OTLP exporter.</summary>
public enum OtlpProtocol
{
    /// <summary>gRPC, usually on port 4317.</summary>
    Grpc,

    /// <summary>Protobuf over HTTP POST to <c>/v1/traces</c> and <c>/v1/metrics</c>, usually on port 4318.</summary>
    HttpProtobuf,
}
