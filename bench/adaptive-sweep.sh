#!/usr/bin/env bash
# Adaptive concurrency against a sweep of fixed ones, on two local origins (capacity K, latency only).
# Prints Markdown tables; docs/adaptive-concurrency.md quotes one run. Takes a few minutes; the numbers
# depend on the machine and on what else runs on it, so run it on a quiet one.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet run -c Release --project bench/Pipeline.Benchmarks -- --adaptive-sweep
