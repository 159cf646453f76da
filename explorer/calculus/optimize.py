"""Gradient descent and its relatives as small state machines (18.4.2, 18.4.6).

Each optimizer owns its state and a trajectory; `step()` advances one step and
returns False once it has stopped. Runs stop cleanly with a reason: a diverging
or domain-leaving step is refused, so the trajectory never holds NaN or inf.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from explorer.engine import Function

STOP_REASONS = ("converged", "diverged", "left domain", "step limit")
DIVERGED_AT = 1e12  # |x| or |f| past this is divergence, not progress


@dataclass(frozen=True)
class Param:
    name: str
    default: float
    low: float
    high: float
    label: str


_LR = Param("lr", 0.1, 1e-6, 10.0, "learning rate η")
PARAMS: dict[str, tuple[Param, ...]] = {
    "gd": (_LR,),
    "momentum": (_LR, Param("beta", 0.9, 0.0, 0.9999, "momentum β")),
    "nesterov": (_LR, Param("beta", 0.9, 0.0, 0.9999, "momentum β")),
    "adagrad": (
        Param("lr", 0.5, 1e-6, 10.0, "learning rate η"),
        Param("eps", 1e-8, 1e-12, 1.0, "ε"),
    ),
    "rmsprop": (
        Param("lr", 0.01, 1e-6, 10.0, "learning rate η"),
        Param("rho", 0.9, 0.0, 0.9999, "decay ρ"),
        Param("eps", 1e-8, 1e-12, 1.0, "ε"),
    ),
    "adam": (
        Param("lr", 0.05, 1e-6, 10.0, "learning rate η"),
        Param("beta1", 0.9, 0.0, 0.9999, "β₁"),
        Param("beta2", 0.999, 0.0, 0.99999, "β₂"),
        Param("eps", 1e-8, 1e-12, 1.0, "ε"),
    ),
    "newton": (
        Param("lr", 1.0, 1e-6, 10.0, "step size"),
        Param("damping", 1e-3, 0.0, 1e6, "damping μ"),
    ),
}
NAMES = {
    "gd": "Gradient descent",
    "momentum": "Momentum",
    "nesterov": "Nesterov",
    "adagrad": "AdaGrad",
    "rmsprop": "RMSProp",
    "adam": "Adam",
    "newton": "Newton (damped)",
}


class Optimizer:
    """One run of one method from one starting point."""

    def __init__(
        self,
        name: str,
        f: Function,
        x0: Sequence[float],
        *,
        tol: float = 1e-8,
        max_steps: int = 10_000,
        **params: float,
    ) -> None:
        if name not in PARAMS:
            raise ValueError(f"unknown optimizer {name!r}; choose from {', '.join(PARAMS)}")
        known = {p.name: p for p in PARAMS[name]}
        unknown = set(params) - set(known)
        if unknown:
            raise ValueError(
                f"{name} has no parameter {sorted(unknown)[0]!r}; it takes {', '.join(known)}"
            )
        self.params = {p: float(params.get(p, known[p].default)) for p in known}
        for p, value in self.params.items():
            if not np.isfinite(value) or not known[p].low <= value <= known[p].high:
                raise ValueError(
                    f"{known[p].label} must lie in [{known[p].low:g}, "
                    f"{known[p].high:g}], got {value:g}"
                )
        self.name, self.f, self.tol, self.max_steps = name, f, tol, int(max_steps)
        x = np.asarray(x0, dtype=np.float64).reshape(-1)
        if x.shape != (f.dimension,):
            raise ValueError(f"the start needs {f.dimension} coordinates, got {x.size}")
        fx, grad = f.value_and_gradient(*x)
        value = float(fx)
        if not (np.isfinite(value) and np.all(np.isfinite(grad))):
            raise ValueError("f or its gradient is undefined at the starting point")
        self._x = [x]
        self._values = [float(value)]
        self._norms = [float(np.linalg.norm(grad))]
        self._grad = grad
        self._state = np.zeros((2, f.dimension))  # velocity / moment estimates
        self.stop_reason: str | None = "converged" if self._norms[0] <= tol else None

    @property
    def trajectory(self) -> np.ndarray:
        return np.array(self._x)

    @property
    def values(self) -> np.ndarray:
        return np.array(self._values)

    @property
    def grad_norms(self) -> np.ndarray:
        return np.array(self._norms)

    @property
    def steps(self) -> int:
        return len(self._x) - 1

    @property
    def x(self) -> np.ndarray:
        return self._x[-1]

    def _proposal(self) -> np.ndarray:
        p, g, x, s = self.params, self._grad, self._x[-1], self._state
        t = self.steps + 1
        if self.name == "gd":
            return x - p["lr"] * g
        if self.name == "momentum":
            s[0] = p["beta"] * s[0] + g
            return x - p["lr"] * s[0]
        if self.name == "nesterov":
            s[0] = p["beta"] * s[0] + g
            return x - p["lr"] * (g + p["beta"] * s[0])
        if self.name == "adagrad":
            s[0] += g * g
            return x - p["lr"] * g / (np.sqrt(s[0]) + p["eps"])
        if self.name == "rmsprop":
            s[0] = p["rho"] * s[0] + (1 - p["rho"]) * g * g
            return x - p["lr"] * g / (np.sqrt(s[0]) + p["eps"])
        if self.name == "adam":
            s[0] = p["beta1"] * s[0] + (1 - p["beta1"]) * g
            s[1] = p["beta2"] * s[1] + (1 - p["beta2"]) * g * g
            m_hat = s[0] / (1 - p["beta1"] ** t)
            v_hat = s[1] / (1 - p["beta2"] ** t)
            return x - p["lr"] * m_hat / (np.sqrt(v_hat) + p["eps"])
        # Damped Newton: shift the Hessian until it is positive definite, so the
        # step is a descent step even at a saddle (plain Newton would seek it).
        h = self.f.hessian(*x)
        if not np.all(np.isfinite(h)):
            return np.full_like(x, np.nan)
        w, v = np.linalg.eigh(h)
        shift = max(0.0, -float(w[0])) + p["damping"] + (1e-12 if w[0] <= 0 else 0.0)
        return x - p["lr"] * (v @ ((v.T @ g) / (w + shift)))

    def step(self) -> bool:
        """Advance one step; False once the run has stopped (see `stop_reason`)."""
        if self.stop_reason is not None:
            return False
        with np.errstate(all="ignore"):  # overflow is caught below as divergence
            return self._step()

    def _step(self) -> bool:
        x = self._proposal()
        if not np.all(np.isfinite(x)) or np.max(np.abs(x)) > DIVERGED_AT:
            self.stop_reason = "diverged"
            return False
        fx, grad = self.f.value_and_gradient(*x)
        value = float(fx)
        if np.isinf(value) or abs(value) > DIVERGED_AT:
            self.stop_reason = "diverged"
            return False
        if not (np.isfinite(value) and np.all(np.isfinite(grad))):
            self.stop_reason = "left domain"
            return False
        self._x.append(x)
        self._values.append(float(value))
        self._norms.append(float(np.linalg.norm(grad)))
        self._grad = grad
        if self._norms[-1] <= self.tol:
            self.stop_reason = "converged"
        elif self.steps >= self.max_steps:
            self.stop_reason = "step limit"
        return self.stop_reason is None

    def run(self, max_steps: int | None = None) -> str | None:
        """Step until stopped or `max_steps` more steps were taken; the stop reason."""
        budget = self.max_steps if max_steps is None else int(max_steps)
        for _ in range(budget):
            if not self.step():
                break
        else:
            if max_steps is not None and self.stop_reason is None:
                self.stop_reason = "step limit"
        return self.stop_reason


def optimizer(name: str, f: Function, x0: Sequence[float], **params: float) -> Optimizer:
    """A new run of `name` (gd, momentum, nesterov, adagrad, rmsprop, adam, newton)."""
    return Optimizer(name, f, x0, **params)  # type: ignore[arg-type]
