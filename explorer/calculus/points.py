"""What kind of point a point is: one answer for the inspector, the CLI and the
views. Non-differentiability is read from the op table (`Function.kinks_at`),
never guessed from the numbers."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .critical import classify

UNDEFINED = "undefined"
NOT_DIFFERENTIABLE = "not differentiable here"
REGULAR = "regular point"
CRITICAL_TOL = 1e-8  # |∇f| ≤ tol·max(1, |f|) counts as zero


def point_kind(
    value: float, gradient: np.ndarray, eigenvalues: np.ndarray, kinks: Sequence[str]
) -> str:
    """``undefined``, ``not differentiable here``, ``regular point``, or, at a
    critical point, the second-derivative test's ``minimum``, ``maximum``,
    ``saddle`` or ``degenerate``."""
    if not np.isfinite(value):
        return UNDEFINED
    if kinks:
        return NOT_DIFFERENTIABLE
    norm = float(np.linalg.norm(gradient))
    if not np.isfinite(norm):
        return UNDEFINED
    if norm <= CRITICAL_TOL * max(1.0, abs(float(value))):
        return classify(eigenvalues)
    return REGULAR
