"""Derivatives against independent oracles: sympy's symbolic derivatives, evaluated
by sympy, and central finite differences, on generated expressions over the whole
op table."""

import math

import numpy as np
import pytest
import sympy as sp
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from explorer.engine import FUNCTIONS, OPS, parse

X, Y = sp.symbols("x y", real=True)
SYMPY_UNARY = {
    "exp": sp.exp,
    "log": sp.log,
    "log2": lambda a: sp.log(a, 2),
    "log10": lambda a: sp.log(a, 10),
    "sqrt": sp.sqrt,
    "abs": sp.Abs,
    "sign": sp.sign,
    "relu": lambda a: sp.Piecewise((a, a > 0), (0, True)),
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


def test_oracle_covers_the_whole_op_table():
    unary = {op.name for op in FUNCTIONS.values() if op.arity == 1}
    assert unary == set(SYMPY_UNARY)
    binary = {op.infix for op in OPS.values() if op.infix} | {
        op.name for op in FUNCTIONS.values() if op.arity == 2
    }
    assert binary == (set(SYMPY_BINARY) - {"^"}) | {"**"}


leaves = st.sampled_from([("x", X), ("y", Y)]) | st.sampled_from([0.5, 1.5, 2.0, 3.0, 0.25]).map(
    lambda v: (repr(v), sp.Float(v))
)


def _extend(children):
    unary = st.tuples(st.sampled_from(sorted(SYMPY_UNARY)), children).map(
        lambda t: (f"{t[0]}({t[1][0]})", SYMPY_UNARY[t[0]](t[1][1]))
    )

    def binary(t):
        op, (ta, sa), (tb, sb) = t
        text = f"atan2({ta}, {tb})" if op == "atan2" else f"({ta}) {op} ({tb})"
        return text, SYMPY_BINARY[op](sa, sb)

    small_power = st.tuples(children, st.sampled_from([2, 3, -1, 0.5])).map(
        lambda t: (
            f"({t[0][0]})^{t[1]}",
            t[0][1] ** sp.Float(t[1]) if t[1] == 0.5 else t[0][1] ** t[1],
        )
    )
    return (
        unary
        | st.tuples(st.sampled_from(sorted(SYMPY_BINARY)), children, children).map(binary)
        | small_power
    )


expressions = st.recursive(leaves, _extend, max_leaves=6)
# Irrational offsets keep generated points off the kinks of abs, relu and sign
# (x = 0, x = y, x = 0.5 …), where a derivative is only a convention.
points = st.tuples(
    st.floats(-2, 2).map(lambda v: v + 0.001414213562),
    st.floats(-2, 2).map(lambda v: v - 0.001732050808),
)


def _sympy_number(expr, at, *wrt):
    try:
        value = complex((sp.diff(expr, *wrt) if wrt else expr).subs({X: at[0], Y: at[1]}).evalf(30))
    except (TypeError, ValueError, RecursionError):  # undefined there (a kink, say)
        return None
    if not (math.isfinite(value.real) and abs(value.imag) < 1e-12):
        return None
    return value.real


def oracle_settings(examples: int):
    """Slow examples (sympy) and many filtered ones (points outside a domain) are expected."""
    return settings(
        max_examples=examples,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )


def _close(engine, oracle, rel=1e-7):
    return abs(engine - oracle) <= rel * max(1.0, abs(oracle))


@oracle_settings(120)
@given(expressions, points)
def test_gradient_and_hessian_agree_with_sympy(expr, at):
    text, sym = expr
    f = parse(text, variables=("x", "y"))
    value = f(*at)
    oracle = _sympy_number(sym, at)
    assume(oracle is not None and np.isfinite(value) and abs(oracle) < 1e8)
    assert _close(value, oracle), (text, at, value, oracle)
    grad = f.gradient(*at)
    hess = f.hessian(*at)
    for i, xi in enumerate((X, Y)):
        d = _sympy_number(sym, at, xi)
        if d is not None and np.isfinite(grad[i]) and abs(d) < 1e8:
            assert _close(grad[i], d), (text, at, i, grad[i], d)
        for j, xj in enumerate((X, Y)):
            d2 = _sympy_number(sym, at, xi, xj)
            if d2 is not None and np.isfinite(hess[i, j]) and abs(d2) < 1e8:
                assert _close(hess[i, j], d2, rel=1e-6), (text, at, i, j, hess[i, j], d2)


@oracle_settings(150)
@given(expressions, points)
def test_derivatives_agree_with_finite_differences(expr, at):
    text, _ = expr
    f = parse(text, variables=("x", "y"))
    p = np.array(at)
    # a step small beside the point's distance to any pole (x = 0.0014 …)
    h = 1e-6 * min(1.0, *np.abs(p))
    shifts = [p + s * h * e for e in np.eye(2) for s in (1, -1)]
    vals = [f(*q) for q in shifts] + [f(*p)]
    grads = [f.gradient(*q) for q in shifts] + [f.gradient(*p)]
    ok = all(np.isfinite(v) and abs(v) < 1e4 for v in vals)
    ok = ok and all(np.all(np.isfinite(g)) and np.max(np.abs(g)) < 1e3 for g in grads)
    assume(ok)
    hess = f.hessian(*p)
    assume(np.all(np.isfinite(hess)) and np.max(np.abs(hess)) < 1e3)
    # The kinks (abs, relu, sign) have no derivative there: skip a point next to one.
    fd_grad = np.array([(vals[2 * i] - vals[2 * i + 1]) / (2 * h) for i in range(2)])
    fd_hess = np.array([(grads[2 * i] - grads[2 * i + 1]) / (2 * h) for i in range(2)])
    kink = np.max(np.abs(fd_hess - hess)) > 1e-2 * max(1.0, np.max(np.abs(hess)))
    assume(not kink or not any(k in text for k in ("abs", "relu", "sign")))
    np.testing.assert_allclose(fd_grad, grads[-1], rtol=1e-5, atol=1e-5, err_msg=text)
    np.testing.assert_allclose(fd_hess, hess, rtol=1e-4, atol=1e-4, err_msg=text)
    np.testing.assert_allclose(hess, hess.T, rtol=1e-12, atol=1e-12)


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
