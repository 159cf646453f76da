"""The optimizer runs on the contour map: a polyline per run, dots on its
latest iterates (the step sizes at a glance), in the run's colour. The selected
run's next step from its current iterate, as the session gives it
(`Runs.step_arrows`, the same steps the 3D view drapes): −η∇f dashed in black and,
where the method has one, its own step (momentum's velocity, the adapted step,
the damped Newton step) dotted in the run's colour.

One adapter for all runs; the selected run is drawn wider. It projects each
trajectory on the plotted axes (a slice for n > 2). Only the last `DOTS`
iterates get a dot: thousands of symbols would cost more than the steps.
"""

from __future__ import annotations

import pyqtgraph as pg
from PyQt6 import QtCore

from explorer.session.runs import GRADIENT_STEP, Runs

DOTS = 60


class MapRunsAdapter:
    def __init__(self, view: pg.PlotWidget, runs: Runs) -> None:
        self.view, self.runs = view, runs
        self.paths: list[tuple[pg.PlotCurveItem, pg.ScatterPlotItem]] = []
        self.step = pg.PlotCurveItem(pen=pg.mkPen("k", width=2, style=QtCore.Qt.PenStyle.DashLine))
        self.own_step = pg.PlotCurveItem()
        for item in (self.step, self.own_step):
            item.setZValue(41)
            view.addItem(item)
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
        self._show_step()
        for (line, dots), e in zip(self.paths, self.runs.entries, strict=True):
            if len(axes) != 2:
                line.setData([], [])
                dots.setData([], [])
                continue
            traj = e.run.trajectory
            line.setData(traj[:, axes[0]], traj[:, axes[1]])
            dots.setData(traj[-DOTS:, axes[0]], traj[-DOTS:, axes[1]])

    def _show_step(self) -> None:
        arrows = self.runs.step_arrows()
        gradient = [a.path for a in arrows if a.kind == GRADIENT_STEP]
        own = [a.path for a in arrows if a.kind != GRADIENT_STEP]
        for item, paths in ((self.step, gradient), (self.own_step, own)):
            if paths:
                item.setData(paths[0][:, 0], paths[0][:, 1])
            else:
                item.setData([], [])
        if own:
            color = self.runs.entries[self.runs.selected].color
            self.own_step.setPen(pg.mkPen(color, width=2.5, style=QtCore.Qt.PenStyle.DotLine))

    def close(self) -> None:
        for signal, slot in self._connections:
            signal.disconnect(slot)
        self._connections = []
