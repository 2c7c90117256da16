#!/usr/bin/env bash
# Scale-out on RabbitMQ (issue 17): 1, 2 and 4 worker processes against a local latency-bound
# origin, through the local broker, one producer and one collector per run.
#
#   bench/scaleout.sh                      # N=20000 URLs on /delay/100, C=50 per worker, workers 1 2 4
#   N=5000 WORKERS="1 2" bench/scaleout.sh # smaller
#   then: bench/write-benchmarks-md.py --scaleout docs/benchmarks.md bench/results/scaleout.jsonl
#
# Env: N, DELAY_MS (100), C (50), WORKERS ("1 2 4"), PUBLISH_WINDOW (1024), BUILD (aot: the shipped
# NativeAOT binary, bench/.publish via bench/peer.sh; jit: the ReadyToRun JIT build, bench/.publish-jit),
# PIPELINE_RABBITMQ_URI (amqp://guest:guest@127.0.0.1:5672/), OUT (bench/results/scaleout.jsonl),
# NOTE (a label stored with each record, e.g. "loaded machine").
# Wall time runs from the producer's start (workers already consuming) to the collector's exit, so
# it includes publishing, fetching and collecting: throughput = N / wall. The broker's CPU is its
# beam.smp process's user+system time over the same interval (other users of the broker count too).
# Everything (broker, origin, workers) shares this machine's cores: a single-host figure; the record
# says how busy the cores were (all processes, from /proc/stat). The origin is the shared harness's
# nginx (one worker) when nginx and its echo module are installed, else its Python fallback.
# The worker is published once; delete its folder after changing code.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
N="${N:-20000}"; DELAY="${DELAY_MS:-100}"; C="${C:-50}"; WORKERS="${WORKERS:-1 2 4}"
WINDOW="${PUBLISH_WINDOW:-1024}"
URI="${PIPELINE_RABBITMQ_URI:-amqp://guest:guest@127.0.0.1:5672/}"
OUT="${OUT:-$here/results/scaleout.jsonl}"
NOTE="${NOTE:-}"
BUILD="${BUILD:-aot}"
bin="$(PIPELINE_BUILD="$BUILD" "$here/peer.sh" --binary)"

tmp="$(mktemp -d /tmp/pipeline-scaleout.XXXXXX)"
pids=()
cleanup() {
  [ -z "${origin_prefix:-}" ] || BENCH_PREFIX="$origin_prefix" "$server_dir/stop-server.sh" >/dev/null 2>&1 || true
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
server_dir="${SERVER_DIR:-$here/../../shared/bench/server}"
[ -d "$server_dir" ] || server_dir=/work/shared/bench/server
origin_prefix="$tmp/origin"
BENCH_PORT="$port" BENCH_PREFIX="$origin_prefix" "$server_dir/start-server.sh" >&2
origin_kind="$(cat "$origin_prefix/server.kind")"

seq 1 "$N" | sed "s|^|http://127.0.0.1:$port/delay/$DELAY?i=|" >"$tmp/urls.txt"
beam="$(pgrep -o beam.smp || true)"
ticks="$(getconf CLK_TCK)"
busy_ticks() { awk '/^cpu / {print $2 + $3 + $4 + $7 + $8}' /proc/stat; }
broker_cpu() { if [ -n "$beam" ]; then awk '{print $14 + $15}' "/proc/$beam/stat"; else echo 0; fi; }
consumers() { rabbitmqctl -q list_queues name consumers 2>/dev/null | awk -v q="$1" '$1 == q {print $2}'; }
mkdir -p "$(dirname "$OUT")"

for w in $WORKERS; do
  q="scaleout-$$-$w"
  common=(--Pipeline:RabbitMq:Uri "$URI" --Pipeline:RabbitMq:WorkQueue "$q.urls" --Pipeline:RabbitMq:ResultQueue "$q.results"
          --Pipeline:Telemetry:Exporters None --Pipeline:Telemetry:Report "" --Logging:LogLevel:Default=Warning)
  workers=()
  for i in $(seq 1 "$w"); do
    # The worker role refuses loopback addresses by default (its URLs come from others); the origin here is loopback.
    "$bin" --role worker --mode Concurrent --concurrency "$C" --Pipeline:RabbitMq:WorkerName "w$i" --Pipeline:Http:LoopbackAddresses Allow \
      --Pipeline:RabbitMq:IdleTimeout 00:00:05 --Pipeline:StateDirectory "$tmp/w$w-$i" "${common[@]}" \
      >"$tmp/w$w-$i.out" 2>"$tmp/w$w-$i.err" &
    workers+=($!); pids+=($!)
  done
  until [ "$(consumers "$q.urls")" = "$w" ]; do sleep 0.2; done
  cpu0="$(broker_cpu)"; busy0="$(busy_ticks)"; t0="$(date +%s.%N)"
  "$bin" --role producer --input "$tmp/urls.txt" --Pipeline:Duplicates=Fetch --Pipeline:RabbitMq:PublishWindow "$WINDOW" \
    --Pipeline:StateDirectory "$tmp/p$w" "${common[@]}" >"$tmp/p$w.out" 2>"$tmp/p$w.err"
  tp="$(date +%s.%N)"
  set +e
  "$bin" --role collector --output "$tmp/r$w.jsonl" --Pipeline:StateDirectory "$tmp/c$w" "${common[@]}" >"$tmp/c$w.out" 2>"$tmp/c$w.err"
  code=$?
  set -e
  t1="$(date +%s.%N)"; cpu1="$(broker_cpu)"; busy1="$(busy_ticks)"
  for pid in "${workers[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${workers[@]}"; do wait "$pid" 2>/dev/null || true; done
  rabbitmqctl -q delete_queue "$q.urls" >/dev/null 2>&1 || true
  rabbitmqctl -q delete_queue "$q.results" >/dev/null 2>&1 || true
  results="$(wc -l <"$tmp/r$w.jsonl")"
  succeeded="$(grep -c '"outcome":"succeeded"' "$tmp/r$w.jsonl" || true)"
  python3 - "$w" "$N" "$DELAY" "$C" "$WINDOW" "$t0" "$tp" "$t1" "$cpu0" "$cpu1" "$ticks" "$results" "$succeeded" "$code" "$NOTE" "$busy0" "$busy1" "$(nproc)" "$BUILD" "$origin_kind" >>"$OUT" <<'PY'
import json, sys, time
w, n, delay, c, window, t0, tp, t1, cpu0, cpu1, ticks, results, ok, code, note, busy0, busy1, cores, build, origin = sys.argv[1:]
wall = float(t1) - float(t0)
cpu = (float(cpu1) - float(cpu0)) / float(ticks)
print(json.dumps({
    "workers": int(w), "n_urls": int(n), "delay_ms": int(delay), "c_per_worker": int(c), "publish_window": int(window),
    "wall_s": round(wall, 3), "publish_s": round(float(tp) - float(t0), 3), "rps": round(int(n) / wall, 1),
    "ideal_rps": round(int(w) * int(c) * 1000 / int(delay), 1),
    "broker_cpu_s": round(cpu, 2), "broker_cpu_ms_per_1k_urls": round(cpu * 1000 / int(n) * 1000, 1),
    "results": int(results), "succeeded": int(ok), "collector_exit": int(code),
    "machine_busy_pct": round((float(busy1) - float(busy0)) / float(ticks) / (wall * int(cores)) * 100, 1),
    "build": build, "origin": origin,
    "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "note": note,
}))
PY
  # A run whose fetches failed measures nothing: say so rather than let the table read it as throughput.
  [ "$succeeded" = "$N" ] || echo "scaleout: WARNING: $w worker(s): only $succeeded of $N URLs succeeded (collector exit $code); see $tmp/w$w-1.err" >&2
  tail -n 1 "$OUT"
done
