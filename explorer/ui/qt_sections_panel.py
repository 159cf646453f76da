"""Partial derivatives as slopes of slices (18.4.1): f(x, y₀) against x and
f(x₀, y) against y, each with its tangent line at the point, whose slopes are
∂f/∂x and ∂f/∂y. The same curves the 3D view's sections overlay lays on the
surface, in the same colours."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PyQt6 import QtCore, QtWidgets

from explorer.session.model import Session

from . import style
from .shown_panel import ShownOnly


def _segments_2d(segments: np.ndarray, along: int) -> tuple[np.ndarray, np.ndarray]:
    """(k, 2, 3) segments as one NaN-separated polyline of (coordinate `along`, z)."""
    if segments.size == 0:
        return np.empty(0), np.empty(0)
    rows = np.concatenate([segments, np.full((len(segments), 1, 3), np.nan)], axis=1)
    rows = rows.reshape(-1, 3)
    return rows[:, along], rows[:, 2]


class SectionsPanel(ShownOnly, QtWidgets.QWidget):
    """Computed only while shown (`ShownOnly`)."""

    def __init__(self, session: Session, parent=None) -> None:
        super().__init__(parent)
        self.session = session
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        self.plots, self.curves, self.tangents, self.markers, self.slopes = [], [], [], [], []
        for colour in (style.SECTION_X, style.SECTION_Y):
            label = QtWidgets.QLabel()
            label.setTextFormat(QtCore.Qt.TextFormat.RichText)
            plot = pg.PlotWidget(background=style.BACKGROUND)
            plot.setMinimumHeight(120)
            plot.setMenuEnabled(False)
            plot.showGrid(x=True, y=True, alpha=0.2)
            for axis in ("bottom", "left"):
                plot.getAxis(axis).enableAutoSIPrefix(False)
            curve = plot.plot(pen=pg.mkPen(colour, width=2), connect="finite")
            tangent = plot.plot(
                pen=pg.mkPen(colour, width=2, style=QtCore.Qt.PenStyle.DashLine), connect="finite"
            )
            marker = pg.ScatterPlotItem(size=9, brush=pg.mkBrush(style.POINT))
            plot.addItem(marker)
            layout.addWidget(label)
            layout.addWidget(plot, 1)
            self.plots.append(plot)
            self.curves.append(curve)
            self.tangents.append(tangent)
            self.markers.append(marker)
            self.slopes.append(label)
        for signal in (session.function_changed, session.surface_changed, session.point_changed):
            signal.connect(self._on_changed)

    def refresh(self) -> None:
        s = self.session
        if len(s.axes) != 2:
            for label in self.slopes:
                label.setText("Sections need two plotted variables.")
            for item in (*self.curves, *self.tangents, *self.markers):
                item.setData([], [])
            return
        sec = s.sections()
        info = s.info()
        names = [s.function.variables[a] for a in s.axes]
        out = s.function.output_name
        at = [s.point[a] for a in s.axes]
        for k, (xs, values, tangent) in enumerate(
            ((sec.xs, sec.f_of_x, sec.tangent_x), (sec.ys, sec.f_of_y, sec.tangent_y))
        ):
            other = names[1 - k]
            self.curves[k].setData(xs, values, connect="finite")
            self.tangents[k].setData(*_segments_2d(tangent, k), connect="finite")
            defined = bool(np.isfinite(info.value))
            self.markers[k].setData([at[k]] if defined else [], [info.value] if defined else [])
            self.plots[k].setLabel("bottom", names[k])
            self.plots[k].setLabel("left", f"{out}({names[0]}, {names[1]})")
            slope = info.gradient[s.axes[k]]
            told = (
                f"slope ∂{out}/∂{names[k]} = <b>{slope:.6g}</b>"
                if info.differentiable
                else "no tangent: f is not differentiable here"
            )
            colour = "#{:02x}{:02x}{:02x}".format(*(style.SECTION_X, style.SECTION_Y)[k])
            self.slopes[k].setText(
                f"<span style='color:{colour}'>■</span> {other} = {at[1 - k]:.4g} fixed: "
                f"{told}".replace("-", "−")
            )
