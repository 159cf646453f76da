"""The optimizer runs on the contour map: a polyline per run, dots on its
latest iterates (the step sizes at a glance), in the run's colour.

One adapter for all runs; the selected run is drawn wider. It projects each
trajectory on the plotted axes (a slice for n > 2). Only the last `DOTS`
iterates get a dot: thousands of symbols would cost more than the steps.
"""

from __future__ import annotations

import pyqtgraph as pg

from explorer.session.runs import Runs

DOTS = 60


class MapRunsAdapter:
    def __init__(self, view: pg.PlotWidget, runs: Runs) -> None:
        self.view, self.runs = view, runs
        self.paths: list[tuple[pg.PlotCurveItem, pg.ScatterPlotItem]] = []
        self._connections = [
            (runs.changed, self._on_runs_changed),
            (runs.stepped, self._on_runs_stepped),
        ]
        for signal, slot in self._connections:
            signal.connect(slot)
        self._on_runs_changed()

    def _on_runs_changed(self) -> None:
        for items in self.paths:
            for item in items:
                self.view.removeItem(item)
        self.paths = []
        for i, e in enumerate(self.runs.entries):
            width = 3.5 if i == self.runs.selected else 2.0
            line = pg.PlotCurveItem(pen=pg.mkPen(e.color, width=width))
            dots = pg.ScatterPlotItem(size=5, brush=pg.mkBrush(e.color), pen=None)
            for item in (line, dots):
                item.setZValue(40)
                self.view.addItem(item)
            self.paths.append((line, dots))
        self._on_runs_stepped()

    def _on_runs_stepped(self) -> None:
        axes = self.runs.session.axes
        for (line, dots), e in zip(self.paths, self.runs.entries, strict=True):
            if len(axes) != 2:
                line.setData([], [])
                dots.setData([], [])
                continue
            traj = e.run.trajectory
            line.setData(traj[:, axes[0]], traj[:, axes[1]])
            dots.setData(traj[-DOTS:, axes[0]], traj[-DOTS:, axes[1]])

    def close(self) -> None:
        for signal, slot in self._connections:
            signal.disconnect(slot)
        self._connections = []
