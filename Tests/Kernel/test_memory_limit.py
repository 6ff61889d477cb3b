"""A learner's memory limit on a shared server (JupyterHub's MEM_LIMIT).

Two kernels run side by side with a 400 MiB limit each. In one, a model or
batch too big for the limit fails as a ResourceLimit error and the kernel
keeps its state; then the learner builds arrays past the limit: the cell
is told why and the kernel exits, for the server to restart it. The other
learner's kernel keeps its variables throughout.
"""
import os
import time

from jupyter_client import KernelManager

import conftest  # noqa: F401  (installs the kernelspec)

LIMIT = "400M"


def start():
    km = KernelManager(kernel_name="shoal")
    km.start_kernel(env=dict(os.environ, MEM_LIMIT=LIMIT))
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


def test_a_learner_past_the_memory_limit_is_told_and_restarted_and_the_neighbour_is_not():
    (km1, kc1), (km2, kc2) = start(), start()
    try:
        run(kc1, "let keep = 1")
        run(kc2, "let keep = 2")
        reply, messages = run(kc1, "let fish = Fish.synthetic(seed: 1, perClass: 400, imageSize: 224)")
        errors = [m["content"] for m in messages if m["msg_type"] == "error"]
        assert errors and errors[0]["ename"] == "ResourceLimit", messages
        assert "memory cap of 300.0 MiB" in errors[0]["evalue"], errors[0]["evalue"]
        _, messages = run(kc1, "keep")
        assert value(messages) == "1", "the kernel keeps its state after a ResourceLimit"

        code = "var hoard: [[Double]] = []\nfor i in 0..<200 {\n    hoard.append(Array(repeating: Double(i), count: 4_000_000))\n}"
        reply, messages = run(kc1, code)
        told = "".join(m["content"].get("text", "") for m in messages if m["msg_type"] == "stream")
        assert reply is None, "the kernel past its limit exits"
        assert "MemoryLimit: this kernel holds" in told and "more than the 400 MiB each learner has on this server" in told, told
        assert "It restarts now and its variables are gone" in told, told
        deadline = time.time() + 10
        while km1.is_alive() and time.time() < deadline:
            time.sleep(0.2)
        assert not km1.is_alive()

        _, messages = run(kc2, "keep")
        assert value(messages) == "2", "the other learner's kernel is untouched"
    finally:
        for km, kc in ((km1, kc1), (km2, kc2)):
            kc.stop_channels()
            km.shutdown_kernel(now=True)
