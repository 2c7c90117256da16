#!/usr/bin/env python3
"""Start-up of the worker builds on a small local run (issue 20, item 3).

    startup.py OUT.json NAME=BINARY [NAME=BINARY ...] [--reps 11] [--urls 20] [--concurrency 4] [--demo-reps 3]

Serves /ok on 127.0.0.1 (a thread of this process), then starts each binary REPS times,
interleaved (a, b, c, a, b, c, ...) so that load from elsewhere falls on every build alike, and
measures from just before the process is spawned:
  - first request: when the server receives the first request;
  - first result: when the results file first holds a byte (polled every 0.2 ms);
  - exit: when the process has exited (it must exit 0), with its CPU time and peak RSS (wait4).
Then each binary runs the offline demo (no arguments: 40 URLs x 200 ms from its own origin,
sequential then concurrent) DEMO_REPS times for its peak RSS, the figure /usr/bin/time -v reports
as "Maximum resident set size" (both read it from wait4).
Medians and ranges go to OUT.json; write-benchmarks-md.py renders them.
"""
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

first_request_ns = None
lock = threading.Lock()


class Ok(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):  # noqa: N802 (the handler's name is fixed)
        global first_request_ns
        now = time.monotonic_ns()
        with lock:
            if first_request_ns is None:
                first_request_ns = now
        body = b"ok\n"
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def run_once(binary, urls_file, concurrency, port_dir):
    global first_request_ns
    with lock:
        first_request_ns = None
    out = os.path.join(port_dir, "results.jsonl")
    for leftover in (out,):
        if os.path.exists(leftover):
            os.remove(leftover)
    cmd = [binary, "--input", urls_file, "--mode", "Concurrent", "--concurrency", str(concurrency),
           "--output", out, "--summary", "json",
           "--Pipeline:Duplicates=Fetch",
           f"--Pipeline:StateDirectory={os.path.join(port_dir, 'state')}",
           "--Logging:LogLevel:Default=Warning"]
    with open(os.path.join(port_dir, "stdout.txt"), "wb") as stdout, open(os.path.join(port_dir, "stderr.txt"), "wb") as stderr:
        start = time.monotonic_ns()
        proc = subprocess.Popen(cmd, stdout=stdout, stderr=stderr, cwd=port_dir)
        first_result = None
        while first_result is None:
            try:
                if os.stat(out).st_size > 0:
                    first_result = time.monotonic_ns()
                    break
            except FileNotFoundError:
                pass
            if proc.poll() is not None:
                break
            time.sleep(0.0002)
        _, status, usage = os.wait4(proc.pid, 0)
        exited = time.monotonic_ns()
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        sys.stderr.write(open(os.path.join(port_dir, "stderr.txt")).read()[-2000:])
        raise SystemExit(f"{binary} exited {code}")
    ms = lambda t: None if t is None else (t - start) / 1e6  # noqa: E731
    return {
        "first_request_ms": ms(first_request_ns),
        "first_result_ms": ms(first_result),
        "exit_ms": ms(exited),
        "cpu_ms": (usage.ru_utime + usage.ru_stime) * 1000,
        "peak_rss_mib": usage.ru_maxrss / 1024,
    }


def demo_once(binary, run_dir):
    with open(os.path.join(run_dir, "stdout.txt"), "wb") as stdout, open(os.path.join(run_dir, "stderr.txt"), "wb") as stderr:
        start = time.monotonic_ns()
        proc = subprocess.Popen([binary, f"--Pipeline:StateDirectory={os.path.join(run_dir, 'state')}"],
                                stdout=stdout, stderr=stderr, cwd=run_dir)
        _, status, usage = os.wait4(proc.pid, 0)
        exited = time.monotonic_ns()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"the demo of {binary} exited {os.waitstatus_to_exitcode(status)}")
    return {"wall_s": (exited - start) / 1e9, "cpu_ms": (usage.ru_utime + usage.ru_stime) * 1000, "peak_rss_mib": usage.ru_maxrss / 1024}


def main():
    args = sys.argv[1:]
    opts = {"--reps": 11, "--urls": 20, "--concurrency": 4, "--demo-reps": 3}
    builds = []
    out = args.pop(0)
    while args:
        a = args.pop(0)
        if a in opts:
            opts[a] = int(args.pop(0))
        else:
            name, _, binary = a.partition("=")
            builds.append((name, os.path.abspath(binary)))
    server = ThreadingHTTPServer(("127.0.0.1", 0), Ok)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]
    work = tempfile.mkdtemp(prefix="pipeline-startup.")
    urls_file = os.path.join(work, "urls.txt")
    with open(urls_file, "w") as f:
        for i in range(opts["--urls"]):
            f.write(f"http://127.0.0.1:{port}/ok?i={i}\n")
    runs = {name: [] for name, _ in builds}
    load_before = os.getloadavg()
    # One warm-up each (page cache), not counted.
    for name, binary in builds:
        run_once(binary, urls_file, opts["--concurrency"], tempfile.mkdtemp(dir=work))
    for _ in range(opts["--reps"]):
        for name, binary in builds:
            runs[name].append(run_once(binary, urls_file, opts["--concurrency"], tempfile.mkdtemp(dir=work)))
    server.shutdown()
    demos = {name: [] for name, _ in builds}
    for _ in range(opts["--demo-reps"]):
        for name, binary in builds:
            demos[name].append(demo_once(binary, tempfile.mkdtemp(dir=work)))
    load_after = os.getloadavg()

    def summary(records, key):
        xs = [r[key] for r in records if r[key] is not None]
        return {"median": statistics.median(xs), "min": min(xs), "max": max(xs)} if xs else None

    result = {
        "date": time.strftime("%Y-%m-%d %H:%M %Z"),
        "machine": f"{os.cpu_count()} cores, {platform.machine()}, {platform.system()} {platform.release()}",
        "load_before": [round(x, 2) for x in load_before],
        "load_after": [round(x, 2) for x in load_after],
        "reps": opts["--reps"],
        "urls": opts["--urls"],
        "concurrency": opts["--concurrency"],
        "demo_reps": opts["--demo-reps"],
        "builds": {
            name: {
                "binary": binary,
                "runs": runs[name],
                **{key: summary(runs[name], key) for key in ("first_request_ms", "first_result_ms", "exit_ms", "cpu_ms", "peak_rss_mib")},
                "demo_runs": demos[name],
                "demo": {key: summary(demos[name], key) for key in ("wall_s", "cpu_ms", "peak_rss_mib")},
            }
            for name, binary in builds
        },
    }
    with open(out, "w") as f:
        json.dump(result, f, indent=1)
    for name, _ in builds:
        b = result["builds"][name]
        print(f"{name:10} first request {b['first_request_ms']['median']:7.1f} ms  first result {b['first_result_ms']['median']:7.1f} ms"
              f"  exit {b['exit_ms']['median']:7.1f} ms  cpu {b['cpu_ms']['median']:6.0f} ms  rss {b['peak_rss_mib']['median']:5.1f} MiB"
              + (f"  demo rss {b['demo']['peak_rss_mib']['median']:5.1f} MiB" if b["demo"]["peak_rss_mib"] else ""))


if __name__ == "__main__":
    main()
