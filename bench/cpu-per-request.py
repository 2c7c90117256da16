#!/usr/bin/env python3
"""CPU time per request of each client on W2's shape (issue 20, item 2).

    cpu-per-request.py OUT.json BASE_URL NAME=COMMAND [NAME=COMMAND ...] [--n 50000] [--small 5000]
                       [--concurrency 64] [--reps 3] [--note "text under the table"]

Each COMMAND is a peer of the shared harness (it takes URLS_FILE C and execs the client), run
REPS times per size, interleaved (a, b, a, b, ...), so that load from elsewhere falls on every
client alike. The client's user + system CPU time comes from wait4 on the exec'ed process (the
origin's CPU is not counted). CPU time is far less sensitive than wall time to other work on the
machine, but not immune (cache and frequency), hence the repetitions and medians.

Per request = (median CPU at N - median CPU at SMALL) / (N - SMALL): the slope drops what every
run pays once (start-up, JIT, the connection pool's first connections), which is not per request.
Total CPU / N at N is reported beside it.
"""
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time


def arg(name, default, cast=int):
    if name in sys.argv:
        i = sys.argv.index(name)
        value = sys.argv[i + 1]
        del sys.argv[i:i + 2]
        return cast(value)
    return default


n = arg("--n", 50000)
small = arg("--small", 5000)
c = arg("--concurrency", 64)
reps = arg("--reps", 3)
note = arg("--note", "", str)
out, base = sys.argv[1:3]
peers = [p.split("=", 1) for p in sys.argv[3:]]
if not base.startswith(("http://127.", "http://[::1]", "http://localhost")):
    sys.exit(f"refusing non-loopback base {base}")

tmp = tempfile.mkdtemp(prefix="cpu-per-request-")
files = {}
for size in (small, n):
    files[size] = os.path.join(tmp, f"urls-{size}.txt")
    with open(files[size], "w") as f:
        f.writelines(f"{base}?i={i}\n" for i in range(size))


def run(command, size):
    proc = subprocess.Popen(command.split() + [files[size], str(c)], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    stdout = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    record = next((json.loads(line) for line in reversed(stdout.decode().splitlines()) if line.startswith("{")), {})
    if proc.returncode not in (0, 3) or record.get("ok") != size:
        sys.exit(f"{command} on {size} URLs: exit {proc.returncode}, record {record}")
    return {"cpu_s": usage.ru_utime + usage.ru_stime, "user_s": usage.ru_utime, "sys_s": usage.ru_stime,
            "wall_s": record.get("wall_s"), "peak_rss_mib": usage.ru_maxrss / 1024}


load_before = os.getloadavg()
samples = {name: {small: [], n: []} for name, _ in peers}
for rep in range(reps):
    for size in (small, n):
        for name, command in peers:
            r = run(command, size)
            samples[name][size].append(r)
            print(f"[cpu-per-request] rep {rep + 1}/{reps} {name} {size}: {r['cpu_s']:.2f} s CPU "
                  f"({r['user_s']:.2f} user, {r['sys_s']:.2f} sys)", file=sys.stderr)
load_after = os.getloadavg()

result = {"note": note, "n": n, "small": small, "c": c, "reps": reps, "nproc": os.cpu_count(),
          "load_before": [round(x, 2) for x in load_before], "load_after": [round(x, 2) for x in load_after],
          "time": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "peers": {}}
for name, command in peers:
    big = [s["cpu_s"] for s in samples[name][n]]
    little = [s["cpu_s"] for s in samples[name][small]]
    slope = (statistics.median(big) - statistics.median(little)) / (n - small) * 1e6
    result["peers"][name] = {
        "command": command,
        "us_per_request": round(slope, 1),
        "us_per_request_total": round(statistics.median(big) / n * 1e6, 1),
        "cpu_s": big, "cpu_s_small": little,
        "user_s": [s["user_s"] for s in samples[name][n]], "sys_s": [s["sys_s"] for s in samples[name][n]],
        "peak_rss_mib": statistics.median(s["peak_rss_mib"] for s in samples[name][n]),
    }
    print(f"{name}: {slope:.1f} µs CPU per request (slope {small}→{n}); {result['peers'][name]['us_per_request_total']:.1f} µs total/N "
          f"(CPU at {n}: {', '.join(f'{x:.2f}' for x in big)} s)")
with open(out, "w") as f:
    json.dump(result, f, indent=1)
