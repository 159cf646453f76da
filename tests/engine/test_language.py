"""The expression language: what it accepts, and what it refuses with which column."""

import math

import numpy as np
import pytest

from explorer.engine import FUNCTIONS, ParseError, constant, parse


@pytest.mark.parametrize(
    ("text", "at", "expected"),
    [
        ("x^2", (3,), 9),
        ("x**2", (3,), 9),
        ("2x", (3,), 6),
        ("3(x+1)", (2,), 9),
        ("2sin(x)", (math.pi / 2,), 2),
        ("2pi x", (1,), 2 * math.pi),
        ("pi(x + 1)", (1,), 2 * math.pi),  # implicit multiplication after a constant
        ("e(x+1)", (0,), math.e),
        ("pi x^2", (2,), 4 * math.pi),
        ("(x+1)(x-1)", (3,), 8),
        ("-x^2", (3,), -9),
        ("2^3^2", (), 512),
        ("2^-1", (), 0.5),
        ("1e-3 * x", (2,), 0.002),
        (".5x", (2,), 1),
        ("e^x", (1,), math.e),
        ("pi", (), math.pi),
        ("π·x", (2,), 2 * math.pi),
        ("x − 1", (3,), 2),
        ("ln(x) + log2(x) + log10(x)", (8,), math.log(8) + 3 + math.log10(8)),
        ("arcsin(x) + asin(x)", (0.5,), 2 * math.asin(0.5)),
        ("atan2(y, x)", (1, 1), math.pi / 4),
        ("sigmoid(x)", (0,), 0.5),
        ("softplus(x)", (0,), math.log(2)),
        ("relu(x) + abs(x) + sign(x)", (-2,), 1),
        ("x / y", (1, 4), 0.25),
        ("1/2x", (4,), 2),
    ],
)
def test_values(text, at, expected):
    if not at:  # a constant: a function of a declared variable that it ignores
        text, at = f"f(x) = {text}", (0.0,)
    assert parse(text)(*at) == pytest.approx(expected, rel=1e-14)


def test_variable_order_alphabetical_header_and_argument():
    assert parse("y + x + z").variables == ("x", "y", "z")
    assert parse("f(z, x) = x - z").variables == ("z", "x")
    assert parse("f(z, x) = x - z")(1, 5) == 4
    assert parse("x + y", variables=["y", "x"]).variables == ("y", "x")
    g = parse("x", variables=("x", "y"))
    assert g.gradient(1.0, 2.0).tolist() == [1.0, 0.0]
    assert parse("f(x, y) = x^2").gradient(3.0, 1.0).tolist() == [6.0, 0.0]


def test_definitions_separated_by_semicolons_or_newlines():
    one = parse("a = x + y; b = x - y; f = a*b")
    two = parse("a = x + y\nb = x - y\n\nf = a*b\n")
    assert one(3, 2) == two(3, 2) == 5
    assert one.output_name == "f"
    assert parse("a = x^2; a + 1")(2) == 5


def test_shared_subexpressions_are_one_node():
    f = parse("sin(x)*sin(x) + sin(x)")
    labels = [n.label for n in f.trace((1.0,)).nodes]
    assert labels.count("sin") == 1
    # x*x has two edges from x: its adjoint sums both
    t = parse("x*x").trace((3.0,))
    mul = t.nodes[t.output]
    assert mul.inputs == (0, 0) and t.gradient.tolist() == [6.0]


def test_broadcasting_shapes():
    f = parse("x + y^2")
    x = np.linspace(0, 1, 3)[:, None]
    y = np.linspace(0, 1, 4)[None, :]
    assert f(x, y).shape == (3, 4)
    assert f.gradient(x, y).shape == (2, 3, 4)
    assert f.hessian(x, y).shape == (2, 2, 3, 4)
    assert parse("x + 0*y")(np.zeros(5), np.zeros(5)).shape == (5,)
    assert parse("3", variables=("x",))(np.zeros(4)).tolist() == [3.0] * 4
    assert isinstance(f(1.0, 2.0), np.float64)
    assert f.gradient(1.0, 2.0).shape == (2,)


def test_nan_and_inf_propagate_without_warnings():
    # pytest turns warnings into errors: none may leak
    assert math.isnan(parse("log(x)")(-1.0))
    assert parse("log(x)")(0.0) == -math.inf
    assert parse("1/x")(0.0) == math.inf
    assert parse("exp(x)")(1000.0) == math.inf
    assert math.isnan(parse("sqrt(x)")(-1))
    assert math.isnan(parse("x^0.5")(-8))
    v = parse("log(x)")(np.array([-1.0, 0.0, 1.0]))
    assert np.isnan(v[0]) and v[1] == -math.inf and v[2] == 0.0
    assert np.isnan(parse("sqrt(x)").gradient(-1.0)).all()
    # math refuses, numpy answers NaN: the scalar fallback keeps the shapes
    h = parse("sqrt(x*y)").hessian(-1.0, 1.0)
    assert h.shape == (2, 2) and np.isnan(h).all()
    v, g = parse("sqrt(x^2 + y^2)").value_and_gradient(0.0, 0.0)
    assert v == 0.0 and g.shape == (2,) and np.isnan(g).all()
    assert parse("sigmoid(x)")(-1000.0) == 0.0
    assert parse("softplus(x)")(1000.0) == 1000.0


def test_derivatives_too_large_are_a_parse_error(monkeypatch):
    import explorer.engine.function as function

    monkeypatch.setattr(function, "MAX_DERIVATIVE_NODES", 12)
    f = parse("x*exp(-x^2-y^2)")
    assert f(1.0, 0.0) == pytest.approx(math.exp(-1))  # the value needs no derivatives
    with pytest.raises(ParseError, match="too large to differentiate"):
        f.gradient(1.0, 0.0)


@pytest.mark.parametrize("text", ["2*3", "a = 1; a", "pi", "sin(pi)", "f = 2; g = f*f"])
def test_a_function_of_no_variable_is_refused(text):
    with pytest.raises(ParseError, match="the function has no variable"):
        parse(text)


def test_a_declared_variable_makes_a_constant_function_with_zero_derivatives():
    f = parse("f(x) = 2*3")
    assert f(1.5) == 6 and f.gradient(1.5).tolist() == [0.0]
    assert f.hessian(1.5).tolist() == [[0.0]]


def test_constants_are_numbers_not_functions():
    assert constant("pi(1 + 1)") == 2 * math.pi
    assert constant("-log(2)") == -math.log(2)
    for text in ["x", "f(x) = 1", "2*", "sqrt"]:
        with pytest.raises(ParseError):
            constant(text)


def test_huge_powers_are_floating_point():
    assert constant("9^9^9") == math.inf
    assert parse("x^9^9^9")(0.5) == 0.0


@pytest.mark.parametrize(
    ("text", "column", "fragment"),
    [
        ("x +", 4, "ends too early"),
        ("x * (y + 1", 11, "')' to close"),
        ("x + )", 5, "unexpected ')'"),
        ("foo(x)", 1, "unknown function 'foo'"),
        ("sin x", 1, "needs parentheses"),
        ("sin(x, y)", 1, "takes 1 argument, got 2"),
        ("atan2(x)", 1, "takes 2 arguments, got 1"),
        ("x y", 3, "missing operator"),
        ("x.real", 2, "'.' may only appear inside a number"),
        ("x[0]", 2, "brackets"),
        ("x # y", 3, "unexpected character '#'"),
        ("_x", 1, "names must start with a letter"),
        ("lambda", 1, "reserved word"),
        ("x = 1 = 2", 7, "one '=' per line"),
        ("a = x; a = y; a", 8, "defined twice"),
        ("b + 1; b = x", 1, "only the last line"),
        ("c = b + 1; b = x; c", 5, "used before its definition"),
        ("sin = x; sin", 1, "is a function"),
        ("pi = 3; pi", 1, "is a constant"),
        ("f(x) = x + y", 12, "'y' is not among the variables (x)"),
        ("1e999 * x", 1, "number too large"),
        ("", 1, "empty"),
        ("   \n ; ", 1, "empty"),
        ("a = x; a(2)", 8, "not a function"),
    ],
)
def test_errors_point_at_the_column(text, column, fragment):
    with pytest.raises(ParseError) as info:
        parse(text)
    assert fragment in info.value.message
    assert info.value.column == column
    assert isinstance(info.value, ValueError)


def test_error_on_second_line_reports_line_and_column():
    with pytest.raises(ParseError) as info:
        parse("a = x + 1\nf = a * * 2")
    assert (info.value.line, info.value.column) == (2, 9)
    assert "line 2, column 9" in str(info.value)


def test_op_table_is_the_whitelist():
    for name in (
        "exp",
        "log",
        "ln",
        "sqrt",
        "abs",
        "sin",
        "cos",
        "tan",
        "asin",
        "acos",
        "atan",
        "arcsin",
        "sinh",
        "cosh",
        "tanh",
        "asinh",
        "acosh",
        "atanh",
        "sigmoid",
        "softplus",
        "relu",
    ):
        assert name in FUNCTIONS
    for missing in ("eval", "exec", "open", "getattr", "step", "neg", "max", "factorial"):
        with pytest.raises(ParseError):
            parse(f"{missing}(x)")


def test_deliberate_readings_of_python_literals():
    # no hex or complex literals: a number followed by a name is a product
    assert parse("0x1f").variables == ("x1f",)
    assert parse("0x1f")(5.0) == 0.0
    assert parse("1j").variables == ("j",)
    assert parse("1j")(3.0) == 3.0


@pytest.mark.parametrize(
    ("text", "values"),
    [  # the scalar path at, below and above each op's switch, and NaN
        ("sign(x)", {0.0: 0.0, -0.5: -1.0, 0.5: 1.0}),
        ("relu(x)", {0.0: 0.0, -0.5: 0.0, 0.5: 0.5, 2.0: 2.0}),
        ("x/2 + x/1", {3.0: 4.5}),
    ],
)
def test_piecewise_values_on_the_scalar_and_array_paths(text, values):
    f = parse(text)
    for x, expected in values.items():
        assert f(x) == expected and f(np.array([x]))[0] == expected
    assert math.isnan(f(math.nan))


@pytest.mark.parametrize(
    ("x", "slope"), [(0.0, 0.0), (-0.5, 0.0), (0.5, 1.0), (2.0, 1.0), (math.nan, math.nan)]
)
def test_the_slope_of_relu_is_a_step_that_is_zero_at_zero(x, slope):
    g = parse("relu(x)").gradient(x)[0]
    assert g == slope or (math.isnan(slope) and math.isnan(g))


@pytest.mark.parametrize(
    ("text", "at", "value", "gradient"),
    [  # the graph's algebraic shortcuts must not change any number
        ("x - (-y)", (1.0, 2.0), 3.0, [1.0, 1.0]),
        ("(-x)*(-y)", (2.0, 3.0), 6.0, [3.0, 2.0]),
        ("-1*x + y*(-1)", (2.0, 3.0), -5.0, [-1.0, -1.0]),
        ("-(-x) + y", (2.0, 3.0), 5.0, [1.0, 1.0]),
        ("x^0 + y^1", (2.0, 3.0), 4.0, [0.0, 1.0]),
        ("x/1 + y/2", (2.0, 3.0), 3.5, [1.0, 0.5]),
    ],
)
def test_simplified_expressions_keep_their_values(text, at, value, gradient):
    f = parse(text, variables=("x", "y"))
    assert f(*at) == value
    assert f.gradient(*at).tolist() == gradient
