"""Basins of attraction on the map: each grid point coloured by the point its
run reached (translucent over the heat map), the reached points marked."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PyQt6 import QtCore

from explorer.session.runs import Runs

# Categorical colours (label 0, the lowest end point, first); grey: no critical point.
PALETTE = np.array(
    [
        (228, 26, 28),
        (55, 126, 184),
        (77, 175, 74),
        (255, 127, 0),
        (152, 78, 163),
        (255, 255, 51),
        (166, 86, 40),
        (247, 129, 191),
    ],
    dtype=np.uint8,
)
ALPHA = 150


def basin_colors(labels: np.ndarray) -> np.ndarray:
    """(nx, ny, 4) RGBA for a label grid; −1 is transparent."""
    rgba = np.zeros((*labels.shape, 4), np.uint8)
    hit = labels >= 0
    rgba[hit, :3] = PALETTE[labels[hit] % len(PALETTE)]
    rgba[hit, 3] = ALPHA
    return rgba


class MapBasinsAdapter:
    def __init__(self, view: pg.PlotWidget, runs: Runs) -> None:
        self.view, self.runs = view, runs
        self.image = pg.ImageItem(axisOrder="col-major")
        self.image.setZValue(5)  # above the heat map, below contours and paths
        self.ends = pg.ScatterPlotItem(size=11, symbol="x", pen=pg.mkPen("k", width=2))
        self.ends.setZValue(45)
        for item in (self.image, self.ends):
            view.addItem(item)
        self._connections = [(runs.basins_changed, self._on_basins_changed)]
        for signal, slot in self._connections:
            signal.connect(slot)
        self._on_basins_changed()

    def _on_basins_changed(self) -> None:
        b = self.runs.basins
        self.image.setVisible(b is not None)
        self.ends.setVisible(b is not None)
        if b is None:
            return
        self.image.setImage(basin_colors(b.labels), autoLevels=False, levels=(0, 255))
        dx, dy = b.xs[1] - b.xs[0], b.ys[1] - b.ys[0]
        self.image.setRect(
            QtCore.QRectF(
                b.xs[0] - dx / 2, b.ys[0] - dy / 2, b.xs[-1] - b.xs[0] + dx, b.ys[-1] - b.ys[0] + dy
            )
        )
        self.ends.setData(b.ends[:, 0], b.ends[:, 1])

    def close(self) -> None:
        for signal, slot in self._connections:
            signal.disconnect(slot)
        self._connections = []
