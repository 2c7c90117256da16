#!/usr/bin/env bash
# W2-like durability cost: this tree's worker (fsync per flush + checkpoints) against another
# checkout's (e.g. a worktree of the commit before issue 12), interleaved, on the shared harness's origin.
#   bench/durability-w2.sh OTHER_TREE [N=20000] [REPS=3]
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
other="$1"; n="${2:-20000}"; reps="${3:-3}"
export BENCH_PORT="${BENCH_PORT:-18477}" BENCH_PREFIX="${BENCH_PREFIX:-/tmp/durability-bench-origin}"
for tree in "$here" "$other"; do
  dotnet publish "$tree/src/Pipeline.Worker/Pipeline.Worker.csproj" -c Release -r linux-x64 --self-contained false \
    -p:PublishReadyToRun=true -o "$tree/bench/.publish-durability" >/dev/null
done
cd "$here/../shared/bench"
./gen-urls.sh "$n" /ok /tmp/durability-w2.txt >/dev/null
server/start-server.sh
trap 'server/stop-server.sh' EXIT
run() {
  local name=$1 tree=$2; shift 2
  rm -rf "/tmp/durability-state-$name"
  "$tree/bench/.publish-durability/Pipeline.Worker" --input /tmp/durability-w2.txt --mode Concurrent --concurrency 64 \
    --output "/tmp/durability-$name.jsonl" --summary json --Pipeline:ChannelCapacity=128 --Pipeline:Duplicates=Fetch \
    --Pipeline:StateDirectory="/tmp/durability-state-$name" --Logging:LogLevel:Default=Warning "$@" | tail -1 | sed "s/^/$name /"
}
for _ in $(seq "$reps"); do
  run this "$here"
  run other "$other"
  run this-checkpoint-on-stop "$here" --Pipeline:CheckpointInterval=00:00:00
done
