"""The op table: every primitive declared once.

Each entry gives the code templates for numpy arrays and for Python floats,
the local partial derivatives (built as new graph nodes, so that they can be
differentiated again for the Hessian), the display label and the domain.
The parser's whitelist, constant folding, the code generator, the trace and
the graph panel all read this table; nothing else repeats it.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from .graph import Graph

# partials(g, args, out) -> one node id per argument, or None where the
# derivative is structurally zero (a constant exponent, say).
Partials = Callable[["Graph", tuple[int, ...], int], tuple[int | None, ...]]


@dataclass(frozen=True)
class Op:
    name: str
    arity: int
    np_code: str  # template over {0}, {1}: numpy arrays (float64 in, float64 out)
    py_code: str  # template over {0}, {1}: Python floats; may raise, then numpy is used
    partials: Partials
    label: str
    infix: str | None = None  # symbol for binary operators shown infix
    domain: str = "all real numbers"
    user: bool = True  # callable by name from user text
    aliases: tuple[str, ...] = ()
    ufunc: str | None = None  # the numpy ufunc, where np_code is not already np.<ufunc>(…)
    # How far the arguments are from where the op is not differentiable (a corner,
    # a jump, a vertical tangent): 0 exactly there, inf where it never is.
    kink: Callable[..., np.ndarray] | None = None
    fold: Callable[..., float] = field(init=False, repr=False, compare=False)


def _py_sign(x: float) -> float:
    return 1.0 if x > 0 else -1.0 if x < 0 else x * 0.0


def _py_step(x: float) -> float:
    return 1.0 if x > 0 else 0.0 if x <= 0 else x


def _py_relu(x: float) -> float:
    return x if x > 0 else 0.0 if x <= 0 else x


def _py_softplus(x: float) -> float:
    return max(x, 0.0) + math.log1p(math.exp(-abs(x)))


def _py_sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def _np_sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


#: Argument types the Python-float entry points accept (anything else goes to numpy).
SCALAR_TYPES: frozenset[type] = frozenset({float, int, np.float64, np.float32, np.int64, np.int32})

#: Names the generated code may use, and nothing else.
NAMESPACE: dict[str, object] = {
    "np": np,
    "math": math,
    "inf": math.inf,
    "nan": math.nan,
    "_py_sign": _py_sign,
    "_py_step": _py_step,
    "_py_relu": _py_relu,
    "_py_softplus": _py_softplus,
    "_py_sigmoid": _py_sigmoid,
    "_np_sigmoid": _np_sigmoid,
    # for the scalar entry points (codegen.compile_scalar)
    "_f64": np.float64,
    "_array": np.array,
    "_SCALARS": SCALAR_TYPES,
}


def _at_zero(a):
    return np.abs(a)


def _pow_kink(a, b):  # a^b with 0 < b < 1 has a vertical tangent at a = 0
    return np.where((b > 0) & (b < 1), np.abs(a), np.inf)


def _unary(name, np_code, py_code, d, label=None, domain="all real numbers", **kw) -> Op:
    return Op(name, 1, np_code, py_code, d, label or name, domain=domain, **kw)


# Local partials, each written with the graph's own ops.
def _d_pow(g, args, out):
    a, b = args
    da = None if g.is_const(a, 0.0) else g.mul(b, g.pow(a, g.sub(b, g.const(1.0))))
    db = None if g.is_const(b) else g.mul(out, g.apply("log", a))
    return (da, db)


def _d_atan2(g, args, out):
    y, x = args
    r2 = g.add(g.mul(x, x), g.mul(y, y))
    return (g.div(x, r2), g.neg(g.div(y, r2)))


def _inv_sqrt(g, inner):
    return g.div(g.const(1.0), g.apply("sqrt", inner))


# fmt: off
_TABLE: list[Op] = [
    # name, arity, numpy code, Python-float code, local partials, label, …
    Op("add", 2, "{0} + {1}", "{0} + {1}", lambda g, a, o: (g.const(1.0), g.const(1.0)), "+",
       infix="+", ufunc="add"),
    Op("sub", 2, "{0} - {1}", "{0} - {1}", lambda g, a, o: (g.const(1.0), g.const(-1.0)), "−",
       infix="-", ufunc="subtract"),
    Op("mul", 2, "{0} * {1}", "{0} * {1}", lambda g, a, o: (a[1], a[0]), "×",
       infix="*", ufunc="multiply"),
    Op("div", 2, "{0} / {1}", "{0} / {1}",
       lambda g, a, o: (g.div(g.const(1.0), a[1]), g.neg(g.div(o, a[1]))), "÷",
       infix="/", ufunc="divide", domain="denominator ≠ 0"),
    Op("pow", 2, "{0} ** {1}", "math.pow({0}, {1})", _d_pow, "^", infix="**", ufunc="power",
       domain="base > 0 unless the exponent is an integer", kink=_pow_kink),
    _unary("neg", "-{0}", "-{0}", lambda g, a, o: (g.const(-1.0),), label="−", user=False,
           ufunc="negative"),
    _unary("exp", "np.exp({0})", "math.exp({0})", lambda g, a, o: (o,)),
    _unary("log", "np.log({0})", "math.log({0})", lambda g, a, o: (g.div(g.const(1.0), a[0]),),
           domain="x > 0", aliases=("ln",)),
    _unary("log2", "np.log2({0})", "math.log2({0})",
           lambda g, a, o: (g.div(g.const(1 / math.log(2)), a[0]),), domain="x > 0"),
    _unary("log10", "np.log10({0})", "math.log10({0})",
           lambda g, a, o: (g.div(g.const(1 / math.log(10)), a[0]),), domain="x > 0"),
    _unary("sqrt", "np.sqrt({0})", "math.sqrt({0})", lambda g, a, o: (g.div(g.const(0.5), o),),
           label="√", domain="x ≥ 0 (derivative: x > 0)", kink=_at_zero),
    _unary("abs", "np.abs({0})", "abs({0})", lambda g, a, o: (g.apply("sign", a[0]),),
           label="|·|", domain="all real numbers (kink at 0)", kink=_at_zero),
    _unary("sign", "np.sign({0})", "_py_sign({0})", lambda g, a, o: (None,),
           domain="all real numbers (jump at 0)", kink=_at_zero),
    _unary("relu", "np.maximum({0}, 0.0)", "_py_relu({0})",
           lambda g, a, o: (g.apply("step", a[0]),), domain="all real numbers (kink at 0)",
           kink=_at_zero),
    _unary("step", "np.heaviside({0}, 0.0)", "_py_step({0})", lambda g, a, o: (None,),
           user=False, kink=_at_zero),
    _unary("sin", "np.sin({0})", "math.sin({0})", lambda g, a, o: (g.apply("cos", a[0]),)),
    _unary("cos", "np.cos({0})", "math.cos({0})",
           lambda g, a, o: (g.neg(g.apply("sin", a[0])),)),
    _unary("tan", "np.tan({0})", "math.tan({0})",
           lambda g, a, o: (g.add(g.const(1.0), g.mul(o, o)),), domain="cos x ≠ 0"),
    _unary("asin", "np.arcsin({0})", "math.asin({0})",
           lambda g, a, o: (_inv_sqrt(g, g.sub(g.const(1.0), g.mul(a[0], a[0]))),),
           domain="−1 ≤ x ≤ 1", aliases=("arcsin",), kink=lambda a: 1 - np.abs(a)),
    _unary("acos", "np.arccos({0})", "math.acos({0})",
           lambda g, a, o: (g.neg(_inv_sqrt(g, g.sub(g.const(1.0), g.mul(a[0], a[0])))),),
           domain="−1 ≤ x ≤ 1", aliases=("arccos",), kink=lambda a: 1 - np.abs(a)),
    _unary("atan", "np.arctan({0})", "math.atan({0})",
           lambda g, a, o: (g.div(g.const(1.0), g.add(g.const(1.0), g.mul(a[0], a[0]))),),
           aliases=("arctan",)),
    _unary("sinh", "np.sinh({0})", "math.sinh({0})", lambda g, a, o: (g.apply("cosh", a[0]),)),
    _unary("cosh", "np.cosh({0})", "math.cosh({0})", lambda g, a, o: (g.apply("sinh", a[0]),)),
    _unary("tanh", "np.tanh({0})", "math.tanh({0})",
           lambda g, a, o: (g.sub(g.const(1.0), g.mul(o, o)),)),
    _unary("asinh", "np.arcsinh({0})", "math.asinh({0})",
           lambda g, a, o: (_inv_sqrt(g, g.add(g.mul(a[0], a[0]), g.const(1.0))),),
           aliases=("arcsinh",)),
    _unary("acosh", "np.arccosh({0})", "math.acosh({0})",
           lambda g, a, o: (_inv_sqrt(g, g.sub(g.mul(a[0], a[0]), g.const(1.0))),),
           domain="x ≥ 1", aliases=("arccosh",), kink=lambda a: a - 1),
    _unary("atanh", "np.arctanh({0})", "math.atanh({0})",
           lambda g, a, o: (g.div(g.const(1.0), g.sub(g.const(1.0), g.mul(a[0], a[0]))),),
           domain="−1 < x < 1", aliases=("arctanh",)),
    _unary("sigmoid", "_np_sigmoid({0})", "_py_sigmoid({0})",
           lambda g, a, o: (g.mul(o, g.sub(g.const(1.0), o)),), label="σ"),
    _unary("softplus", "np.logaddexp(0.0, {0})", "_py_softplus({0})",
           lambda g, a, o: (g.apply("sigmoid", a[0]),)),
    Op("atan2", 2, "np.arctan2({0}, {1})", "math.atan2({0}, {1})", _d_atan2, "atan2",
       domain="(y, x) ≠ (0, 0)", aliases=("arctan2",), kink=np.hypot),
]
# fmt: on

OPS: dict[str, Op] = {op.name: op for op in _TABLE}

#: Every name user text may call, aliases included.
FUNCTIONS: dict[str, Op] = {
    n: op for op in _TABLE if op.user and op.infix is None for n in (op.name, *op.aliases)
}

CONSTANTS: dict[str, float] = {"pi": math.pi, "e": math.e}


def _compile_fold(op: Op) -> Callable[..., float]:
    args = ", ".join(f"a{i}" for i in range(op.arity))
    code = op.np_code.format(*(f"np.float64(a{i})" for i in range(op.arity)))
    # Our own template, never user text.
    return eval(f"lambda {args}: float({code})", dict(NAMESPACE))  # noqa: S307


for _op in _TABLE:
    object.__setattr__(_op, "fold", _compile_fold(_op))
