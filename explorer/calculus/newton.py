"""Newton's method made globally convergent: Levenberg–Marquardt damping.

Each step solves ``(H + μI) d = −∇f`` and keeps the step only if it passes a
decrease test against the quadratic model; otherwise μ grows tenfold and the
step is tried again (shorter, and turning toward −∇f). A passed test lets μ
shrink back toward zero, so near a minimum the step is the pure Newton step
(one step on a positive definite quadratic lands on its minimum) while far
from one, or where the Hessian is indefinite, it never runs off: on a
function bounded below every accepted step decreases f.

Vectorized over a batch of points, shape ``(m, k)``; a single run is m = 1.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from explorer.engine import Function

ACCEPT = 0.1  # the actual decrease must reach this share of the model's
TRIES = 60  # μ grows 10× per try, so 60 tries reach any scale
ROUNDING = 1e-12  # a predicted decrease below this·(1 + |f|) is rounding noise


@dataclass
class NewtonStep:
    """The accepted points and what it took; rows that found no decrease keep x."""

    x: np.ndarray  # (m, k)
    value: np.ndarray  # (m,)
    grad: np.ndarray  # (m, k)
    mu: np.ndarray  # (m,) damping carried to the next step
    damping: np.ndarray  # (m,) μ used by the accepted step (0: a pure Newton step)
    failed: np.ndarray  # (m,) bool: no step decreased f


def newton_step(
    f: Function,
    x: np.ndarray,
    value: np.ndarray,
    grad: np.ndarray,
    mu: np.ndarray,
    lr: float,
) -> NewtonStep:
    """One damped Newton step from each row of `x` (its f, ∇f and current μ given)."""
    m, k = x.shape
    h = np.moveaxis(f.hessian(*x.T).reshape(k, k, m), -1, 0)
    h = np.where(np.isfinite(h), h, 0.0)
    lam = np.linalg.eigvalsh(h)
    scale = 1.0 + np.abs(lam).max(axis=1)
    # Start from a positive definite H + μI: past −λ_min where H is not.
    low = lam[:, 0] + mu <= 1e-12 * scale
    mu = np.where(low, -lam[:, 0] + 1e-3 * scale, mu)
    out = NewtonStep(x.copy(), value.copy(), grad.copy(), mu.copy(), mu.copy(), np.ones(m, bool))
    todo = np.arange(m)
    eye = np.eye(k)
    for _ in range(TRIES):
        if todo.size == 0:
            break
        ht, gt, mt = h[todo], grad[todo], mu[todo]
        with np.errstate(all="ignore"):
            d = -np.linalg.solve(ht + mt[:, None, None] * eye, gt[:, :, None])[:, :, 0]
            dx = lr * d
            xt = x[todo] + dx
            ft, g_new = f.value_and_gradient(*xt.T)
            ft = np.broadcast_to(ft, (todo.size,))
            g_new = g_new.reshape(k, todo.size).T
            predicted = -(np.sum(gt * dx, 1) + 0.5 * np.einsum("ni,nij,nj->n", dx, ht, dx))
            actual = value[todo] - ft
            finite = np.isfinite(ft) & np.isfinite(g_new).all(1) & np.isfinite(xt).all(1)
            noise = predicted <= ROUNDING * (1 + np.abs(value[todo]))
            decreased = (actual > 0) & (actual >= ACCEPT * predicted)
            # At rounding level f cannot tell; a smaller gradient then decides.
            flatter = noise & (np.sum(g_new**2, 1) < np.sum(gt**2, 1))
            ok = finite & (decreased | flatter)
        rows = todo[ok]
        out.x[rows], out.value[rows], out.grad[rows] = xt[ok], ft[ok], g_new[ok]
        out.damping[rows] = mt[ok]
        shrunk = mt[ok] * 0.1
        out.mu[rows] = np.where(shrunk < 1e-8 * scale[rows], 0.0, shrunk)
        out.failed[rows] = False
        todo = todo[~ok]
        with np.errstate(over="ignore"):  # past the floats' range μ = inf: a null step
            mu[todo] = np.maximum(10 * mu[todo], 1e-4 * scale[todo])
    out.mu[todo] = mu[todo]
    return out
