"""The optimizer runs as a session file stores them: how each was made.

A run is stored as its method, parameters, start and step count; loading
runs it again (the runs are deterministic, noise included, being seeded), so
the trajectory comes back exactly without being stored point by point.
"""

from __future__ import annotations

import math
from typing import Any

from explorer.calculus import METHODS
from explorer.calculus.methods import resolve

MAX_RUNS = 8
MAX_STORED_STEPS = 100_000  # replaying more would keep a loading user waiting
KEYS = {"method", "params", "start", "steps"}


def check_runs(value: Any, n: int) -> list[dict[str, Any]]:
    """The stored runs for a function of `n` variables, or ValueError saying what is wrong."""
    if not isinstance(value, list) or len(value) > MAX_RUNS:
        raise ValueError(f"runs must be a list of at most {MAX_RUNS}")
    checked = []
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
        checked.append({"method": r["method"], "params": params, "start": start, "steps": steps})
    return checked


def _number(v: Any) -> bool:
    return type(v) in (int, float) and math.isfinite(v)
