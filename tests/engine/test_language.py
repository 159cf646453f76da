"""The expression language: what it accepts, and what it refuses with which column."""

import math
import sys

import numpy as np
import pytest

from explorer.engine import FUNCTIONS, ParseError, constant, parse
from explorer.engine.parser import MAX_DEPTH, MAX_VARIABLES


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
        ("2π+x", (1,), 2 * math.pi + 1),
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


@pytest.mark.parametrize(
    ("text", "variables", "message"),
    [  # the same names the language refuses for a variable in the text
        ("x + y", ["x", "2y"], "'2y' cannot be a variable name"),
        ("x", ["x", "x.y"], "'x.y' cannot be a variable name"),
        ("x", ["x", "sin"], "'sin' cannot be a variable name"),
        ("x", ["pi", "x"], "'pi' cannot be a variable name"),
        ("x", ["x", "if"], "'if' cannot be a variable name"),
        ("x", ["x", "match"], "'match' cannot be a variable name"),
        ("x", ["x", "x"], "a variable is listed twice"),
        ("f(x, y) = x", ["y", "x"], "the variables given differ from the header's"),
    ],
)
def test_variables_given_are_checked(text, variables, message):
    with pytest.raises(ParseError) as info:
        parse(text, variables=variables)
    assert info.value.message == message
    with pytest.raises(ParseError, match="reserved word"):  # in the text, the same rule
        parse("f(x, match) = x")


def test_variables_given_may_be_any_names_of_the_language():
    assert parse("X + Y_2", variables=["X", "Y_2"])(1.0, 2.0) == 3.0
    assert parse("f(x, y) = x", variables=("x", "y")).variables == ("x", "y")


def test_a_headers_variables_are_the_first_nodes_in_its_order():
    f = parse("f(y, x) = x*y + 1")
    assert [n.label for n in f.trace((2.0, 3.0)).nodes][:2] == ["y", "x"]
    assert "def f(y, x):" in f.source()


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
    # where math refuses, numpy answers: still a number for a point, not a 0-d array
    v, _ = parse("sqrt(x^2 + y^2)").value_and_gradient(0.0, 0.0)
    assert isinstance(v, np.float64)
    assert f.gradient(1.0, 2.0).shape == (2,)


def test_a_wrong_number_of_arguments_is_a_type_error_naming_the_signature():
    f = parse("x*y")
    for call in (f, f.gradient, f.value_and_gradient, f.hessian):
        with pytest.raises(TypeError) as info:
            call(1.0)
        assert str(info.value) == "f(x, y) takes 2 arguments, got 1"


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
    with pytest.raises(ParseError) as info:
        parse(text)
    assert info.value.message == "the function has no variable; declare one, e.g. f(x) = …"


def test_at_most_max_variables():
    names = [f"v{i}" for i in range(MAX_VARIABLES + 1)]
    assert parse("+".join(names[:-1])).dimension == MAX_VARIABLES
    assert parse("v0", variables=names[:-1]).dimension == MAX_VARIABLES
    for problem in (lambda: parse("+".join(names)), lambda: parse("v0", variables=names)):
        with pytest.raises(ParseError) as info:
            problem()
        assert info.value.message == f"at most {MAX_VARIABLES} variables"


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


MANY = ", ".join(f"v{i}" for i in range(33))  # one variable more than allowed


@pytest.mark.parametrize(
    ("text", "column", "message"),
    [  # the whole message: it is what the user reads under the text field
        ("x +", 4, "the expression ends too early"),
        ("x * (y + 1", 11, "expected ')' to close the '(' at column 5"),
        ("sin(x", 6, "expected ')' to close sin("),
        ("x + )", 5, "unexpected ')'"),
        ("x ** * 2", 6, "unexpected '*'"),
        ("foo(x)", 1, "unknown function 'foo'"),
        ("sin x", 1, "sin needs parentheses: sin(…)"),
        ("sin(x, y)", 1, "sin takes 1 argument, got 2"),
        ("atan2(x)", 1, "atan2 takes 2 arguments, got 1"),
        ("x y", 3, "missing operator before 'y'"),
        ("x 2", 3, "missing operator before '2'"),
        ("x)", 2, "unmatched ')'"),
        ("x, y", 2, "',' only separates a function's arguments"),
        ("x.real", 2, "'.' may only appear inside a number"),
        ("x[0]", 2, "brackets are not part of the language; use ( )"),
        ("x{1}", 2, "braces are not part of the language; use ( )"),
        ("x'", 2, "text in quotes is not part of the language"),
        ('x"', 2, "text in quotes is not part of the language"),
        ("x!", 2, "factorial is not supported"),
        ("x % 2", 3, "'%' is not supported"),
        ("x: 1", 2, "':' is not part of the language"),
        ("x < 1", 3, "comparisons are not supported"),
        ("x > 1", 3, "comparisons are not supported"),
        ("x # y", 3, "unexpected character '#'"),
        ("_x", 1, "names must start with a letter"),
        ("lambda", 1, "'lambda' is a reserved word"),
        ("f(if) = 1", 3, "'if' is a reserved word"),
        ("x = 1 = 2", 7, "one '=' per line"),
        ("a =", 3, "nothing after '='"),
        ("2 = x", 1, "a definition needs a name before '=', e.g. 'a = x + y'"),
        ("= x", 1, "a definition needs a name before '=', e.g. 'a = x + y'"),
        ("x + 1 = 2", 3, "a header looks like f(x, y) = …"),
        ("f(x y) = x", 2, "a header looks like f(x, y) = …"),
        ("f(x,) = x", 2, "a header looks like f(x, y) = …"),
        ("f(x y z) = x", 2, "a header looks like f(x, y) = …"),
        ("f(1) = 2", 2, "a header looks like f(x, y) = …"),
        ("f(x) = x; g(y) = y", 11, "only one line may declare the variables"),
        ("f(x, x) = x", 6, "variable 'x' is listed twice"),
        ("f(x, a) = x; a = 2; f", 6, "'a' names a definition, so it cannot be a variable"),
        ("f(x, f) = x", 6, "'f' names a definition, so it cannot be a variable"),
        (f"f({MANY}) = v0", 153, "at most 32 variables"),
        ("a = x; a = y; a", 8, "'a' is defined twice"),
        (
            "b + 1; b = x",
            1,
            "only the last line may be a bare expression; name this one, e.g. 'a = …'",
        ),
        ("c = b + 1; b = x; c", 5, "'b' is used before its definition"),
        ("sin = x; sin", 1, "'sin' is a function; it cannot be defined"),
        ("pi = 3; pi", 1, "'pi' is a constant; it cannot be defined"),
        ("f(sin) = 1", 3, "'sin' is a function; it cannot be used as a variable"),
        ("f(pi) = 1", 3, "'pi' is a constant; it cannot be used as a variable"),
        ("f(x) = x + y", 12, "'y' is not among the variables (x)"),
        ("1e999 * x", 1, "number too large"),
        ("", 1, "the expression is empty"),
        ("   \n ; ", 1, "the expression is empty"),
        ("a = x; a(2)", 8, "'a' is not a function; write a*(…)"),
        ("y(x) = 1; y(2)", 11, "'y' is not a function; write y*(…)"),
    ],
)
def test_errors_point_at_the_column(text, column, message):
    with pytest.raises(ParseError) as info:
        parse(text)
    assert info.value.message == message
    assert info.value.column == column
    assert isinstance(info.value, ValueError)


def test_error_on_a_later_line_reports_line_and_column():
    with pytest.raises(ParseError) as info:
        parse("a = x + 1\nf = a * * 2")
    assert (info.value.line, info.value.column) == (2, 9)
    assert str(info.value) == "unexpected '*' (at line 2, column 9)"
    with pytest.raises(ParseError) as info:  # the column counts from the last line break
        parse("a = x\nb = a\nc = b + )")
    assert (info.value.line, info.value.column) == (3, 9)


def test_error_text_says_where_only_when_there_is_text_to_point_into():
    assert str(ParseError("bad", 2, "x $ y")) == "bad (at column 3)"
    with pytest.raises(ParseError) as info:
        parse("f(x) = x + y")
    assert str(info.value) == "'y' is not among the variables (x) (at column 12)"
    for problem in (
        lambda: parse(42),
        lambda: parse("x", variables=["x", "x"]),
        lambda: parse("  \n ; "),
    ):
        with pytest.raises(ParseError) as info:
            problem()
        assert str(info.value) == info.value.message  # no column in text the user did not type
        assert (info.value.position, info.value.column) == (0, 1)


@pytest.fixture
def deep_stack():
    """Room for the parser's own depth limit to answer before Python's recursion limit,
    however deep the caller's stack is (mutation testing adds frames to every call)."""
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 20_000))
    yield
    sys.setrecursionlimit(limit)


@pytest.mark.parametrize(
    ("opening", "enters", "closing"),
    [("(", "(", ")"), ("sin(", "(", ")"), ("-", "-", ""), ("x^", "^", ""), ("atan2(x, ", "(", ")")],
)
def test_nesting_is_limited_to_max_depth_levels(deep_stack, opening, enters, closing):
    def nested(levels):
        return parse(opening * levels + "y" + closing * levels, variables=("x", "y"))

    assert nested(MAX_DEPTH)(0.5, 0.5) is not None
    with pytest.raises(ParseError) as info:
        nested(MAX_DEPTH + 1)
    assert info.value.message == f"nested more than {MAX_DEPTH} levels deep"
    # it points at the opening that went one level too deep
    assert info.value.position == MAX_DEPTH * len(opening) + opening.index(enters)


@pytest.mark.parametrize("inner", ["sin(x)", "x^2", "-x", "(x)", "atan2(x, 1)"])
def test_a_nested_part_leaves_the_depth_as_it_found_it(deep_stack, inner):
    # `inner` at depth d, then two more levels: allowed up to d = MAX_DEPTH - 2
    def around(d):
        return parse("(" * d + inner + "*((x))" + ")" * d)

    assert around(MAX_DEPTH - 2)(1.0) == pytest.approx(parse(inner + "*x")(1.0))
    with pytest.raises(ParseError, match="nested more than"):
        around(MAX_DEPTH - 1)


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
