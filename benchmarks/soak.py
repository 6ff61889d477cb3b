#!/usr/bin/env python3
"""Soak: the kernel's resident memory over 12,000 mixed executes.

One Shoal kernel runs definitions (variables, functions, structs), prints,
displays, errors and, every 200th execute, a spinning cell that is
interrupted. Prints the resident memory after the first 1,000 executes and
after all of them, and the growth between (the target: at most 2 MiB).
SOAK_EXECUTES changes the count. Exits with 1 when the growth passes the
target (`make soak`).
"""
import os
import sys
import time

from jupyter_client import KernelManager

import kernel

EXECUTES = int(os.environ.get("SOAK_EXECUTES", "12000"))


def cell(i):
    kinds = [
        f"var v{i % 40} = {i}",
        f"func f{i % 40}(_ n: Int) -> Int {{ n * {i} }}",
        f"print(\"line {i}\")",
        f"[{i}, {i + 1}, {i + 2}].map {{ $0 * 2 }}",
        f"let s{i} = \"fish \\({i})\"",
        f"undefined{i % 7} + 1",
        f"struct P{i % 40} {{ var x = {i} }}\nP{i % 40}().x",
        f"let d = [\"a\": {i}]\nd[\"a\"]! + 1",
        "Array(repeating: 1, count: 1_000).count",
        f"let bad: Int = \"{i}\"",
    ]
    return kinds[i % len(kinds)]


def run(kc, code, timeout=60):
    msg_id = kc.execute(code)
    while True:
        reply = kc.get_shell_msg(timeout=timeout)
        if reply["parent_header"].get("msg_id") == msg_id:
            return reply["content"]


def main():
    if not os.path.exists(kernel.SHOAL):
        sys.exit(f"{kernel.SHOAL} not found: run `make kernel` first")
    kernel.install_shoal()
    km = KernelManager(kernel_name="shoal")
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(timeout=60)
    pid = km.provisioner.process.pid
    try:
        after_first = None
        for i in range(1, EXECUTES + 1):
            if i % 200 == 0:
                msg_id = kc.execute("while true {}")
                time.sleep(0.05)
                km.interrupt_kernel()
                while kc.get_shell_msg(timeout=60)["parent_header"].get("msg_id") != msg_id:
                    pass
            else:
                run(kc, cell(i))
            if i % 100 == 0:
                while kc.iopub_channel.msg_ready():
                    kc.get_iopub_msg(timeout=1)
            if i == 1000:
                after_first = kernel.rss_kib(pid)
        last = kernel.rss_kib(pid)
        growth = (last - after_first) / 1024
        print(f"# resident memory after 1,000 executes {after_first / 1024:.1f} MiB, after {EXECUTES:,} {last / 1024:.1f} MiB")
        print(f"bench soak-rss-growth: shoal {growth:.2f} MiB | target 2.00 MiB | ratio {2 / max(growth, 0.01):.2f}")
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    if growth > 2:
        sys.exit(f"soak: resident memory grew {growth:.2f} MiB after the first 1,000 executes, more than 2 MiB")


if __name__ == "__main__":
    main()
