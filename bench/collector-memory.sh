#!/usr/bin/env bash
# Collector memory (issue 17): peak RSS of a collector that gathers COUNT synthetic results of one
# batch from the local broker, against a baseline collector that gathers one.
#
#   bench/collector-memory.sh                 # COUNTS="100000 1000000"
#   COUNTS=10000000 FEED=during bench/collector-memory.sh # the 10M target
#
# The results are published by bench/result-feed/result-feed.cs (a .NET 10 file-based app) and the
# collector is run under /usr/bin/time -f %M. FEED=before (default) publishes them all first, so the
# collector drains a full queue as fast as it can; FEED=during publishes while the collector runs
# (the broker's publish rate, ~8k/s here, then sets the pace: 10M results take ~20 min instead of
# ~20 min of publishing plus ~12 min of collecting, and the broker never holds them all).
# BUILD=aot (default) measures the shipped form, the NativeAOT binary bench/peer.sh publishes into
# bench/.publish; BUILD=jit the framework-dependent ReadyToRun build in bench/.publish-jit.
# Delete the folder after changing code. Records go to OUT (bench/results/collector-memory.jsonl).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
COUNTS="${COUNTS:-100000 1000000}"
URI="${PIPELINE_RABBITMQ_URI:-amqp://guest:guest@127.0.0.1:5672/}"
OUT="${OUT:-$here/results/collector-memory.jsonl}"
NOTE="${NOTE:-}"
BUILD="${BUILD:-aot}"
FEED="${FEED:-before}"
bin="$(PIPELINE_BUILD="$BUILD" "$here/peer.sh" --binary)"
case "$FEED" in before|during) ;; *) echo "FEED must be before or during" >&2; exit 2 ;; esac
# The feeder is built once, before anything is timed.
(cd "$here/result-feed" && dotnet build result-feed.cs >/dev/null)
tmp="$(mktemp -d /tmp/pipeline-collector-mem.XXXXXX)"
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$(dirname "$OUT")"

# Prints "peak_kib wall_s" for a collector over COUNT fresh results.
collect() {
  local count="$1" q="collector-mem-$$-$1" feeder=""
  if [ "$FEED" = before ] || [ "$count" = 1 ]; then
    (cd "$here/result-feed" && dotnet run --no-build result-feed.cs -- "$URI" "$q.results" "b$count" "$count" >&2)
  else
    (cd "$here/result-feed" && exec dotnet run --no-build result-feed.cs -- "$URI" "$q.results" "b$count" "$count" >&2) &
    feeder=$!
  fi
  local t0 t1
  t0="$(date +%s.%N)"
  /usr/bin/time -f %M -o "$tmp/rss" "$bin" --role collector --output "$tmp/r$count.jsonl" --Pipeline:StateDirectory "$tmp/s$count" \
    --Pipeline:RabbitMq:Uri "$URI" --Pipeline:RabbitMq:WorkQueue "$q.urls" --Pipeline:RabbitMq:ResultQueue "$q.results" \
    --Pipeline:Telemetry:Exporters None --Pipeline:Telemetry:Report "" --Logging:LogLevel:Default=Warning >"$tmp/c$count.out" 2>&1 || true
  t1="$(date +%s.%N)"
  [ -z "$feeder" ] || wait "$feeder"
  rabbitmqctl -q delete_queue "$q.urls" >/dev/null 2>&1 || true
  rabbitmqctl -q delete_queue "$q.results" >/dev/null 2>&1 || true
  local lines; lines="$(wc -l <"$tmp/r$count.jsonl")"
  [ "$lines" = "$count" ] || { echo "collector wrote $lines of $count results" >&2; cat "$tmp/c$count.out" >&2; exit 1; }
  rm -f "$tmp/r$count.jsonl"
  echo "$(tail -n 1 "$tmp/rss") $(python3 -c "print(round($t1 - $t0, 2))")"
}

read -r base _ < <(collect 1)
for count in $COUNTS; do
  read -r peak wall < <(collect "$count")
  python3 - "$count" "$base" "$peak" "$wall" "$NOTE" "$BUILD" "$FEED" >>"$OUT" <<'PY'
import json, sys, time
count, base, peak, wall, note, build, feed = sys.argv[1:]
print(json.dumps({
    "results": int(count), "baseline_rss_mib": round(int(base) / 1024, 1), "peak_rss_mib": round(int(peak) / 1024, 1),
    "beyond_baseline_mib": round((int(peak) - int(base)) / 1024, 1), "wall_s": float(wall),
    "results_per_s": round(int(count) / float(wall)), "build": build, "feed": feed, "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "note": note,
}))
PY
  tail -n 1 "$OUT"
done
