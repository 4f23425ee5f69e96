# benchlib.py: shared plumbing of the benchmarks under bench/
#
# Copyright 2026 The Gatepost authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Timing: every command is started with fork/exec and reaped with wait4(), so
# one measurement gives the wall time and the peak RSS of that process tree's
# largest process (ru_maxrss). Subject and reference run alternately, in the
# same run on the same data, and the figures are medians.

import json
import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.path.abspath(os.environ.get("BUILD_DIR", os.path.join(ROOT, "_build")))
CLI = os.path.join(BUILD, "src", "cli", "gatepost-cli")
SIM = os.path.join(BUILD, "src", "sim", "gatepost-sim")
GUI = os.path.join(BUILD, "src", "gui", "gatepost")
RUNS = int(os.environ.get("BENCH_RUNS", "5"))


def die(msg):
    print(f"bench: {msg}", file=sys.stderr)
    sys.exit(1)


def need(*tools):
    for t in tools:
        if os.path.sep in t:
            if not os.access(t, os.X_OK):
                die(f"{t} is missing: build first (meson setup _build && ninja -C _build)")
        elif shutil.which(t) is None:
            die(f"{t} is missing: run build-aux/install-deps.sh")


def need_headless():
    if "DBUS_SESSION_BUS_ADDRESS" not in os.environ or "DISPLAY" not in os.environ:
        die("run me under tests/headless-run.sh (bench/run does that)")


def run_timed(argv, stdout=subprocess.DEVNULL, env=None, timeout=300, check=True):
    """Runs argv; returns (seconds, peak RSS in KiB, exit status, stdout bytes)."""
    out_r = None
    if stdout == subprocess.PIPE:
        out_r, out_w = os.pipe()
    t0 = time.monotonic()
    pid = os.fork()
    if pid == 0:
        try:
            if out_r is not None:
                os.dup2(out_w, 1)
                os.close(out_r)
                os.close(out_w)
            else:
                fd = os.open(os.devnull, os.O_WRONLY)
                os.dup2(fd, 1)
            os.execvpe(argv[0], argv, env if env is not None else os.environ)
        finally:
            os._exit(127)
    data = b""
    if out_r is not None:
        os.close(out_w)
        chunks = []
        while True:
            left = t0 + timeout - time.monotonic()
            if left <= 0 or not select.select([out_r], [], [], left)[0]:
                os.kill(pid, signal.SIGKILL)
                break
            b = os.read(out_r, 65536)
            if not b:
                break
            chunks.append(b)
        os.close(out_r)
        data = b"".join(chunks)
    deadline = t0 + timeout
    while True:
        wpid, status, ru = os.wait4(pid, os.WNOHANG)
        if wpid == pid:
            break
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            wpid, status, ru = os.wait4(pid, 0)
            die(f"{argv[0]} timed out after {timeout} s")
        time.sleep(0.0005)
    dt = time.monotonic() - t0
    code = os.waitstatus_to_exitcode(status)
    if check and code != 0:
        die(f"{' '.join(argv)} exited with {code}:\n{data.decode(errors='replace')[-2000:]}")
    return dt, ru.ru_maxrss, code, data


def median(xs):
    s = sorted(xs)
    n = len(s)
    return s[n // 2] if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2


def percentile(xs, p):
    s = sorted(xs)
    k = max(0, min(len(s) - 1, -(-len(s) * p // 100) - 1))
    return s[int(k)]


def alternate(pairs, runs=RUNS, warmup=1):
    """pairs: {label: callable returning (seconds, rss_kib)}. Runs them in turn,
    `warmup` unmeasured rounds first, then `runs` measured rounds."""
    res = {k: {"t": [], "rss": []} for k in pairs}
    for r in range(warmup + runs):
        for k, fn in pairs.items():
            t, rss = fn()
            if r >= warmup:
                res[k]["t"].append(t)
                res[k]["rss"].append(rss)
    return res


def result_line(**kw):
    """The one machine-readable line bench/run collects."""
    print("RESULT " + json.dumps(kw, ensure_ascii=False), flush=True)


class Simulator:
    """gatepost-sim on 127.0.0.1 with fresh fixtures in a temporary directory."""

    def __init__(self):
        need(SIM, CLI)
        self.dir = tempfile.mkdtemp(prefix="gatepost-bench-sim-")
        self.proc = subprocess.Popen([SIM, "--dir", self.dir], stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL, text=True)
        deadline = time.monotonic() + 60
        line = ""
        while time.monotonic() < deadline:
            left = deadline - time.monotonic()
            if not select.select([self.proc.stdout], [], [], max(left, 0))[0]:
                break
            line = self.proc.stdout.readline()
            if line.startswith("READY ") or line == "":
                break
        if not line.startswith("READY "):
            self.stop()
            die("gatepost-sim did not print READY")
        _, self.base_url, self.v2_base_url = line.split()
        with open(os.path.join(self.dir, "sim.json")) as f:
            self.info = json.load(f)

    def path(self, *parts):
        return os.path.join(self.dir, *parts)

    def import_profile(self, name):
        run_timed([CLI, "profile", "import", self.path("profiles", name + ".json")])

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


def fixtures(count=200):
    """The benchmark media (bench/fixtures.sh), cached between runs."""
    d = os.environ.get("BENCH_DATA") or os.path.join(BUILD, "bench", "data")
    subprocess.run([os.path.join(ROOT, "bench", "fixtures.sh"), d, str(count)], check=True)
    return d
