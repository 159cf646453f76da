"""Critical points in a box (18.4.3): vectorized Newton from many seeds at once.

Newton on ∇f = 0 converges to minima, maxima and saddles alike, which is what
we want: every critical point, each then classified by its Hessian's
eigenvalues (the second-derivative test).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from explorer.engine import Function

from .kinks import nonsmooth_extrema
from .slices import Restriction

KINDS = ("minimum", "maximum", "saddle", "degenerate")
MAX_SEEDS = 1024
MAX_LISTED = 500
# The seeds resolve f when each one's quadratic model predicts the gradient
# half a seed spacing away; past this median relative error they do not.
MAX_MODEL_ERROR = 0.3
# Share of critical points estimated unseen (Chao1, from how many seeds reached
# each one) past which the search looks again from a shifted set of seeds.
MAX_UNSEEN = 0.05
DESCENT_STEPS = 200


@dataclass(frozen=True)
class CriticalPoint:
    point: np.ndarray
    value: float
    gradient_norm: float
    eigenvalues: np.ndarray  # ascending
    eigenvectors: np.ndarray  # columns, matching eigenvalues
    kind: str


class CriticalPoints(list):
    """The isolated critical points found, sorted by value; `continuum` says that
    non-isolated ones (a region or a curve of them) were found and left out;
    `nonsmooth` holds the minima and maxima where f is not differentiable (a
    corner, as |x| + |y| has at 0), reported apart: no gradient vanishes there;
    `incomplete` says why the box may hold critical points that are not listed
    (empty when the search could look everywhere)."""

    continuum: bool = False
    nonsmooth: tuple[CriticalPoint, ...] = ()
    incomplete: str = ""


def classify(eigenvalues: np.ndarray) -> str:
    """The second-derivative test; ``degenerate`` when it is inconclusive."""
    lam = np.asarray(eigenvalues, dtype=np.float64)
    if not np.all(np.isfinite(lam)):
        return "degenerate"
    tol = 1e-6 * max(1.0, float(np.max(np.abs(lam))))
    pos, neg = bool(np.any(lam > tol)), bool(np.any(lam < -tol))
    if pos and neg:
        return "saddle"
    if np.all(np.abs(lam) > tol):
        return "minimum" if pos else "maximum"
    return "degenerate"


def seeds(bounds: np.ndarray, count: int = MAX_SEEDS, rng_seed: int = 0) -> np.ndarray:
    """Starting points, shape (n, N): a grid in low dimensions, random beyond."""
    n = len(bounds)
    per_axis = int(np.floor(count ** (1.0 / n))) if n else 0
    if n <= 4 and per_axis >= 3:
        axes = [np.linspace(lo, hi, per_axis) for lo, hi in bounds]
        grid = np.meshgrid(*axes, indexing="ij")
        return np.stack([g.ravel() for g in grid])
    rng = np.random.default_rng(rng_seed)
    return bounds[:, :1] + rng.random((n, count)) * (bounds[:, 1:] - bounds[:, :1])


def critical_points(
    f: Function | Restriction,
    bounds: Sequence[tuple[float, float]],
    *,
    max_iter: int = 60,
    seed_count: int = MAX_SEEDS,
) -> CriticalPoints:
    """Every critical point of `f` found in the box `bounds`, sorted by value.

    Parameters
    ----------
    f : Function
    bounds : sequence of (lo, hi)
        One interval per variable of `f`.
    """
    box = np.asarray(bounds, dtype=np.float64).reshape(-1, 2)
    if box.shape[0] != f.dimension:
        raise ValueError(f"the box needs {f.dimension} intervals, got {box.shape[0]}")
    if not np.all(np.isfinite(box)) or np.any(box[:, 1] <= box[:, 0]):
        raise ValueError("each interval must be finite with lo < hi")
    with np.errstate(all="ignore"):  # seeds outside f's domain are dropped, not warned about
        start = seeds(box, seed_count)
        # the seeds' derivatives serve the scale, the model test and Newton's first step
        at_start = f.gradient(*start), f.hessian(*start)
        count, scale = start.shape[1], _scale(at_start[0])
        cell = (box[:, 1] - box[:, 0]) / max(2.0, np.round(count ** (1.0 / len(box))) - 1)
        coarse = _model_error(f, box, start, *at_start) > MAX_MODEL_ERROR
        if coarse:  # Newton will mostly wander: also start from where descent settles
            start = np.hstack([start, _descend(f, box, start.copy())])
        x = _newton(f, box, start.copy(), max_iter, None if coarse else at_start)
        found, hits = _collect(f, x, box, scale, cell)
        more = 0
        if not coarse and _unseen(hits) > MAX_UNSEEN * max(len(found), 1):
            shifted = np.clip(start + 0.5 * cell[:, None], box[:, :1], box[:, 1:])
            x = np.hstack([x, _newton(f, box, shifted, max_iter)])
            again, _ = _collect(f, x, box, scale, cell)
            more, found = max(0, len(again) - len(found)), again
        if not coarse and not len(found):
            # none from the seeds: never answer "none" without looking where descent
            # settles (a minimum narrower than the seeds' spacing, log(1 + x²) over ±100)
            x = np.hstack([x, _newton(f, box, _descend(f, box, start.copy()), max_iter)])
            found, _ = _collect(f, x, box, scale, cell)
        found = _judge(found, coarse, more, count)
        found.nonsmooth = tuple(
            CriticalPoint(p, v, np.nan, np.full(len(p), np.nan), np.full((len(p),) * 2, np.nan), k)
            for p, v, k in nonsmooth_extrema(f, box)
        )
    return found


def _scale(gradient: np.ndarray) -> float:
    """A typical gradient norm over the seeds: what "small" is measured against."""
    norms = np.linalg.norm(gradient, axis=0)
    finite = norms[np.isfinite(norms)]
    return max(1.0, float(np.median(finite))) if finite.size else 1.0


def _model_error(
    f: Function | Restriction, box: np.ndarray, x: np.ndarray, g0: np.ndarray, h0: np.ndarray
) -> float:
    """Median relative error of each seed's linear model of the gradient, half a
    seed spacing away in a random direction: near 0 when the seeds resolve f
    (whose gradient and Hessian at the seeds are `g0` and `h0`)."""
    n, count = x.shape
    step = np.random.default_rng(1).standard_normal((n, count))
    step *= 0.5 * (box[:, 1:] - box[:, :1]) / count ** (1.0 / n) / np.linalg.norm(step, axis=0)
    g1 = f.gradient(*(x + step))
    predicted = np.einsum("ij...,j...->i...", h0, step)
    change = g1 - g0
    error = np.linalg.norm(change - predicted, axis=0) / (
        np.linalg.norm(change, axis=0) + np.linalg.norm(predicted, axis=0) + 1e-300
    )
    error = error[np.isfinite(error)]
    return float(np.median(error)) if error.size else 0.0


def _descend(f: Function | Restriction, box: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Each seed walks downhill along −∇f, its step growing after a success and
    halving after a failure, staying in the box: where local minima are."""
    size = box[:, 1:] - box[:, :1]
    value, grad = f.value_and_gradient(*x)
    step = np.full(x.shape[1], 0.05 * float(np.linalg.norm(size)))
    for _ in range(DESCENT_STEPS):
        direction = grad / np.linalg.norm(grad, axis=0)
        trial = np.clip(x - step * direction, box[:, :1], box[:, 1:])
        new_value, new_grad = f.value_and_gradient(*trial)
        better = new_value < value  # NaN is never better
        x = np.where(better, trial, x)
        value = np.where(better, new_value, value)
        grad = np.where(better, new_grad, grad)
        step = np.where(better, 1.2 * step, 0.5 * step)
    return x


def _unseen(hits: np.ndarray) -> float:
    """Chao1: how many critical points no seed reached, estimated from those
    reached by exactly one seed against those reached by two."""
    f1, f2 = int(np.sum(hits == 1)), int(np.sum(hits == 2))
    return f1 * (f1 - 1) / (2 * (f2 + 1))


def _judge(found: CriticalPoints, coarse: bool, more: int, seed_count: int) -> CriticalPoints:
    """Say whether (and why) `found` may be incomplete; past MAX_LISTED keep the
    lowest minima."""
    if coarse:
        found.incomplete = f"f varies faster than {seed_count} starting points resolve in this box"
    elif more:
        found.incomplete = f"a second look from shifted starting points found {more} more"
    if len(found) > MAX_LISTED:
        listed = CriticalPoints([c for c in found if c.kind == "minimum"][:MAX_LISTED])
        listed.continuum = found.continuum
        reason = found.incomplete or f"more than {MAX_LISTED} critical points"
        listed.incomplete = f"{reason}; only the {len(listed)} lowest minima are listed"
        found = listed
    return found


def _newton(
    f: Function | Restriction,
    box: np.ndarray,
    x: np.ndarray,
    max_iter: int,
    at_start: tuple[np.ndarray, np.ndarray] | None = None,
) -> np.ndarray:
    """Where Newton's method on ∇f = 0 takes each seed (columns of `x`);
    `at_start`: the gradient and Hessian at `x` when already known.

    The seeds run along the last axis of every array here: numpy reduces a
    short last axis (the n coordinates) many times slower than a long one."""
    span = (box[:, 1] - box[:, 0])[:, None]
    low, high = box[:, :1] - 0.25 * span, box[:, 1:] + 0.25 * span  # where a seed may go
    g, h = at_start if at_start is not None else (f.gradient(*x), None)
    active = np.all(np.isfinite(g), axis=0)
    for k in range(max_iter):
        idx = np.flatnonzero(active)
        if idx.size == 0:
            break
        xa = x[:, idx]
        if k or h is None:
            g, h = f.gradient(*xa), f.hessian(*xa)
        else:
            g, h = g[:, idx], h[..., idx]
        ok = np.isfinite(h).all(axis=(0, 1)) & np.isfinite(g).all(axis=0)
        if not ok.all():
            h, g = np.where(ok, h, 0.0), np.where(ok, g, 0.0)
        step = _newton_step(h, g)
        # A step longer than the box is a jump into the unknown: shorten it.
        longest = np.max(np.abs(step) / span, axis=0)
        step /= np.maximum(1.0, longest)
        # Stop on a negligible step, not a small gradient: at a degenerate
        # point the gradient is tiny long before the point is accurate.
        moving = np.max(np.abs(step) / span, axis=0) > 1e-13
        new = xa - step
        keep = moving & ok
        x[:, idx] = np.where(keep, new, xa)
        active[idx] = keep & ((new >= low) & (new <= high)).all(axis=0)
    return x


def _newton_step(h: np.ndarray, g: np.ndarray) -> np.ndarray:
    """``H⁺ g`` for symmetric H (n, n, N) and g (n, N), ignoring directions of zero
    curvature: H's eigenvalues below 1e-12 of its largest one (relative to each
    Hessian's own scale: where f underflows, exp(10xy) far out, the whole Hessian
    is tiny, and not therefore zero)."""
    if h.shape[0] == 2:
        return _newton_step_2d(h, g)
    w, v = np.linalg.eigh(np.moveaxis(h, -1, 0))
    big = np.abs(w) > 1e-12 * np.max(np.abs(w), axis=1, keepdims=True)
    coeff = np.einsum("nij,in->nj", v, g)
    coeff = np.where(big, coeff / np.where(big, w, 1.0), 0.0)
    return np.ascontiguousarray(np.einsum("nij,nj->in", v, coeff))


def _newton_step_2d(h: np.ndarray, g: np.ndarray) -> np.ndarray:
    """`_newton_step` for two variables in closed form (a LAPACK call per 2×2
    matrix costs more than the rest of Newton's step): H⁻¹g where both of H's
    eigenvalues are far from 0 (most seeds), else through its eigenvectors.
    Each Hessian is scaled by its largest entry first, as LAPACK does, so that
    nothing overflows."""
    a, b, c = h[0, 0], h[0, 1], h[1, 1]
    scale = np.maximum(np.maximum(np.abs(a), np.abs(b)), np.abs(c))
    scale = np.where(scale > 0, scale, 1.0)
    a, b, c = a / scale, b / scale, c / scale
    det = a * c - b * b  # λ₁λ₂ of the scaled H, whose |λ| ≤ 2: both above 5e-7 here
    firm = np.abs(det) > 1e-6
    g0, g1 = g[0] / scale, g[1] / scale
    safe = np.where(firm, det, 1.0)
    inverse = np.stack([(c * g0 - b * g1) / safe, (a * g1 - b * g0) / safe])
    if firm.all():
        return inverse
    return np.where(firm, inverse, _eigen_step_2d(a, b, c, scale, g))


def _eigen_step_2d(
    a: np.ndarray, b: np.ndarray, c: np.ndarray, scale: np.ndarray, g: np.ndarray
) -> np.ndarray:
    """H⁺g through the eigenvectors of H = scale·[[a, b], [b, c]]: the directions of
    eigenvalues under 1e-12 of the largest are left out."""
    half_gap = 0.5 * (a - c)
    mean, radius = 0.5 * (a + c), np.hypot(half_gap, b)
    low, high = (mean - radius) * scale, (mean + radius) * scale  # eigenvalues
    angle = 0.5 * np.arctan2(b, half_gap)  # (cos, sin) is the eigenvector of `high`
    cos, sin = np.cos(angle), np.sin(angle)
    least = 1e-12 * np.maximum(np.abs(low), np.abs(high))
    along_low, along_high = cos * g[1] - sin * g[0], cos * g[0] + sin * g[1]
    along_low = np.where(np.abs(low) > least, along_low / np.where(low != 0, low, 1.0), 0.0)
    along_high = np.where(np.abs(high) > least, along_high / np.where(high != 0, high, 1.0), 0.0)
    return np.stack([cos * along_high - sin * along_low, sin * along_high + cos * along_low])


def _collect(
    f: Function | Restriction, x: np.ndarray, box: np.ndarray, scale: float, cell: np.ndarray
) -> tuple[CriticalPoints, np.ndarray]:
    """The distinct critical points among the columns of `x`, sorted by value,
    and how many columns reached each; `cell` is the seed spacing."""
    size = box[:, 1] - box[:, 0]
    pad = 1e-9 * size[:, None]
    inside = np.all((x >= box[:, :1] - pad) & (x <= box[:, 1:] + pad), axis=0)
    values, grad = f.value_and_gradient(*x)
    norms = np.linalg.norm(grad, axis=0)
    keep = inside & np.isfinite(values) & (norms <= 1e-7 * scale)
    candidates = x[:, keep].T[np.argsort(norms[keep], kind="stable")]
    reps, hits = _cluster(candidates, 1e-6 * float(np.linalg.norm(size)))
    p = np.array(reps).reshape(-1, len(size)).T  # all of them at once, (n, R)
    # Newton leaves 1e-25 where the answer is 0: snap where it stays critical.
    snapped = np.where(np.abs(p) < 1e-9 * size[:, None], 0.0, p)
    norm_snapped = np.linalg.norm(f.gradient(*snapped), axis=0)
    p = np.where(norm_snapped <= np.linalg.norm(f.gradient(*p), axis=0) + 1e-12 * scale, snapped, p)
    # no gradient to vanish at a corner: those are reported in `nonsmooth`
    smooth = ~(f.kink_distance(*p) <= 1e-12 * np.linalg.norm(size))
    p, reached = p[:, smooth], [count for count, ok in zip(hits, smooth, strict=True) if ok]
    value, g = f.value_and_gradient(*p)
    values, norms = np.asarray(value), np.linalg.norm(g, axis=0)
    lams, vecs = np.linalg.eigh(np.moveaxis(f.hessian(*p), -1, 0))
    found = [
        CriticalPoint(p[:, i].copy(), float(values[i]), float(norms[i]), lam, vec, classify(lam))
        for i, (lam, vec) in enumerate(zip(lams, vecs, strict=True))
    ]
    order = sorted(range(len(found)), key=lambda i: (found[i].value, tuple(found[i].point)))
    found, reached = [found[i] for i in order], [reached[i] for i in order]
    # Degenerate points one seed cell apart come from a line or a region of them
    # (a valley floor, a flat part): not isolated, so not listed.
    degenerate = np.array([c.point for c in found if c.kind == "degenerate"]).reshape(-1, len(size))
    gaps = np.abs(degenerate[:, None, :] - degenerate[None, :, :]) / cell
    crowded = np.any(np.all(gaps <= 1.5, axis=-1) & ~np.eye(len(degenerate), dtype=bool), axis=1)
    listed = [
        i
        for i, c in enumerate(found)
        if c.kind != "degenerate" or not _index_crowded(c, degenerate, crowded)
    ]
    result = CriticalPoints(found[i] for i in listed)
    result.continuum = bool(np.any(crowded))
    return result, np.array([reached[i] for i in listed], dtype=int)


def _cluster(candidates: np.ndarray, radius: float) -> tuple[list[np.ndarray], list[int]]:
    """Greedy clustering in order (best first): a candidate farther than `radius`
    from every earlier representative becomes one, any other counts as a hit of
    the nearest earlier representative (the first on a tie). Returns the
    representatives and their hits. One numpy pass per representative, not a
    Python step per candidate (a thousand seeds reach a handful of points)."""
    count = len(candidates)
    nearest = np.full(count, np.inf)  # distance to the nearest earlier representative
    owner = np.zeros(count, dtype=int)
    reps: list[int] = []
    start = 0
    while start < count:
        far = np.flatnonzero(nearest[start:] > radius)
        if far.size == 0:
            break
        r = start + int(far[0])  # no representative between `start` and here
        reps.append(r)
        later = slice(r + 1, None)
        distance = np.linalg.norm(candidates[later] - candidates[r], axis=1)
        closer = distance < nearest[later]
        owner[later] = np.where(closer, len(reps) - 1, owner[later])
        nearest[later] = np.where(closer, distance, nearest[later])
        start = r + 1
    joined = np.ones(count, dtype=bool)
    joined[reps] = False
    hits = np.bincount(owner[joined], minlength=len(reps)) + 1
    return [candidates[r] for r in reps], [int(h) for h in hits]


def _index_crowded(c: CriticalPoint, degenerate: np.ndarray, crowded: np.ndarray) -> bool:
    return bool(crowded[np.flatnonzero(np.all(degenerate == c.point, axis=1))[0]])
