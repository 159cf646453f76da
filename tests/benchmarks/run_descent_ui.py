"""`make bench` (under Xvfb): the descent panel while five runs animate.

- an animation tick at 200 steps per second (every run advanced and every
  view, table, plot and inspector updated; paint excluded), median;
- moving the selected point meanwhile (the session and every view's point
  overlays updated, paint excluded), median;
- moving the selected point while a worker computes the 201² basin map of
  Himmelblau (the GUI thread shares the interpreter with it), median, against
  the same moves without the worker: a ratio, which the load affects less.
Absolute milliseconds (the issue's targets): the machine's load shows in them.
Exits 1 when a target is missed.
"""

from __future__ import annotations

import statistics
import sys
import time

import numpy as np
from report import Report  # this folder is on sys.path when run as a script

RUNS = (("gd", 1e-4), ("momentum", 1e-4), ("nesterov", 1e-4), ("adam", 1e-3), ("rmsprop", 1e-3))


def main() -> int:
    from explorer.ui.app import make_app

    app = make_app([])
    from explorer.ui.main_window import MainWindow

    window = MainWindow(settings=None)
    window.resize(1400, 860)
    window.show()
    window.docks["descent"].raise_()
    s, runs, panel = window.session, window.runs, window.descent_panel
    s.set_text("(1-x)^2 + 100(y-x^2)^2")
    s.set_point([-1.5, 2.0])
    for method, lr in RUNS:
        runs.set_method(method)
        runs.set_param("lr", lr)
        runs.add()
    panel.speed.setValue(200)
    panel.set_playing(True)
    panel.timer.start(10**6)  # animating, but the ticks below are the only ones
    for _ in range(10):
        app.processEvents()
    ticks, moves = [], []
    rng = np.random.default_rng(0)
    for _ in range(150):  # 150 ticks: the runs reach ~900 steps
        start = time.perf_counter()
        panel._on_tick()
        ticks.append(time.perf_counter() - start)
        start = time.perf_counter()
        s.set_point(rng.uniform(-1.5, 1.5, 2))
        moves.append(time.perf_counter() - start)
        app.processEvents()  # paint, outside the timings
    steps = runs.entries[0].run.steps
    idle, basin_moves, basin_time = _moves_during_basins(app, window, rng)
    window.setWindowModified(False)  # no question on close
    window.close()
    report = Report("descent panel")
    report.add(
        "animation tick, 5 runs at 200 steps/s (ms)",
        statistics.median(ticks) * 1e3,
        at_most=8,
        detail=f"(after {steps} steps)",
    )
    report.add("point move while runs animate (ms)", statistics.median(moves) * 1e3, at_most=5)
    during, without = statistics.median(basin_moves), statistics.median(idle)
    report.add(
        "point move while basins 201² compute / without",
        during / without,
        at_most=2,
        unit="×",
        detail=f"({during * 1e3:.1f} vs {without * 1e3:.1f} ms; {len(basin_moves)} moves "
        f"in the {basin_time:.1f} s of the map)",
    )
    return report.finish()


def _moves_during_basins(app, window, rng) -> tuple[list[float], list[float], float]:
    """Point moves (paint excluded) without, then while, the panel's worker
    computes a basin map in which every start takes all 2,000 steps."""
    s, runs, panel = window.session, window.runs, window.descent_panel
    panel.set_playing(False)
    runs.clear()
    s.set_text("(x^2+y-11)^2 + (x+y^2-7)^2")
    runs.set_method("gd")
    for name, value in (("lr", 1e-4), ("tol", 0.0), ("max_steps", 2000)):
        runs.set_param(name, value)
    panel.basins_size.setCurrentIndex(panel.basins_size.findData(201))

    def moves(until) -> list[float]:
        found = []
        while until():
            t = time.perf_counter()
            s.set_point(rng.uniform(-4, 4, 2))
            found.append(time.perf_counter() - t)
            app.processEvents()  # paint and the worker's progress, outside the timings
        return found

    for end in (time.perf_counter() + 2.0, time.perf_counter() + 4.0):  # settle first
        idle = moves(lambda end=end: time.perf_counter() < end)
    start = time.perf_counter()
    panel.compute_basins()
    during = moves(lambda: panel.worker is not None)
    assert runs.basins is not None, "the basin map was not computed"
    return idle, during, time.perf_counter() - start


if __name__ == "__main__":
    sys.exit(main())
