"""Widgets generated from a parameter table (`explorer.calculus.Param`).

Each parameter gets a continuous slider (logarithmic for rates and
tolerances) beside a typed field; integers get a spin box. A typed value
outside the parameter's range is refused at the widget (red, with the
reason as its tooltip) and never reaches the model.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from PyQt6 import QtCore, QtWidgets
from superqt import QDoubleSlider

from explorer.calculus import Param

BAD = "QLineEdit { background: #ffd6d6; }"


class QParamRow(QtWidgets.QWidget):
    """Slider + field for one float parameter; emits `edited(name, value)` when valid."""

    edited = QtCore.pyqtSignal(str, float)

    def __init__(self, param: Param, parent=None) -> None:
        super().__init__(parent)
        self.param = param
        layout = QtWidgets.QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.slider = QDoubleSlider(QtCore.Qt.Orientation.Horizontal)
        self.field = QtWidgets.QLineEdit()
        self.field.setMaximumWidth(72)
        self.slider.setMinimumWidth(60)
        self.field.setObjectName(f"field_{param.name}")
        self.slider.setObjectName(f"slider_{param.name}")
        lo, hi = self._slider_range()
        self.slider.setRange(lo, hi)
        layout.addWidget(self.slider, 1)
        layout.addWidget(self.field)
        tip = param.tip or param.label
        self.setToolTip(f"{tip} — [{param.low:g}, {param.high:g}]")
        self.slider.valueChanged.connect(self._on_slider)
        self.field.editingFinished.connect(self._on_field)
        self.set_value(param.default)

    def _slider_range(self) -> tuple[float, float]:
        p = self.param
        if p.log:
            return math.log10(max(p.low, 1e-12)), math.log10(p.high)
        return p.low, p.high

    def _to_slider(self, value: float) -> float:
        return math.log10(max(value, 10 ** self._slider_range()[0])) if self.param.log else value

    def set_value(self, value: float) -> None:
        """Show `value` without emitting (the model set it)."""
        with QtCore.QSignalBlocker(self.slider):
            self.slider.setValue(self._to_slider(value))
        self.field.setText(f"{value:.6g}")
        self.field.setStyleSheet("")

    def _on_slider(self, position: float) -> None:
        value = 10**position if self.param.log else position
        value = float(f"{value:.3g}")  # round numbers, not 0.10000000000000003
        value = min(max(value, self.param.low), self.param.high)
        self.field.setText(f"{value:.6g}")
        self.field.setStyleSheet("")
        self.edited.emit(self.param.name, value)

    def _on_field(self) -> None:
        text = self.field.text().strip()
        try:
            value = self.param.check(float(text))  # float(): no eval of user text
        except ValueError as exc:
            reason = str(exc) if "must" in str(exc) else f"{text!r} is not a number"
            self.field.setStyleSheet(BAD)
            self.field.setToolTip(reason)
            return
        self.field.setStyleSheet("")
        self.field.setToolTip("")
        with QtCore.QSignalBlocker(self.slider):
            self.slider.setValue(self._to_slider(value))
        self.edited.emit(self.param.name, value)


class QParamForm(QtWidgets.QWidget):
    """A form of parameter rows for a table; `edited(name, value)` from any row."""

    edited = QtCore.pyqtSignal(str, float)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.form = QtWidgets.QFormLayout(self)
        self.form.setContentsMargins(0, 0, 0, 0)
        self.form.setRowWrapPolicy(QtWidgets.QFormLayout.RowWrapPolicy.WrapLongRows)
        self.rows: dict[str, QtWidgets.QWidget] = {}

    def build(self, params: Sequence[Param], values: dict) -> None:
        """Replace the rows by one per parameter, showing `values`."""
        while self.form.rowCount():
            self.form.removeRow(0)
        self.rows = {}
        for p in params:
            row: QtWidgets.QWidget
            if p.integer:
                row = QtWidgets.QSpinBox()
                row.setRange(int(p.low), int(min(p.high, 2**31 - 1)))
                row.setValue(int(values.get(p.name, p.default)))
                row.setObjectName(f"spin_{p.name}")
                row.setMaximumWidth(110)
                row.setToolTip(p.tip or p.label)
                row.valueChanged.connect(lambda v, n=p.name: self.edited.emit(n, float(v)))
            else:
                row = QParamRow(p)
                row.set_value(float(values.get(p.name, p.default)))
                row.edited.connect(self.edited)
            self.rows[p.name] = row
            self.form.addRow(p.label, row)

    def show_values(self, values: dict) -> None:
        """Reflect the model's values without echoing them back."""
        for name, row in self.rows.items():
            if name not in values:
                continue
            if isinstance(row, QParamRow):
                row.set_value(float(values[name]))
            elif isinstance(row, QtWidgets.QSpinBox):
                with QtCore.QSignalBlocker(row):
                    row.setValue(int(values[name]))
