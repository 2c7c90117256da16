#!/usr/bin/env bash
# Pipeline as a peer of the shared benchmark harness (../shared/bench, see its README):
#   bench/peer.sh URLS_FILE C     C = 1 runs Sequential, anything else Concurrent with C consumers.
# Publishes a Release build once (into bench/.publish), then execs it with the scripted command
# line; the last stdout line is the harness's JSON record.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
bin="$here/.publish/Pipeline.Worker"
if [ ! -x "$bin" ]; then
  dotnet publish "$here/../src/Pipeline.Worker/Pipeline.Worker.csproj" -c Release -o "$here/.publish" >&2
fi
urls="$1"
c="$2"
mode=Concurrent
[ "$c" = "1" ] && mode=Sequential
exec "$bin" --input "$urls" --mode "$mode" --concurrency "$c" \
  --output /tmp/pipeline-peer-results.jsonl --summary json \
  --Pipeline:ChannelCapacity="$(( c * 2 > 100 ? c * 2 : 100 ))" \
  --Pipeline:StateDirectory=/tmp/pipeline-peer-state \
  --Logging:LogLevel:Default=Warning
