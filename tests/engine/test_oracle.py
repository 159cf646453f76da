"""Derivatives against independent oracles: sympy's symbolic derivatives, evaluated
by sympy to 30 digits, and central finite differences, on generated expressions
over the whole op table.

The oracle decides, never the engine: a number is skipped only where sympy says
it is undefined, not real, or beyond float64; a point is kept off the places
where an op is not differentiable by its distance to them, computed by sympy
from the expression; wherever the oracle has a number, the engine must give a
finite one that agrees (NaN is a failure), on the scalar and the array path.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pytest
import sympy as sp
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from explorer.engine import FUNCTIONS, OPS, parse
from explorer.engine.function import BUFFERS_MIN_SIZE

X, Y = sp.symbols("x y", real=True)
SYMBOLS = (X, Y)
SYMPY_UNARY = {
    "exp": sp.exp,
    "log": sp.log,
    "log2": lambda a: sp.log(a, 2),
    "log10": lambda a: sp.log(a, 10),
    "sqrt": sp.sqrt,
    "abs": sp.Abs,
    "sign": sp.sign,
    "relu": lambda a: (a + sp.Abs(a)) / 2,  # no comparison: total on complex constants too
    "sin": sp.sin,
    "cos": sp.cos,
    "tan": sp.tan,
    "asin": sp.asin,
    "acos": sp.acos,
    "atan": sp.atan,
    "sinh": sp.sinh,
    "cosh": sp.cosh,
    "tanh": sp.tanh,
    "asinh": sp.asinh,
    "acosh": sp.acosh,
    "atanh": sp.atanh,
    "sigmoid": lambda a: 1 / (1 + sp.exp(-a)),
    "softplus": lambda a: sp.log(1 + sp.exp(a)),
}
SYMPY_BINARY = {
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "/": lambda a, b: a / b,
    "^": lambda a, b: a**b,
    "atan2": sp.atan2,
}
# Where each op may be not differentiable (a corner, a jump, a pole, a domain
# edge): the zeros of these functions of its arguments, from the mathematics.
UNARY_KINKS = {
    "abs": lambda a: (a,),
    "sign": lambda a: (a,),
    "relu": lambda a: (a,),
    "sqrt": lambda a: (a,),
    "log": lambda a: (a,),
    "log2": lambda a: (a,),
    "log10": lambda a: (a,),
    "asin": lambda a: (1 - a, 1 + a),
    "acos": lambda a: (1 - a, 1 + a),
    "atanh": lambda a: (1 - a, 1 + a),
    "acosh": lambda a: (a - 1,),
    "tan": lambda a: (sp.cos(a),),
}
BINARY_KINKS = {
    "/": lambda a, b: (b,),
    "^": lambda a, b: (a,),  # a^b = exp(b log a): the base's zero
    "atan2": lambda a, b: (a,),  # the cut along the negative x-axis, and the origin
}
HUGE = 1e100  # beyond this an intermediate may overflow float64 legitimately


def test_oracle_covers_the_whole_op_table():
    unary = {op.name for op in FUNCTIONS.values() if op.arity == 1}
    assert unary == set(SYMPY_UNARY)
    binary = {op.infix for op in OPS.values() if op.infix} | {
        op.name for op in FUNCTIONS.values() if op.arity == 2
    }
    assert binary == (set(SYMPY_BINARY) - {"^"}) | {"**"}


@dataclass(frozen=True)
class Expr:
    text: str
    sym: sp.Expr
    kinks: tuple[sp.Expr, ...] = ()
    # every node as built, before sympy simplifies its parents ((x^0.5)^2 is x
    # to sympy, which is right for complex numbers and not for the engine's reals)
    parts: tuple[sp.Expr, ...] = ()

    def node(self, text: str, sym, kinks: tuple, *children: Expr) -> Expr:
        parts = tuple(p for c in children for p in c.parts)
        kinks = tuple(k for c in children for k in c.kinks) + kinks
        return Expr(text, sym, kinks, (*parts, sym))


def _build(make, *args):
    """sympy's expression, or NaN (undefined for the oracle) when sympy refuses
    to build it, as it does for some comparisons of complex constants: the
    strategy must never raise."""
    try:
        return make(*args)
    except Exception:
        return sp.nan


def _unary(t):
    name, a = t
    kinks = UNARY_KINKS.get(name, lambda _: ())(a.sym)
    return a.node(f"{name}({a.text})", _build(SYMPY_UNARY[name], a.sym), kinks, a)


def _binary(t):
    op, a, b = t
    text = f"atan2({a.text}, {b.text})" if op == "atan2" else f"({a.text}) {op} ({b.text})"
    kinks = BINARY_KINKS.get(op, lambda *_: ())(a.sym, b.sym)
    return a.node(text, _build(SYMPY_BINARY[op], a.sym, b.sym), kinks, a, b)


def _small_power(t):
    a, k = t
    exponent = sp.Float(k) if k == 0.5 else sp.Integer(k)
    kinks = (a.sym,) if k in (-1, 0.5) else ()
    return a.node(f"({a.text})^{k}", _build(lambda: a.sym**exponent), kinks, a)


def _extend(children):
    return (
        st.tuples(st.sampled_from(sorted(SYMPY_UNARY)), children).map(_unary)
        | st.tuples(st.sampled_from(sorted(SYMPY_BINARY)), children, children).map(_binary)
        | st.tuples(children, st.sampled_from([2, 3, -1, 0.5])).map(_small_power)
    )


leaves = st.sampled_from([Expr("x", X), Expr("y", Y)]) | st.sampled_from(
    [0.5, 1.5, 2.0, 3.0, 0.25]
).map(lambda v: Expr(repr(v), sp.Float(v)))
expressions = st.recursive(leaves, _extend, max_leaves=6)
points = st.tuples(st.floats(-2, 2), st.floats(-2, 2))


def _number(expr, at) -> float | None:
    """sympy's value of `expr` at `at`, or None where it is undefined, not real or
    too large for float64 to carry through."""
    try:
        exact = expr.subs({X: at[0], Y: at[1]}).evalf(30)
        value = complex(exact)
        imaginary = exact.as_real_imag()[1]
    except Exception:  # sympy cannot give a number there: undefined for the oracle
        return None
    # complex, however little: (-1e-150)^(-1e-150) is not real, nor is
    # (-1e-302)^1.5, whose imaginary part float64 rounds to zero
    if not (math.isfinite(value.real) and value.imag == 0 and imaginary == 0):
        return None
    return value.real if abs(value.real) < HUGE else None


def _tame(e: Expr, at) -> bool:
    """Every node has a real number of moderate size at `at`: no float64
    intermediate overflows, and none is complex (acos(1.5)^2 is real, but only
    through a complex number)."""
    return all(_number(part, at) is not None for part in e.parts)


def _kink_distance(e: Expr, at) -> float:
    """How far `at` is from the nearest place an op of `e` may be not differentiable:
    |g| / |∇g| for each kink function g, by sympy."""
    nearest = math.inf
    for g in e.kinks:
        value = _number(g, at)
        if value is None:
            return 0.0
        slope = [_number(sp.diff(g, s), at) for s in SYMBOLS]
        if any(d is None for d in slope):
            return 0.0
        norm = math.hypot(*slope)  # type: ignore[arg-type]
        if value == 0:
            return 0.0
        if norm > 0:
            nearest = min(nearest, abs(value) / norm)
    return nearest


def oracle_settings(examples: int):
    """Slow examples (sympy) and many skipped ones (points outside a domain) are expected."""
    return settings(
        max_examples=examples,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )


# float64 rounds every intermediate by ~1e-16 relative; within a distance d of a
# pole or corner that error grows like 1/d (tan(acos(x)) at x = 1e-9 is
# 1000000078 in float64, 1e9 exactly): the tolerance widens by this over d.
ROUNDING_NEAR_KINKS = 1e-14


def _agree(engine, oracle: float, rel: float, distance: float = math.inf) -> bool:
    rel += ROUNDING_NEAR_KINKS / distance
    return bool(np.isfinite(engine)) and abs(engine - oracle) <= rel * max(1.0, abs(oracle))


@oracle_settings(200)
@given(expressions, points)
def test_value_gradient_and_hessian_agree_with_sympy(e, at):
    f = parse(e.text, variables=("x", "y"))
    assume(_tame(e, at))
    oracle = _number(e.sym, at)
    distance = _kink_distance(e, at)
    # exactly on a kink f itself may be undefined, as x/x is at 0 (sympy says 1)
    assume(oracle is not None and distance > 0)
    arr = [np.full(2, at[0]), np.full(2, at[1])]
    grid = [np.full(BUFFERS_MIN_SIZE, at[0]), np.full(BUFFERS_MIN_SIZE, at[1])]  # reused buffers
    paths = [
        (f(*at), f.gradient(*at), f.hessian(*at)),
        (f(*arr)[0], f.gradient(*arr)[:, 0], f.hessian(*arr)[:, :, 0]),
        (f(*grid)[-1], f.gradient(*grid)[:, -1], f.hessian(*grid)[:, :, -1]),
    ]
    for value, _, _ in paths:
        assert _agree(value, oracle, 1e-9, distance), (e.text, at, value, oracle)
    if distance < 1e-8:
        return  # at a kink a derivative is only a convention
    for i, xi in enumerate(SYMBOLS):
        di = sp.diff(e.sym, xi)
        d = _number(di, at)
        if d is not None:
            for _, grad, _ in paths:
                assert _agree(grad[i], d, 1e-8, distance), (e.text, at, i, grad[i], d)
        for j, xj in enumerate(SYMBOLS):
            d2 = _number(sp.diff(di, xj), at)
            if d2 is not None:
                for _, _, hess in paths:
                    assert _agree(hess[i, j], d2, 1e-7, distance), (
                        e.text,
                        at,
                        i,
                        j,
                        hess[i, j],
                        d2,
                    )


@oracle_settings(150)
@given(expressions, points)
def test_derivatives_agree_with_finite_differences(e, at):
    f = parse(e.text, variables=("x", "y"))
    p = np.array(at)
    h = 1e-6
    # sympy decides: a point where f or a derivative is undefined, large (the
    # differences would lose their digits) or near a kink is not a test
    value = _number(e.sym, at)
    grad = [_number(sp.diff(e.sym, s), at) for s in SYMBOLS]
    hess = [_number(sp.diff(e.sym, s, t), at) for s in SYMBOLS for t in SYMBOLS]
    numbers = [value, *grad, *hess]
    assume(all(v is not None for v in numbers) and _tame(e, at))
    assume(abs(value) < 1e4 and max(abs(v) for v in numbers[1:]) < 1e3)  # type: ignore[arg-type]
    assume(_kink_distance(e, at) > 1e3 * h)
    shifts = [p + s * h * u for u in np.eye(2) for s in (1, -1)]
    values = np.array([f(*q) for q in shifts])
    grads = np.array([f.gradient(*q) for q in shifts])
    assert np.all(np.isfinite(values)) and np.all(np.isfinite(grads)), e.text
    fd_grad = (values[0::2] - values[1::2]) / (2 * h)
    fd_hess = (grads[0::2] - grads[1::2]) / (2 * h)
    g, H = f.gradient(*p), f.hessian(*p)
    np.testing.assert_allclose(g, fd_grad, rtol=1e-5, atol=1e-5, err_msg=e.text)
    np.testing.assert_allclose(H, fd_hess, rtol=1e-4, atol=1e-4, err_msg=e.text)
    np.testing.assert_allclose(H, H.T, rtol=1e-12, atol=1e-12)


def test_every_op_first_and_second_order_near_edges():
    # each op at points near kinks and domain edges, against finite differences
    near = {
        "log": 1e-3,
        "sqrt": 1e-3,
        "asin": 0.999,
        "acos": -0.999,
        "atanh": 0.999,
        "acosh": 1.001,
        "abs": 1e-3,
        "relu": 1e-3,
        "tan": 1.5,
    }
    for name, op in FUNCTIONS.items():
        if op.arity != 1:
            continue
        f = parse(f"{name}(x)")
        for x in (near.get(op.name, 0.3), 1.7 if op.name == "acosh" else 0.7):
            h = 1e-7 * max(1.0, abs(x)) if op.name not in near else 1e-8
            fd = (f(x + h) - f(x - h)) / (2 * h)
            g = f.gradient(x)[0]
            assert g == pytest.approx(fd, rel=1e-4, abs=1e-6), (name, x)
            fd2 = (f.gradient(x + h)[0] - f.gradient(x - h)[0]) / (2 * h)
            assert f.hessian(x)[0, 0] == pytest.approx(fd2, rel=1e-3, abs=1e-4), (name, x)


@pytest.mark.parametrize(
    ("text", "at", "gradient"),
    [
        ("atan2(y, x)", (1.0, 2.0), (-2 / 5, 1 / 5)),  # (−y, x)/(x² + y²)
        ("atan2(x, y)", (1.0, 2.0), (2 / 5, -1 / 5)),
        ("atan2(x*y, 1)", (0.5, 2.0), (2 / 2, 0.5 / 2)),
    ],
)
def test_binary_functions_by_hand(text, at, gradient):
    f = parse(text, variables=("x", "y"))
    np.testing.assert_allclose(f.gradient(*at), gradient, rtol=1e-15)
