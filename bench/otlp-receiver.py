#!/usr/bin/env python3
"""A minimal OTLP/HTTP (http/protobuf) receiver for the tracing-on benchmark; stdlib only.

Accepts POST /v1/traces and /v1/metrics on 127.0.0.1, answers 200 with an empty protobuf body (a
valid Export*ServiceResponse), and counts requests, bytes and the exported "fetch url" spans: span
names are stored verbatim in protobuf, so counting the name's bytes counts the spans without a
protobuf parser. GET /stats returns the counts as JSON.

Usage: otlp-receiver.py [--port 4318]     (run-harness.sh starts and stops it)
"""
import argparse
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SPAN_NAME = b"fetch url"
lock = threading.Lock()
stats = {"traces_requests": 0, "traces_bytes": 0, "fetch_spans": 0, "metrics_requests": 0, "metrics_bytes": 0}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        kind = {"/v1/traces": "traces", "/v1/metrics": "metrics"}.get(self.path)
        if kind is None:
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        with lock:
            stats[f"{kind}_requests"] += 1
            stats[f"{kind}_bytes"] += len(body)
            if kind == "traces":
                stats["fetch_spans"] += body.count(SPAN_NAME)
        self.send_response(200)
        self.send_header("Content-Type", "application/x-protobuf")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self):
        with lock:
            payload = json.dumps(stats).encode() if self.path == "/stats" else b""
        self.send_response(200 if payload else 404)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=4318)
    args = parser.parse_args()
    ThreadingHTTPServer(("127.0.0.1", args.port), Handler).serve_forever()


if __name__ == "__main__":
    main()
