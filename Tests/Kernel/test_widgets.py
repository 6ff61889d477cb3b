"""Widgets over the comm protocol, through jupyter_client: what JupyterLab's
ipywidgets 8 manager sends and expects (widget message protocol 2.1)."""
import time

import pytest
from test_protocol import TRAINING, kernel, run, stdout_of  # noqa: F401  (kernel is a fixture)

CLICK = {"method": "custom", "content": {"event": "click"}}


def send(kc, msg_type, content, buffers=None, metadata=None):
    """Sends a comm message on shell as a front end does (with binary
    buffers after its frames); returns its msg_id."""
    msg = kc.session.msg(msg_type, content, metadata=metadata)
    kc.session.send(kc.shell_channel.socket, msg, buffers=buffers or [])
    return msg["header"]["msg_id"]


def comm_msgs(out, comm_id=None):
    return [m for m in out if m["msg_type"] == "comm_msg" and comm_id in (None, m["content"]["comm_id"])]


def raw(buffers):
    return [bytes(b) for b in buffers]


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


def test_a_model_the_front_end_opens_is_kept_with_its_buffers_and_answers_request_state(kernel):
    _, kc = kernel
    png = bytes([137, 80, 78, 71, 13, 10, 26, 10])
    state = {"_model_name": "ImageModel", "_model_module": "@jupyter-widgets/controls", "_model_module_version": "2.0.0",
             "_view_name": "ImageView", "format": "png", "width": "40"}
    msg_id = send(kc, "comm_open", {"comm_id": "front-1", "target_name": "jupyter.widget",
                                    "data": {"state": state, "buffer_paths": [["value"]]}},
                  buffers=[png], metadata={"version": "2.1.0"})
    assert [m["msg_type"] for m in iopub_of(kc, msg_id)] == ["status", "status"], "accepted: not closed, no error"
    assert comms(kc, "jupyter.widget") == {"front-1": {"target_name": "jupyter.widget"}}

    msg_id = send(kc, "comm_msg", {"comm_id": "front-1", "data": {"method": "request_state"}})
    [reply] = comm_msgs(iopub_of(kc, msg_id), "front-1")
    assert reply["content"]["data"]["method"] == "update"
    assert reply["content"]["data"]["state"]["width"] == "40"
    assert reply["content"]["data"]["buffer_paths"] == [["value"]]
    assert raw(reply["buffers"]) == [png]

    # A new picture from the front end: echoed with its bytes, and kept in place of the old.
    msg_id = send(kc, "comm_msg", {"comm_id": "front-1", "data": {"method": "update", "state": {"width": "80"},
                                                                  "buffer_paths": [["value"]]}}, buffers=[b"\x00\x01\xff"])
    [echo] = comm_msgs(iopub_of(kc, msg_id), "front-1")
    assert echo["content"]["data"]["method"] == "echo_update" and raw(echo["buffers"]) == [b"\x00\x01\xff"]
    control = "control-2"
    send(kc, "comm_open", {"comm_id": control, "target_name": "jupyter.widget.control", "data": {}})
    msg_id = send(kc, "comm_msg", {"comm_id": control, "data": {"method": "request_states"}})
    [states] = comm_msgs(iopub_of(kc, msg_id), control)
    assert states["content"]["data"]["states"]["front-1"]["width"] == "80"
    assert states["content"]["data"]["buffer_paths"] == [["front-1", "value"]]
    assert raw(states["buffers"]) == [b"\x00\x01\xff"]

    msg_id = send(kc, "comm_close", {"comm_id": "front-1", "data": {}})
    iopub_of(kc, msg_id)
    assert "front-1" not in comms(kc)


def test_a_front_end_model_that_cannot_be_kept_is_refused_and_closed(kernel):
    _, kc = kernel
    bad = [
        ({"comm_id": "f1", "target_name": "jupyter.widget", "data": {}}, [], "a jupyter.widget comm_open needs its model's 'state' object"),
        ({"comm_id": "f2", "target_name": "jupyter.widget", "data": {"state": {"value": 1}}}, [],
         "a jupyter.widget comm_open's state needs a '_model_name'"),
        ({"comm_id": "f3", "target_name": "jupyter.widget", "data": {"state": {"_model_name": "X"}, "buffer_paths": [["a"]]}}, [],
         "the comm_open names 1 buffer path but carries 0 buffers"),
        ({"comm_id": "f4", "target_name": "jupyter.widget", "data": {"state": {"_model_name": "X"}, "buffer_paths": [[0]]}}, [b"x"],
         "a buffer path holds state keys and list positions, not 0 (in [0])"),
    ]
    for content, buffers, problem in bad:
        out = iopub_of(kc, send(kc, "comm_open", content, buffers=buffers))
        assert [m["msg_type"] for m in out] == ["status", "error", "comm_close", "status"], content
        assert out[1]["content"]["ename"] == "CommError" and out[1]["content"]["evalue"] == problem
        assert out[2]["content"]["comm_id"] == content["comm_id"]
    assert comms(kc) == {}
    reply, outputs = run(kc, "print(6 * 7)")
    assert stdout_of(outputs) == "42\n"


def test_custom_messages_both_ways_carry_content_and_buffers(kernel):
    _, kc = kernel
    reply, outputs = run(kc, """
let degree = IntSlider(value: 3, description: "degree")
degree.onMessage { content, buffers in print("got \\(content) with \\(buffers.count) buffers: \\(buffers)") }
degree.send(["hint": "try 3", "degrees": [1, 3, 9]], buffers: [[0, 128, 255]])
degree""")
    assert reply["status"] == "ok", reply
    [slider] = opened(outputs, "IntSliderModel")
    [sent] = comm_msgs(outputs, slider)
    assert sent["content"]["data"] == {"method": "custom", "content": {"hint": "try 3", "degrees": [1, 3, 9]}}
    assert raw(sent["buffers"]) == [bytes([0, 128, 255])]

    msg_id = send(kc, "comm_msg", {"comm_id": slider, "data": {"method": "custom", "content": {"zoom": 2}}},
                  buffers=[b"\x07\x08", b"\x09"])
    out = iopub_of(kc, msg_id)
    assert stdout_of(out) == 'got ["zoom": 2] with 2 buffers: [[7, 8], [9]]\n'
    # A widget nobody listens to says so, and nothing breaks.
    reply, outputs = run(kc, 'let other = Checkbox(description: "other")\nother')
    [box] = opened(outputs, "CheckboxModel")
    out = iopub_of(kc, send(kc, "comm_msg", {"comm_id": box, "data": {"method": "custom", "content": {"zoom": 2}}}))
    assert [m["msg_type"] for m in out] == ["status", "error", "status"]
    assert "give it onMessage" in out[1]["content"]["evalue"]
    reply, outputs = run(kc, "degree.send(1, buffers: [[300]])")
    assert reply["status"] == "error" and "a byte is a whole number from 0 to 255" in reply["evalue"]


def test_setting_a_value_from_a_cell_runs_observers_and_redraws_in_place(kernel):
    _, kc = kernel
    reply, outputs = run(kc, """
var seen: [Int] = []
let degree = IntSlider(value: 3, min: 1, max: 9, description: "degree")
degree.observe { d in seen.append(d) }
interact(degree) { d in "degree \\(d)" }""")
    assert reply["status"] == "ok", reply
    [slider] = opened(outputs, "IntSliderModel")
    display_id = [m for m in outputs if m["msg_type"] == "display_data"][-1]["content"]["transient"]["display_id"]
    reply, outputs = run(kc, "degree.setValue(8)\nprint(seen)")
    assert [m["content"]["data"] for m in comm_msgs(outputs, slider)] == [{"method": "update", "state": {"value": 8}, "buffer_paths": []}]
    [update] = [m for m in outputs if m["msg_type"] == "update_display_data"]
    assert update["content"]["transient"]["display_id"] == display_id
    assert update["content"]["data"]["text/plain"] == '"degree 8"'
    assert stdout_of(outputs) == "[8]\n"
    # Closures that set each other's values without end stop with a message; the kernel goes on.
    reply, outputs = run(kc, """
let a = Checkbox(description: "a")
let b = Checkbox(description: "b")
a.observe { v in b.setValue(!b.value) }
b.observe { v in a.setValue(!a.value) }
a.setValue(true)""")
    assert reply["status"] == "error"
    assert '(Checkbox "a" → Checkbox "b" → Checkbox "a" → …) without end' in reply["evalue"]
    reply, outputs = run(kc, "print(degree.value)")
    assert stdout_of(outputs) == "8\n"
