"""The optimizer runs as a session file stores them: how each was made and
where it went.

A run is stored as its method, parameters, start and step count, and its
trajectory (so that the file tells where each run went to a reader without
the explorer). Loading runs it again (the runs are deterministic, noise
included, being seeded) and compares the replay with the stored trajectory.
Trajectories share a budget of numbers that keeps a file with eight long
runs far below the reader's size cap; a run past the budget is stored
without its trajectory (null) and only replayed, as in schema 2.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from explorer.calculus import METHODS
from explorer.calculus.methods import resolve
from explorer.calculus.optimize import DIVERGED_AT  # no iterate gets farther

MAX_RUNS = 8
MAX_STORED_STEPS = 100_000  # replaying more would keep a loading user waiting
MAX_TRAJECTORY_NUMBERS = 24_000  # all runs: ≤ 0.75 MB of JSON, one 10,000-step run in 2D
KEYS = {"method", "params", "start", "steps", "trajectory"}


def stored_trajectories(trajectories: list[np.ndarray]) -> list[list[list[float]] | None]:
    """Each trajectory as the file stores it, in order, while the budget lasts
    (None for a run past it)."""
    out: list[list[list[float]] | None] = []
    left = MAX_TRAJECTORY_NUMBERS
    for t in trajectories:
        fits = t.size <= left
        out.append(t.tolist() if fits else None)
        left -= t.size if fits else 0
    return out


def check_runs(value: Any, n: int) -> list[dict[str, Any]]:
    """The stored runs for a function of `n` variables, or ValueError saying what is wrong."""
    if not isinstance(value, list) or len(value) > MAX_RUNS:
        raise ValueError(f"runs must be a list of at most {MAX_RUNS}")
    checked = []
    budget = MAX_TRAJECTORY_NUMBERS
    for r in value:
        if not isinstance(r, dict) or set(r) != KEYS:
            raise ValueError(f"each run needs exactly {', '.join(sorted(KEYS))}")
        if not isinstance(r["method"], str) or r["method"] not in METHODS:
            raise ValueError(f"unknown optimizer {r['method']!r}"[:80])
        params = r["params"]
        if not isinstance(params, dict) or not all(
            isinstance(k, str) and (_number(v) or (k == "schedule" and isinstance(v, str)))
            for k, v in params.items()
        ):
            raise ValueError("run parameters must be names with numbers")
        resolve(r["method"], params)  # ranges, names, schedule
        start = r["start"]
        if not (
            isinstance(start, list)
            and len(start) == n
            and all(_number(c) and abs(c) <= 1e6 for c in start)
        ):
            raise ValueError(f"a run's start needs {n} finite coordinates")
        steps = r["steps"]
        if type(steps) is not int or not 0 <= steps <= MAX_STORED_STEPS:
            raise ValueError(f"a run's steps must be a whole number up to {MAX_STORED_STEPS}")
        trajectory = r["trajectory"]
        if trajectory is not None:
            budget -= _check_trajectory(trajectory, start, steps, budget)
        checked.append({k: r[k] for k in KEYS})
    return checked


def _check_trajectory(value: Any, start: list, steps: int, budget: int) -> int:
    """How many numbers a valid stored trajectory holds; ValueError otherwise."""
    n = len(start)
    if not isinstance(value, list) or len(value) != steps + 1:
        raise ValueError(f"a run's trajectory must list its {steps + 1} points (steps + 1)")
    if len(value) * n > budget:  # counted before anything is looked at
        raise ValueError(f"the trajectories hold more than {MAX_TRAJECTORY_NUMBERS} numbers")
    for p in value:
        if not (
            isinstance(p, list)
            and len(p) == n
            and all(_number(c) and abs(c) <= DIVERGED_AT for c in p)
        ):
            raise ValueError(f"each point of a trajectory needs {n} finite coordinates")
    if value[0] != start:
        raise ValueError("a run's trajectory must begin at its start")
    return len(value) * n


def _number(v: Any) -> bool:
    return type(v) in (int, float) and math.isfinite(v)
