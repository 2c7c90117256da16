#!/usr/bin/env bash
# The I/O-bound / CPU-bound lesson of the processing stage: fetch consumers and processing workers swept over
# pages that wait 50 ms and then cost CPU to process. Prints a Markdown table (with the CPU time used and the
# core count) and, with --write, puts it into README.md between the process-sweep markers. Takes about a
# minute; wall times depend on the machine and what else runs on it, so run it on a quiet one.
set -euo pipefail
cd "$(dirname "$0")/.."
table=$(dotnet run -c Release --project bench/Pipeline.Benchmarks -- --process-sweep)
printf '%s\n' "$table"
if [[ "${1:-}" == "--write" ]]; then
  TABLE="$table" python3 - <<'PY'
import os, re
path = "README.md"
text = open(path, encoding="utf-8").read()
begin, end = "<!-- process-sweep: begin -->", "<!-- process-sweep: end -->"
start, stop = text.index(begin) + len(begin), text.index(end)
open(path, "w", encoding="utf-8").write(text[:start] + "\n" + os.environ["TABLE"].strip() + "\n" + text[stop:])
PY
  echo "README.md updated"
fi
