"""`make bench` (under Xvfb): the descent panel while five runs animate.

- an animation tick at 200 steps per second (every run advanced and every
  view, table, plot and inspector updated; paint excluded), median;
- moving the selected point meanwhile (the session and every view's point
  overlays updated, paint excluded), median.
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
    window.close()
    report = Report("descent panel")
    report.add(
        "animation tick, 5 runs at 200 steps/s (ms)",
        statistics.median(ticks) * 1e3,
        at_most=8,
        detail=f"(after {runs.entries[0].run.steps if runs.entries else 0} steps)",
    )
    report.add("point move while runs animate (ms)", statistics.median(moves) * 1e3, at_most=5)
    return report.finish()


if __name__ == "__main__":
    sys.exit(main())
