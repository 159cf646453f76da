"""The optimizer runs on the contour map: a polyline per run, dots on its
latest iterates (the step sizes at a glance), in the run's colour; a dashed
segment shows the selected run's next gradient step −η∇f.

One adapter for all runs; the selected run is drawn wider. It projects each
trajectory on the plotted axes (a slice for n > 2). Only the last `DOTS`
iterates get a dot: thousands of symbols would cost more than the steps.
"""

from __future__ import annotations

import pyqtgraph as pg
from PyQt6 import QtCore

from explorer.session.runs import Runs

DOTS = 60


class MapRunsAdapter:
    def __init__(self, view: pg.PlotWidget, runs: Runs) -> None:
        self.view, self.runs = view, runs
        self.paths: list[tuple[pg.PlotCurveItem, pg.ScatterPlotItem]] = []
        # the selected run's next gradient step −η∇f from its current iterate
        self.step = pg.PlotCurveItem(pen=pg.mkPen("k", width=2, style=QtCore.Qt.PenStyle.DashLine))
        self.step.setZValue(41)
        view.addItem(self.step)
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
        self._show_step(axes)
        for (line, dots), e in zip(self.paths, self.runs.entries, strict=True):
            if len(axes) != 2:
                line.setData([], [])
                dots.setData([], [])
                continue
            traj = e.run.trajectory
            line.setData(traj[:, axes[0]], traj[:, axes[1]])
            dots.setData(traj[-DOTS:, axes[0]], traj[-DOTS:, axes[1]])

    def _show_step(self, axes) -> None:
        entries, i = self.runs.entries, self.runs.selected
        if len(axes) != 2 or not 0 <= i < len(entries) or entries[i].run.stop_reason:
            self.step.setData([], [])
            return
        run = entries[i].run
        x, d = run.x, -run.rate() * run.gradient
        a, b = axes
        self.step.setData([x[a], x[a] + d[a]], [x[b], x[b] + d[b]])

    def close(self) -> None:
        for signal, slot in self._connections:
            signal.disconnect(slot)
        self._connections = []
