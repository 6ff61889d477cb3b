"""jupyter_kernel_test 0.7.0 against Shoal, with every sample attribute set."""
import unittest

import jupyter_kernel_test as jkt


class ShoalKernelTests(jkt.KernelTests):
    kernel_name = "shoal"
    language_name = "swift"
    file_extension = ".swift"

    code_hello_world = 'print("hello, world")'
    code_stderr = 'warn("a warning")'
    completion_samples = [
        {"text": "zi", "matches": {"zip"}},
        {"text": "Int.ma", "matches": {"max"}},
    ]
    complete_code_samples = ["print(1)", "let x = 1", "for i in 0..<3 { print(i) }"]
    incomplete_code_samples = ["for i in 0..<3 {", "print(1,", "let y = 2 +"]
    invalid_code_samples = ["let x = )", "}"]
    code_page_something = "help(stride)"
    code_generate_error = "print([1, 2][5])"
    code_execute_result = [
        {"code": "6 * 7", "result": "42"},
        {"code": "[1, 2, 3].map { $0 * 2 }", "result": "[2, 4, 6]"},
        {"code": "\"fish\"", "result": "\"fish\""},
    ]
    code_display_data = [{"code": "display(3.5)", "mime": "text/plain"}]
    code_history_pattern = "6 ?*"
    supported_history_operations = ("tail", "range", "search")
    code_inspect_sample = "print"
    code_clear_output = "clearOutput()"


if __name__ == "__main__":
    unittest.main()
