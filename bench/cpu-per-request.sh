#!/usr/bin/env bash
# CPU time per request, ours beside bare .NET, on W2's shape (100k x /ok at C=64 in the harness;
# fewer URLs here, see N) against the shared harness's nginx origin (issue 20, item 2):
#   bench/cpu-per-request.sh                      pipeline (JIT build) and bare-dotnet, REPS=3
#   AOT=1 bench/cpu-per-request.sh                the NativeAOT binary too (bench/peer.sh's shipped form)
#   GO=1 bench/cpu-per-request.sh                 the harness's Go net/http client too (W2's other target)
#   BEFORE=/path/to/an/older/publish-jit bench/cpu-per-request.sh   an older JIT publish beside them
#   N=30000 SMALL=3000 C=64 REPS=3 BENCH_PORT=18391 bench/cpu-per-request.sh
# Prints µs of CPU (user + system, from wait4: the client's only) per request for each, writes
# bench/results/cpu-per-request.json and the CPU section of docs/benchmarks.md (NOTE="..." adds a
# line under its table, such as what else loaded the machine). Delete bench/.publish* after changing code.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/.." && pwd)"
harness="$(cd "${HARNESS:-$repo/../shared/bench}" && pwd)"
port="${BENCH_PORT:-18391}"
prefix="/tmp/cpu-per-request-origin-$port"
BENCH_PORT="$port" BENCH_PREFIX="$prefix" "$harness/server/start-server.sh"
if [ "$(cat "$prefix/server.kind")" != nginx ]; then
  echo "the origin is the Python fallback: install nginx and libnginx-mod-http-echo (see $harness/README.md)" >&2
  exit 2
fi
peers=()
if [ "${AOT:-0}" = 1 ]; then
  "$here/peer.sh" --build
  peers+=("pipeline-aot=$here/peer.sh")
fi
PIPELINE_BUILD=jit "$here/peer.sh" --build
peers+=("pipeline-jit=env PIPELINE_BUILD=jit $here/peer.sh")
if [ -n "${BEFORE:-}" ]; then
  peers+=("pipeline-jit-before=env PIPELINE_BUILD=jit PIPELINE_PUBLISH_DIR=$BEFORE $here/peer.sh")
fi
"$here/bare-dotnet.sh" --build
peers+=("bare-dotnet=$here/bare-dotnet.sh")
if [ "${GO:-0}" = 1 ]; then
  "$harness/peers/go-nethttp.sh" --build
  peers+=("go-nethttp=$harness/peers/go-nethttp.sh")
fi
mkdir -p "$here/results"
out="$here/results/cpu-per-request.json"
python3 "$here/cpu-per-request.py" "$out" "http://127.0.0.1:$port/ok" "${peers[@]}" \
  --n "${N:-30000}" --small "${SMALL:-3000}" --concurrency "${C:-64}" --reps "${REPS:-3}" --note "${NOTE:-}"
python3 "$here/write-benchmarks-md.py" --cpu-section "$repo/docs/benchmarks.md" "$out"
echo "wrote $out and the CPU section of docs/benchmarks.md" >&2
