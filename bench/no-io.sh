#!/usr/bin/env bash
# The no-I/O target (issue 20): a million URLs through source → work channel → 64 consumers with a
# fetcher that answers at once → result channel → JSON-lines sink to Stream.Null, BenchmarkDotNet
# (bench/Pipeline.Benchmarks, PipelineBenchmarks), every case; writes bench/results/no-io.json, which
# bench/write-benchmarks-md.py puts into the targets table. Run it on a quiet machine (~3 min).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
art="$(mktemp -d /tmp/pipeline-no-io.XXXXXX)"
trap 'rm -rf "$art"' EXIT
dotnet run -c Release --project "$here/Pipeline.Benchmarks" -- --filter '*PipelineBenchmarks*' --exporters csv --artifacts "$art" >&2
csv="$(ls "$art"/results/*PipelineBenchmarks*-report.csv | head -1)"
mkdir -p "$here/results"
python3 - "$csv" "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)" >"$here/results/no-io.json" <<'PY'
import csv, json, sys, time
path, nproc, load = sys.argv[1], int(sys.argv[2]), sys.argv[3]
cases = []
for row in csv.DictReader(open(path)):
    urls = float(row["URLs/s"].replace(",", "")) if row.get("URLs/s", "-") not in ("-", "") else 0.0
    cases.append({
        "case": f"{row['Method']} (Duplicates={row['Duplicates']}, Spans={row['Spans']})", "urls_per_s": urls,
        "mean": row["Mean"], "allocated": row.get("Allocated", ""),
        # bench/peer.sh runs with Duplicates=Fetch, and without an exporter no fetch span is started.
        "harness": row["Duplicates"] == "Fetch" and row["Spans"] == "False",
    })
print(json.dumps({"date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "nproc": nproc, "load_after": load, "cases": cases}, indent=1))
PY
cat "$here/results/no-io.json"
