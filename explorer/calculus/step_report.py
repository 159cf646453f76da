"""What one gradient step of size η does at a point, predicted and actual (18.4.2).

The first-order model predicts the decrease η|∇f|²; the quadratic model
η|∇f|² − ½η²∇fᵀH∇f; the function itself says what happens. The Hessian's
largest eigenvalue bounds the stable rates: on a quadratic, GD converges for
η < 2/λ_max and η = 1/λ_max is the largest rate that never overshoots along
the steepest direction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from explorer.engine import Function


@dataclass(frozen=True)
class StepReport:
    lr: float
    first_order: float  # predicted decrease η|∇f|²
    quadratic: float  # predicted decrease η|∇f|² − ½η²∇fᵀH∇f
    actual: float  # f(x) − f(x − η∇f); NaN where the step leaves the domain
    lambda_min: float
    lambda_max: float

    @property
    def stability_limit(self) -> float:
        """2/λ_max: GD on the local quadratic diverges for larger η (inf if λ_max ≤ 0)."""
        return 2.0 / self.lambda_max if self.lambda_max > 0 else float("inf")

    @property
    def condition(self) -> float:
        """λ_max/λ_min where the Hessian is positive definite, else NaN."""
        return self.lambda_max / self.lambda_min if self.lambda_min > 0 else float("nan")


def step_report(f: Function, x: Sequence[float], lr: float) -> StepReport:
    """The predicted and actual decrease of a gradient step of size `lr` from `x`."""
    p = np.asarray(x, dtype=np.float64)
    with np.errstate(all="ignore"):
        value, g = f.value_and_gradient(*p)
        h = f.hessian(*p)
        after = float(f(*(p - lr * g)))
        lam = np.linalg.eigvalsh(h) if np.all(np.isfinite(h)) else np.full(p.size, np.nan)
        gg, curvature = float(g @ g), float(g @ h @ g)  # NaN where H is infinite
    return StepReport(
        lr=float(lr),
        first_order=lr * gg,
        quadratic=lr * gg - 0.5 * lr * lr * curvature,
        actual=float(value) - after,
        lambda_min=float(lam[0]),
        lambda_max=float(lam[-1]),
    )
