"""papermill's parameters, written as Swift for the Shoal kernel.

    papermill lesson.ipynb out.ipynb -k shoal -p dataFolder my-photos -p seed 7

injects, after the cell tagged `parameters`:

    // Parameters injected by papermill: dataFolder, seed
    let dataFolder = "my-photos"
    let seed = 7

Strings, integers, floating-point numbers, booleans, lists and dictionaries
(from `-y`/`-f` YAML) and `nil` are written as Swift literals; a value Swift
cannot hold (a date, a list mixing text and numbers, an integer past 64
bits, ...) is refused with a message naming the parameter.

papermill 2.6 and 2.7 find translators in a registry filled at import time;
they read no entry-point group for translators. They do load every
`papermill.engine` entry point when papermill is imported, so this package
declares one (`shoal`, papermill's ordinary nbclient engine under another
name) and registers the translator, for the `shoal` kernel and the `swift`
language, as this module is loaded.
"""
import math
import re

from papermill.exceptions import PapermillException
from papermill.models import Parameter
from papermill.translators import Translator, papermill_translators

INT_MIN, INT_MAX = -(2**63), 2**63 - 1


class SwiftParameterError(PapermillException):
    """A parameter value that a Swift cell cannot take."""


# Types, as Swift spells them; None while unknown (an empty list's elements).
def _type_of(value, name):
    if value is None:
        return "nil"
    if isinstance(value, bool):
        return "Bool"
    if isinstance(value, int):
        if not INT_MIN <= value <= INT_MAX:
            raise SwiftParameterError(
                f"papermill parameter '{name}' is {value}, which does not fit in Swift's Int (64 bits, "
                f"{INT_MIN} to {INT_MAX}); pass it as a string or a floating-point number")
        return "Int"
    if isinstance(value, float):
        return "Double"
    if isinstance(value, str):
        return "String"
    if isinstance(value, list):
        element = None
        for item in value:
            element = _unify(element, _type_of(item, name), name, "a list that mixes")
        return f"[{element}]" if element else "[?]"
    if isinstance(value, dict):
        key = element = None
        for k, v in value.items():
            key = _unify(key, _type_of(k, name), name, "a dictionary whose keys mix")
            element = _unify(element, _type_of(v, name), name, "a dictionary whose values mix")
        if key not in (None, "String", "Int", "Bool"):
            raise SwiftParameterError(
                f"papermill parameter '{name}' is a dictionary with {key} keys; Swift cells take String, Int or Bool keys")
        return f"[{key}: {element}]" if key else "[?: ?]"
    kind = type(value).__module__ + "." + type(value).__qualname__ if type(value).__module__ != "builtins" \
        else type(value).__name__
    raise SwiftParameterError(
        f"papermill parameter '{name}' is a {kind} ({value!r}), which a Swift cell cannot take: "
        f"pass it as a string, a number, a boolean, a list or a dictionary")


def _unify(a, b, name, where):
    """The one Swift type that holds values of types a and b."""
    if a is None or a == b:
        return b
    if {a, b} == {"Int", "Double"}:
        return "Double"
    if a == "nil":
        return b if b.endswith("?") else b + "?"
    if b == "nil":
        return a if a.endswith("?") else a + "?"
    if a.endswith("?") or b.endswith("?"):
        inner = _unify(a.rstrip("?"), b.rstrip("?"), name, where)
        return inner + "?"
    if a in ("[?]", "[?: ?]") and b.startswith("["):
        return b
    if b in ("[?]", "[?: ?]") and a.startswith("["):
        return a
    raise SwiftParameterError(
        f"papermill parameter '{name}' is {where} {a} and {b}; a Swift array or dictionary holds values of one type")


class SwiftTranslator(Translator):
    """papermill's parameter cell, in Swift (the Shoal kernel's language)."""

    @classmethod
    def translate_escaped_str(cls, str_val):
        out = []
        for ch in str(str_val):
            if ch == "\\":
                out.append("\\\\")
            elif ch == '"':
                out.append('\\"')
            elif ch == "\n":
                out.append("\\n")
            elif ch == "\r":
                out.append("\\r")
            elif ch == "\t":
                out.append("\\t")
            elif ch == "\0":
                out.append("\\0")
            elif ord(ch) < 0x20 or ord(ch) == 0x7F:
                out.append(f"\\u{{{ord(ch):x}}}")
            else:
                out.append(ch)
        return '"' + "".join(out) + '"'

    @classmethod
    def translate_none(cls, val):
        return "nil"

    @classmethod
    def translate_float(cls, val):
        if math.isnan(val):
            return "Double.nan"
        if math.isinf(val):
            return "Double.infinity" if val > 0 else "-Double.infinity"
        return repr(val)

    @classmethod
    def _literal(cls, value, swift_type):
        """`value` as a Swift literal of `swift_type` (integers in a Double context get a `.0`)."""
        base = swift_type.rstrip("?") if swift_type else None
        if value is None:
            return "nil"
        if isinstance(value, list):
            element = base[1:-1] if base and base != "[?]" else None
            return "[" + ", ".join(cls._literal(v, element) for v in value) + "]"
        if isinstance(value, dict):
            if not value:
                return "[:]"
            key, element = _split_dict_type(base)
            return "[" + ", ".join(f"{cls._literal(k, key)}: {cls._literal(v, element)}"
                                   for k, v in value.items()) + "]"
        if base == "Double" and isinstance(value, int) and not isinstance(value, bool):
            return repr(float(value))
        return cls.translate(value)

    @classmethod
    def translate_list(cls, val):
        return cls._literal(val, _type_of(val, "?"))

    @classmethod
    def translate_dict(cls, val):
        return cls._literal(val, _type_of(val, "?"))

    @classmethod
    def comment(cls, cmt_str):
        return f"// {cmt_str}".strip()

    @classmethod
    def assign(cls, name, str_val):
        return f"let {name} = {str_val}"

    @classmethod
    def declaration(cls, name, value):
        """`let name = literal`, with the type written where Swift could not infer it."""
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise SwiftParameterError(f"papermill parameter '{name}' is not a Swift name (letters, digits and _)")
        swift_type = _type_of(value, name)
        literal = cls._literal(value, swift_type)
        if "?" in swift_type or swift_type == "nil":   # nil, optionals and empty collections need their type
            return f"let {name}: {_spelled(swift_type)} = {literal}"
        return f"let {name} = {literal}"

    @classmethod
    def codify(cls, parameters, comment="Parameters"):
        lines = [cls.comment(f"{comment} injected by papermill: {', '.join(parameters) or 'none'}")]
        lines += [cls.declaration(name, value) for name, value in parameters.items()]
        return "\n".join(lines) + "\n"

    DECLARATION = re.compile(
        r"^\s*(?:let|var)\s+(?P<name>[A-Za-z_]\w*)\s*(?::\s*(?P<type>[^=]+?))?\s*=\s*(?P<value>.*?)\s*(?://\s*(?P<help>.*))?$")

    @classmethod
    def inspect(cls, parameters_cell):
        """The `let`/`var` lines of the parameters cell: name, type, default and help
        (a comment at the end of the line, or the comment lines just above it)."""
        params, comments = [], []
        for line in parameters_cell["source"].splitlines():
            stripped = line.strip()
            if stripped.startswith("//"):
                comments.append(stripped[2:].strip())
                continue
            match = cls.DECLARATION.match(line)
            if not match:
                comments = []
                continue
            value = match.group("value")
            help_text = (match.group("help") or " ".join(comments)).strip()
            params.append(Parameter(name=match.group("name"),
                                    inferred_type_name=(match.group("type") or _infer_literal_type(value)).strip(),
                                    default=value, help=help_text))
            comments = []
        return params


def _infer_literal_type(literal):
    literal = literal.strip()
    if literal.startswith('"'):
        return "String"
    if literal in ("true", "false"):
        return "Bool"
    if literal == "nil":
        return "NoneType"
    if re.fullmatch(r"-?\d[\d_]*", literal):
        return "Int"
    if re.fullmatch(r"-?\d[\d_]*(\.\d[\d_]*)?([eE][+-]?\d+)?", literal):
        return "Double"
    if literal.startswith("["):
        return "Dictionary" if re.match(r"^\[\s*(:|\"[^\"]*\"\s*:|[^\[\],]+:)", literal) else "Array"
    return "None"


def _split_dict_type(swift_type):
    """'[String: [Int]]' -> ('String', '[Int]')."""
    if not swift_type or swift_type == "[?: ?]":
        return None, None
    inner = swift_type[1:-1]
    depth = 0
    for i, ch in enumerate(inner):
        depth += ch == "["
        depth -= ch == "]"
        if ch == ":" and depth == 0:
            return inner[:i].strip(), inner[i + 1:].strip()
    return None, None


def _spelled(swift_type):
    """A type with unknowns written as Swift can take them: nil alone is `Any?`,
    an empty list's elements `Any`."""
    if swift_type == "nil":
        return "Any?"
    return swift_type.replace("?: ?", "String: Any").replace("[?]", "[Any]")


def register():
    papermill_translators.register("shoal", SwiftTranslator)
    papermill_translators.register("swift", SwiftTranslator)


register()

# The entry point papermill loads on import (`papermill.engine`); running
# notebooks with it is the same as with papermill's default engine.
try:
    from papermill.engines import NBClientEngine as ShoalEngine  # noqa: E402
except ImportError:  # papermill.engines is importing this module: take the class from it
    import sys
    ShoalEngine = sys.modules["papermill.engines"].NBClientEngine
