"""One optimizer run from one start point: a small state machine (18.4.2, 18.4.6).

`step()` advances one step and returns False once the run has stopped, with a
reason from `STOP_REASONS`: a step that diverges or leaves the domain is
refused, so the trajectory never holds NaN or inf. `run(n)` takes up to n more
steps and pauses; only the step limit, not a pause, stops a run. A first-order
step runs the registry's element-wise rule on Python floats, one coordinate at
a time: a step costs a few microseconds beyond the engine's own evaluation.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from explorer.engine import Function

from .methods import SCHEDULES, resolve
from .newton import newton_step

DIVERGED_AT = 1e12  # |x| or |f| past this is divergence, not progress


def flat_at(f: Function, x: np.ndarray, tol: float) -> np.ndarray:
    """For each row of `x` (shape ``(m, k)``): does the Hessian vanish too?

    Then ∇f ≈ 0 because f is flat to working precision (an underflowing
    plateau), not because the surface has a critical point there.
    """
    with np.errstate(all="ignore"):
        h = f.hessian(*x.T).reshape(x.shape[1] ** 2, x.shape[0])
    return np.all(np.abs(h) <= tol, axis=0)


class Run:
    """One run of one registry method from one start point.

    Parameters are the method's own (see `METHODS[name].params`) and the run
    settings of `RUN_PARAMS` (tol, max_steps, noise, seed, decay, period) plus
    `schedule`; anything out of range is a ValueError, as is a start where f
    or its gradient is undefined.
    """

    def __init__(self, name: str, f: Function, x0: Sequence[float], **params: Any) -> None:
        self.method, self.params, settings = resolve(name, params)
        self.name, self.f = name, f
        self.tol: float = settings["tol"]
        self.max_steps = int(settings["max_steps"])
        self.noise: float = settings["noise"]
        self.seed = int(settings["seed"])
        self.schedule: str = settings["schedule"]
        self.settings: dict[str, Any] = settings
        self._constant, self._lr = self.schedule == "constant", self.params["lr"]
        start = [float(c) for c in np.asarray(x0, dtype=np.float64).reshape(-1)]
        if len(start) != f.dimension:
            raise ValueError(f"the start needs {f.dimension} coordinates, got {len(start)}")
        with np.errstate(all="ignore"):
            value, grad = f.value_and_gradient(*start)
        g = grad.tolist()
        if not (math.isfinite(float(value)) and all(map(math.isfinite, g))):
            raise ValueError(
                f"{f.output_name} or its gradient is undefined at the start "
                f"({', '.join(f'{c:g}' for c in start)}); choose another point"
            )
        self._rng = np.random.default_rng(self.seed)
        self._arrays: dict[str, np.ndarray] = {}
        self._x: list[list[float]] = [start]
        self._values = [float(value)]
        self._norms = [math.hypot(*g)]
        self._g = g
        self._state = [tuple(0.0 for _ in self.method.state) for _ in start]
        self.dampings: list[float] = []  # μ of each Newton step (0: a pure Newton step)
        self.stop_reason: str | None = None
        self._t = 0
        if self._norms[0] <= self.tol:
            self.stop_reason = self._critical(start)

    # the record -------------------------------------------------------------
    def _frozen(self, name: str, items: list) -> np.ndarray:
        """`items` as a read-only array, rebuilt only when the run has moved on
        (the views ask for the same record several times per frame)."""
        cached = self._arrays.get(name)
        if cached is None or len(cached) > len(items):
            cached = np.array(items, dtype=np.float64)
        elif len(cached) < len(items):  # convert only the new entries
            cached = np.concatenate([cached, np.array(items[len(cached) :], dtype=np.float64)])
        else:
            return cached
        cached.flags.writeable = False
        self._arrays[name] = cached
        return cached

    @property
    def trajectory(self) -> np.ndarray:
        """Every iterate, shape ``(steps + 1, n)`` (read-only)."""
        return self._frozen("x", self._x)

    @property
    def values(self) -> np.ndarray:
        return self._frozen("values", self._values)

    @property
    def grad_norms(self) -> np.ndarray:
        return self._frozen("norms", self._norms)

    @property
    def steps(self) -> int:
        return self._t

    @property
    def x(self) -> np.ndarray:
        return np.array(self._x[-1])

    @property
    def gradient(self) -> np.ndarray:
        """∇f at the current iterate."""
        return np.array(self._g)

    @property
    def damped(self) -> bool:
        """True once any Newton step needed damping (the Hessian alone was not trusted)."""
        return any(mu > 0 for mu in self.dampings)

    def to_csv(self) -> str:
        """The trajectory as CSV text: step, the variables, value, |∇f| (exact reprs)."""
        out = io.StringIO()
        w = csv.writer(out, lineterminator="\n")
        w.writerow(["step", *self.f.variables, "value", "grad_norm"])
        for k, (x, v, g) in enumerate(zip(self._x, self._values, self._norms, strict=True)):
            w.writerow([k, *(repr(float(c)) for c in x), repr(v), repr(g)])
        return out.getvalue()

    def state(self, name: str) -> np.ndarray:
        """A per-coordinate state vector of the method (e.g. ``"v"``, ``"s"``, ``"mu"``)."""
        return np.array([s[self.method.state.index(name)] for s in self._state])

    def rates(self) -> np.ndarray | None:
        """The per-coordinate rate an adaptive method applied at its last step
        (η/√(s + ε) and kin), or None for a method with one rate for all."""
        if self.method.rates is None or self._t == 0:
            return None
        state = tuple(self.state(name) for name in self.method.state)
        return np.asarray(self.method.rates(state, self.params, self._t, self.rate(self._t)))

    def next_step(self) -> np.ndarray:
        """The step the method takes next from the current iterate, without
        taking it and without gradient noise: −η∇f for gradient descent, the
        velocity's step for momentum, the per-coordinate adapted step for
        AdaGrad, RMSProp and Adam, the damped Newton step for Newton."""
        lr, t = self.rate(), self._t + 1
        if self.method.update is None:
            with np.errstate(all="ignore"):
                out = newton_step(
                    self.f,
                    np.array([self._x[-1]]),
                    np.array([self._values[-1]]),
                    np.array([self._g]),
                    np.array([self._state[0][0]]),
                    lr,
                )
            return out.x[0] - self.x
        update = self.method.update
        try:  # Python floats, as `run` steps them
            return np.array(
                [
                    update(xi, gi, si, self.params, t, lr)[0] - xi
                    for xi, gi, si in zip(self._x[-1], self._g, self._state, strict=True)
                ]
            )
        except (OverflowError, ZeroDivisionError):
            return np.full(len(self._g), np.nan)

    def rate(self, t: int | None = None) -> float:
        """The learning rate η_t of step `t` (default: the next one) under the schedule."""
        t = self.steps + 1 if t is None else t
        return self.params["lr"] * SCHEDULES[self.schedule][1](t, self.settings)

    # stepping ---------------------------------------------------------------
    def step(self) -> bool:
        """Advance one step; False once the run has stopped (see `stop_reason`)."""
        return self.run(1) is None

    def run(self, steps: int | None = None) -> str | None:
        """Take up to `steps` more steps (default: to the step limit); the stop reason,
        or None when the run merely paused and may go on."""
        budget = self.max_steps - self._t if steps is None else int(steps)
        if self.stop_reason is not None or budget <= 0:
            return self.stop_reason
        if self.method.update is None:
            for _ in range(budget):
                if not self._newton_step():
                    break
            return self.stop_reason
        self._first_order(budget)
        return self.stop_reason

    def _noisy(self, g: list[float]) -> list[float]:
        kick = self._rng.standard_normal(len(g)) * self.noise
        return [gi + float(e) for gi, e in zip(g, kick, strict=True)]

    def _first_order(self, budget: int) -> None:
        # The hot loop of the application: everything it touches is a local.
        update, p, vg = self.method.update, self.params, self.f.value_and_gradient
        assert update is not None
        lr, constant, noise, tol = self._lr, self._constant, self.noise, self.tol
        xs, values, norms = self._x, self._values, self._norms
        x, g, state, t = xs[-1], self._g, self._state, self._t
        hypot, limit = math.hypot, self.max_steps
        reason = None
        try:  # Python floats: inf and NaN pass silently, only ** raises
            for _ in range(budget):
                if not constant:
                    lr = self.rate(t + 1)
                seen = self._noisy(g) if noise else g
                new_x, new_state = [], []
                for xi, gi, si in zip(x, seen, state):  # noqa: B905 (same length by construction)
                    xn, sn = update(xi, gi, si, p, t + 1, lr)
                    new_x.append(xn)
                    new_state.append(sn)
                if not hypot(*new_x) <= DIVERGED_AT:  # NaN fails too
                    reason = "diverged"
                    break
                fx, grad = vg(*new_x)
                value, g_new = float(fx), grad.tolist()
                norm = hypot(*g_new)  # NaN or inf if any component is
                if not (abs(value) <= DIVERGED_AT and norm < math.inf):
                    reason = self._refusal(value)
                    break
                xs.append(new_x)
                values.append(value)
                norms.append(norm)
                t += 1
                if norm <= tol:
                    reason = self._critical(new_x)
                elif new_x == x:
                    reason = "stalled"  # the step is below the floats' resolution
                elif t >= limit:
                    reason = "step limit"
                x, g, state = new_x, g_new, new_state
                if reason is not None:
                    break
        except (OverflowError, ZeroDivisionError):
            reason = "diverged"
        self._g, self._state, self._t, self.stop_reason = g, state, t, reason

    def _newton_step(self) -> bool:
        x, g = self._x[-1], self._g
        if self.noise:
            g = self._noisy(g)
        out = newton_step(
            self.f,
            np.array([x]),
            np.array([self._values[-1]]),
            np.array([g]),
            np.array([self._state[0][0]]),
            self.rate(),
        )
        if out.failed[0]:
            self.stop_reason = "stalled"  # no step, however short, decreases f
            return False
        new_x, g_new = out.x[0].tolist(), out.grad[0].tolist()
        if not math.hypot(*new_x) <= DIVERGED_AT:
            self.stop_reason = "diverged"
            return False
        norm = math.hypot(*g_new)
        if not self._record(new_x, float(out.value[0]), g_new, norm):
            return False
        self._state = [(float(out.mu[0]),) for _ in x]
        self.dampings.append(float(out.damping[0]))
        if norm <= self.tol:
            self.stop_reason = self._critical(new_x)
        elif self._t >= self.max_steps:
            self.stop_reason = "step limit"
        return self.stop_reason is None

    def _record(self, x: list[float], value: float, g: list[float], norm: float) -> bool:
        """Record a finite new iterate, or stop with the reason it was refused."""
        if not (abs(value) <= DIVERGED_AT and norm < math.inf):
            self.stop_reason = self._refusal(value)
            return False
        self._x.append(x)
        self._values.append(value)
        self._norms.append(norm)
        self._g = g
        self._t += 1
        return True

    @staticmethod
    def _refusal(value: float) -> str:
        """Why a step with this f was refused (its gradient, if f is fine, is not)."""
        return "diverged" if math.isinf(value) or abs(value) > DIVERGED_AT else "left domain"

    def _critical(self, x: list[float]) -> str:
        """∇f ≈ 0 at `x`: a critical point, or a plateau flat to working precision."""
        return "stalled" if flat_at(self.f, np.array([x]), self.tol)[0] else "converged"


def optimizer(name: str, f: Function, x0: Sequence[float], **params: Any) -> Run:
    """A new run of `name` (a key of `METHODS`: gd, momentum, nesterov, adagrad,
    rmsprop, adam, newton)."""
    return Run(name, f, x0, **params)
