"""The optimizer registry: one entry per method (D2L chapter 12, 18.4.2).

An entry names its parameters (with ranges, defaults and labels), its state
and its update rule. First-order rules are element-wise and use only
arithmetic, so one rule serves a single run on Python floats (one coordinate
at a time, fast) and a batch on arrays of shape ``(n, k)`` (basins of
attraction). Newton needs the Hessian and a decrease test; it gets a whole
point's step instead (see `newton.py`). Run-wide settings (tolerance, step
limit, gradient noise, learning-rate schedule) live in `RUN_PARAMS` and
`SCHEDULES`, read by the CLI and the panel alike.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

# x, g and every state entry are floats (one coordinate) or (n, k) arrays.
Update = Callable[[Any, Any, tuple, Mapping[str, float], int, float], tuple[Any, tuple]]


@dataclass(frozen=True)
class Param:
    """One tunable number: its range, default, label and how a widget shows it."""

    name: str
    default: float
    low: float
    high: float
    label: str
    log: bool = False  # a log slider (rates, tolerances)
    integer: bool = False
    tip: str = ""

    def check(self, value: float) -> float:
        """`value` as a float, or ValueError naming the parameter and its range."""
        v = float(value)
        if not math.isfinite(v) or not self.low <= v <= self.high:
            raise ValueError(f"{self.label} must lie in [{self.low:g}, {self.high:g}], got {v:g}")
        if self.integer and v != int(v):
            raise ValueError(f"{self.label} must be a whole number, got {v:g}")
        return v


@dataclass(frozen=True)
class Method:
    """One optimizer: `update` (element-wise) or, for second-order methods, `newton`."""

    name: str
    label: str
    params: tuple[Param, ...]
    state: tuple[str, ...] = ()  # per-coordinate state, zero at the start
    update: Update | None = None
    rule: str = ""  # the update rule as the panel and docs show it
    # the per-coordinate rate the method applies to ∇f next, from its state (adaptive methods)
    rates: Callable[[tuple, Mapping[str, float], int, float], Any] | None = None

    def defaults(self) -> dict[str, float]:
        return {p.name: p.default for p in self.params}


def _lr(default: float) -> Param:
    return Param("lr", default, 1e-6, 10.0, "learning rate η", log=True)


_EPS_IN = Param("eps", 1e-6, 1e-12, 1.0, "ε", log=True, tip="added to s under the root")


def _gd(x, g, s, p, t, lr):
    return x - lr * g, s


def _momentum(x, g, s, p, t, lr):
    v = p["beta"] * s[0] + g
    return x - lr * v, (v,)


def _nesterov(x, g, s, p, t, lr):
    # Look-ahead form: the step uses the gradient plus the *next* velocity.
    v = p["beta"] * s[0] + g
    return x - lr * (g + p["beta"] * v), (v,)


def _adagrad(x, g, s, p, t, lr):
    acc = s[0] + g * g
    return x - lr * g / (acc + p["eps"]) ** 0.5, (acc,)


def _rmsprop(x, g, s, p, t, lr):
    acc = p["gamma"] * s[0] + (1 - p["gamma"]) * g * g
    return x - lr * g / (acc + p["eps"]) ** 0.5, (acc,)


def _adam(x, g, s, p, t, lr):
    b1, b2 = p["beta1"], p["beta2"]
    v = b1 * s[0] + (1 - b1) * g
    sq = b2 * s[1] + (1 - b2) * g * g
    v_hat, s_hat = v / (1 - b1**t), sq / (1 - b2**t)  # bias correction
    return x - lr * v_hat / (s_hat**0.5 + p["eps"]), (v, sq)


def _root_rates(s, p, t, lr):
    return lr / (s[0] + p["eps"]) ** 0.5


def _adam_rates(s, p, t, lr):
    # the rate multiplying the bias-corrected momentum v̂ at step t
    return lr / ((s[1] / (1 - p["beta2"] ** t)) ** 0.5 + p["eps"])


_BETA = Param("beta", 0.9, 0.0, 0.9999, "momentum β")

METHODS: dict[str, Method] = {
    m.name: m
    for m in (
        Method("gd", "Gradient descent", (_lr(0.1),), (), _gd, "x ← x − η∇f"),
        Method(
            "momentum", "Momentum", (_lr(0.1), _BETA), ("v",), _momentum, "v ← βv + ∇f;  x ← x − ηv"
        ),
        Method(
            "nesterov",
            "Nesterov",
            (_lr(0.1), _BETA),
            ("v",),
            _nesterov,
            "v ← βv + ∇f;  x ← x − η(∇f + βv)",
        ),
        Method(
            "adagrad",
            "AdaGrad",
            (_lr(0.5), _EPS_IN),
            ("s",),
            _adagrad,
            "s ← s + ∇f²;  x ← x − η∇f/√(s + ε)",
            _root_rates,
        ),
        Method(
            "rmsprop",
            "RMSProp",
            (_lr(0.01), Param("gamma", 0.9, 0.0, 0.9999, "decay γ"), _EPS_IN),
            ("s",),
            _rmsprop,
            "s ← γs + (1−γ)∇f²;  x ← x − η∇f/√(s + ε)",
            _root_rates,
        ),
        Method(
            "adam",
            "Adam",
            (
                _lr(0.05),
                Param("beta1", 0.9, 0.0, 0.9999, "β₁"),
                Param("beta2", 0.999, 0.0, 0.99999, "β₂"),
                Param("eps", 1e-8, 1e-12, 1.0, "ε", log=True),
            ),
            ("v", "s"),
            _adam,
            "v ← β₁v + (1−β₁)∇f;  s ← β₂s + (1−β₂)∇f²;  x ← x − η v̂/(√ŝ + ε)",
            _adam_rates,
        ),
        Method(
            "newton",
            "Newton (adaptive damping)",
            (
                Param("lr", 1.0, 1e-6, 10.0, "step size", log=True),
                Param(
                    "damping",
                    0.0,
                    0.0,
                    1e6,
                    "initial damping μ",
                    tip="grows when a step fails the decrease test, shrinks when it passes",
                ),
            ),
            ("mu",),
            None,
            "x ← x − η(H + μI)⁻¹∇f, μ adapted by a decrease test",
        ),
    )
}


def _step_decay(t: int, p: Mapping[str, float]) -> float:
    return p["decay"] ** ((t - 1) // int(p["period"]))


def _cosine(t: int, p: Mapping[str, float]) -> float:
    period = int(p["period"])
    return 0.5 * (1 + math.cos(math.pi * (((t - 1) % period) / period)))


# η_t = η · factor(t, run parameters), t = 1, 2, …
SCHEDULES: dict[str, tuple[str, Callable[[int, Mapping[str, float]], float]]] = {
    "constant": ("constant", lambda t, p: 1.0),
    "step": ("step decay (×decay every period)", _step_decay),
    "sqrt": ("1/√t", lambda t, p: 1.0 / math.sqrt(t)),
    "cosine": ("cosine (restarts every period)", _cosine),
}

RUN_PARAMS: tuple[Param, ...] = (
    Param("tol", 1e-8, 0.0, 1.0, "tolerance |∇f|", log=True, tip="converged once |∇f| ≤ this"),
    Param("max_steps", 10_000, 1, 10_000_000, "step limit", integer=True),
    Param("noise", 0.0, 0.0, 100.0, "noise σ", tip="Gaussian noise added to ∇f (seeded)"),
    Param("seed", 0, 0, 2**31 - 1, "seed", integer=True, tip="seed of the gradient noise"),
    Param("decay", 0.5, 1e-6, 1.0, "decay", tip="step decay: η shrinks by this every period"),
    Param(
        "period", 100, 1, 10_000_000, "period", integer=True, tip="steps per decay or cosine cycle"
    ),
)

STOP_REASONS: dict[str, str] = {
    "converged": "converged to a critical point",
    "stalled": "stalled on a flat region",
    "diverged": "diverged",
    "left domain": "left the domain",
    "step limit": "step limit",
}


def resolve(name: str, params: Mapping[str, Any]) -> tuple[Method, dict, dict]:
    """The method, its checked parameters and the checked run parameters.

    `params` may mix both kinds; a name neither knows is a ValueError that
    lists what the method takes.
    """
    if name not in METHODS:
        raise ValueError(f"unknown optimizer {name!r}; choose from {', '.join(METHODS)}")
    method = METHODS[name]
    own = {p.name: p for p in method.params}
    run = {p.name: p for p in RUN_PARAMS}
    for key in params:
        if key not in own and key not in run and key != "schedule":
            raise ValueError(
                f"{name} has no parameter {key!r}; it takes {', '.join([*own, *run, 'schedule'])}"
            )
    chosen = {k: own[k].check(params.get(k, own[k].default)) for k in own}
    settings: dict[str, Any] = {k: run[k].check(params.get(k, run[k].default)) for k in run}
    schedule = str(params.get("schedule", "constant"))
    if schedule not in SCHEDULES:
        raise ValueError(f"unknown schedule {schedule!r}; choose from {', '.join(SCHEDULES)}")
    settings["schedule"] = schedule
    return method, chosen, settings
