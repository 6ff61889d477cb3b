"""Protocol behaviour beyond the conformance suite, through jupyter_client."""
import os
import signal
import time

import pytest
import zmq
from jupyter_client import KernelManager
from jupyter_client.session import Session


@pytest.fixture
def kernel():
    km = KernelManager(kernel_name="shoal")
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(timeout=30)
    yield km, kc
    kc.stop_channels()
    if km.is_alive():
        km.shutdown_kernel(now=True)


def run(kc, code, timeout=10, **kw):
    """Executes code; returns (reply content, iopub messages of that request)."""
    msg_id = kc.execute(code, **kw)
    outputs = []
    while True:
        m = kc.get_iopub_msg(timeout=timeout)
        if m["parent_header"].get("msg_id") != msg_id:
            continue
        outputs.append(m)
        if m["msg_type"] == "status" and m["content"]["execution_state"] == "idle":
            break
    reply = kc.get_shell_msg(timeout=timeout)
    assert reply["parent_header"]["msg_id"] == msg_id
    return reply["content"], outputs


def stdout_of(outputs):
    return "".join(m["content"]["text"] for m in outputs if m["msg_type"] == "stream" and m["content"]["name"] == "stdout")


def test_busy_first_then_outputs_reply_and_idle(kernel):
    _, kc = kernel
    reply, outputs = run(kc, 'print("a")\n6 * 7')
    kinds = [m["msg_type"] for m in outputs]
    assert kinds[0] == "status" and outputs[0]["content"]["execution_state"] == "busy"
    assert kinds[1] == "execute_input"
    assert "stream" in kinds and "execute_result" in kinds
    assert kinds[-1] == "status"
    assert reply["status"] == "ok"


def test_execution_count_grows_only_with_stored_history(kernel):
    _, kc = kernel
    first, _ = run(kc, "1")
    silent, outputs = run(kc, "2", silent=True)
    second, _ = run(kc, "3")
    third, _ = run(kc, "4", store_history=False)
    assert second["execution_count"] == first["execution_count"] + 1
    assert third["execution_count"] == second["execution_count"]
    assert [m["msg_type"] for m in outputs] == ["status", "status"]  # silent: no outputs


def test_interrupt_in_message_mode_keeps_state(kernel):
    km, kc = kernel
    run(kc, "var counter = 41")
    msg_id = kc.execute("counter += 1\nwhile true { counter += 0 }")
    time.sleep(0.5)
    started = time.time()
    km.interrupt_kernel()
    reply = kc.get_shell_msg(timeout=5)
    assert reply["parent_header"]["msg_id"] == msg_id
    assert time.time() - started < 1.0
    assert reply["content"]["status"] == "error"
    assert reply["content"]["ename"] == "Interrupted"
    after, outputs = run(kc, "counter")
    assert after["status"] == "ok"
    result = [m for m in outputs if m["msg_type"] == "execute_result"][0]
    assert result["content"]["data"]["text/plain"] == "42"


def test_sigint_while_idle_is_harmless(kernel):
    km, kc = kernel
    run(kc, "let kept = 7")
    os.kill(km.provisioner.pid, signal.SIGINT)
    time.sleep(0.3)
    assert km.is_alive()
    _, outputs = run(kc, "print(kept)")
    assert stdout_of(outputs) == "7\n"


def test_sigint_interrupts_a_running_cell(kernel):
    km, kc = kernel
    msg_id = kc.execute("var n = 0\nwhile true { n += 1 }")
    time.sleep(0.5)
    os.kill(km.provisioner.pid, signal.SIGINT)
    reply = kc.get_shell_msg(timeout=5)
    assert reply["parent_header"]["msg_id"] == msg_id
    assert reply["content"]["ename"] == "Interrupted"
    assert km.is_alive()


def test_kernel_info_on_control_has_busy_and_idle(kernel):
    km, kc = kernel
    msg = kc.session.msg("kernel_info_request")
    kc.control_channel.send(msg)
    reply = kc.control_channel.get_msg(timeout=5)
    assert reply["msg_type"] == "kernel_info_reply"
    states = []
    deadline = time.time() + 5
    while len(states) < 2 and time.time() < deadline:
        m = kc.get_iopub_msg(timeout=5)
        if m["parent_header"].get("msg_id") == msg["header"]["msg_id"] and m["msg_type"] == "status":
            states.append(m["content"]["execution_state"])
    assert states == ["busy", "idle"]


def test_stdin_round_trip(kernel):
    _, kc = kernel
    msg_id = kc.execute('let name = readLine() ?? ""\nprint("hello", name)', allow_stdin=True)
    request = kc.get_stdin_msg(timeout=5)
    assert request["msg_type"] == "input_request"
    kc.input("Nemo")
    reply = kc.get_shell_msg(timeout=5)
    assert reply["parent_header"]["msg_id"] == msg_id and reply["content"]["status"] == "ok"
    _, outputs = run(kc, "print(name)")
    assert stdout_of(outputs) == "Nemo\n"


def test_readline_without_stdin_is_a_clear_error(kernel):
    _, kc = kernel
    reply, _ = run(kc, "readLine()", allow_stdin=False)
    assert reply["ename"] == "InputError"


def test_errors_have_name_value_and_caret(kernel):
    _, kc = kernel
    reply, outputs = run(kc, "let model = 1\nprint(modle)")
    errors = [m for m in outputs if m["msg_type"] == "error"]
    assert len(errors) == 1
    assert reply["ename"] == "NameError"
    assert reply["evalue"] == "cannot find 'modle' in scope; did you mean 'model'?"
    assert reply["traceback"][1:] == ["print(modle)", "      ^~~~~"]


def test_stop_on_error_aborts_queued_cells(kernel):
    _, kc = kernel
    bad = kc.execute("print([1][3])")
    queued = kc.execute('print("should not run")')
    replies = {}
    while len(replies) < 2:
        r = kc.get_shell_msg(timeout=10)
        replies[r["parent_header"]["msg_id"]] = r["content"]
    assert replies[bad]["status"] == "error"
    assert replies[queued]["status"] == "aborted"


def test_shutdown_is_prompt(kernel):
    km, kc = kernel
    started = time.time()
    kc.shutdown()
    reply = kc.get_shell_msg(timeout=5) if False else None
    deadline = time.time() + 5
    while km.is_alive() and time.time() < deadline:
        time.sleep(0.02)
    assert not km.is_alive()
    assert time.time() - started < 1.0


def test_restart_keeps_nothing(kernel):
    km, kc = kernel
    run(kc, "let before = 1")
    km.restart_kernel(now=False)
    kc.wait_for_ready(timeout=30)
    reply, _ = run(kc, "before")
    assert reply["ename"] == "NameError"


def test_fuzz_of_malformed_and_badly_signed_messages(kernel):
    """10,200 bad messages, every one delivered; each signed request with wrong
    field types gets an error reply, nothing else gets any; afterwards the
    kernel still answers a normal execute."""
    import queue

    km, kc = kernel
    info = km.get_connection_info()
    ctx = zmq.Context.instance()
    sock = ctx.socket(zmq.DEALER)
    sock.setsockopt(zmq.LINGER, 5000)
    sock.connect(f"tcp://{info['ip']}:{info['shell_port']}")
    wrong = Session(key=b"not-the-key")
    right = Session(key=info["key"] if isinstance(info["key"], bytes) else info["key"].encode())
    replies = []

    def drain(timeout_ms=0):
        # Read what the kernel sent back, on shell and iopub, so that no
        # queue fills up and drops the messages this test waits for.
        while sock.poll(timeout_ms):
            _, msg = right.recv(sock)
            replies.append(msg)
            timeout_ms = 0
        while True:
            try:
                kc.get_iopub_msg(timeout=0)
            except queue.Empty:
                break

    rounds = 1_700
    for i in range(rounds):
        wrong.send(sock, wrong.msg("execute_request", content={"code": f"print({i})", "silent": False}))
        sock.send_multipart([b"<IDS|MSG>", b"", b"{", b"}", b"[]", b"\xff\xfe"])
        sock.send_multipart([b"garbage", b"only"])
        unsigned = right.msg("execute_request", content={"code": "print(1)"})
        frames = right.serialize(unsigned)
        frames[1] = b""  # signature removed
        sock.send_multipart(frames)
        # Correctly signed, but with wrong field types, and of an unknown type.
        right.send(sock, right.msg("execute_request", content={"code": 5, "silent": "no", "user_expressions": [1]}))
        right.send(sock, right.msg("no_such_request", content={"x": i}))
        drain()
    # Shell requests from one client are handled in order: once this is
    # answered, every message above has reached the kernel and been handled.
    last = right.msg("kernel_info_request")
    right.send(sock, last)
    deadline = time.time() + 120
    while not any(r["parent_header"].get("msg_id") == last["header"]["msg_id"] for r in replies):
        assert time.time() < deadline, f"no kernel_info_reply after the fuzz ({len(replies)} replies so far)"
        drain(100)
    sock.close()
    refused = [r for r in replies if r["msg_type"] == "execute_reply"]
    assert len(refused) == rounds
    assert all(r["content"]["status"] == "error" and r["content"]["ename"] == "BadRequest" for r in refused)
    assert refused[0]["content"]["evalue"] == "'code' should be a string, not a number"
    assert len(replies) == rounds + 1  # nothing else was answered

    reply, outputs = run(kc, 'print("still here")', timeout=60)
    assert reply["status"] == "ok"
    assert stdout_of(outputs) == "still here\n"
    assert reply["execution_count"] == 1  # the refused requests ran nothing
    assert kc.is_alive()


def test_update_display_data_replaces_a_display_in_place(kernel):
    _, kc = kernel
    code = ('display("epoch 0 of 3", id: "progress")\n'
            'for epoch in 1...3 { updateDisplay("epoch \\(epoch) of 3", id: "progress") }')
    reply, outputs = run(kc, code)
    assert reply["status"] == "ok"
    shown = [m for m in outputs if m["msg_type"] in ("display_data", "update_display_data")]
    assert [m["msg_type"] for m in shown] == ["display_data"] + ["update_display_data"] * 3
    assert {m["content"]["transient"]["display_id"] for m in shown} == {"progress"}
    assert shown[-1]["content"]["data"]["text/plain"] == '"epoch 3 of 3"'


def test_kernel_exits_when_its_parent_process_is_gone(tmp_path):
    import json
    import subprocess
    import sys
    from jupyter_client.connect import write_connection_file

    from conftest import SHOAL as shoal
    conn, _ = write_connection_file(str(tmp_path / "kernel.json"))
    parent = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    env = dict(os.environ, JPY_PARENT_PID=str(parent.pid))
    kernel = subprocess.Popen([shoal, "kernel", "--connection-file", conn], env=env)
    time.sleep(1.0)
    assert kernel.poll() is None
    parent.kill()
    parent.wait()
    deadline = time.time() + 5
    while kernel.poll() is None and time.time() < deadline:
        time.sleep(0.1)
    assert kernel.poll() is not None, "the kernel outlived its parent"


TRAINING = """
let points = Points.spirals(count: 3000, classes: 3, seed: 7)
let (train, validation) = points.split(0.8, seed: 42)
var model = Sequential {
    Dense(2, 256)
    ReLU()
    Dense(256, 256)
    ReLU()
    Dense(256, 3)
}
let history = model.train(train, validation: validation, epochs: 6, batchSize: 8)
"""


def test_training_display_is_replaced_in_place_and_ends_with_every_epoch(kernel):
    _, kc = kernel
    reply, outputs = run(kc, TRAINING, timeout=60)
    assert reply["status"] == "ok"
    shown = [m for m in outputs if m["msg_type"] == "display_data"]
    updates = [m for m in outputs if m["msg_type"] == "update_display_data"]
    assert len(shown) == 1
    display_id = shown[0]["content"]["transient"]["display_id"]
    assert display_id.startswith("shoal-training-")
    # At least one update per epoch, all for the same display, throttled (not one per batch:
    # 6 epochs of 300 batches).
    assert 6 <= len(updates) < 300
    assert all(m["content"]["transient"]["display_id"] == display_id for m in updates)
    assert any("images/s" in m["content"]["data"]["text/plain"] for m in updates[:-1]) or len(updates) == 7
    final = updates[-1]["content"]["data"]
    assert "<table" in final["text/html"] and "width: " not in final["text/html"].split("</table>")[1]
    for epoch in range(1, 7):
        assert f"{epoch}/6" in final["text/plain"]
    assert "6 epochs in" in final["text/plain"]
    assert "best epoch" in final["text/plain"]
    # The history shows as its curves.
    history, outputs = run(kc, "history")
    result = [m for m in outputs if m["msg_type"] == "execute_result"][0]["content"]
    assert result["data"]["image/png"] and result["metadata"]["image/png"] == {"width": 920, "height": 320}


def test_interrupting_training_stops_between_batches_and_keeps_the_model(kernel):
    km, kc = kernel
    msg_id = kc.execute(TRAINING.replace("epochs: 6", "epochs: 500"))
    time.sleep(1.5)
    started = time.monotonic()
    km.interrupt_kernel()
    reply = kc.get_shell_msg(timeout=10)
    assert reply["parent_header"]["msg_id"] == msg_id
    assert time.monotonic() - started < 1
    assert reply["content"]["status"] == "error"
    assert reply["content"]["ename"] == "Interrupted"
    after, outputs = run(kc, "print(model.accuracy(on: validation) > 0.3)")
    assert after["status"] == "ok"
    assert stdout_of(outputs) == "true\n"
