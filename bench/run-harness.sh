#!/usr/bin/env bash
# Runs Pipeline as one more peer of the shared benchmark harness (../shared/bench, see its
# README), beside "bare .NET" (bench/bare-dotnet), then a tracing pair on W2, and writes
# docs/benchmarks.md from the result.
#
#   bench/run-harness.sh        everything: W1 W2 W3; REPS=3 for our two builds, bare .NET and Go,
#                               OTHERS_REPS=1 for the other peers (a second harness invocation)
#   ONLY="pipeline bare-dotnet go-nethttp" WORKLOADS="W2 W3" REPS=1 bench/run-harness.sh
#
# Peers: "pipeline" is the shipped NativeAOT binary (bench/peer.sh), "pipeline-jit" the JIT build
# (bench/peer-jit.sh), "bare-dotnet" bench/bare-dotnet; the rest are the harness's own. The targets
# are ratios against Go and bare .NET, so those four run in one invocation, interleaved, with
# REPS repetitions; the other peers are context and run once each in a second invocation
# (OTHERS_REPS, MAIN_PEERS and OTHER_PEERS change the split; ONLY runs one invocation of just those).
# Knobs, passed through to the harness: WORKLOADS, REPS, and its sizes W1_N W1_DELAY_MS
# W1_C_CONC W2_N W2_C W3_N W3_C W3_BUDGET_S WRK_DURATION PEER_TIMEOUT_S BENCH_CLIENT_CPUS.
# Our own: TRACED=0 skips the tracing pair; OUT (default docs/benchmarks.md); HARNESS (default
# ../shared/bench beside this repository); OTLP_PORT (4318); PLACEHOLDER=1 marks the page as
# produced by a trial run. Nothing is installed: missing tools are reported with the harness's
# install command and the script stops.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
harness="$(cd "${HARNESS:-$repo/../shared/bench}" && pwd)"
out="${OUT:-$repo/docs/benchmarks.md}"
otlp_port="${OTLP_PORT:-4318}"
workloads="${WORKLOADS:-W1 W2 W3}"
log() { printf '[run-harness %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# ---- what the harness and the peers need; report, never install ----
missing=()
for tool in dotnet curl python3 /usr/bin/python3 /usr/bin/time taskset timeout; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
main_peers="${MAIN_PEERS:-pipeline pipeline-jit bare-dotnet go-nethttp}"
other_peers="${OTHER_PEERS:-py-aiohttp py-requests node-http node-fetch wrk hey}"
[[ -n "${ONLY:-}" ]] && { main_peers="$ONLY"; other_peers=""; }
peers_wanted="$main_peers $other_peers"
for peer in $peers_wanted; do
  case "$peer" in
    go-nethttp) command -v go >/dev/null || missing+=("go (golang-go, for go-nethttp)") ;;
    wrk) command -v wrk >/dev/null || missing+=("wrk") ;;
    hey) command -v hey >/dev/null || missing+=("hey") ;;
    node-*) command -v node >/dev/null || missing+=("node (for $peer)") ;;
    py-aiohttp) /usr/bin/python3 -c 'import aiohttp' 2>/dev/null || missing+=("python3-aiohttp") ;;
    py-requests) /usr/bin/python3 -c 'import requests' 2>/dev/null || missing+=("python3-requests") ;;
  esac
done
if ! command -v nginx >/dev/null || [[ ! -f /usr/lib/nginx/modules/ngx_http_echo_module.so ]]; then
  log "WARNING: nginx or its echo module is missing; the harness will fall back to its slower Python origin"
fi
if [[ ${#missing[@]} -gt 0 ]]; then
  log "missing: ${missing[*]}"
  log "install as the harness README says (root, Debian 12), or leave those peers out with ONLY=...:"
  log "  apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends nginx libnginx-mod-http-echo golang-go wrk hey python3-aiohttp python3-requests time curl"
  exit 1
fi

# ---- build our peers before anything is timed ----
log "building bench/peer.sh (NativeAOT publish) and bench/bare-dotnet.sh"
"$repo/bench/peer.sh" --build
"$repo/bench/peer-jit.sh" --build
"$repo/bench/bare-dotnet.sh" --build

work="$(mktemp -d /tmp/pipeline-harness.XXXXXX)"
# The harness takes these from the environment as they are; export only what was given.
for knob in WORKLOADS W1_N W1_DELAY_MS W1_C_CONC W2_N W2_C W3_N W3_C W3_BUDGET_S WRK_DURATION PEER_TIMEOUT_S BENCH_CLIENT_CPUS; do
  [[ -n "${!knob:-}" ]] && export "${knob?}"
done
extra="pipeline=$repo/bench/peer.sh;pipeline-jit=$repo/bench/peer-jit.sh;bare-dotnet=$repo/bench/bare-dotnet.sh"
log "harness: $harness, results under $work"
# One invocation per group of peers: its peers are interleaved repetition by repetition.
run_group() { # NAME PEERS REPS
  mkdir -p "$work/$1"
  log "group $1: $2 (REPS=$3)"
  ( cd "$harness" && RESULTS_DIR="$work/$1" RESULTS_MD="$work/$1/RESULTS.md" ONLY="$2" REPS="$3" EXTRA_PEERS="$extra" ./run-peers.sh )
}
run_group main "$main_peers" "${REPS:-3}"
[[ -n "$other_peers" ]] && run_group others "$other_peers" "${OTHERS_REPS:-1}"
main_jsonl="$work/all.jsonl"
cat "$work"/main/run-*.jsonl ${other_peers:+"$work"/others/run-*.jsonl} > "$main_jsonl"
main_notes="$work/all.notes.md"
for group in main ${other_peers:+others}; do
  notes_file="$(ls "$work/$group"/run-*.notes.md 2>/dev/null | head -1)"
  [[ -n "$notes_file" ]] && cat "$notes_file" >> "$main_notes"
done
touch "$main_notes"

# ---- tracing pair: W2 only, tracing off and on interleaved, OTLP to a local receiver ----
traced_jsonl=""
otlp_stats=""
if [[ "${TRACED:-1}" != 0 && " $workloads " == *" W2 "* ]]; then
  log "tracing pair on W2: OTLP receiver on 127.0.0.1:$otlp_port"
  if curl -fsS -o /dev/null "http://127.0.0.1:$otlp_port/stats" 2>/dev/null || ss -ltn 2>/dev/null | grep -q "127.0.0.1:$otlp_port "; then
    log "port $otlp_port is already taken (an older receiver?): its counts would mix with this run's; stop it or set OTLP_PORT"
    exit 1
  fi
  # Debian's interpreter, not a version-manager shim: $! must be the receiver itself, so that
  # killing it stops it.
  /usr/bin/python3 "$repo/bench/otlp-receiver.py" --port "$otlp_port" &
  receiver=$!
  trap 'kill "$receiver" 2>/dev/null || true' EXIT
  for _ in $(seq 1 50); do curl -fsS -o /dev/null "http://127.0.0.1:$otlp_port/stats" 2>/dev/null && break; sleep 0.1; done
  kill -0 "$receiver" 2>/dev/null || { log "the OTLP receiver did not start"; exit 1; }
  export RESULTS_DIR="$work/traced" RESULTS_MD="$work/traced/RESULTS.md" OTLP_PORT="$otlp_port"
  ( cd "$harness" && WORKLOADS=W2 ONLY="pipeline-notrace pipeline-traced" \
      EXTRA_PEERS="pipeline-notrace=$repo/bench/peer.sh;pipeline-traced=$repo/bench/peer-traced.sh" ./run-peers.sh )
  traced_jsonl="$(ls "$RESULTS_DIR"/run-*.jsonl | head -1)"
  otlp_stats="$work/otlp-stats.json"
  curl -fsS "http://127.0.0.1:$otlp_port/stats" > "$otlp_stats"
  kill "$receiver" 2>/dev/null || true
  trap - EXIT
fi

# ---- one report over both runs, then docs/benchmarks.md ----
report="$work/RESULTS.md"
notes="$work/notes.md"
cat "$main_notes" > "$notes"
[[ -n "$traced_jsonl" ]] && cat "${traced_jsonl%.jsonl}.notes.md" >> "$notes"
BENCH_NOTES_FILE="$notes" "$harness/summarize.py" "$report" "$main_jsonl" ${traced_jsonl:+"$traced_jsonl"}

given=""
for knob in ONLY MAIN_PEERS OTHER_PEERS OTHERS_REPS WORKLOADS REPS W1_N W1_DELAY_MS W1_C_CONC W2_N W2_C W3_N W3_C W3_BUDGET_S WRK_DURATION PEER_TIMEOUT_S BENCH_CLIENT_CPUS TRACED; do
  [[ -n "${!knob:-}" ]] && given+="$knob=$(printf '%q' "${!knob}") "
done
machine="- $(nproc) cores: $(lscpu | sed -n 's/^Model name:[[:space:]]*//p' | head -1)
- memory: $(free -h | awk '/^Mem:/ {print $2}') total
- kernel: $(uname -sr)
- .NET SDK $(dotnet --version); $(go version 2>/dev/null || echo 'go: none'); node $(node --version 2>/dev/null || echo none); $(nginx -v 2>&1 || echo 'nginx: none')
- client and origin share the cores (nginx: 1 worker); other work on the machine during the run is not controlled"
howto="- Takes about 35 minutes with every peer and workload: the four main peers × 3 repetitions (~22 min; W1-seq is 50 s per peer and repetition), the others once (~10 min), the tracing pair (~2 min).
- Raw records: \`$work/main\`, \`$work/others\`${traced_jsonl:+ and \`$traced_jsonl\`} (kept under /tmp).
- Our peers: \`bench/peer.sh\` (the NativeAOT binary, published into bench/.publish once; delete it after changing code), \`bench/peer-jit.sh\` (the JIT build, bench/.publish-jit), \`bench/bare-dotnet.sh\` (bench/.publish-bare), \`bench/peer-traced.sh\`."
BENCH_DATE="$(date '+%Y-%m-%d %H:%M %Z')" BENCH_MACHINE="$machine" BENCH_HOWTO="$howto" \
BENCH_PLACEHOLDER="${PLACEHOLDER:-0}" BENCH_COMMAND="${given}bench/run-harness.sh" \
  python3 "$repo/bench/write-benchmarks-md.py" "$out" "$report" "$notes" "$main_jsonl" "$traced_jsonl" "$otlp_stats"
log "wrote $out"
