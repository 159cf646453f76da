"""The optimizer runs on the contour map: a polyline with a dot per iterate.

One adapter for all runs, in their colours; the selected run is drawn wider.
It projects each trajectory on the plotted axes (a slice for n > 2).
"""

from __future__ import annotations

import pyqtgraph as pg

from explorer.session.runs import Runs


class MapRunsAdapter:
    def __init__(self, view: pg.PlotWidget, runs: Runs) -> None:
        self.view, self.runs = view, runs
        self.paths: list[pg.PlotDataItem] = []
        self._connections = [
            (runs.changed, self._on_runs_changed),
            (runs.stepped, self._on_runs_stepped),
        ]
        for signal, slot in self._connections:
            signal.connect(slot)
        self._on_runs_changed()

    def _on_runs_changed(self) -> None:
        for item in self.paths:
            self.view.removeItem(item)
        self.paths = []
        for i, e in enumerate(self.runs.entries):
            width = 3.5 if i == self.runs.selected else 2.0
            item = pg.PlotDataItem(
                pen=pg.mkPen(e.color, width=width),
                symbol="o",
                symbolSize=5,
                symbolBrush=e.color,
                symbolPen=None,
            )
            item.setZValue(40)
            self.view.addItem(item)
            self.paths.append(item)
        self._on_runs_stepped()

    def _on_runs_stepped(self) -> None:
        axes = self.runs.session.axes
        for item, e in zip(self.paths, self.runs.entries, strict=True):
            if len(axes) != 2:
                item.setData([], [])
                continue
            traj = e.run.trajectory
            item.setData(traj[:, axes[0]], traj[:, axes[1]])

    def close(self) -> None:
        for signal, slot in self._connections:
            signal.disconnect(slot)
        self._connections = []
