"""The inspector: everything about the selected point, and the chapter's first
experiment made live (f at point + ε beside the linear and quadratic
predictions, and their errors against |ε| on log–log axes: slopes 2 and 3)."""

from __future__ import annotations

import html

import numpy as np
import pyqtgraph as pg
from PyQt6 import QtCore, QtGui, QtWidgets

from explorer.session.model import Session

from . import style
from .qt_function_panel import spin

KIND_COLORS = {
    **{k: "#{:02x}{:02x}{:02x}".format(*v) for k, v in style.CRITICAL.items()},
    "regular point": "#333",
    "undefined": "#b00020",
}


def fmt(v: float) -> str:
    return "undefined" if not np.isfinite(v) else f"{v:.6g}"


def vec(values) -> str:
    return "(" + ", ".join(fmt(v) for v in values) + ")"


def matrix_html(m: np.ndarray) -> str:
    rows = "".join(
        "<tr>" + "".join(f"<td align='right'>&nbsp;{fmt(v)}&nbsp;</td>" for v in row) + "</tr>"
        for row in m
    )
    return f"<table style='border-left:1px solid #888;border-right:1px solid #888'>{rows}</table>"


class InspectorPanel(QtWidgets.QWidget):
    def __init__(self, session: Session, parent=None) -> None:
        super().__init__(parent)
        self.session = session
        layout = QtWidgets.QVBoxLayout(self)
        self.summary = QtWidgets.QLabel()
        self.summary.setTextFormat(QtCore.Qt.TextFormat.RichText)
        self.summary.setTextInteractionFlags(QtCore.Qt.TextInteractionFlag.TextSelectableByMouse)
        self.summary.setWordWrap(True)
        self.summary.setFont(
            QtGui.QFontDatabase.systemFont(QtGui.QFontDatabase.SystemFont.FixedFont)
        )
        layout.addWidget(self.summary)

        box = QtWidgets.QGroupBox("First experiment: f(x₀ + ε) against its models")
        box.setToolTip(
            "Section 18.4.1: the linear model's error shrinks like |ε|², "
            "the quadratic model's like |ε|³"
        )
        inner = QtWidgets.QVBoxLayout(box)
        self.eps_row = QtWidgets.QGridLayout()  # ε per variable, two to a row
        inner.addLayout(self.eps_row)
        self.eps_boxes: list[QtWidgets.QDoubleSpinBox] = []
        self._eps_for: tuple[str, ...] = ()
        self.table = QtWidgets.QLabel()
        self.table.setTextFormat(QtCore.Qt.TextFormat.RichText)
        self.table.setFont(self.summary.font())
        inner.addWidget(self.table)
        self.plot = pg.PlotWidget(background=style.BACKGROUND, enableMenu=False)  # a fixed view
        self.plot.setLogMode(x=True, y=True)
        self.plot.setMinimumHeight(150)
        self.plot.setLabel("bottom", "|ε|")
        self.plot.setLabel("left", "|error|")
        self.plot.addLegend(offset=(5, 5), labelTextSize="8pt")
        self.lin_curve = self.plot.plot(pen=pg.mkPen(style.TANGENT, width=2), name="linear")
        self.quad_curve = self.plot.plot(pen=pg.mkPen(style.QUADRATIC, width=2), name="quadratic")
        self.ref2 = self.plot.plot(
            pen=pg.mkPen((120, 120, 120), style=QtCore.Qt.PenStyle.DotLine), name="slopes 2, 3"
        )
        self.ref3 = self.plot.plot(pen=pg.mkPen((120, 120, 120), style=QtCore.Qt.PenStyle.DotLine))
        self.plot.setMouseEnabled(x=False, y=False)
        for axis in ("left", "bottom"):
            self.plot.getAxis(axis).enableAutoSIPrefix(False)
        inner.addWidget(self.plot)
        layout.addWidget(box)
        layout.addStretch(1)

        session.function_changed.connect(self._on_function_changed)
        session.surface_changed.connect(self._on_point_changed)
        session.point_changed.connect(self._on_point_changed)
        session.epsilon_changed.connect(self._on_point_changed)
        self._on_function_changed()

    def _on_function_changed(self) -> None:
        names = self.session.function.variables
        if names != self._eps_for:
            self._build_eps_boxes(names)
        self._on_point_changed()

    def _build_eps_boxes(self, names: tuple[str, ...]) -> None:
        self._eps_for = names
        while self.eps_row.count():
            w = self.eps_row.takeAt(0).widget()
            if w is not None:
                w.hide()
                w.setParent(None)  # gone now, not at the next deferred delete
        self.eps_boxes = []
        for i, name in enumerate(names):
            b = spin(-1e3, 1e3, float(self.session.epsilon[i]), decimals=4, step=0.01)
            b.setToolTip(f"ε component along {name}")
            b.valueChanged.connect(self._on_eps_edited)
            row, col = divmod(i, 2)
            self.eps_row.addWidget(QtWidgets.QLabel(f"ε<sub>{name}</sub>"), row, 2 * col)
            self.eps_row.addWidget(b, row, 2 * col + 1)
            self.eps_boxes.append(b)

    def _on_eps_edited(self) -> None:
        self.session.set_epsilon([b.value() for b in self.eps_boxes])

    def _on_point_changed(self) -> None:
        s = self.session
        info = s.info()
        names = ", ".join(s.function.variables)
        kind = info.kind
        lines = [
            f"<b>point</b> ({names}) = {vec(info.point)}",
            f"<b>{s.function.output_name}</b> = {fmt(info.value)}",
            f"<b>∇{s.function.output_name}</b> = {vec(info.gradient)}",
            f"<b>|∇{s.function.output_name}|</b> = {fmt(info.gradient_norm)}",
            f"<b>Hessian</b>{matrix_html(info.hessian)}",
            f"<b>eigenvalues</b> {vec(info.eigenvalues)}",
            "<b>eigenvectors</b> "
            + ", ".join(vec(info.eigenvectors[:, k]) for k in range(info.eigenvectors.shape[1])),
            f"<b>kind</b> <span style='color:{KIND_COLORS.get(kind, '#333')}'>"
            f"{html.escape(kind)}</span>",
        ]
        self.summary.setText("<br>".join(lines))
        for b, e in zip(self.eps_boxes, s.epsilon, strict=False):
            with QtCore.QSignalBlocker(b):
                b.setValue(float(e))
        ex = s.experiment()
        rows = [
            ("f(x₀ + ε)", ex.true, None),
            ("linear", ex.linear, ex.true - ex.linear),
            ("quadratic", ex.quadratic, ex.true - ex.quadratic),
        ]
        cells = "".join(
            f"<tr><td>{name}</td><td align='right'>&nbsp;{v:.10g}</td>"
            f"<td align='right'>&nbsp;{'' if err is None else f'error {err:.3g}'}"
            f"</td></tr>"
            for name, v, err in rows
        )
        self.table.setText(f"<table>{cells}</table>")
        ok_l = (ex.linear_errors > 0) & np.isfinite(ex.linear_errors)
        ok_q = (ex.quadratic_errors > 0) & np.isfinite(ex.quadratic_errors)
        self.lin_curve.setData(ex.sizes[ok_l], ex.linear_errors[ok_l])
        self.quad_curve.setData(ex.sizes[ok_q], ex.quadratic_errors[ok_q])
        for curve, errors, ok, power in (
            (self.ref2, ex.linear_errors, ok_l, 2),
            (self.ref3, ex.quadratic_errors, ok_q, 3),
        ):
            if ok.any():
                k = np.flatnonzero(ok)[-1]
                ref = errors[k] * (ex.sizes / ex.sizes[k]) ** power
                curve.setData(ex.sizes, ref)
            else:
                curve.setData([], [])
