"""Basins of attraction: which minimum a method reaches from each grid point.

All grid points run as one batch (`BatchRun`); the converged end points are
grouped into the distinct points they reached, in order of their value
(label 0 is the lowest). `basins_steps` is a generator so that a worker can
report progress and stop between steps.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from explorer.engine import Function

from .batch import BatchRun


@dataclass(frozen=True)
class Basins:
    xs: np.ndarray  # (nx,)
    ys: np.ndarray  # (ny,)
    labels: np.ndarray  # (nx, ny): index into `ends`, −1 where no critical point was reached
    ends: np.ndarray  # (m, 2): the distinct points reached, lowest value first
    values: np.ndarray  # (m,)


def basins_steps(
    f: Function,
    method: str,
    box: Sequence[tuple[float, float]],
    n: int,
    point: Sequence[float] | None = None,
    axes: tuple[int, int] = (0, 1),
    **params: Any,
) -> Iterator[float | Basins]:
    """Yield the fraction done after each step, then the `Basins`.

    For n > 2 variables the grid lies in the plotted slice through `point`.
    """
    (x0, x1), (y0, y1) = box
    xs, ys = np.linspace(x0, x1, n), np.linspace(y0, y1, n)
    gx, gy = np.meshgrid(xs, ys, indexing="ij")
    starts = np.tile(np.asarray(point if point is not None else [0.0, 0.0], float), (n * n, 1))
    starts[:, axes[0]], starts[:, axes[1]] = gx.ravel(), gy.ravel()
    batch = BatchRun(method, f, starts, **params)
    for t in batch.iterate():
        yield t / batch.max_steps
    yield _label(batch, xs, ys, axes, max(x1 - x0, y1 - y0))


def _label(batch: BatchRun, xs, ys, axes, span: float) -> Basins:
    done = batch.stop_reasons == "converged"
    ends = batch.x[done][:, list(axes)]
    labels = np.full(done.size, -1)
    centres: list[np.ndarray] = []
    found = np.full(ends.shape[0], -1)
    # Grouping: end points within 1e-3 of the span are the same point; one
    # vectorized pass per distinct point (a map cannot colour more than 64).
    while len(centres) < 64 and np.any(found < 0):
        c = ends[np.argmax(found < 0)]
        found[(found < 0) & (np.max(np.abs(ends - c), axis=1) <= 1e-3 * span)] = len(centres)
        centres.append(c)
    labels[np.flatnonzero(done)] = found
    if not centres:
        return Basins(xs, ys, labels.reshape(xs.size, ys.size), np.empty((0, 2)), np.empty(0))
    c = np.array(centres)
    full = np.tile(batch.x[0], (len(c), 1))
    full[:, axes[0]], full[:, axes[1]] = c[:, 0], c[:, 1]
    values = np.broadcast_to(batch.f(*full.T), (len(c),))
    order = np.argsort(values, kind="stable")
    rank = np.empty_like(order)
    rank[order] = np.arange(order.size)
    labels = np.where(labels >= 0, rank[np.maximum(labels, 0)], -1)
    return Basins(xs, ys, labels.reshape(xs.size, ys.size), c[order], values[order])
