#!/usr/bin/env python3
"""Writes hot-functions.txt: the kernel binary's functions that a start and a
few first executes run, in the order `make kernel` asks lld to lay them out
(`--symbol-ordering-file`), so that they share a few 64 KiB windows of code.

Linux maps a program's code 64 KiB at a time around each page it touches
(fault-around): functions the kernel runs, scattered over 33 MB of code, made
about 10 MiB of its resident memory after start. See benchmarks/README.md.

    python3 Sources/shoal/hot_functions.py [KERNEL_BINARY]

Needs valgrind (callgrind), objcopy and the venv's jupyter_client (`make
.venv/.installed`). Run it again after large changes to what start-up or an
execute runs; a stale list only costs memory (lld is told not to warn about
names it no longer finds), never a build.
"""
import glob
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time

import zmq
from jupyter_client.session import Session

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
OUT = os.path.join(HERE, "hot-functions.txt")
# What a learner's first cells do: a value, a print, an array, a loop.
CELLS = ["1", "let xs = [1, 2, 3]\nprint(xs.count)", "var total = 0\nfor i in 0..<10 { total += i }\ntotal", "1"]


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def profile(binary, cells, out):
    """Runs the kernel under callgrind: start, kernel_info, `cells`, shutdown."""
    conn = {k: free_port() for k in ("shell_port", "iopub_port", "stdin_port", "control_port", "hb_port")}
    conn.update(ip="127.0.0.1", key="order", transport="tcp", signature_scheme="hmac-sha256")
    path = tempfile.mktemp(suffix=".json")
    with open(path, "w") as f:
        json.dump(conn, f)
    proc = subprocess.Popen(["valgrind", "--tool=callgrind", "--demangle=no", f"--callgrind-out-file={out}",
                             binary, "kernel", "--connection-file", path],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    session, ctx = Session(key=b"order"), zmq.Context.instance()
    started = time.time()
    try:
        while True:
            s = ctx.socket(zmq.DEALER)
            s.setsockopt(zmq.LINGER, 0)
            s.connect(f"tcp://127.0.0.1:{conn['shell_port']}")
            session.send(s, session.msg("kernel_info_request"))
            if s.poll(200):
                break
            s.close()
            if proc.poll() is not None or time.time() - started > 300:
                sys.exit("the kernel did not answer under valgrind")
        session.recv(s)
        time.sleep(5)  # the Session is made in the background after start (slowly, under valgrind)
        for code in cells:
            session.send(s, session.msg("execute_request", {"code": code, "silent": False, "store_history": True,
                                                            "user_expressions": {}, "allow_stdin": False}))
            if not s.poll(120_000):
                sys.exit("no execute_reply under valgrind")
            session.recv(s)
        c = ctx.socket(zmq.DEALER)
        c.setsockopt(zmq.LINGER, 0)
        c.connect(f"tcp://127.0.0.1:{conn['control_port']}")
        session.send(c, session.msg("shutdown_request", {"restart": False}))
        proc.wait(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
        os.unlink(path)


def functions_run(callgrind_out, binary):
    """The binary's own functions that ran, in the order callgrind lists them."""
    names, objects, ran = {}, {}, []
    current_object = None
    pattern = re.compile(r"^(c?fn|c?ob)=\((\d+)\)(?: (.*))?$")
    with open(callgrind_out, errors="replace") as f:
        for line in f:
            m = pattern.match(line.rstrip("\n"))
            if not m:
                continue
            kind, ident, name = m.groups()
            table = names if kind.endswith("fn") else objects
            if name is not None:
                table[ident] = name
            if kind == "ob":
                current_object = objects.get(ident)
            elif kind == "fn" and current_object == binary:
                ran.append(re.sub(r"'\d+$", "", names[ident]))  # callgrind's recursion depth suffix
    return list(dict.fromkeys(ran))


def prebuilt_swift_symbols():
    """Swift symbols of the prebuilt static runtime and Foundation: those are
    compiled without function sections, so naming one moves its whole object's
    code; they go after the project's own functions."""
    archives = glob.glob("/opt/swift/usr/lib/swift_static/linux/*.a") or glob.glob(
        os.path.join(os.path.dirname(os.path.realpath(subprocess.check_output(["which", "swiftc"], text=True).strip())),
                     "..", "lib", "swift_static", "linux", "*.a"))
    out = subprocess.run(["nm", "--defined-only", "-j", *archives], capture_output=True, text=True).stdout
    return {s for s in out.split() if s.startswith("$s")}


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, ".build-kernel", "debug", "shoal")
    work = tempfile.mkdtemp(prefix="shoal-order-")
    stripped = os.path.join(work, "shoal")
    # valgrind 3.19 cannot read the DWARF 5 that swiftc writes; the symbol table is enough.
    subprocess.run(["objcopy", "--strip-debug", binary, stripped], check=True)
    profile(stripped, [], os.path.join(work, "start.out"))
    profile(stripped, CELLS, os.path.join(work, "execute.out"))
    start = functions_run(os.path.join(work, "start.out"), stripped)
    execute = [f for f in functions_run(os.path.join(work, "execute.out"), stripped) if f not in set(start)]
    prebuilt = prebuilt_swift_symbols()
    # Sorted within each group, so that a new list differs from the last by what changed.
    ordered = (sorted(f for f in start if f not in prebuilt) + sorted(f for f in execute if f not in prebuilt)
               + sorted(f for f in start if f in prebuilt) + sorted(f for f in execute if f in prebuilt))
    with open(OUT, "w") as f:
        f.write("# Written by Sources/shoal/hot_functions.py: the functions a kernel start, then its first executes,\n"
                "# ran (callgrind), in the order lld lays them out for `make kernel`.\n")
        f.write("\n".join(ordered) + "\n")
    print(f"{OUT}: {len(start)} functions at start, {len(execute)} more in the first executes "
          f"({len([f for f in ordered if f in prebuilt])} of the prebuilt Swift runtime and Foundation)")


if __name__ == "__main__":
    main()
