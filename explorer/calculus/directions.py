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


def slopes_by_angle(gradient: Sequence[float], angles: np.ndarray) -> np.ndarray:
    """``D_v f = ∇f · (cos θ, sin θ)`` in a plane, for each angle θ (radians from
    the plane's first axis): ``|∇f| cos`` of the angle between v and ∇f, least
    (``−|∇f|``) where v points along ``−∇f``."""
    g = np.asarray(gradient, dtype=np.float64)
    theta = np.asarray(angles, dtype=np.float64)
    return g[0] * np.cos(theta) + g[1] * np.sin(theta)
