#!/usr/bin/env bash
# Adaptive concurrency against a sweep of fixed ones, on two local origins (capacity K, latency only).
# Prints Markdown tables and writes them into docs/adaptive-concurrency.md (between the sweep's markers,
# through bench/write-benchmarks-md.py); SWEEP_NO_DOCS=1 only prints them. Takes a few minutes; the
# numbers depend on the machine and on what else runs on it (the output states the load average and the
# CPU time of every run), so run it on a quiet one.
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp)
trap 'rm -f "$out"' EXIT
dotnet run -c Release --project bench/Pipeline.Benchmarks -- --adaptive-sweep | tee "$out"
if [ "${SWEEP_NO_DOCS:-0}" != 1 ]; then
  python3 bench/write-benchmarks-md.py --adaptive-sweep docs/adaptive-concurrency.md "$out"
  echo "docs/adaptive-concurrency.md: sweep tables replaced" >&2
fi
