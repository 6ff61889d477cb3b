#!/usr/bin/env python3
"""Shoal's kernel against ipykernel, both driven by jupyter_client in the same run.

Prints cold start (launch to the first kernel_info reply, asked every 5 ms), the round trip of a
trivial execute until idle (median and p99 over 300), and resident memory
after start. Ratios are above 1 when Shoal is better.
"""
import os
import statistics
import subprocess
import sys
import tempfile
import time

import json
import socket

import zmq
from jupyter_client import KernelManager
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.session import Session

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHOAL = os.environ.get("SHOAL", os.path.join(ROOT, ".build-kernel", "debug", "shoal"))
STARTS = int(os.environ.get("BENCH_STARTS", "7"))
ROUND_TRIPS = int(os.environ.get("BENCH_ROUND_TRIPS", "1000"))


def install_shoal():
    prefix = tempfile.mkdtemp(prefix="shoal-bench-")
    subprocess.run([SHOAL, "install", "--prefix", prefix], check=True, capture_output=True)
    os.environ["JUPYTER_PATH"] = os.path.join(prefix, "share", "jupyter")


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def cold_start(kernel_name):
    """Spawns the kernel's own argv and asks for kernel_info every 5 ms on a
    fresh socket until one answers: the time to the first reply, and the
    kernel's resident memory just after. (jupyter_client's own waits, such as
    ZeroMQ's 100 ms reconnect interval, are left out: they are the same for
    every kernel.)"""
    spec = KernelSpecManager().get_kernel_spec(kernel_name)
    conn = {k: free_port() for k in ("shell_port", "iopub_port", "stdin_port", "control_port", "hb_port")}
    conn.update(ip="127.0.0.1", key="bench-key", transport="tcp", signature_scheme="hmac-sha256")
    path = tempfile.mktemp(suffix=".json")
    with open(path, "w") as f:
        json.dump(conn, f)
    argv = [a.replace("{connection_file}", path) for a in spec.argv]
    if argv[0] in ("python", "python3"):  # as jupyter_client does for the native kernel
        argv[0] = sys.executable
    session = Session(key=b"bench-key")
    ctx = zmq.Context.instance()
    t = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env=dict(os.environ, **spec.env))
    try:
        while True:
            s = ctx.socket(zmq.DEALER)
            s.setsockopt(zmq.LINGER, 0)
            s.connect(f"tcp://127.0.0.1:{conn['shell_port']}")
            session.send(s, session.msg("kernel_info_request"))
            ready = s.poll(5)
            s.close()
            if ready:
                elapsed = time.perf_counter() - t
                break
            if time.perf_counter() - t > 60:
                raise TimeoutError("no kernel_info reply")
        time.sleep(0.2)
        return elapsed, rss_kib(proc.pid)
    finally:
        proc.kill()
        proc.wait()
        os.unlink(path)


def measure(kernel_name, code):
    starts, rss = [], []
    for _ in range(STARTS):
        elapsed, kib = cold_start(kernel_name)
        starts.append(elapsed)
        rss.append(kib)
    km = KernelManager(kernel_name=kernel_name)
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(timeout=60)
    trips = []
    for i in range(ROUND_TRIPS + 20):
        t = time.perf_counter()
        msg_id = kc.execute(code)
        while True:
            m = kc.get_iopub_msg(timeout=10)
            if (m["parent_header"].get("msg_id") == msg_id and m["msg_type"] == "status"
                    and m["content"]["execution_state"] == "idle"):
                break
        kc.get_shell_msg(timeout=10)
        if i >= 20:  # warm-up
            trips.append(time.perf_counter() - t)
    kc.stop_channels()
    km.shutdown_kernel(now=True)
    trips.sort()
    return {
        "start": statistics.median(starts) * 1000,
        "median": statistics.median(trips) * 1000,
        "p99": trips[int(len(trips) * 0.99) - 1] * 1000,
        "rss": statistics.median(rss) / 1024,
    }


def main():
    if not os.path.exists(SHOAL):
        sys.exit(f"{SHOAL} not found: run `swift build` first")
    install_shoal()
    shoal = measure("shoal", "1")
    ipy = measure("python3", "1")
    print(f"# {STARTS} cold starts, {ROUND_TRIPS} round trips after warm-up; jupyter_client in one process")
    for key, name, unit in [("start", "kernel-cold-start", "ms"), ("median", "kernel-round-trip-median", "ms"),
                            ("p99", "kernel-round-trip-p99", "ms"), ("rss", "kernel-memory-after-start", "MiB")]:
        print(f"bench {name}: shoal {shoal[key]:.2f} {unit} | ipykernel {ipy[key]:.2f} {unit} | "
              f"ratio {ipy[key] / shoal[key]:.2f}")


if __name__ == "__main__":
    main()
