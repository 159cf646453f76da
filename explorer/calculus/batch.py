"""One method run from many start points at once (basins of attraction).

The registry's update rules run on arrays of shape ``(m, k)``, m being the
points still running: a point that stops (with the same reasons as a single
run) is written back and dropped, so late steps cost only what is left.
Trajectories are not kept; the final point, value, step count and stop
reason of every start are.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np

from explorer.engine import Function

from .methods import SCHEDULES, STOP_REASONS, resolve
from .newton import newton_step
from .optimize import DIVERGED_AT, flat_at

REASONS = (None, *STOP_REASONS)  # code 0: still running


class BatchRun:
    """`name` from every row of `starts` (shape ``(n, k)``), with a single run's parameters."""

    def __init__(self, name: str, f: Function, starts: np.ndarray, **params: Any) -> None:
        self.method, self.params, settings = resolve(name, params)
        self.f, self.settings = f, settings
        self.tol, self.max_steps = float(settings["tol"]), int(settings["max_steps"])
        x = np.array(starts, dtype=np.float64, ndmin=2)
        if x.ndim != 2 or x.shape[1] != f.dimension:
            raise ValueError(f"starts must have shape (n, {f.dimension}), got {x.shape}")
        n, k = x.shape
        self.x = x
        self.code = np.zeros(n, np.int8)
        self.steps = np.zeros(n, np.int64)
        self.t = 0
        self._rng = np.random.default_rng(int(settings["seed"]))
        # Working arrays are coordinate-major, (k, m): the engine takes and
        # returns that layout, and reductions over k stay contiguous.
        xt = np.ascontiguousarray(x.T)
        with np.errstate(all="ignore"):  # a huge gradient's square overflows to inf
            value, grad = f.value_and_gradient(*xt)
            value = np.broadcast_to(value, (n,))
            grad = grad.reshape(k, n)
            ok = np.isfinite(value) & np.isfinite(grad).all(0)
            self.code[~ok] = REASONS.index("left domain")
            self._idx = np.flatnonzero(ok)
            g = np.take(grad, self._idx, axis=1)
            at_rest = np.sum(g**2, 0) <= self.tol**2  # stopped before the first step
        self._finish(at_rest, np.take(xt, self._idx, axis=1), g)
        self._idx = self._idx[~at_rest]
        self._x, self._g, self._f = (np.take(a, self._idx, axis=-1) for a in (xt, grad, value))
        self._state = tuple(np.zeros((k, self._idx.size)) for _ in self.method.state)
        self._buffer = np.empty((k + 2, self._idx.size))
        self._same = np.empty(self._idx.size, bool)

    @property
    def running(self) -> int:
        """How many points are still running."""
        return int(self._idx.size)

    @property
    def stop_reasons(self) -> np.ndarray:
        """Each start's stop reason (None while running), shape ``(n,)``."""
        return np.array(REASONS, dtype=object)[self.code]

    def values(self) -> np.ndarray:
        """f at each start's current point."""
        with np.errstate(all="ignore"):
            return np.broadcast_to(self.f(*self.x.T), self.x.shape[:1]).copy()

    def run(self, steps: int | None = None) -> None:
        """Take up to `steps` more steps (default: to the step limit)."""
        for _ in self.iterate(steps):
            pass

    def iterate(self, steps: int | None = None) -> Iterator[int]:
        """Step like `run`, yielding the step number after each step (progress, cancel)."""
        budget = self.max_steps - self.t if steps is None else int(steps)
        for _ in range(budget):
            if self._idx.size == 0:
                return
            self._step()
            yield self.t

    def _step(self) -> None:
        self.t += 1
        t, schedule = self.t, SCHEDULES[self.settings["schedule"]][1]
        lr = self.params["lr"] * schedule(t, self.settings)
        g = self._g
        if self.settings["noise"]:
            g = g + self.settings["noise"] * self._rng.standard_normal(g.shape)
        with np.errstate(all="ignore"):
            if self.method.update is None:
                out = newton_step(self.f, self._x.T, self._f, g.T, self._state[0][0], lr)
                xn, grad, value, stuck = out.x.T, out.grad.T, out.value, out.failed
                state: tuple = (np.broadcast_to(out.mu, xn.shape),)
                sq = np.einsum("ij,ij->j", grad, grad)
                go_on = False
            else:
                xn, state = self.method.update(self._x, g, self._state, self.params, t, lr)
                if any(np.may_share_memory(s, self._buffer) for s in state):
                    state = tuple(np.copy(s) for s in state)  # a rule that keeps ∇f itself
                # One fused program into the preallocated rows [f, ∇f, |∇f|²].
                buffer = self._buffer[:, : xn.shape[1]]
                self.f.value_and_gradient(*xn, out=buffer[:-1])
                value, grad = buffer[0], buffer[1:-1]
                sq = _squared_norms(grad, out=buffer[-1])
                go_on = self._all_go_on(xn, value, sq)
            limit = t >= self.max_steps
            if limit or not go_on:
                if self.method.update is not None:
                    stuck = (xn == self._x).all(0)
                # NaN fails every comparison: outside the domain is not healthy
                healthy = np.einsum("ij,ij->j", xn, xn) <= DIVERGED_AT**2
                healthy &= (np.abs(value) <= DIVERGED_AT) & (sq <= 1e300)
                done = ~healthy | (sq <= self.tol**2) | stuck
                self._finish(done, xn, grad, healthy, stuck, limit)
                if done.any():  # compact: later steps cost only what is left
                    # take(), not a[:, mask]: that is slower and leaves (k, m)
                    # arrays in Fortran order, which slows every later row-wise pass
                    keep = np.flatnonzero(~done)
                    xn, grad = np.take(xn, keep, axis=1), np.take(grad, keep, axis=1)
                    state = tuple(np.take(s, keep, axis=1) for s in state)
                    self._idx, value = self._idx[keep], value[keep]
        self._x, self._g, self._f, self._state = xn, grad, value, state

    def _all_go_on(self, xn: np.ndarray, value: np.ndarray, sq: np.ndarray) -> bool:
        """True when no point can stop at this step, proved by a few reductions
        (cheap next to the element-wise masks, which are built only otherwise):
        every |f| and the box bounding the points lie within `DIVERGED_AT`,
        every |∇f|² lies in (tol², 1e300], and no point stood still.
        NaN anywhere fails a comparison and so takes the exact path."""
        # Row by row: numpy reduces a (2, m) view of strided rows along axis 1
        # in a cache-hostile order, several times slower than two row reductions.
        far = max(xn.max(), -xn.min())  # NaN in both when in either
        if not (
            -DIVERGED_AT <= value.min()
            and value.max() <= DIVERGED_AT
            and self.tol**2 < sq.min()
            and sq.max() <= 1e300
            and xn.shape[0] * far * far <= DIVERGED_AT**2
        ):
            return False
        same = self._same[: xn.shape[1]]
        np.equal(xn[0], self._x[0], out=same)
        if not same.any():
            return True
        # a first coordinate stood still (a point nearly at rest): did all of them?
        cols = np.flatnonzero(same)
        return not (xn[1:, cols] == self._x[1:, cols]).all(0).any()

    def _finish(
        self,
        done: np.ndarray,
        xn: np.ndarray,
        grad: np.ndarray,
        healthy: np.ndarray | None = None,
        stuck: np.ndarray | None = None,
        limit: bool = False,
    ) -> None:
        """Write back the columns that stop now, with their reasons; with `limit`, all."""
        if limit:
            done[:] = True
        if not done.any():
            return
        cols = np.flatnonzero(done)
        refused = np.zeros(cols.size, bool) if healthy is None else ~healthy[cols]
        code = np.empty(cols.size, np.int8)
        if refused.any():  # keep the last good point; divergence or the domain?
            self.x[self._idx[cols[refused]]] = self._x[:, cols[refused]].T
            x = xn[:, cols[refused]]
            with np.errstate(all="ignore"):
                value = np.broadcast_to(self.f(*x), (x.shape[1],))
            far = ~(np.einsum("ij,ij->j", x, x) <= DIVERGED_AT**2)  # NaN too, as a single run
            far |= np.isinf(value) | (np.abs(value) > DIVERGED_AT)
            code[refused] = np.where(far, REASONS.index("diverged"), REASONS.index("left domain"))
        kept = cols[~refused]
        self.x[self._idx[kept]] = xn[:, kept].T
        small = np.sum(grad[:, kept] ** 2, 0) <= self.tol**2
        flat = np.zeros(kept.size, bool)
        flat[small] = flat_at(self.f, xn[:, kept[small]].T, self.tol)
        if stuck is not None:
            flat |= stuck[kept] & ~small
        code[~refused] = np.where(
            flat,
            REASONS.index("stalled"),
            np.where(small, REASONS.index("converged"), REASONS.index("step limit")),
        )
        self.code[self._idx[cols]] = code
        untaken = refused.copy()  # a refused step is not taken, nor a failed Newton step
        if stuck is not None and self.method.update is None:
            untaken |= stuck[cols]
        self.steps[self._idx[cols]] = self.t - untaken


def _squared_norms(v: np.ndarray, out: np.ndarray) -> np.ndarray:
    """Σᵢ v[i]² for the columns of `v`, into `out` (faster here than einsum)."""
    np.multiply(v[0], v[0], out=out)
    for row in v[1:]:
        out += row * row
    return out
