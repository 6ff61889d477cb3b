#!/usr/bin/env python3
"""A class of N learners on the local hub (`make hub-bench`).

Each simulated learner, all at once: logs in through the Hub's login form,
starts a server (REST API), starts a Shoal kernel on it (the server's kernel
API), runs lesson 1's code cells in order over the kernel's websocket and
reads every output. Printed per N: start-up time (login to a kernel that
answers), per-cell latency p50/p95 over all learners' cells, resident memory
per learner (server and kernel, and the kernel alone), and the time for the
whole class to get through the lesson. Each learner also starts an
ipykernel and runs one trivial cell, so the kernel's start and memory have a
peer measured in the same run.

Then the memory limit: one learner allocates past it; their kernel tells
them and is restarted by their server; the learner next to them keeps their
variables.
"""
import argparse
import concurrent.futures
import json
import os
import re
import statistics
import subprocess
import sys
import time
import uuid

import requests
import websocket

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def percentile(values, p):
    values = sorted(values)
    if not values:
        return float("nan")
    k = (len(values) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def lesson_cells():
    with open(os.path.join(ROOT, "instructor", "01-data-splits.ipynb")) as f:
        nb = json.load(f)
    return ["".join(c["source"]) if isinstance(c["source"], list) else c["source"]
            for c in nb["cells"] if c["cell_type"] == "code"]


class Learner:
    def __init__(self, hub, name, password, admin_token):
        self.hub, self.name, self.password = hub, name, password
        self.admin = {"Authorization": f"token {admin_token}"}
        self.web = requests.Session()

    def log_in(self):
        page = self.web.get(f"{self.hub}/hub/login", timeout=60)
        xsrf = re.search(r'name="_xsrf" value="([^"]+)"', page.text)
        form = {"username": self.name, "password": self.password}
        if xsrf:
            form["_xsrf"] = xsrf.group(1)
        r = self.web.post(f"{self.hub}/hub/login?next=", data=form, allow_redirects=False, timeout=60)
        if r.status_code != 302 or "jupyterhub-session-id" not in self.web.cookies:
            raise RuntimeError(f"{self.name} could not log in: {r.status_code}")
        r = requests.post(f"{self.hub}/hub/api/users/{self.name}/tokens", headers=self.admin,
                          json={"note": "bench", "expires_in": 3600}, timeout=60)
        r.raise_for_status()
        self.token = r.json()["token"]
        self.auth = {"Authorization": f"token {self.token}"}

    def start_server(self, timeout=600):
        r = requests.post(f"{self.hub}/hub/api/users/{self.name}/server", headers=self.admin, timeout=60)
        if r.status_code not in (201, 202, 400):   # 400: already running
            raise RuntimeError(f"{self.name}: starting the server answered {r.status_code} {r.text[:200]}")
        deadline = time.time() + timeout
        while time.time() < deadline:
            user = requests.get(f"{self.hub}/hub/api/users/{self.name}", headers=self.admin, timeout=60).json()
            server = user.get("servers", {}).get("")
            if server and server.get("ready"):
                return
            time.sleep(0.25)
        raise RuntimeError(f"{self.name}: the server did not start in {timeout} s")

    def stop_server(self):
        requests.delete(f"{self.hub}/hub/api/users/{self.name}/server", headers=self.admin, timeout=120)

    def start_kernel(self, name="shoal"):
        base = f"{self.hub}/user/{self.name}"
        r = requests.post(f"{base}/api/kernels", headers=self.auth, json={"name": name, "path": "lessons"}, timeout=120)
        r.raise_for_status()
        kernel = Kernel(self, r.json()["id"])
        kernel.wait_ready()
        return kernel

    def rss_mib(self, command_part=None):
        """Resident memory of this learner's processes (or those whose command line has `command_part`)."""
        out = subprocess.run(["ps", "-u", self.name, "-o", "rss=,args="], capture_output=True, text=True).stdout
        total = 0
        for line in out.splitlines():
            rss, _, args = line.strip().partition(" ")
            if command_part is None or command_part in args:
                total += int(rss)
        return total / 1024


class Kernel:
    def __init__(self, learner, kernel_id):
        self.learner, self.id = learner, kernel_id
        url = f"{learner.hub.replace('http', 'ws', 1)}/user/{learner.name}/api/kernels/{kernel_id}/channels"
        self.ws = websocket.create_connection(url, header=[f"Authorization: token {learner.token}"], timeout=300)
        self.session = uuid.uuid4().hex

    def send(self, msg_type, content, channel="shell"):
        msg_id = uuid.uuid4().hex
        self.ws.send(json.dumps({
            "header": {"msg_id": msg_id, "msg_type": msg_type, "username": self.learner.name, "session": self.session,
                       "date": "", "version": "5.3"},
            "parent_header": {}, "metadata": {}, "content": content, "channel": channel, "buffers": []}))
        return msg_id

    def wait_ready(self, timeout=120):
        deadline = time.time() + timeout
        while time.time() < deadline:
            msg_id = self.send("kernel_info_request", {})
            self.ws.settimeout(1.0)
            try:
                while True:
                    m = json.loads(self.ws.recv())
                    if m["msg_type"] == "kernel_info_reply" and m["parent_header"].get("msg_id") == msg_id:
                        self.ws.settimeout(300)
                        return
            except websocket.WebSocketTimeoutException:
                continue
        raise RuntimeError("the kernel did not answer kernel_info")

    def execute(self, code):
        """Runs a cell; returns (seconds, outputs, reply status, restarted)."""
        t0 = time.perf_counter()
        msg_id = self.send("execute_request", {"code": code, "silent": False, "store_history": True,
                                               "user_expressions": {}, "allow_stdin": False, "stop_on_error": True})
        outputs, status, idle, restarted = [], None, False, False
        while not (status and idle):
            m = json.loads(self.ws.recv())
            if m["msg_type"] == "status" and m["content"]["execution_state"] in ("restarting", "dead"):
                restarted = True
                break
            if m["parent_header"].get("msg_id") != msg_id:
                continue
            if m["msg_type"] == "execute_reply":
                status = m["content"]["status"]
            elif m["msg_type"] == "status" and m["content"]["execution_state"] == "idle":
                idle = True
            elif m["msg_type"] in ("stream", "display_data", "execute_result", "error", "update_display_data"):
                outputs.append(m)
        return time.perf_counter() - t0, outputs, status, restarted

    def close(self):
        self.ws.close()
        requests.delete(f"{self.learner.hub}/user/{self.learner.name}/api/kernels/{self.id}", headers=self.learner.auth,
                        timeout=60)


def one_learner(hub, name, password, token, cells, start_barrier):
    start_barrier()
    learner = Learner(hub, name, password, token)
    t0 = time.perf_counter()
    learner.log_in()
    logged_in = time.perf_counter()
    learner.start_server()
    server_ready = time.perf_counter()
    kernel = learner.start_kernel()
    kernel_ready = time.perf_counter()
    kernel.execute("1 + 1")
    started_memory = learner.rss_mib("shoal kernel")
    latencies, errors = [], []
    for code in cells:
        seconds, outputs, status, _ = kernel.execute(code)
        latencies.append(seconds)
        errors += [f"{o['content']['ename']}: {o['content']['evalue']}" for o in outputs if o["msg_type"] == "error"]
        if status != "ok" and not errors:
            errors.append(f"status {status}")
    finished = time.perf_counter()
    memory, kernel_memory = learner.rss_mib(), learner.rss_mib("shoal kernel")
    t1 = time.perf_counter()
    peer = learner.start_kernel("python3")
    peer_start = time.perf_counter() - t1
    peer.execute("1 + 1")
    peer_memory = learner.rss_mib("ipykernel")
    peer.close()
    kernel.close()
    return {"name": name, "login": logged_in - t0, "server": server_ready - logged_in, "kernel": kernel_ready - server_ready,
            "startup": kernel_ready - t0, "cells": latencies, "errors": errors, "lesson": finished - kernel_ready,
            "memory": memory, "kernel_memory": kernel_memory, "started_memory": started_memory, "peer_start": peer_start,
            "peer_memory": peer_memory,
            "done": finished}


def run_class(hub, n, password, token, cells):
    names = [f"learner{i:02d}" for i in range(1, n + 1)]
    started = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(max_workers=n) as pool:
        results = list(pool.map(lambda name: one_learner(hub, name, password, token, cells, lambda: None), names))
    wall = max(r["done"] for r in results) - started
    with concurrent.futures.ThreadPoolExecutor(max_workers=n) as pool:
        list(pool.map(lambda name: Learner(hub, name, password, token).stop_server(), names))
    time.sleep(2)
    return results, wall


def memory_limit(hub, password, token, limit_mib):
    """learner01 goes past the limit; learner02, next to them, keeps working."""
    greedy, neighbour = Learner(hub, "learner01", password, token), Learner(hub, "learner02", password, token)
    for learner in (greedy, neighbour):
        learner.log_in()
        learner.start_server()
    k1, k2 = greedy.start_kernel(), neighbour.start_kernel()
    k1.execute("let keep = 1")
    k2.execute("let keep = 2")
    rounds = int(2 * limit_mib / 32) + 1   # 4 million numbers (32 MiB or more) a round: twice the limit in all
    _, outputs, _, restarted = k1.execute(
        f"var hoard: [[Double]] = []\nfor i in 0..<{rounds} {{\n    hoard.append(Array(repeating: Double(i), count: 4_000_000))\n}}")
    told = "".join(o["content"].get("text", "") for o in outputs if o["msg_type"] == "stream")
    k1.ws.close()
    k1 = Kernel(greedy, k1.id)
    k1.wait_ready()
    _, after, _, _ = k1.execute("keep")
    _, mine, _, _ = k2.execute("keep")
    value = lambda outs: "".join(o["content"].get("data", {}).get("text/plain", "") or o["content"].get("ename", "")
                                 for o in outs if o["msg_type"] in ("execute_result", "error"))
    for kernel in (k1, k2):
        kernel.close()
    for learner in (greedy, neighbour):
        learner.stop_server()
    return {"told": told.strip(), "restarted": restarted,
            "greedy_keep": value(after), "neighbour_keep": value(mine)}


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--hub", default="http://127.0.0.1:8000")
    p.add_argument("--learners", type=int, nargs="+", default=[5, 10, 20])
    p.add_argument("--mem-limit-mib", type=int, default=1024)
    args = p.parse_args()
    password, token = os.environ["SHOAL_HUB_PASSWORD"], os.environ["SHOAL_HUB_API_TOKEN"]
    cells = lesson_cells()
    print(f"lesson 1: {len(cells)} code cells; {os.cpu_count()} cores; memory limit {args.mem_limit_mib} MiB per learner")
    print("N | start-up p50 / p95 / max (s) | cell p50 / p95 (ms) | memory per learner after lesson 1, server + kernel (MiB) | "
          "kernel alone (MiB) | started kernel: shoal / ipykernel (MiB) | kernel start: shoal / ipykernel (s) | "
          "class through lesson 1 (s) | errors")
    for n in args.learners:
        results, wall = run_class(args.hub, n, password, token, cells)
        startup = [r["startup"] for r in results]
        latencies = [1000 * s for r in results for s in r["cells"]]
        errors = [f"{r['name']}: {e}" for r in results for e in r["errors"]]
        mean = lambda key: statistics.mean(r[key] for r in results)
        print(f"{n} | {percentile(startup, 50):.1f} / {percentile(startup, 95):.1f} / {max(startup):.1f} | "
              f"{percentile(latencies, 50):.0f} / {percentile(latencies, 95):.0f} | {mean('memory'):.0f} (max "
              f"{max(r['memory'] for r in results):.0f}) | {mean('kernel_memory'):.0f} | "
              f"{mean('started_memory'):.1f} / {mean('peer_memory'):.1f} | "
              f"{mean('kernel'):.2f} / {mean('peer_start'):.2f} | {wall:.1f} | {len(errors)}", flush=True)
        for e in errors[:5]:
            print("   ", e)
        print(f"bench hub-{n}-learners-started-kernel-memory: shoal {mean('started_memory'):.1f} MiB | ipykernel "
              f"{mean('peer_memory'):.1f} MiB | ratio {mean('peer_memory') / mean('started_memory'):.2f}")
        print(f"bench hub-{n}-learners-kernel-start: shoal {mean('kernel'):.2f} s | ipykernel {mean('peer_start'):.2f} s | "
              f"ratio {mean('peer_start') / mean('kernel'):.2f}", flush=True)
    limit = memory_limit(args.hub, password, token, args.mem_limit_mib)
    print("memory limit: the greedy learner was told:", limit["told"][:300])
    print(f"memory limit: their server restarted their kernel: {limit['restarted']}; "
          f"their `keep` afterwards: {limit['greedy_keep'] or '-'}; the neighbour's `keep`: {limit['neighbour_keep']}")
    ok = limit["restarted"] and "MemoryLimit" in limit["told"] and limit["neighbour_keep"].strip() == "2"
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
