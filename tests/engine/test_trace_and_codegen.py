"""The trace the graph panel draws, forward mode, path sums, and the generated code."""

import re
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from explorer.engine import parse

CHAIN = "a = (w+x+y+z)^2; b = (w+x-y-z)^2; u = (a+b)^2; v = (a-b)^2; f = (u+v)^2"


@pytest.mark.parametrize(
    "text", [CHAIN, "x*exp(-x^2-y^2)", "log(exp(x)+exp(y))", "sin(x*y) + x*x - tanh(y)/(1 + x^2)"]
)
def test_trace_adjoints_equal_the_compiled_gradient(text):
    f = parse(text)
    rng = np.random.default_rng(3)
    for _ in range(5):
        p = rng.normal(size=f.dimension)
        t = f.trace(p)
        np.testing.assert_allclose(t.gradient, f.gradient(*p), rtol=1e-12, atol=1e-12)
        assert t.value == pytest.approx(f(*p), rel=1e-15)
        # forward mode: one sweep per input gives the same partials
        for i, v in enumerate(f.variables):
            assert t.tangents(v)[t.output] == pytest.approx(f.gradient(*p)[i], rel=1e-12)
        # the adjoint of every node is the sum over paths of products of partials
        for k, node in enumerate(t.nodes):
            if node.kind != "constant":
                total = sum(prod for _, prod in t.paths(k))
                assert total == pytest.approx(node.adjoint, rel=1e-12, abs=1e-12)


def test_trace_is_topological_and_leaves_no_state():
    f = parse(CHAIN)
    p = (-1.0, 0.0, -2.0, 1.0)
    first, second = f.trace(p), f.trace(p)
    assert first == second  # a backward pass run twice gives the same answer
    for i, node in enumerate(first.nodes):
        assert all(j < i for j in node.inputs)
    assert [first.nodes[i].name for i in first.inputs] == ["w", "x", "y", "z"]


def test_paths_of_the_chapter_graph():
    f = parse(CHAIN)
    t = f.trace((-1.0, 0.0, -2.0, 1.0))
    a = next(i for i, n in enumerate(t.nodes) if n.label == "a")
    paths = t.paths(a)
    assert len(paths) == 2  # a → u → f and a → v → f
    assert sum(p for _, p in paths) == t.nodes[a].adjoint
    y = next(i for i, n in enumerate(t.nodes) if n.name == "y")
    assert sum(p for _, p in t.paths(y)) == -4096.0


def test_source_runs_and_uses_the_users_names():
    f = parse(CHAIN)
    src = f.source()
    for line in (
        "def f(w, x, y, z):",
        '    """Return f and its gradient (df_dw, df_dx, df_dy, df_dz).',
        "    # forward pass",
        "    # backward pass (reverse mode)",
        "    return f, (df_dw, df_dx, df_dy, df_dz)",
    ):
        assert line in src.splitlines()
    for name in ("a", "b", "u", "v", "f", "df_da", "df_du"):  # each defined under its own name
        assert re.search(rf"^    {name} = \S", src, re.MULTILINE), name
    out = subprocess.run(
        [sys.executable, "-c", src + "\nprint(f(-1.0, 0.0, -2.0, 1.0))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert out.strip() == "(1024.0, (-4096.0, -4096.0, -4096.0, -4096.0))"


def _run_source(f):
    space: dict = {}
    exec(f.source(), space)  # noqa: S102 -- the engine's generated code, as a user runs it
    return space[f.output_name]


def test_source_of_one_variable_returns_a_tuple_gradient_and_documents_itself():
    g = _run_source(parse("a = x^2\nf = a + 3*x"))
    assert g(2.0) == (10.0, (7.0,))
    assert g.__doc__.splitlines()[0] == "Return f and its gradient (df_dx)."
    assert "Generated from: a = x^2 f = a + 3*x" in g.__doc__  # on one line


def test_source_starts_the_backward_pass_after_the_output():
    lines = parse("exp(x*y)").source().splitlines()
    output = next(i for i, line in enumerate(lines) if line.startswith("    f = "))
    assert output < lines.index("    # backward pass (reverse mode)")
    assert _run_source(parse("exp(x*y)"))(1.0, 2.0)[1] == pytest.approx(
        (2 * np.exp(2.0), np.exp(2.0))
    )


@settings(max_examples=30, deadline=None)
@given(
    st.sampled_from(
        [
            "x*exp(-x^2-y^2)",
            "x^2*y + x*y^2",
            "sigmoid(x - y)*softplus(y)",
            "atan2(y, x + 4)",
            "sqrt(x^2 + y^2 + 1)",
        ]
    ),
    st.floats(-3, 3),
    st.floats(-3, 3),
)
def test_scalar_and_array_paths_agree(text, x, y):
    # each function is smooth on the whole square: every number must be finite
    f = parse(text)
    arr = np.array([x, x])
    assert f(x, y) == pytest.approx(f(arr, y)[0], rel=1e-14, abs=1e-300)
    for scalar, array in [
        (f.gradient(x, y), f.gradient(arr, y)[:, 0]),
        (f.hessian(x, y), f.hessian(arr, y)[:, :, 0]),
    ]:
        assert np.all(np.isfinite(scalar)) and np.all(np.isfinite(array))
        np.testing.assert_allclose(scalar, array, rtol=1e-13, atol=1e-300, equal_nan=False)


def test_deep_graph_backward_pass_is_iterative():
    text = "x" + "".join(" + sin(x)" for _ in range(1500))
    f = parse(text)
    assert f.gradient(0.0)[0] == pytest.approx(1501.0)
    t = f.trace((0.0,))
    assert t.gradient[0] == pytest.approx(1501.0)


def test_value_and_gradient_into_a_buffer_against_the_hand_derivative():
    f = parse("(x^2+y-11)^2 + (x+y^2-7)^2")
    x, y = np.linspace(-5, 5, 7), np.linspace(4, -2, 7)
    out = np.full((3, 7), np.nan)
    value, grad = f.value_and_gradient(x, y, out=out)
    assert np.shares_memory(value, out) and np.shares_memory(grad, out)
    a, b = x * x + y - 11, x + y * y - 7  # Himmelblau's gradient by hand
    np.testing.assert_allclose(out, [a * a + b * b, 4 * x * a + 2 * b, 2 * a + 4 * y * b])
    f.value_and_gradient(x, 2.0, out=out)  # arguments broadcast to the buffer
    a, b = x * x + 2.0 - 11, x + 4.0 - 7
    np.testing.assert_allclose(out[0], a * a + b * b)
    with pytest.raises(ValueError, match="out must have shape"):
        f.value_and_gradient(x, y, out=np.empty((2, 7)))


def test_a_square_is_compiled_to_the_same_bits_as_a_product():
    f = parse("x^2 + 3*y^2")
    x = np.random.default_rng(5).normal(size=1000) * 1e3
    np.testing.assert_array_equal(f(x, x), x * x + 3.0 * (x * x))
    assert "** 2.0" in f.source()  # the reader sees the power, not numpy's name for it


@pytest.mark.parametrize(
    "text",
    [
        CHAIN,
        "x*exp(-x^2-y^2)",
        "(1 - x)^2 + 100(y - x^2)^2",
        "-20exp(-0.2sqrt(0.5(x^2 + y^2))) - exp(0.5(cos(2pi x) + cos(2pi y))) + e + 20",
        "(4 - 2.1x^2 + x^4/3)x^2 + x*y + (-4 + 4y^2)y^2",
        "x^3 - 3x*y^2 + sin(x*y)/(1 + y^2) - 0.5*tanh(x - 2y)",
    ],
)
def test_compiled_gradient_is_the_chain_rule_of_the_source_to_the_bit(text):
    # the compiled code moves constant factors and signs out of the adjoints
    # (exact: factors ±2^k); the source keeps the chain rule as written
    f = parse(text)
    namespace: dict = {}
    exec(f.source(), namespace)  # noqa: S102 (the engine's own code)
    readable = namespace[f.output_name]
    rng = np.random.default_rng(11)
    for shape in [(), (5,), (40, 40)]:
        xs = [rng.uniform(-2, 2, shape) for _ in range(f.dimension)]
        value, grad = readable(*xs)
        got_value, got_grad = f.value_and_gradient(*xs)
        np.testing.assert_array_equal(got_value, value)
        for got, want in zip(got_grad, grad, strict=True):
            np.testing.assert_array_equal(got, np.broadcast_to(want, np.shape(got)))


def test_trace_where_a_partial_is_infinite_agrees_with_the_compiled_gradient():
    # sqrt(sign(x)) at 0, a kink: the sqrt's partial is inf and sign's is 0; a zero
    # factor drops its term, as in the compiled derivatives (and no numpy warning,
    # which is an error here), in reverse mode, forward mode and the path sums
    f = parse("sign(x)^0.5 + y")
    t = f.trace((0.0, 0.0))
    np.testing.assert_array_equal(t.gradient, f.gradient(0.0, 0.0))
    np.testing.assert_array_equal(t.gradient, [0.0, 1.0])
    assert [t.tangents(v)[t.output] for v in f.variables] == [0.0, 1.0]
    assert [sum(p for _, p in t.paths(i)) for i in t.inputs] == [0.0, 1.0]
