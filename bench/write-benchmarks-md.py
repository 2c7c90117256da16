#!/usr/bin/env python3
"""Writes docs/benchmarks.md from the shared harness's records (run-harness.sh calls it).

Usage: write-benchmarks-md.py OUT.md HARNESS_REPORT.md NOTES.md MAIN.jsonl [TRACED.jsonl] [OTLP_STATS.json]
       write-benchmarks-md.py --startup-section OUT.md STARTUP.json
       write-benchmarks-md.py --scaleout docs/benchmarks.md bench/results/scaleout.jsonl [bench/results/collector-memory.jsonl]
         (replaces only the scale-out section, from bench/scaleout.sh and bench/collector-memory.sh)
       write-benchmarks-md.py --cpu-section docs/benchmarks.md bench/results/cpu-per-request.json
         (replaces only the CPU-per-request section, from bench/cpu-per-request.sh, with bench/cpu-notes.md under it)
       write-benchmarks-md.py --adaptive-sweep docs/adaptive-concurrency.md SWEEP.md
         (replaces only the sweep's tables, from bench/adaptive-sweep.sh)
The table holds medians per workload and peer, our peer beside the others, then the issue's
targets as ratios against the peers measured in the same run; the harness's own report (min,
median, max, exact commands) follows verbatim. The start-up section comes from bench/startup.sh's
record (bench/results/startup.json, or BENCH_STARTUP_JSON); the second form rewrites only that
section of an existing page, so start-up can be measured again without the whole harness.
"""
import json
import math
import os
import statistics
import sys

STARTUP_BEGIN = "<!-- start-up section: written by bench/startup.sh through bench/write-benchmarks-md.py -->"
STARTUP_END = "<!-- end of start-up section -->"


def startup_section(path):
    """The start-up table (issue 20, item 3) from bench/startup.py's record."""
    d = json.load(open(path))
    builds = [b for b in ("aot", "jit-r2r", "jit") if b in d["builds"]] + sorted(set(d["builds"]) - {"aot", "jit-r2r", "jit"})
    titles = {"aot": "NativeAOT (shipped)", "jit-r2r": "JIT, ReadyToRun", "jit": "JIT (`dotnet run`'s code)"}
    mib = lambda n: f"{n / 1048576:.1f} MiB"  # noqa: E731

    def span(stat, fmt):
        return "n/a" if not stat else f"**{fmt(stat['median'])}** ({fmt(stat['min'])}–{fmt(stat['max'])})"

    rows = [
        ("process start → first request received by the server, ms", lambda b: span(b["first_request_ms"], lambda v: f"{v:.0f}")),
        ("process start → first result in the results file, ms", lambda b: span(b["first_result_ms"], lambda v: f"{v:.0f}")),
        (f"process start → exit after {d['urls']} URLs, ms", lambda b: span(b["exit_ms"], lambda v: f"{v:.0f}")),
        ("CPU time of that run (user + system), ms", lambda b: span(b["cpu_ms"], lambda v: f"{v:.0f}")),
        ("peak RSS of that run, MiB", lambda b: span(b["peak_rss_mib"], lambda v: f"{v:.1f}")),
        ("offline demo (no arguments): peak RSS, MiB", lambda b: span(b.get("demo", {}).get("peak_rss_mib"), lambda v: f"{v:.1f}")),
        ("offline demo: wall time, s", lambda b: span(b.get("demo", {}).get("wall_s"), lambda v: f"{v:.2f}")),
    ]
    L = [STARTUP_BEGIN, "## Start-up: the NativeAOT binary beside the JIT builds (issue 20)\n"]
    L.append(f"Measured {d['date']} by `bench/startup.sh` ({d['machine']}): {d['reps']} runs of each build, interleaved, "
             f"after one warm-up run each; every run fetches {d['urls']} URLs from a small server on 127.0.0.1 "
             f"(`/ok`, part of `bench/startup.py`) with `--mode Concurrent --concurrency {d['concurrency']}`. "
             "The clock starts just before the process is spawned. *First request* is when the server receives it; "
             "*first result* is when the results file first holds a byte (polled every 0.2 ms; the sink writes after "
             "its flush, so this includes up to one flush interval). Peak RSS is `wait4`'s `ru_maxrss`, the figure "
             f"`/usr/bin/time -v` prints; the demo rows are {d.get('demo_reps', 0)} runs of the offline demo "
             "(40 URLs × 200 ms, sequential then concurrent, against the binary's own origin). Cells: **median** (min–max).\n")
    L.append("| | " + " | ".join(titles.get(b, b) for b in builds) + " |")
    L.append("|---|" + "---|" * len(builds))
    for title, fn in rows:
        L.append(f"| {title} | " + " | ".join(fn(d["builds"][b]) for b in builds) + " |")
    sizes = d.get("sizes")
    if sizes:
        cells = []
        for b in builds:
            if b == "aot":
                cells.append(f"{mib(sizes['aot'])}, one self-contained file")
            else:
                cells.append(f"{mib(sizes.get(b, 0))} + {mib(sizes['shared_frameworks'])} of shared .NET and ASP.NET Core runtime")
        L.append("| on disk (without .pdb/.xml/.dbg) | " + " | ".join(cells) + " |")
    L.append("")
    L.append(f"Load average (1, 5, 15 min) before the runs: {', '.join(map(str, d['load_before']))}; after: {', '.join(map(str, d['load_after']))}.")
    if d.get("note"):
        L.append("")
        L.append(d["note"].strip())
    L.append("")
    L.append("Reproduce: `bench/startup.sh` (`REPS`, `URLS`, `C`, `DEMO_REPS`; delete `bench/.publish*` after changing code).")
    L.append(STARTUP_END)
    return L


def replace_section(page_path, section, begin_marker, end_marker):
    """Puts a section (a list of lines) between its markers, or before "## How to reproduce" the first time."""
    page = open(page_path).read().split("\n") if os.path.exists(page_path) else ["# Benchmarks", ""]
    section = section + [""]
    if begin_marker in page and end_marker in page:
        begin, end = page.index(begin_marker), page.index(end_marker)
        page[begin:end + 2 if end + 1 < len(page) and page[end + 1] == "" else end + 1] = section
    else:
        at = next((i for i, line in enumerate(page) if line.startswith("## How to reproduce")), len(page))
        page[at:at] = section
    with open(page_path, "w") as f:
        f.write("\n".join(page))


if len(sys.argv) > 1 and sys.argv[1] == "--startup-section":
    replace_section(sys.argv[2], startup_section(sys.argv[3]), STARTUP_BEGIN, STARTUP_END)
    sys.exit(0)

CPU_BEGIN = "<!-- cpu section: written by bench/cpu-per-request.sh through bench/write-benchmarks-md.py -->"
CPU_END = "<!-- end of cpu section -->"


def cpu_section(path):
    """CPU time per request (issue 20, item 2) from bench/cpu-per-request.py's record, then bench/cpu-notes.md."""
    d = json.load(open(path))
    peers = d["peers"]
    bare = peers.get("bare-dotnet", {}).get("us_per_request")
    L = [CPU_BEGIN, "## CPU per request (W2's shape)", ""]
    L.append(f"`bench/cpu-per-request.sh`, {d['time']}: {d['n']:,} URLs on the harness's nginx `/ok` at C={d['c']}, "
             f"each client {d['reps']} times at {d['n']:,} and at {d['small']:,} URLs, interleaved. Per request is the slope "
             f"(median CPU at {d['n']:,} − median CPU at {d['small']:,}) / {d['n'] - d['small']:,}, so start-up and JIT drop out; "
             "CPU is user + system of the client process alone (wait4), not the origin's.")
    L.append("")
    L.append("| client | CPU µs per request | × bare .NET | CPU s at N (each run) | CPU s at SMALL (each run) | peak RSS MiB |")
    L.append("|---|---|---|---|---|---|")
    for name, p in peers.items():
        ratio = f"{p['us_per_request'] / bare:.2f}" if bare else "n/a"
        L.append(f"| {name} | **{p['us_per_request']:.1f}** | {ratio} | {', '.join(f'{x:.2f}' for x in p['cpu_s'])} "
                 f"| {', '.join(f'{x:.2f}' for x in p['cpu_s_small'])} | {p['peak_rss_mib']:.1f} |")
    L.append("")
    L.append(f"Machine: {d['nproc']} cores; load average (1, 5, 15 min) before: {', '.join(map(str, d['load_before']))}; "
             f"after: {', '.join(map(str, d['load_after']))}.")
    if d.get("note"):
        L.append("")
        L.append(d["note"].strip())
    notes = os.path.join(os.path.dirname(os.path.abspath(__file__)), "cpu-notes.md")
    if os.path.exists(notes):
        L.append("")
        L.append(open(notes).read().strip())
    L.append("")
    L.append("Reproduce: `bench/cpu-per-request.sh` (`N`, `SMALL`, `C`, `REPS`, `AOT=1`, `BEFORE=<older publish>`; delete `bench/.publish*` after changing code).")
    L.append(CPU_END)
    return L


if len(sys.argv) > 1 and sys.argv[1] == "--cpu-section":
    replace_section(sys.argv[2], cpu_section(sys.argv[3]), CPU_BEGIN, CPU_END)
    sys.exit(0)


SCALEOUT_BEGIN = "<!-- scaleout:begin (bench/write-benchmarks-md.py --scaleout) -->"
SCALEOUT_END = "<!-- scaleout:end -->"


def scaleout_section(scaleout_jsonl, memory_jsonl):
    """The scale-out figures (issue 17): bench/scaleout.sh and bench/collector-memory.sh records."""
    def read(path):
        if not path or not os.path.exists(path):
            return []
        with open(path) as f:
            return [json.loads(line) for line in f if line.strip()]

    runs, mem = read(scaleout_jsonl), read(memory_jsonl)
    L = [SCALEOUT_BEGIN, "## Scale-out on RabbitMQ (issue 17)\n"]
    if runs:
        # The latest run of each worker count, so a rerun replaces the figures.
        latest = {}
        for r in runs:
            latest[r["workers"]] = r
        one = latest.get(1)
        first = next(iter(latest.values()))
        L.append(f"`bench/scaleout.sh`: {first['n_urls']:,} URLs on `/delay/{first['delay_ms']}`, C={first['c_per_worker']} per worker, "
                 f"`PublishWindow` {first['publish_window']}, one producer, one collector, the local broker and origin. "
                 "Wall time from the producer's start (workers already consuming) to the collector's exit. "
                 "Broker CPU is the `beam.smp` process's user+system time over that interval.\n")
        L.append("| workers | wall s | URLs/s | ideal URLs/s | × one worker | target ≥ 0.9 × N | broker CPU s | broker CPU ms / 1k URLs | both cores busy % | build, origin | results | measured | note |")
        L.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
        for w in sorted(latest):
            r = latest[w]
            ratio = r["rps"] / one["rps"] if one else None
            met = "n/a" if ratio is None else ("met" if ratio >= 0.9 * w else "**missed**")
            L.append(f"| {w} | {r['wall_s']:.1f} | {r['rps']:,.0f} | {r['ideal_rps']:,.0f} | {cell(ratio, lambda v: f'{v:.2f}')} | {0.9 * w:.1f} ({met}) | "
                     f"{r['broker_cpu_s']:.1f} | {r['broker_cpu_ms_per_1k_urls']:.0f} | {cell(r.get('machine_busy_pct'), lambda v: f'{v:.0f}')} | "
                     f"{r.get('build', 'jit')}, {r.get('origin', 'python')} | {r['results']:,} | {r['date']} | {r.get('note', '')} |")
        L.append("")
    if mem:
        L.append("`bench/collector-memory.sh`: one collector gathering synthetic results of one batch, "
                 "peak RSS (`/usr/bin/time -f %M`) against a collector that gathers one result. Target: ≤ 64 MiB beyond the baseline at 10M results. "
                 "*Published before collecting*: the collector drains a full queue; *during*: at the broker's publish rate.\n")
        L.append("| results | build | published | baseline RSS MiB | peak RSS MiB | beyond baseline MiB | target ≤ 64 at 10M | results/s | measured | note |")
        L.append("|---|---|---|---|---|---|---|---|---|---|")
        for r in mem:
            met = ("met" if r["beyond_baseline_mib"] <= 64 else "**missed**") if r["results"] >= 10_000_000 else "—"
            L.append(f"| {r['results']:,} | {r.get('build', 'jit')} | {r.get('feed', 'before')} collecting | {r['baseline_rss_mib']:.1f} | {r['peak_rss_mib']:.1f} | "
                     f"{r['beyond_baseline_mib']:.1f} | {met} | {r['results_per_s']:,} | {r['date']} | {r.get('note', '')} |")
        L.append("")
    notes = os.path.join(os.path.dirname(os.path.abspath(__file__)), "scaleout-notes.md")
    if os.path.exists(notes):
        with open(notes) as f:
            L.append(f.read().rstrip() + "\n")
    L.append(SCALEOUT_END)
    return "\n".join(L) + "\n"


def cell(value, fmt):
    return "n/a" if value is None else fmt(value)


if len(sys.argv) > 1 and sys.argv[1] == "--scaleout":
    # Usage: write-benchmarks-md.py --scaleout docs/benchmarks.md SCALEOUT.jsonl [MEMORY.jsonl]
    # Replaces (or appends) the scale-out section of an existing page; the rest stays as generated.
    page, scaleout_jsonl = sys.argv[2], sys.argv[3]
    memory_jsonl = sys.argv[4] if len(sys.argv) > 4 else None
    with open(page) as f:
        text = f.read()
    section = scaleout_section(scaleout_jsonl, memory_jsonl)
    if SCALEOUT_BEGIN in text and SCALEOUT_END in text:
        head, rest = text.split(SCALEOUT_BEGIN, 1)
        text = head + section + rest.split(SCALEOUT_END, 1)[1].lstrip("\n")
    else:
        text = text.rstrip("\n") + "\n\n" + section
    with open(page, "w") as f:
        f.write(text)
    sys.exit(0)

ADAPTIVE_BEGIN = "<!-- adaptive sweep: written by bench/adaptive-sweep.sh through bench/write-benchmarks-md.py -->"
ADAPTIVE_END = "<!-- end of adaptive sweep -->"

if len(sys.argv) > 1 and sys.argv[1] == "--adaptive-sweep":
    # Usage: write-benchmarks-md.py --adaptive-sweep docs/adaptive-concurrency.md SWEEP.md
    # Replaces the sweep's tables between the markers of the page with bench/adaptive-sweep.sh's output.
    page, sweep_md = sys.argv[2], sys.argv[3]
    with open(page) as f:
        text = f.read()
    with open(sweep_md) as f:
        section = ADAPTIVE_BEGIN + "\n\n" + f.read().strip("\n") + "\n\n" + ADAPTIVE_END + "\n\n"
    if ADAPTIVE_BEGIN not in text or ADAPTIVE_END not in text:
        sys.exit(f"{page}: no '{ADAPTIVE_BEGIN}' ... '{ADAPTIVE_END}' markers to replace between")
    head, rest = text.split(ADAPTIVE_BEGIN, 1)
    text = head + section + rest.split(ADAPTIVE_END, 1)[1].lstrip("\n")
    with open(page, "w") as f:
        f.write(text)
    sys.exit(0)

out, harness_md, notes_md, main_jsonl = sys.argv[1:5]
traced_jsonl = sys.argv[5] if len(sys.argv) > 5 and sys.argv[5] else None
otlp_stats = sys.argv[6] if len(sys.argv) > 6 and sys.argv[6] else None

PEERS = ["pipeline", "pipeline-jit", "bare-dotnet", "go-nethttp", "py-aiohttp", "py-requests", "node-http", "node-fetch", "wrk", "hey"]


def load(path):
    if not path or not os.path.exists(path):
        return []
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def med(recs, wl, peer, key):
    xs = [r.get(key) for r in recs if r["workload"] == wl and r["peer"] == peer and r.get(key) is not None]
    return statistics.median(xs) if xs else None


def first(recs, wl, key):
    for r in recs:
        if r["workload"] == wl:
            return r.get(key)
    return None


recs = load(main_jsonl)
traced = load(traced_jsonl)
present = [p for p in PEERS if any(r["peer"] == p for r in recs)] + sorted({r["peer"] for r in recs} - set(PEERS))


def rows():
    lines = []
    w1c = [r for r in recs if r["workload"] == "W1-conc"]
    w1s = [r for r in recs if r["workload"] == "W1-seq"]
    if w1c:
        n, c = w1c[0]["n_urls"], w1c[0]["c_arg"]
        lines.append((f"W1: {n} URLs on /delay, C={c} (ideal {math.ceil(n / c) * 0.1:.2f} s), wall s", "W1-conc", "wall_s", lambda v: f"{v:.3f}"))
    if w1s:
        n = w1s[0]["n_urls"]
        lines.append((f"W1: same, C=1 (ideal {n * 0.1:.1f} s), wall s", "W1-seq", "wall_s", lambda v: f"{v:.2f}"))
    if any(r["workload"] == "W2" for r in recs):
        lines.append((f"W2: {first(recs, 'W2', 'n_urls')} URLs on /ok, C={first(recs, 'W2', 'c_arg')}, req/s", "W2", "rps", lambda v: f"{v:,.0f}"))
        lines.append(("W2: peak RSS MiB", "W2", "time_rss_mb", lambda v: f"{v:.1f}"))
    if any(r["workload"] == "W3" for r in recs):
        lines.append((f"W3: up to {first(recs, 'W3', 'n_urls')} URLs on /ok, C={first(recs, 'W3', 'c_arg')}, peak RSS MiB", "W3", "time_rss_mb", lambda v: f"{v:.1f}"))
        lines.append(("W3: URLs actually run (capped per peer by the harness's budget)", "W3", "n_urls", lambda v: f"{v:,.0f}"))
    return lines


L = []
tiny = os.environ.get("BENCH_PLACEHOLDER") == "1"
L.append("# Benchmarks: Pipeline beside the peers\n")
if tiny:
    L.append("> **PLACEHOLDER.** This page was produced by a tiny configuration of `bench/run-harness.sh` "
             "to check the script end to end. Its numbers say nothing about performance; the lead "
             "replaces it with a full run (see *How to reproduce*).\n")
L.append(f"Generated {os.environ.get('BENCH_DATE', '')} by `bench/run-harness.sh` from one run of the shared harness "
         "(`../shared/bench`): every peer on the same origin, the same URL files and the same machine. Our two builds, "
         "bare .NET and Go, which the targets compare, run in one invocation with their repetitions interleaved; the other "
         "peers, context only, run in a second invocation right after. Cells are medians; the harness's full report "
         "(min–max, spread, exact commands) is below.\n")
L.append("## Machine\n")
L.append(os.environ.get("BENCH_MACHINE", "").strip() + "\n")
L.append("## Medians\n")
L.append("| workload | " + " | ".join(present) + " |")
L.append("|---|" + "---|" * len(present))
for title, wl, key, fmt in rows():
    L.append(f"| {title} | " + " | ".join(cell(med(recs, wl, p, key), fmt) for p in present) + " |")
L.append("")

# Targets, as issue 20 states them: the shipped binary ("pipeline") against the peers of the same
# run; the JIT build ("pipeline-jit") is measured the same way, for context.
L.append("## Targets (issue 20), from this run\n")
L.append("Each target is a ratio of medians from this run. *Shipped* is the NativeAOT binary (`pipeline`); "
         "the JIT build (`pipeline-jit`, what `dotnet run` gives) is held to the same bar for context.\n")
L.append("| target | shipped (NativeAOT) | verdict | JIT build | verdict |")
L.append("|---|---|---|---|---|")


def verdict(ok):
    return "n/a" if ok is None else ("met" if ok else "**not met**")


def add(target, check):
    """check(peer) -> (measured text, ok) or None when the peer has no figure."""
    cells = []
    for peer in ("pipeline", "pipeline-jit"):
        got = check(peer)
        cells += ["n/a", "n/a"] if got is None else [got[0], verdict(got[1])]
    if cells != ["n/a"] * 4:
        L.append(f"| {target} | " + " | ".join(cells) + " |")


def w1c_ideal():
    n, c = first(recs, "W1-conc", "n_urls"), first(recs, "W1-conc", "c_arg")
    return math.ceil(n / c) * 0.1


def w1c(peer):
    v = med(recs, "W1-conc", peer, "wall_s")
    return None if v is None else (f"{v:.3f} s = {v / w1c_ideal():.3f} × ideal", v / w1c_ideal() <= 1.03)


def w1c_go(peer):
    v, go = med(recs, "W1-conc", peer, "wall_s"), med(recs, "W1-conc", "go-nethttp", "wall_s")
    return None if v is None or go is None else (f"{v:.3f} s vs Go {go:.3f} s = {v / go:.3f}×", v <= go)


def w1s(peer):
    v = med(recs, "W1-seq", peer, "wall_s")
    ideal = (first(recs, "W1-seq", "n_urls") or 0) * 0.1
    return None if v is None or not ideal else (f"{v:.2f} s = {v / ideal:.3f} × ideal", v / ideal <= 1.01)


def w2_vs(other):
    def check(peer):
        v, o = med(recs, "W2", peer, "rps"), med(recs, "W2", other, "rps")
        return None if v is None or not o else (f"{v:,.0f} vs {o:,.0f} req/s = {v / o:.2f}×", v >= o)
    return check


def w3_of(peer):
    return first([r for r in recs if r["peer"] == peer], "W3", "n_urls")


def w3(peer):
    v = med(recs, "W3", peer, "time_rss_mb")
    return None if v is None else (f"{v:.1f} MiB at {w3_of(peer):,} URLs", v <= 48)


def w3_growth(peer):
    v3, v2 = med(recs, "W3", peer, "time_rss_mb"), med(recs, "W2", peer, "time_rss_mb")
    if v3 is None or not v2:
        return None
    return (f"{v3:.1f} MiB at {w3_of(peer):,} / {v2:.1f} MiB at {first(recs, 'W2', 'n_urls'):,} = {v3 / v2:.2f}", v3 / v2 <= 1.1)


if any(r["workload"] == "W1-conc" for r in recs):
    add("W1 concurrent: wall ≤ 1.03 × ideal", w1c)
    add("W1 concurrent: no slower than Go net/http", w1c_go)
add("W1 sequential: wall ≤ 1.01 × ideal", w1s)
add("W2: req/s ≥ 1.0 × Go net/http", w2_vs("go-nethttp"))
add("W2: req/s ≥ 1.0 × bare .NET (JIT, as users run it)", w2_vs("bare-dotnet"))
add("W3: peak RSS ≤ 48 MiB", w3)
add("W3: peak RSS at 1M URLs / at 100k (W2) ≤ 1.1", w3_growth)
t_on, t_off = med(traced, "W2", "pipeline-traced", "rps"), med(traced, "W2", "pipeline-notrace", "rps")
if t_on and t_off:
    spans = ""
    if otlp_stats and os.path.exists(otlp_stats):
        s = json.load(open(otlp_stats))
        runs = len([r for r in traced if r["peer"] == "pipeline-traced"])
        spans = f"; receiver got {s['fetch_spans']:,} fetch spans for {runs} × {first(traced, 'W2', 'n_urls'):,} URLs ({s['traces_bytes'] / 1e6:.0f} MB in {s['traces_requests']} exports)"
    L.append(f"| Tracing on (every span, batched OTLP) ≥ 0.85 × tracing off, W2 | {t_on:,.0f} vs {t_off:,.0f} req/s = {t_on / t_off:.2f}×{spans} "
             f"| {verdict(t_on >= 0.85 * t_off)} | not run | n/a |")
no_io = os.path.join(os.path.dirname(os.path.abspath(__file__)), "results", "no-io.json")
if os.path.exists(no_io):
    d = json.load(open(no_io))
    cases = ", ".join(f"{c['case']}: {c['urls_per_s']:,.0f}" for c in d["cases"])
    best = max(c["urls_per_s"] for c in d["cases"] if c.get("harness"))
    L.append(f"| No I/O: ≥ 1M URLs/s source → channel → consumers → sink | JIT, BenchmarkDotNet (`bench/no-io.sh`, {d['date']}), URLs/s: {cases} "
             f"| {verdict(best >= 1_000_000)} (the harness peer's settings, Fetch and no spans: {best:,.0f}) | (same) | |")
else:
    L.append("| No I/O: ≥ 1M URLs/s source → channel → consumers → sink | not measured in this run (`bench/no-io.sh`) | n/a | | |")
L.append("")
limits = os.path.join(os.path.dirname(os.path.abspath(__file__)), "harness-notes.md")
if os.path.exists(limits):
    L.append(open(limits).read().strip() + "\n")
# Hand-written measurements that are not harness runs (the durability cost) stay in the page.
durability = os.path.join(os.path.dirname(os.path.abspath(__file__)), "durability-notes.md")
if os.path.exists(durability):
    L.append(open(durability).read().strip() + "\n")
startup_json = os.environ.get("BENCH_STARTUP_JSON") or os.path.join(os.path.dirname(os.path.abspath(__file__)), "results", "startup.json")
if os.path.exists(startup_json):
    L.extend(startup_section(startup_json))
cpu_json = os.path.join(os.path.dirname(os.path.abspath(__file__)), "results", "cpu-per-request.json")
if os.path.exists(cpu_json):
    L.append("")
    L.extend(cpu_section(cpu_json))
    L.append("")
L.append("## How to reproduce\n")
L.append("```sh\n" + os.environ.get("BENCH_COMMAND", "bench/run-harness.sh") + "\n```\n")
L.append(os.environ.get("BENCH_HOWTO", "").strip() + "\n")
if traced:
    L.append("The tracing pair (`pipeline-notrace`, `pipeline-traced`) is a second harness invocation, W2 only, "
             "the two interleaved; `pipeline-traced` is `bench/peer-traced.sh`, exporting to `bench/otlp-receiver.py`.\n")
L.append("## Notes from the harness\n")
if os.path.exists(notes_md):
    L.append(open(notes_md).read().strip() + "\n")
L.append("## The harness's report\n")
report = open(harness_md).read() if os.path.exists(harness_md) else "(missing)\n"
# One level down, so the page keeps one title.
L.append("\n".join(("#" + line) if line.startswith("#") else line for line in report.splitlines()))
# The scale-out figures are measured by their own scripts; a full regeneration keeps them.
results_dir = os.path.join(os.path.dirname(os.path.abspath(__file__)), "results")
if os.path.exists(os.path.join(results_dir, "scaleout.jsonl")) or os.path.exists(os.path.join(results_dir, "collector-memory.jsonl")):
    L.append("")
    L.append(scaleout_section(os.path.join(results_dir, "scaleout.jsonl"), os.path.join(results_dir, "collector-memory.jsonl")))
with open(out, "w") as f:
    f.write("\n".join(L) + "\n")
