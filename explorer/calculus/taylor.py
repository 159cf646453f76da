"""First- and second-order Taylor models at a point (18.4.1 and 18.4.6)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from explorer.engine import Function


@dataclass(frozen=True)
class TaylorModel:
    """``value + gradient·d (+ ½ dᵀ H d)`` with ``d = x − point``; broadcasts like `f`."""

    function: Function
    point: np.ndarray
    value: float
    gradient: np.ndarray
    hessian: np.ndarray | None  # None for the linear model

    @property
    def order(self) -> int:
        return 1 if self.hessian is None else 2

    def __call__(self, *xs) -> np.floating | np.ndarray:
        arrays = [np.asarray(x, dtype=np.float64) for x in xs]
        if len(arrays) != len(self.point):
            raise TypeError(f"the model takes {len(self.point)} arguments, got {len(arrays)}")
        d = [a - p for a, p in zip(arrays, self.point, strict=True)]
        with np.errstate(all="ignore"):  # a model at a point where f is not finite is NaN
            out = self.value + sum(g * di for g, di in zip(self.gradient, d, strict=True))
            if self.hessian is not None:
                h = self.hessian
                n = len(d)
                out = out + 0.5 * sum(h[i, j] * d[i] * d[j] for i in range(n) for j in range(n))
        shape = np.broadcast_shapes(*(a.shape for a in arrays)) if arrays else ()
        return np.broadcast_to(out, shape).copy() if shape else np.float64(out)

    def error(self, *xs) -> np.floating | np.ndarray:
        """``f(x) − model(x)``."""
        with np.errstate(all="ignore"):
            return self.function(*xs) - self(*xs)


def _at(f: Function, point: Sequence[float]) -> np.ndarray:
    p = np.asarray(point, dtype=np.float64).reshape(-1)
    if p.shape != (f.dimension,):
        raise ValueError(f"the point needs {f.dimension} coordinates, got {p.size}")
    return p


def linear_model(f: Function, point: Sequence[float]) -> TaylorModel:
    """The tangent plane ``f(p) + ∇f(p)·(x − p)`` (18.4.5)."""
    p = _at(f, point)
    value, grad = f.value_and_gradient(*p)
    return TaylorModel(f, p, float(value), grad, None)


def quadratic_model(f: Function, point: Sequence[float]) -> TaylorModel:
    """``f(p) + ∇f(p)·d + ½ dᵀ H(p) d`` — with the ½ the chapter's plot code drops."""
    p = _at(f, point)
    value, grad = f.value_and_gradient(*p)
    return TaylorModel(f, p, float(value), grad, f.hessian(*p))


def _num(v: float) -> str:
    return f"{v:.6g}"


def _shift(name: str, at: float) -> str:
    if at == 0:
        return name
    return f"({name} - {_num(at)})" if at > 0 else f"({name} + {_num(-at)})"


def describe(model: TaylorModel, variables: Sequence[str]) -> str:
    """The model as text, e.g. ``-0.367879 - 0.367879 (x + 1) + 0.367879 (x + 1)^2``."""
    d = [_shift(v, p) for v, p in zip(variables, model.point, strict=True)]
    terms: list[tuple[float, str]] = [(model.value, "")]
    terms += [(g, di) for g, di in zip(model.gradient, d, strict=True)]
    if model.hessian is not None:
        n = len(d)
        for i in range(n):
            terms.append((0.5 * model.hessian[i, i], f"{d[i]}^2"))
            terms += [(model.hessian[i, j], f"{d[i]} {d[j]}") for j in range(i + 1, n)]
    text = ""
    for coeff, factor in terms:
        if coeff == 0:
            continue
        sign = "-" if coeff < 0 else "+"
        magnitude = abs(coeff)
        body = (
            factor
            if factor and magnitude == 1
            else " ".join(s for s in (_num(magnitude), factor) if s)
        )
        text = f"{sign} {body}" if not text else f"{text} {sign} {body}"
    if not text:
        return "0"
    return text[2:] if text.startswith("+ ") else "-" + text[2:]
