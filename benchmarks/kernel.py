#!/usr/bin/env python3
"""Shoal's kernel against ipykernel, both driven by jupyter_client in the same run.

Prints cold start (launch to the first kernel_info reply), the round trip of a
trivial execute until idle (median and p99 over 300), and resident memory
after start. Ratios are above 1 when Shoal is better.
"""
import os
import statistics
import subprocess
import sys
import tempfile
import time

from jupyter_client import KernelManager

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHOAL = os.environ.get("SHOAL", os.path.join(ROOT, ".build", "debug", "shoal"))
STARTS = int(os.environ.get("BENCH_STARTS", "7"))
ROUND_TRIPS = int(os.environ.get("BENCH_ROUND_TRIPS", "300"))


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


def measure(kernel_name, code):
    starts, rss = [], []
    for _ in range(STARTS):
        km = KernelManager(kernel_name=kernel_name)
        t = time.perf_counter()
        km.start_kernel()
        kc = km.client()
        kc.start_channels()
        kc.wait_for_ready(timeout=60)
        starts.append(time.perf_counter() - t)
        time.sleep(0.2)
        rss.append(rss_kib(km.provisioner.pid))
        kc.stop_channels()
        km.shutdown_kernel(now=True)
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
