#!/usr/bin/env bash
# Pipeline with tracing on, as a peer of the shared benchmark harness:
#   bench/peer-traced.sh URLS_FILE C
# Every span sampled and exported in batches over OTLP http/protobuf to the local receiver
# (bench/otlp-receiver.py, started by bench/run-harness.sh) at http://127.0.0.1:$OTLP_PORT.
# The batch processor's queue is made large enough for a whole W2 run and exports every 200 ms,
# so spans are exported rather than dropped when the queue fills (the receiver counts them).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
port="${OTLP_PORT:-4318}"
if ! curl -fsS -o /dev/null "http://127.0.0.1:$port/stats"; then
  echo "no OTLP receiver on 127.0.0.1:$port: start bench/otlp-receiver.py --port $port first" >&2
  exit 2
fi
export OTEL_BSP_MAX_QUEUE_SIZE="${OTEL_BSP_MAX_QUEUE_SIZE:-262144}"
export OTEL_BSP_SCHEDULE_DELAY="${OTEL_BSP_SCHEDULE_DELAY:-200}"
export OTEL_BSP_MAX_EXPORT_BATCH_SIZE="${OTEL_BSP_MAX_EXPORT_BATCH_SIZE:-2048}"
exec "$here/peer.sh" "$1" "$2" \
  --Pipeline:Telemetry:Exporters=Otlp \
  --Pipeline:Telemetry:OtlpProtocol=HttpProtobuf \
  --Pipeline:Telemetry:OtlpEndpoint="http://127.0.0.1:$port" \
  --Pipeline:Telemetry:SamplingRatio=1
