"""Widgets over the comm protocol, through jupyter_client: what JupyterLab's
ipywidgets 8 manager sends and expects (widget message protocol 2.1)."""
import time

import pytest
from test_protocol import TRAINING, kernel, run, stdout_of  # noqa: F401  (kernel is a fixture)

CLICK = {"method": "custom", "content": {"event": "click"}}


def send(kc, msg_type, content):
    """Sends a comm message on shell as a front end does; returns its msg_id."""
    msg = kc.session.msg(msg_type, content)
    kc.shell_channel.send(msg)
    return msg["header"]["msg_id"]


def iopub_of(kc, msg_id, timeout=10):
    """The iopub messages caused by one message, from busy to idle."""
    out = []
    while True:
        m = kc.get_iopub_msg(timeout=timeout)
        if m["parent_header"].get("msg_id") != msg_id:
            continue
        out.append(m)
        if m["msg_type"] == "status" and m["content"]["execution_state"] == "idle":
            return out


def opened(outputs, model):
    """The comm ids of the widgets of one model a cell opened."""
    return [m["content"]["comm_id"] for m in outputs
            if m["msg_type"] == "comm_open" and m["content"]["data"]["state"]["_model_name"] == model]


def comms(kc, target=None):
    kc.comm_info(target)
    reply = kc.get_shell_msg(timeout=10)
    assert reply["content"]["status"] == "ok"
    return reply["content"]["comms"]


def test_a_slider_change_is_echoed_and_redraws_the_result_in_place(kernel):
    _, kc = kernel
    reply, outputs = run(kc, 'interact(1...9, names: ["degree"]) { d in "degree \\(d): \\(d * d)" }')
    assert reply["status"] == "ok"
    [slider] = opened(outputs, "IntSliderModel")
    opens = [m for m in outputs if m["msg_type"] == "comm_open"]
    assert all(m["content"]["target_name"] == "jupyter.widget" for m in opens)
    assert all(m["metadata"] == {"version": "2.1.0"} for m in opens)
    shown = [m for m in outputs if m["msg_type"] == "display_data"]
    assert len(shown) == 2
    view = shown[0]["content"]["data"]["application/vnd.jupyter.widget-view+json"]
    assert view["version_major"] == 2 and view["model_id"] in [m["content"]["comm_id"] for m in opens]
    assert shown[1]["content"]["data"]["text/plain"] == '"degree 5: 25"'
    display_id = shown[1]["content"]["transient"]["display_id"]

    msg_id = send(kc, "comm_msg", {"comm_id": slider, "data": {"method": "update", "state": {"value": 7}, "buffer_paths": []}})
    after = iopub_of(kc, msg_id)
    assert [m["msg_type"] for m in after] == ["status", "comm_msg", "update_display_data", "status"]
    echo = after[1]["content"]
    assert echo["comm_id"] == slider and echo["data"] == {"method": "echo_update", "state": {"value": 7}, "buffer_paths": []}
    update = after[2]["content"]
    assert update["transient"]["display_id"] == display_id
    assert update["data"]["text/plain"] == '"degree 7: 49"'
    # The value is the notebook's too; the kernel goes on.
    reply, outputs = run(kc, "print(1 + 1)")
    assert stdout_of(outputs) == "2\n"


def test_comm_info_lists_open_comms_and_closing_frees_one(kernel):
    _, kc = kernel
    reply, outputs = run(kc, 'let box = Checkbox(description: "augment")\nbox')
    [box] = opened(outputs, "CheckboxModel")
    assert len(comms(kc)) == 3, "the checkbox, its layout and its style"
    assert comms(kc, "jupyter.widget")[box] == {"target_name": "jupyter.widget"}
    assert comms(kc, "jupyter.widget.control") == {}

    # JupyterLab's manager asks for every widget's state through the control target.
    control = "control-1"
    send(kc, "comm_open", {"comm_id": control, "target_name": "jupyter.widget.control", "data": {}})
    msg_id = send(kc, "comm_msg", {"comm_id": control, "data": {"method": "request_states"}})
    states = [m for m in iopub_of(kc, msg_id) if m["msg_type"] == "comm_msg"]
    assert states[0]["content"]["data"]["method"] == "update_states"
    assert states[0]["content"]["data"]["states"][box]["description"] == "augment"
    assert comms(kc, "jupyter.widget.control") == {control: {"target_name": "jupyter.widget.control"}}

    msg_id = send(kc, "comm_close", {"comm_id": box, "data": {}})
    assert [m["msg_type"] for m in iopub_of(kc, msg_id)] == ["status", "status"]
    assert box not in comms(kc)
    # A comm the front end opens to a target nobody serves is closed at once.
    msg_id = send(kc, "comm_open", {"comm_id": "c9", "target_name": "not.served", "data": {}})
    closed = [m for m in iopub_of(kc, msg_id) if m["msg_type"] == "comm_close"]
    assert closed[0]["content"]["comm_id"] == "c9"


def test_malformed_comm_messages_are_answered_with_an_error_and_break_nothing(kernel):
    _, kc = kernel
    reply, outputs = run(kc, "let degree = IntSlider(value: 3, max: 9)\ndegree")
    [slider] = opened(outputs, "IntSliderModel")
    bad = [
        {"data": {"method": "update", "state": {"value": 1}}},                       # no comm_id
        {"comm_id": slider, "data": {"method": "update", "state": {"value": "ten"}}},
        {"comm_id": slider, "data": {"method": "update", "state": {"value": 1}, "buffer_paths": [["value"]]}},
        {"comm_id": slider, "data": "update"},                                         # data not an object
        {"comm_id": slider, "data": {"method": "paint"}},
        {"comm_id": "nobody", "data": {"method": "request_state"}},
    ]
    for content in bad:
        msg_id = send(kc, "comm_msg", content)
        out = iopub_of(kc, msg_id)
        assert [m["msg_type"] for m in out] == ["status", "error", "status"], content
        assert out[1]["content"]["ename"] == "CommError"
    msg_id = send(kc, "comm_msg", bad[1])
    error = [m for m in iopub_of(kc, msg_id) if m["msg_type"] == "error"][0]["content"]
    assert error["evalue"] == "an IntSlider's value must be an integer, not \"ten\""
    kc.comm_info(5)
    assert kc.get_shell_msg(timeout=10)["content"]["ename"] == "BadRequest"
    reply, outputs = run(kc, "print(degree.value)")
    assert reply["status"] == "ok" and stdout_of(outputs) == "3\n"


def test_a_stop_button_interrupts_training_started_by_a_button(kernel):
    _, kc = kernel
    code = TRAINING.replace("let history = model.train(train, validation: validation, epochs: 6, batchSize: 8)", """
let log = Output()
let go = Button("Train")
let stop = StopButton()
go.onClick(output: log) { model.train(train, validation: validation, epochs: 500, batchSize: 8) }
VBox([HBox([go, stop]), log])
""")
    reply, outputs = run(kc, code, timeout=60)
    assert reply["status"] == "ok", reply
    [go] = opened(outputs, "ButtonModel")[:1]
    stop = opened(outputs, "ButtonModel")[1]
    [log] = opened(outputs, "OutputModel")
    clicked = send(kc, "comm_msg", {"comm_id": go, "data": CLICK})
    time.sleep(2)
    send(kc, "comm_msg", {"comm_id": stop, "data": CLICK})
    out = iopub_of(kc, clicked, timeout=30)
    areas = [m["content"]["data"]["state"]["outputs"] for m in out
             if m["msg_type"] == "comm_msg" and m["content"]["comm_id"] == log]
    assert areas, "the training table and the error went to the output area"
    last = areas[-1]
    assert last[-1]["output_type"] == "error" and last[-1]["ename"] == "Interrupted"
    # The kernel is idle and the model keeps what it learned.
    reply, outputs = run(kc, "print(model.accuracy(on: validation) > 0.3)", timeout=30)
    assert reply["status"] == "ok" and stdout_of(outputs) == "true\n"
