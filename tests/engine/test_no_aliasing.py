"""What the engine hands back is the caller's own: no result is (a view of) an
input array, so writing to one never changes the other, on every array entry
point and on both kinds of numpy code (general, and buffers for large grids)."""

import numpy as np
import pytest

from explorer.engine import parse
from explorer.engine.function import BUFFERS_MIN_SIZE

SIZES = [(), (5,), (BUFFERS_MIN_SIZE,)]  # 0-d, small, and the buffers' code


def _inputs(shape):
    rng = np.random.default_rng(7)
    return rng.uniform(-2, 2, shape), rng.uniform(-2, 2, shape)


def _separate(result, inputs):
    """`result` is written to and each input read back, then the reverse."""
    kept = [x.copy() for x in inputs]
    was = np.array(result, copy=True)
    result[...] = 99.0
    for x, k in zip(inputs, kept, strict=True):
        np.testing.assert_array_equal(x, k)
    for x in inputs:
        x[...] = -7.0
    np.testing.assert_array_equal(result, 99.0)
    result[...] = was


@pytest.mark.parametrize("shape", SIZES)
@pytest.mark.parametrize(
    ("text", "name"), [("x", "x"), ("f(y, x) = y", "y"), ("a = x; b = a; b", "x"), ("((y))", "y")]
)
def test_the_value_of_an_input_is_a_new_array(text, name, shape):
    f = parse(text) if text.startswith("f(") else parse(text, variables=("x", "y"))
    xs = _inputs(shape)
    given = xs[f.variables.index(name)]
    want = given.copy()
    value = f(*xs)
    np.testing.assert_array_equal(value, want)
    if shape == ():
        assert isinstance(value, np.float64)  # an immutable scalar
        return
    assert value is not given and not np.shares_memory(value, given)
    _separate(value, list(xs))


@pytest.mark.parametrize("shape", SIZES[1:])
def test_the_value_and_gradient_of_an_input_are_new_arrays(shape):
    f = parse("x", variables=("x", "y"))
    xs = _inputs(shape)
    value, grad = f.value_and_gradient(*xs)
    np.testing.assert_array_equal(value, xs[0])
    np.testing.assert_array_equal(grad, np.stack([np.ones(shape), np.zeros(shape)]))
    _separate(value, list(xs))
    _separate(grad, list(xs))


@pytest.mark.parametrize("shape", SIZES[1:])
@pytest.mark.parametrize("text", ["2x + 3y", "y + x", "x*y"])
def test_a_gradient_is_a_new_array(text, shape):
    f = parse(text)
    xs = _inputs(shape)
    grad = f.gradient(*xs)
    hand = {
        "2x + 3y": [np.full(shape, 2.0), np.full(shape, 3.0)],
        "y + x": [np.ones(shape), np.ones(shape)],
        "x*y": [xs[1].copy(), xs[0].copy()],  # ∂/∂x = y, ∂/∂y = x
    }[text]
    np.testing.assert_array_equal(grad, np.stack(hand))
    _separate(grad, list(xs))


def test_a_broadcast_value_is_a_new_array():
    f = parse("x", variables=("x", "y"))
    x, y = np.linspace(-1, 1, 4), np.linspace(0, 1, 3)[:, None]
    value = f(x, y)
    np.testing.assert_array_equal(value, np.broadcast_to(x, (3, 4)))
    _separate(value, [x, y])


@pytest.mark.parametrize("shape", SIZES[1:])
def test_out_may_hold_the_inputs(shape):
    """Inputs that are rows of `out` itself give the answer of separate inputs
    (the value written into out[0] must not overwrite an input still needed)."""
    f = parse("x*exp(-x^2-y^2) + y")
    xs = _inputs(shape)
    want_v, want_g = f.value_and_gradient(*xs)
    out = np.empty((3, *shape))
    out[0], out[1] = xs  # x in out[0], which the value overwrites, y in out[1]
    v, g = f.value_and_gradient(out[0], out[1], out=out)
    np.testing.assert_array_equal(v, want_v)
    np.testing.assert_array_equal(g, want_g)
    assert np.shares_memory(v, out) and np.shares_memory(g, out)  # views of out, as documented
