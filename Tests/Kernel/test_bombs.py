"""No cell can kill the kernel: the bomb suite.

One kernel, started under an address-space limit of 3 GiB (`prlimit --as`)
with a memory limit of 512 MiB (`--memory`, so cells have a budget of 448
MiB), runs cells that would allocate without end, flood the output or the
display, one after another. Every memory bomb must end in a ResourceLimit
error that says how much it needed; every flood must be cut with a note
saying how much was not shown; the kernel must stay alive, and a variable
defined before the bombs must still hold its value after them.
"""
import json
import os
import shutil
import subprocess
import tempfile

import pytest
from jupyter_client import KernelManager

import conftest
from test_protocol import run as run_cell

ADDRESS_SPACE = 3 << 30


@pytest.fixture(scope="module")
def kernel():
    if shutil.which("prlimit") is None:
        pytest.skip("prlimit (util-linux) is not installed")
    spec = os.path.join(os.environ["JUPYTER_PATH"], "kernels", "shoal-bombs")
    os.makedirs(spec, exist_ok=True)
    with open(os.path.join(spec, "kernel.json"), "w") as f:
        json.dump({
            "argv": ["prlimit", f"--as={ADDRESS_SPACE}", conftest.SHOAL, "kernel", "--connection-file",
                     "{connection_file}", "--memory", "512M"],
            "display_name": "Shoal under an address-space limit", "language": "swift", "interrupt_mode": "message",
        }, f)
    folder = tempfile.mkdtemp(prefix="shoal-bombs-")
    km = KernelManager(kernel_name="shoal-bombs")
    km.start_kernel(cwd=folder)
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(timeout=60)
    reply, _ = run(kc, "let keep = 42")
    assert reply["status"] == "ok"
    yield km, kc
    kc.stop_channels()
    km.shutdown_kernel(now=True)
    shutil.rmtree(folder, ignore_errors=True)


def run(kc, code, timeout=300):
    """Executes code; returns (reply content, iopub messages of that request)."""
    return run_cell(kc, code, timeout=timeout)


def stream(outputs, name=None):
    return "".join(m["content"]["text"] for m in outputs
                   if m["msg_type"] == "stream" and (name is None or m["content"]["name"] == name))


# (name, cell, what the ResourceLimit message says it needed, cell that frees what the bomb kept)
MEMORY_BOMBS = [
    ("string doubling", 'var s = "ab"\nfor _ in 0..<64 { s = s + s }', "joining these two strings would need", 's = ""'),
    ("string appended to itself", 'var s2 = "ab"\nfor _ in 0..<64 { s2 += s2 }', "appending to this string would need", 's2 = ""'),
    ("string interpolation", 'var s3 = "ab"\nfor _ in 0..<64 { s3 = "\\(s3)\\(s3)" }', "this string would need", 's3 = ""'),
    ("array doubling", "var a = [1, 2, 3]\nfor _ in 0..<64 { a = a + a }", "joining these two arrays would need", "a = []"),
    ("array appended to itself", "var a2 = [1, 2, 3]\nfor _ in 0..<64 { a2 += a2 }", "appending to this array would need", "a2 = []"),
    ("ten million arrays appended",
     "var hoard: [[Int]] = []\nfor _ in 0..<10_000_000 { hoard.append(Array(repeating: 7, count: 100)) }", "would need",
     "hoard = []"),
    ("Array(repeating:count:)", "let zeros = Array(repeating: 0, count: 50_000_000)", "Array(repeating:count:) would need", ""),
    ("String(repeating:count:)",
     'var texts: [String] = []\nfor _ in 0..<1_000 { texts.append(String(repeating: "fish", count: 10_000_000)) }',
     "String(repeating:count:) would need", "texts = []"),
    ("dictionary", 'var d: [Int: String] = [:]\nfor i in 0..<100_000_000 { d[i] = "fish number \\(i)" }', "would need",
     "d = [:]"),
    ("dictionary of arrays", 'var groups: [Int: [Int]] = [:]\nfor i in 0..<100_000_000 { groups[i % 1000, default: []].append(i) }',
     "would need", "groups = [:]"),
    ("nested-array copies",
     "var grid = Array(repeating: Array(repeating: 0, count: 100_000), count: 10_000)\nfor i in 0..<10_000 { grid[i][0] = 1 }",
     "copying this array to change it would need", "grid = []"),
    ("range to array", "let numbers = Array(0..<49_000_000)", "the numbers of this range would need", ""),
    ("map over a range", "let doubled = (0..<49_000_000).map { $0 * 2 }", "would need", ""),
    ("sorted copies kept",
     "let unsorted = Array(repeating: 3, count: 2_000_000)\nvar sortedCopies: [[Int]] = []\n"
     "for _ in 0..<1_000 { sortedCopies.append(unsorted.sorted()) }", "would need", "sortedCopies = []"),
    ("text of a huge array", 'let many = Array(repeating: 123456789, count: 10_000_000)\nlet text = "\\(many)\\(many)\\(many)"',
     "would need", ""),
    ("joined strings", 'var words: [String] = []\nfor i in 0..<100_000_000 { words.append("word number \\(i)") }\n'
     'let sentence = words.joined(separator: " ")', "would need", "words = []"),
    ("closures kept", "var fs: [() -> Int] = []\nfor i in 0..<100_000_000 { fs.append({ i }) }", "memory budget", "fs = []"),
    ("String(format:) width", 'let wide = String(format: "%900000000d", 7)', "this formatted string would need", ""),
    ("tensor", "let fish = Fish.synthetic(seed: 1, perClass: 2_000, imageSize: 224)", "a tensor of", ""),
    ("layer", "let huge = Dense(100_000, 100_000)", "a tensor of", ""),
]


def test_every_bomb_ends_in_a_resource_limit_and_the_kernel_keeps_its_variables(kernel):
    km, kc = kernel
    problems = []
    for name, code, needs, cleanup in MEMORY_BOMBS:
        reply, outputs = run(kc, code)
        if reply["status"] != "error":
            problems.append(f"{name}: the cell did not stop")
        elif reply["ename"] != "ResourceLimit":
            problems.append(f"{name}: {reply['ename']}: {reply['evalue']}")
        elif needs not in reply["evalue"] or "memory budget" not in reply["evalue"]:
            problems.append(f"{name}: {reply['evalue']}")
        assert km.is_alive(), f"the kernel died on {name}"
        # What the bomb kept is freed even when its message was wrong, so
        # that one wrong message does not fail every later bomb and test.
        if cleanup:
            run(kc, cleanup)
        reply, outputs = run(kc, "keep")
        values = [m["content"]["data"]["text/plain"] for m in outputs if m["msg_type"] == "execute_result"]
        assert values == ["42"], f"after {name}: {reply}"
    assert not problems, "\n".join(problems)


def test_pictures_read_at_a_huge_size_stop_at_the_budget(kernel):
    km, kc = kernel
    reply, _ = run(kc, 'Fish.synthetic(seed: 1, perClass: 40, imageSize: 32).saveImages("tiny")')
    assert reply["status"] == "ok", reply
    reply, _ = run(kc, 'let upscaled = ImageFolder("tiny", imageSize: 1024)')
    assert reply["status"] == "error" and reply["ename"] == "ResourceLimit", reply
    assert "more pictures at 1024×1024 needs" in reply["evalue"], reply["evalue"]
    assert km.is_alive()


def test_deep_recursion_is_a_resource_limit(kernel):
    km, kc = kernel
    reply, _ = run(kc, "func down(_ n: Int) -> Int { down(n + 1) }\ndown(0)")
    assert reply["ename"] == "ResourceLimit" and "recursion went deeper" in reply["evalue"], reply
    assert km.is_alive()


def test_two_million_lines_are_cut_with_a_note(kernel):
    _, kc = kernel
    reply, outputs = run(kc, 'for i in 0..<2_000_000 { print("line \\(i)") }')
    assert reply["status"] == "ok"
    out = stream(outputs, "stdout")
    assert out.count("\n") == 10_000 and out.endswith("line 9999\n")
    notes = stream(outputs, "stderr")
    assert "output cut here: a cell shows at most 10,000 lines or 5.0 MB of text" in notes, notes
    assert "1,990,000 more lines (" in notes and "of output were not shown" in notes, notes
    assert sum(len(m["content"]["text"]) for m in outputs if m["msg_type"] == "stream") < 1 << 20


def test_one_huge_line_and_a_huge_array_are_cut_at_five_megabytes(kernel):
    _, kc = kernel
    for code in ['print(String(repeating: "x", count: 40_000_000))', "print(Array(0..<3_000_000))"]:
        reply, outputs = run(kc, code)
        assert reply["status"] == "ok", reply
        shown = len(stream(outputs, "stdout").encode())
        assert (5 << 20) - 100 <= shown <= 5 << 20, f"{code}: {shown} bytes shown"
        assert "of output were not shown" in stream(outputs, "stderr"), code


def test_a_display_flood_is_cut_and_updates_are_coalesced(kernel):
    _, kc = kernel
    reply, outputs = run(kc, "for i in 0..<5_000 { display(i) }")
    assert reply["status"] == "ok"
    assert sum(m["msg_type"] == "display_data" for m in outputs) == 1_000
    assert "4,000 more displays were not shown" in stream(outputs, "stderr")
    reply, outputs = run(kc, 'display(0, id: "progress")\nfor i in 1...300_000 { updateDisplay(i, id: "progress") }')
    updates = [m for m in outputs if m["msg_type"] == "update_display_data"]
    assert 0 < len(updates) < 10_000, len(updates)
    assert updates[-1]["content"]["data"]["text/plain"] == "300000"


def test_a_huge_value_is_shown_in_part(kernel):
    _, kc = kernel
    reply, outputs = run(kc, "Array(0..<3_000_000)")
    text = "".join(m["content"]["data"]["text/plain"] for m in outputs if m["msg_type"] == "execute_result")
    assert text.startswith("[0, 1, 2, 3,") and len(text.encode()) < 101_000
    assert text.endswith("(shown in part: the first 100 KB of its text; the array has 3,000,000 elements)"), text[-200:]


def test_the_kernel_is_alive_and_keeps_its_variable_after_everything(kernel):
    km, kc = kernel
    assert km.is_alive()
    _, outputs = run(kc, 'print("keep is still \\(keep)")')
    assert stream(outputs, "stdout") == "keep is still 42\n"
