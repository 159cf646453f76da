"""`make bench`: optimizer loops against the same loops written by hand.

- 10,000 gradient-descent steps on x·e^(−x²−y²) (engine + registry rule +
  record + stop checks) against the same loop in Python `math`, recording
  the same trajectory, values and gradient norms and making the same checks.
- Basins: 500 GD steps from each of 201×201 starts on Himmelblau against one
  hand-vectorized numpy loop over the grid (which makes no checks at all).

Ratios, best of interleaved rounds. A missed target is flagged and the
exit status is 1.
"""

from __future__ import annotations

import math
import sys

import numpy as np
from report import Report  # this folder is on sys.path when run as a script
from run import best

from explorer.calculus import BatchRun, optimizer
from explorer.engine import parse
from explorer.memory import keep_large_arrays_on_heap

STEPS = 10_000
LR = 0.01  # slow enough that no run stops before its 10,000 steps
START = (-0.3, 0.4)


def math_descent(steps: int = STEPS) -> list:
    """Hand-written GD on x·e^(−x²−y²) with the same record and checks as a Run."""
    x, y = START
    e = math.exp(-x * x - y * y)
    gx, gy = e * (1 - 2 * x * x), -2 * x * y * e
    xs, values, norms = [(x, y)], [x * e], [math.hypot(gx, gy)]
    for _ in range(steps):
        nx, ny = x - LR * gx, y - LR * gy
        if not math.hypot(nx, ny) <= 1e12:
            break
        e = math.exp(-nx * nx - ny * ny)
        value, gx, gy = nx * e, e * (1 - 2 * nx * nx), -2 * nx * ny * e
        norm = math.hypot(gx, gy)
        if not (abs(value) <= 1e12 and norm < math.inf):
            break
        xs.append((nx, ny))
        values.append(value)
        norms.append(norm)
        if norm <= 0.0 or (nx, ny) == (x, y):
            break
        x, y = nx, ny
    return xs


def hand_basins(x0: np.ndarray, y0: np.ndarray, lr: float, steps: int = 500):
    """Himmelblau GD over the whole grid, gradient by hand, no checks."""
    x, y = x0.copy(), y0.copy()
    for _ in range(steps):
        a, b = x * x + y - 11, x + y * y - 7
        gx, gy = 4 * x * a + 2 * b, 2 * a + 4 * y * b
        x -= lr * gx
        y -= lr * gy
    return x, y


def main() -> int:
    keep_large_arrays_on_heap()  # as the application does (explorer/memory.py), both sides
    report = Report("descent")

    f = parse("x*exp(-x^2-y^2)")

    def engine_descent():
        run = optimizer("gd", f, START, lr=LR, tol=0.0, max_steps=STEPS)
        assert run.run() == "step limit"  # every step was taken
        return run

    np.testing.assert_allclose(engine_descent().x, math_descent()[-1], rtol=1e-12)
    t = best({"engine": engine_descent, "math": math_descent}, number=1, rounds=9)
    report.add(
        "10,000 GD steps x·e^(−x²−y²) / Python math",
        t["engine"] / t["math"],
        at_most=5,
        unit="×",
        detail=f"({t['engine'] / STEPS * 1e6:.2f} µs/step)",
    )

    him = parse("(x^2+y-11)^2 + (x+y^2-7)^2")
    grid = np.linspace(-5, 5, 201)
    gx, gy = (a.ravel() for a in np.meshgrid(grid, grid, indexing="ij"))
    starts = np.column_stack([gx, gy])
    for label, lr, tol in (("to convergence", 0.01, 1e-8), ("all 500 steps", 1e-4, 0.0)):

        def basins(lr=lr, tol=tol):
            batch = BatchRun("gd", him, starts, lr=lr, tol=tol, max_steps=500)
            batch.run()
            return batch

        if tol == 0.0:
            done = basins()  # (3, 2) is a minimum and stops at once; the rest go on
            assert np.mean(done.steps == 500) > 0.999
            np.testing.assert_allclose(done.x[:, 0], hand_basins(gx, gy, lr)[0], rtol=1e-9)
        t = best(
            {"batch": basins, "hand": lambda lr=lr: hand_basins(gx, gy, lr)}, number=1, rounds=5
        )
        report.add(
            f"basins 201² Himmelblau GD, {label} / hand numpy",
            t["batch"] / t["hand"],
            at_most=2,
            unit="×",
            detail=f"({t['batch'] * 1e3:.0f} ms)",
        )
    return report.finish()


if __name__ == "__main__":
    sys.exit(main())
