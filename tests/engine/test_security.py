"""Hostile and random text: always a ParseError (or a function); `make bench` times them."""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from explorer.engine import ParseError, constant, parse
from explorer.engine.parser import MAX_TEXT

ATTACKS = [
    "__import__('os').system('echo hi')",
    "x.__class__.__bases__[0].__subclasses__()",
    "().__class__",
    "x.__dict__",
    "import os",
    "from os import system",
    "lambda: 0",
    "lambda x: x",
    "[x for x in y]",
    "{x: 1}",
    "x if y else z",
    "exec('1')",
    "eval('1')",
    "open('/etc/passwd')",
    "globals()",
    "getattr(x, 'y')",
    "sin.__globals__",
    "np.exp(x)",
    "math.sin(x)",
    "x; import os",
    "x\nimport os",
    "'string'",
    '"string"',
    "b'bytes'",
    "x @ y",
    "x % y",
    "x // y",
    "x << 2",
    "not x",
    "x and y",
    "x == y",
    "x < y",
    "x,",
    "(x, y)",
    "*x",
    "**x",
    "f(*x)",
    "sin(x=1)",
    "await x",
    "yield x",
    "x := 1",
    "1_000",
    "x\x00",
    "ｘ + 1",  # fullwidth x
    "x\u200b+1",  # zero-width space
    "٣ + x",  # Arabic-Indic digit
    "ⅹ",
    "x²",
    "\ufeffx",
    "é + 1",
    "exp(" * 400 + "x" + ")" * 400,
    "(" * 5000 + "x" + ")" * 5000,
    "-" * 10000 + "x",
    "x" + "^x" * 3000,
    "+".join(["x"] * 6000),
    "x" * (MAX_TEXT + 1),
    "9" * 400 + "x",
]


@pytest.mark.parametrize("text", ATTACKS)
def test_attacks_end_in_parse_error(text):
    # how quickly is measured by `make bench` (tests/benchmarks/run.py)
    with pytest.raises(ParseError):
        f = parse(text)
        f.gradient(*([1.0] * f.dimension))  # if it parsed, it must not be dangerous
        raise AssertionError(f"accepted {text!r}")


def test_huge_numbers_are_floats_not_integers():
    assert constant("9^9^9^9") == float("inf")


ALPHABET = "xyzab019.+-*/^(),=; \neEpisincoqrtlgh_[]'\"#!@$%&{}:<>|~`\\"


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=ALPHABET, max_size=80) | st.text(max_size=40))
def test_fuzz_random_text(text):
    try:
        f = parse(text)
    except ParseError as exc:
        assert exc.message
        assert 0 <= exc.position <= len(text)
    else:  # whatever parsed is safe to use every way: nothing but numbers comes out
        point = [0.5] * f.dimension
        f(*point)
        f.gradient(*point)
        f.hessian(*point)
        f.hessian(*[np.full(3, 0.5)] * f.dimension)
        f.trace(point)
        f.source()
