"""The numpy code that reuses buffers (inputs of one shape, large enough) against
the general code (inputs of different shapes), which computes the same ops."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from explorer.engine import FUNCTIONS, parse
from explorer.engine.function import BUFFERS_MIN_SIZE

N = BUFFERS_MIN_SIZE
CHAIN = "a = (w+x+y+z)^2; b = (w+x-y-z)^2; u = (a+b)^2; v = (a-b)^2; f = (u+v)^2"
UNARY = sorted(n for n, op in FUNCTIONS.items() if op.arity == 1)


def _texts(children):
    return (
        st.tuples(st.sampled_from(UNARY), children).map(lambda t: f"{t[0]}({t[1]})")
        | st.tuples(children, st.sampled_from("+-*/^"), children).map(
            lambda t: f"({t[0]}) {t[1]} ({t[2]})"
        )
        | st.tuples(children, children).map(lambda t: f"atan2({t[0]}, {t[1]})")
        | st.tuples(children, st.sampled_from(["2", "3", "-1", "0.5"])).map(
            lambda t: f"({t[0]})^{t[1]}"
        )
    )


texts = st.recursive(st.sampled_from(["x", "y", "x", "y", "0.5", "2", "3"]), _texts, max_leaves=8)


def _paths(f, xs):
    """Every array entry point on `xs` (one shape: buffers) and on the same
    points with x as a row (two shapes: the general code)."""
    row = [xs[0][None, :], *xs[1:]]
    same = (f(*xs), f.gradient(*xs), *f.value_and_gradient(*xs), f.hessian(*xs))
    mixed = (f(*row), f.gradient(*row), *f.value_and_gradient(*row), f.hessian(*row))
    return same, [m[..., 0, :] for m in mixed]


@settings(max_examples=60, deadline=None)
@given(texts, st.integers(0, 2**32 - 1))
def test_buffers_compute_what_the_general_code_computes(text, seed):
    f = parse(text, variables=("x", "y"))
    rng = np.random.default_rng(seed)
    xs = [rng.uniform(-3, 3, N) for _ in range(2)]
    kept = [x.copy() for x in xs]
    same, mixed = _paths(f, xs)
    for got, want in zip(same, mixed, strict=True):
        assert got.shape == want.shape
        np.testing.assert_array_equal(got, want, err_msg=text)  # NaN where NaN
    for x, k in zip(xs, kept, strict=True):
        np.testing.assert_array_equal(x, k)  # the inputs are never written to


@pytest.mark.parametrize(
    "text",
    [CHAIN, "x*exp(-x^2-y^2)", "log(exp(x)+exp(y))", "sigmoid(x - y)*softplus(y) + x^2*y^2"],
)
def test_buffers_on_grids_of_every_layout(text):
    f = parse(text)
    rng = np.random.default_rng(7)
    grid = rng.uniform(-1, 1, (f.dimension, 48, 40))
    layouts = {
        "C": list(grid),
        "F": [np.asfortranarray(g) for g in grid],
        "strided": [g.T for g in rng.uniform(-1, 1, (f.dimension, 40, 48))],
    }
    for name, xs in layouts.items():
        same, mixed = _paths(f, [x.reshape(-1) for x in xs])
        for got, want in zip(same, mixed, strict=True):
            np.testing.assert_array_equal(got, want, err_msg=name)
        grid_answers = (f(*xs), f.gradient(*xs), f.hessian(*xs))
        for got, flat in zip(grid_answers, (same[0], same[1], same[4]), strict=True):
            np.testing.assert_array_equal(got.reshape(flat.shape), flat, err_msg=name)


def test_buffers_by_hand_on_the_chapter_chain():
    # f = ((a+b)^2 + (a-b)^2)^2 = 4 (a^2 + b^2)^2 with a = s^2, b = d^2,
    # s = w+x+y+z, d = w+x-y-z: every derivative written out
    f = parse(CHAIN)
    rng = np.random.default_rng(1)
    w, x, y, z = rng.uniform(-1, 1, (4, N))
    s, d = w + x + y + z, w + x - y - z
    q = s**4 + d**4
    value = 4 * q**2
    ds, dd = 32 * q * s**3, 32 * q * d**3  # ∂f/∂s, ∂f/∂d
    dss = 32 * (4 * s**6 + 3 * q * s**2)
    ddd = 32 * (4 * d**6 + 3 * q * d**2)
    dsd = 128 * s**3 * d**3
    # s and d are sums with coefficients ±1: ∂²f/∂u∂v = Σ coefficients × (dss, dsd, ddd)
    c = np.array([[1, 1], [1, 1], [1, -1], [1, -1]])  # (∂s, ∂d) / ∂(w, x, y, z)
    hess = np.einsum("ia,jb,ab...->ij...", c, c, np.array([[dss, dsd], [dsd, ddd]]))
    np.testing.assert_allclose(f(w, x, y, z), value, rtol=1e-13)
    np.testing.assert_allclose(f.gradient(w, x, y, z), c @ np.array([ds, dd]), rtol=1e-12)
    np.testing.assert_allclose(f.hessian(w, x, y, z), hess, rtol=1e-11, atol=1e-9)


@pytest.mark.parametrize("size", [7, BUFFERS_MIN_SIZE])
def test_value_and_gradient_into_a_given_buffer(size):
    # the batch optimizers' hot loop: f into out[0], ∇f into out[1:], views returned
    f = parse("x*exp(-x^2-y^2)")
    rng = np.random.default_rng(5)
    x, y = rng.normal(size=(2, size))
    out = np.full((3, size), np.nan)
    value, grad = f.value_and_gradient(x, y, out=out)
    assert np.shares_memory(value, out) and np.shares_memory(grad, out)
    e = np.exp(-(x**2) - y**2)
    np.testing.assert_allclose(out[0], x * e, rtol=1e-14)
    np.testing.assert_allclose(out[1], (1 - 2 * x**2) * e, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(out[2], -2 * x * y * e, rtol=1e-12, atol=1e-15)
    np.testing.assert_array_equal(value, out[0])
    np.testing.assert_array_equal(grad, out[1:])
    with pytest.raises(ValueError, match="out must have shape"):
        f.value_and_gradient(x, y, out=np.empty((2, size)))
