"""Directional derivatives and the steepest-descent geometry of 18.4.2."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from explorer.engine import Function


def directional_derivative(
    f: Function, point: Sequence[float], direction: Sequence[float]
) -> float:
    """``D_v f = ∇f · v / |v|``, the slope of `f` along `direction` at `point`."""
    v = np.asarray(direction, dtype=np.float64)
    norm = float(np.linalg.norm(v))
    if norm == 0.0:
        raise ValueError("the direction must not be the zero vector")
    return float(f.gradient(*point) @ v) / norm


def angle_to_gradient(f: Function, point: Sequence[float], direction: Sequence[float]) -> float:
    """θ between `direction` and ∇f, in radians; ``D_v f = |∇f| cos θ``.

    NaN at a critical point, where every direction is level to first order.
    """
    g = f.gradient(*point)
    v = np.asarray(direction, dtype=np.float64)
    denom = float(np.linalg.norm(g) * np.linalg.norm(v))
    if denom == 0.0:
        return float("nan")
    return float(np.arccos(np.clip(g @ v / denom, -1.0, 1.0)))


def steepest_descent(f: Function, point: Sequence[float]) -> np.ndarray:
    """The unit direction of steepest descent, ``−∇f/|∇f|`` (zeros at a critical point)."""
    g = f.gradient(*point)
    norm = float(np.linalg.norm(g))
    return -g / norm if norm > 0 else np.zeros_like(g)
