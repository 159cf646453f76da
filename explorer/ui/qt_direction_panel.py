"""The steepest-descent dial of 18.4.2: turn a direction v at the selected point
and watch its slope D_v f = ∇f·v = |∇f| cos θ, plotted against the angle, reach
its least value −|∇f| exactly where v points along −∇f."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PyQt6 import QtCore, QtWidgets

from explorer.session.model import Session

from . import style
from .shown_panel import ShownOnly


def _knob_to_angle(degrees: float) -> float:
    """QDial counts clockwise from six o'clock; angles in the plane count
    anticlockwise from the first axis. The same map takes each to the other, so
    the knob points where v points on the map."""
    return (-90.0 - degrees) % 360.0


class DirectionPanel(ShownOnly, QtWidgets.QWidget):
    """Computed only while shown (`ShownOnly`): a point drag does not pay for a
    hidden tab."""

    def __init__(self, session: Session, parent=None) -> None:
        super().__init__(parent)
        self.session = session
        self.dial = QtWidgets.QDial()
        self.dial.setRange(0, 359)
        self.dial.setWrapping(True)
        self.dial.setNotchesVisible(True)
        self.dial.setFixedSize(90, 90)
        self.dial.setToolTip("The direction v, as an angle from the first plotted axis")
        self.angle = QtWidgets.QDoubleSpinBox()
        self.angle.setRange(0.0, 360.0)
        self.angle.setWrapping(True)
        self.angle.setDecimals(1)
        self.angle.setSuffix("°")
        self.steepest = QtWidgets.QPushButton("Along −∇f")
        self.steepest.setToolTip("Turn v to the steepest-descent direction")
        self.on_map = QtWidgets.QCheckBox("Show v on the map")
        self.readout = QtWidgets.QLabel()
        self.readout.setWordWrap(True)
        self.readout.setTextFormat(QtCore.Qt.TextFormat.RichText)

        self.plot = pg.PlotWidget(background=style.BACKGROUND)
        self.plot.setMinimumHeight(150)
        self.plot.setMenuEnabled(False)
        self.plot.setMouseEnabled(False, False)
        self.plot.setLabel("bottom", "angle of v (°)")
        self.plot.setLabel("left", "D_v f")
        self.plot.getAxis("bottom").setTicks([[(a, str(a)) for a in range(0, 361, 90)]])
        self.plot.showGrid(x=True, y=True, alpha=0.2)
        self.curve = self.plot.plot(pen=pg.mkPen((40, 80, 160), width=2))
        dash = QtCore.Qt.PenStyle.DashLine
        self.descent_line = pg.InfiniteLine(angle=90, pen=pg.mkPen(style.DESCENT, style=dash))
        self.current_line = pg.InfiniteLine(angle=90, pen=pg.mkPen(style.POINT, width=1.5))
        self.current = pg.ScatterPlotItem(size=10, brush=pg.mkBrush(style.POINT))
        for item in (self.descent_line, self.current_line, self.current):
            self.plot.addItem(item)

        controls = QtWidgets.QGridLayout()
        controls.addWidget(self.dial, 0, 0, 3, 1)
        controls.addWidget(self.angle, 0, 1)
        controls.addWidget(self.steepest, 1, 1)
        controls.addWidget(self.on_map, 2, 1)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(controls)
        layout.addWidget(self.readout)
        layout.addWidget(self.plot, 1)

        self.dial.valueChanged.connect(
            lambda knob: self.session.set_direction(np.radians(_knob_to_angle(knob)))
        )
        self.angle.valueChanged.connect(lambda deg: self.session.set_direction(np.radians(deg)))
        self.steepest.clicked.connect(self._on_steepest)
        self.on_map.toggled.connect(lambda on: self.session.set_overlay("direction", on))
        for signal in (
            session.function_changed,
            session.surface_changed,
            session.point_changed,
            session.direction_changed,
            session.overlays_changed,
        ):
            signal.connect(self._on_changed)

    def _on_steepest(self) -> None:
        steepest = self.session.slopes(2).steepest
        if np.isfinite(steepest):
            self.session.set_direction(steepest)

    def refresh(self) -> None:
        s = self.session
        plane = len(s.axes) == 2
        self.setEnabled(plane)
        if not plane:
            self.readout.setText("The dial needs two plotted variables.")
            return
        r = s.slopes()
        degrees = float(np.degrees(r.angle))
        with QtCore.QSignalBlocker(self.dial), QtCore.QSignalBlocker(self.angle):
            self.dial.setValue(round(_knob_to_angle(degrees)) % 360)
            self.angle.setValue(degrees)
        with QtCore.QSignalBlocker(self.on_map):
            self.on_map.setChecked(s.overlays["direction"])
        sloped = bool(np.isfinite(r.gradient_norm))  # no slope at a corner
        self.curve.setData(np.degrees(r.angles) if sloped else [], r.values if sloped else [])
        self.current_line.setValue(degrees)
        self.current.setData([degrees] if sloped else [], [r.value] if sloped else [])
        known = bool(np.isfinite(r.steepest))
        self.descent_line.setVisible(known)
        self.steepest.setEnabled(known)
        if known:
            self.descent_line.setValue(float(np.degrees(r.steepest)))
        self.readout.setText(self._explain(r))

    @staticmethod
    def _explain(r) -> str:
        if not np.isfinite(r.gradient_norm):
            return "No slope: f is not differentiable (or undefined) here."
        if r.gradient_norm == 0:
            return "∇f = 0: every direction is level to first order (a critical point)."
        theta = np.degrees(np.arccos(np.clip(r.value / r.gradient_norm, -1.0, 1.0)))
        return (
            f"D<sub>v</sub>f = |∇f| cos θ = {r.gradient_norm:.4g} × cos {theta:.1f}° "
            f"= <b>{r.value:.4g}</b><br>least, −|∇f| = {-r.gradient_norm:.4g}, "
            f"along −∇f at {np.degrees(r.steepest):.1f}° (dashed)"
        ).replace("-", "−")
