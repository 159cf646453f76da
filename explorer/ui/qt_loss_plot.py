"""f and |∇f| against the step for every run, in the run's colour.

Solid: f; dashed: |∇f|. A log scale is one check box away (f is shown as
f − min f + tiny on it, so negative losses still plot). Hovering names the
nearest step of the selected run.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PyQt6 import QtCore, QtWidgets

from explorer.session.runs import Runs

from . import style


class QLossPlot(QtWidgets.QWidget):
    def __init__(self, runs: Runs, parent=None) -> None:
        super().__init__(parent)
        self.runs = runs
        self.plot = pg.PlotWidget(background=style.BACKGROUND)
        self.plot.setMinimumHeight(150)
        self.plot.setLabel("bottom", "step")
        self.plot.showGrid(x=True, y=True, alpha=0.2)
        self.log = QtWidgets.QCheckBox("log scale")
        self.log.setObjectName("loss_log")
        self.hover = QtWidgets.QLabel(" ")
        self.hover.setObjectName("loss_hover")
        row = QtWidgets.QHBoxLayout()
        row.addWidget(self.log)
        row.addWidget(self.hover, 1)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot)
        layout.addLayout(row)
        self.curves: list[tuple[pg.PlotDataItem, pg.PlotDataItem]] = []
        self.log.toggled.connect(self._on_log_changed)
        self.plot.scene().sigMouseMoved.connect(self._on_mouse_moved)
        runs.changed.connect(self._on_runs_changed)
        runs.stepped.connect(self._on_runs_stepped)
        self._on_runs_changed()

    def _on_runs_changed(self) -> None:
        for pair in self.curves:
            for item in pair:
                self.plot.removeItem(item)
        self.curves = []
        for e in self.runs.entries:
            pen = pg.mkPen(e.color, width=2)
            dashed = pg.mkPen(e.color, width=1, style=QtCore.Qt.PenStyle.DashLine)
            self.curves.append((self.plot.plot(pen=pen), self.plot.plot(pen=dashed)))
        self._on_runs_stepped()

    def _on_runs_stepped(self) -> None:
        log = self.log.isChecked()
        for (fc, gc), e in zip(self.curves, self.runs.entries, strict=True):
            steps = np.arange(e.run.steps + 1)
            values, norms = e.run.values, e.run.grad_norms
            if log:  # positive on a log axis: f above its lowest value, |∇f| as is
                values = values - values.min() + 1e-16
                norms = np.maximum(norms, 1e-300)
            fc.setData(steps, values)
            gc.setData(steps, norms)

    def _on_log_changed(self, on: bool) -> None:
        self.plot.setLogMode(y=on)
        self._on_runs_stepped()

    def _on_mouse_moved(self, pos) -> None:
        entries, i = self.runs.entries, self.runs.selected
        if not 0 <= i < len(entries) or not self.plot.sceneBoundingRect().contains(pos):
            return
        run = entries[i].run
        step = int(round(self.plot.getPlotItem().vb.mapSceneToView(pos).x()))
        step = min(max(step, 0), run.steps)
        x = ", ".join(f"{c:.4g}" for c in run.trajectory[step])
        self.hover.setText(
            f"step {step}: f = {run.values[step]:.6g}, |∇f| = {run.grad_norms[step]:.3g} at ({x})"
        )
