"""A learner's memory limit on a shared server (JupyterHub's MEM_LIMIT).

Two kernels run side by side with a 400 MiB limit each, so a memory budget
of 350 MiB (seven eighths). In one, a data set too big for the budget, then
arrays hoarded past it, each fail as a ResourceLimit error before they are
made, and the kernel keeps its state; emptying the hoard lets the learner go
on. The other learner's kernel keeps its variables throughout. (Past the
limit itself, which the budget leaves an eighth below, MemoryGuard restarts
the kernel: `SHOAL_MEMORY_GUARD` puts its line lower, so that the last test
walks that path as a learner would see it.)
"""
import os
import time

from jupyter_client import KernelManager

import conftest  # noqa: F401  (installs the kernelspec)

LIMIT = "400M"


def start(**env):
    km = KernelManager(kernel_name="shoal")
    km.start_kernel(env=dict(os.environ, MEM_LIMIT=LIMIT, **env))
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(timeout=60)
    return km, kc


def run(kc, code, timeout=120):
    """Executes `code`; returns the reply (or None if the kernel died) and the iopub messages."""
    msg_id = kc.execute(code)
    messages, deadline = [], time.time() + timeout
    while time.time() < deadline:
        try:
            m = kc.get_iopub_msg(timeout=0.5)
        except Exception:
            if not kc.is_alive():
                return None, messages
            continue
        if m["parent_header"].get("msg_id") != msg_id:
            continue
        messages.append(m)
        if m["msg_type"] == "status" and m["content"]["execution_state"] == "idle":
            return kc.get_shell_msg(timeout=10), messages
    return None, messages


def value(messages):
    return "".join(m["content"]["data"]["text/plain"] for m in messages if m["msg_type"] == "execute_result")


def test_past_the_budget_a_learner_gets_resource_limit_keeps_state_and_the_neighbour_is_untouched():
    (km1, kc1), (km2, kc2) = start(), start()
    try:
        run(kc1, "let keep = 1")
        run(kc2, "let keep = 2")
        reply, messages = run(kc1, "let fish = Fish.synthetic(seed: 1, perClass: 400, imageSize: 224)")
        errors = [m["content"] for m in messages if m["msg_type"] == "error"]
        assert errors and errors[0]["ename"] == "ResourceLimit", messages
        assert "350.0 MiB memory budget" in errors[0]["evalue"], errors[0]["evalue"]
        _, messages = run(kc1, "keep")
        assert value(messages) == "1", "the kernel keeps its state after a ResourceLimit"

        code = "var hoard: [[Double]] = []\nfor i in 0..<200 {\n    hoard.append(Array(repeating: Double(i), count: 4_000_000))\n}"
        reply, messages = run(kc1, code)
        assert reply is not None, "the kernel lives: the hoard is refused before it passes the budget"
        errors = [m["content"] for m in messages if m["msg_type"] == "error"]
        assert errors and errors[0]["ename"] == "ResourceLimit", messages
        assert "350.0 MiB memory budget" in errors[0]["evalue"], errors[0]["evalue"]
        _, messages = run(kc1, "hoard.count > 0 && hoard.count < 200")
        assert value(messages) == "true", "the arrays made before the refusal are kept"
        run(kc1, "hoard = []")
        _, messages = run(kc1, "let small = Array(repeating: 1.0, count: 1_000_000)\nsmall.count + keep")
        assert value(messages) == "1000001", "with the hoard emptied, the learner goes on"

        _, messages = run(kc2, "keep")
        assert value(messages) == "2", "the other learner's kernel is untouched"
    finally:
        for km, kc in ((km1, kc1), (km2, kc2)):
            kc.stop_channels()
            km.shutdown_kernel(now=True)


def test_past_the_guards_line_the_cell_says_why_and_the_kernel_restarts_clean():
    """Resident memory past the guard's line (200 MiB here, under the 350 MiB
    budget, so nothing is refused first): the running cell is told why, the
    kernel exits, and the restarted kernel is fresh and works."""
    km, kc = start(SHOAL_MEMORY_GUARD="200M")
    try:
        run(kc, "let keep = 1")
        code = ("var hoard: [[Double]] = []\nfor i in 0..<9 {\n    hoard.append(Array(repeating: Double(i), count: 1_000_000))\n}\n"
                "while true {}")
        reply, messages = run(kc, code, timeout=60)
        assert reply is None, "the guard ends the kernel while the cell spins"
        said = "".join(m["content"]["text"] for m in messages if m["msg_type"] == "stream" and m["content"]["name"] == "stderr")
        assert "MemoryLimit: this kernel holds" in said and "more than the 200 MiB each learner has on this server" in said, messages
        assert "run the notebook's cells again from the top" in said, said
        deadline = time.time() + 30
        while km.is_alive() and time.time() < deadline:
            time.sleep(0.2)
        assert not km.is_alive(), "the kernel exits for its server to restart it"

        km.restart_kernel(now=True)   # what the Jupyter server does when a kernel dies
        kc.stop_channels()
        kc = km.client()
        kc.start_channels()
        kc.wait_for_ready(timeout=60)
        _, messages = run(kc, "keep")
        errors = [m["content"] for m in messages if m["msg_type"] == "error"]
        assert errors and errors[0]["ename"] == "NameError", "the restarted kernel starts empty"
        _, messages = run(kc, "let again = [1, 2, 3]\nagain.count")
        assert value(messages) == "3", "and it works"
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
