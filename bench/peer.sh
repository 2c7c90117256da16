#!/usr/bin/env bash
# Pipeline as a peer of the shared benchmark harness (../shared/bench, see its README):
#   bench/peer.sh URLS_FILE C [--Pipeline:Key=value ...]
#   C = 1 runs Sequential, anything else Concurrent with C consumers; extra arguments after C are
#   passed to the worker (bench/peer-traced.sh uses that to switch tracing on).
#   bench/peer.sh --build   publishes and exits (do it before timed runs).
#   bench/peer.sh --binary  publishes if needed and prints the binary's path (bench/scaleout.sh and
#                           bench/collector-memory.sh run the worker's broker roles with it).
# Publishes the shipped form once, the NativeAOT binary (into bench/.publish; delete the folder
# after changing code), then execs it with the scripted command line; the last stdout line is the
# harness's JSON record. PIPELINE_BUILD=jit runs the JIT build instead (framework-dependent,
# ReadyToRun, in bench/.publish-jit): the form `dotnet run` users get, for comparison.
# PIPELINE_PUBLISH_DIR runs a publish kept elsewhere (bench/cpu-per-request.sh's "before" build).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
project="$here/../src/Pipeline.Worker/Pipeline.Worker.csproj"
case "${PIPELINE_BUILD:-aot}" in
  aot)
    dir="$here/.publish"
    publish=(-p:PublishAot=true)
    ;;
  jit)
    # ReadyToRun: the JIT otherwise compiles the host, Polly and OpenTelemetry on every start.
    dir="$here/.publish-jit"
    publish=(-p:PublishAot=false --self-contained false -p:PublishReadyToRun=true)
    ;;
  *) echo "PIPELINE_BUILD must be aot or jit" >&2; exit 2 ;;
esac
dir="${PIPELINE_PUBLISH_DIR:-$dir}"
bin="$dir/Pipeline.Worker"
if [ ! -x "$bin" ]; then
  dotnet publish "$project" -c Release -r linux-x64 "${publish[@]}" -o "$dir" >&2
fi
[ "${1:-}" = "--build" ] && exit 0
[ "${1:-}" = "--binary" ] && { echo "$bin"; exit 0; }
urls="$1"
c="$2"
shift 2
mode=Concurrent
[ "$c" = "1" ] && mode=Sequential
# Duplicates=Fetch: the harness's files hold unique URLs, the other peers do not look for
# repeats, and remembering every URL (Skip, the default) grows memory with the input (~40 MB at
# 1M URLs), which W3 measures.
exec "$bin" --input "$urls" --mode "$mode" --concurrency "$c" \
  --output /tmp/pipeline-peer-results.jsonl --summary json \
  --Pipeline:ChannelCapacity="$(( c * 2 > 100 ? c * 2 : 100 ))" \
  --Pipeline:Duplicates=Fetch \
  --Pipeline:StateDirectory=/tmp/pipeline-peer-state \
  --Logging:LogLevel:Default=Warning "$@"
