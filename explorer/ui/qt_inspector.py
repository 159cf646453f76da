"""The inspector: everything about the selected point, and the chapter's first
experiment made live (f at point + ε beside the linear and quadratic
predictions, and their errors against |ε| on log–log axes: slopes 2 and 3)."""

from __future__ import annotations

import html
import math
from dataclasses import replace

import numpy as np
import pyqtgraph as pg
from PyQt6 import QtCore, QtGui, QtWidgets

from explorer.calculus import NOT_DIFFERENTIABLE, TaylorModel, describe
from explorer.session.model import Session
from explorer.session.numbers import number, tidy, vector
from explorer.session.persistence import EPSILON_LIMIT

from . import style
from .qt_number_field import NumberField
from .qt_rich_text import RichText

KIND_COLORS = {
    **{k: "#{:02x}{:02x}{:02x}".format(*v) for k, v in style.CRITICAL.items()},
    "regular point": "#333",
    "undefined": "#b00020",
    NOT_DIFFERENTIABLE: "#8a5a00",
}
EPS_FIELD_WIDTH = 130  # one ε label and field; the grid puts as many in a row as fit
PAD = 0.02  # of the error plot's range, on each side
PLOT_HEIGHT = 220  # fixed: the plot never absorbs a change in the height of the text above
TABLE = "<div style='white-space:pre'>{}</div>"  # monospace lines, spaces kept


def hex_color(rgb: tuple[int, ...]) -> str:
    return "#{:02x}{:02x}{:02x}".format(*rgb[:3])


def aligned(rows: list[list[tuple[str, str]]], left: int = 0, bars: bool = False) -> str:
    """A table as lines of text whose columns the labels' fixed-pitch font lines
    up, numbers right-aligned (the first `left` columns left-aligned), between
    matrix bars if asked. Each cell is (text, markup with {} for the text). A
    QLabel lays out an HTML table slowly (~5 ms for the Hessian and eigen table
    of four variables), on every point move."""
    widths = [max(len(row[c][0]) for row in rows) for c in range(len(rows[0]))]
    lines = []
    for row in rows:
        cells = []
        for c, ((text, markup), width) in enumerate(zip(row, widths, strict=True)):
            pad = " " * (width - len(text))
            body = markup.format(html.escape(text))
            cells.append(body + pad if c < left else pad + body)
        line = " ".join(cells)
        lines.append(f"│ {line} │" if bars else line)
    return TABLE.format("<br>".join(lines))


def matrix_html(m: np.ndarray, digits: int = 6) -> str:
    return aligned([[(number(v, digits), "{}") for v in row] for row in m], bars=True)


def eigen_html(values: np.ndarray, vectors: np.ndarray, names: tuple[str, ...]) -> str:
    """Eigenvalues as the header of a table whose columns are their eigenvectors,
    each eigenvalue coloured by its sign (0 in a neutral grey)."""
    head = [("", "{}")] + [
        (
            number(lam, 5),
            f"<span style='color:{hex_color(style.eigen_color(lam))}'><b>{{}}</b></span>",
        )
        for lam in values
    ]
    rows = [
        [(name, "{}")] + [(number(v, 4), "{}") for v in vectors[i]] for i, name in enumerate(names)
    ]
    return aligned([head, *rows], left=1)


def formula(model: TaylorModel, names: tuple[str, ...]) -> str:
    """The model as the calculus module writes it (as the CLI prints it), with the
    rounding noise of its coefficients removed."""
    hessian = None if model.hessian is None else tidy(model.hessian)
    clean = replace(model, gradient=tidy(model.gradient), hessian=hessian)
    finite = np.isfinite(model.value) and np.all(np.isfinite(clean.gradient))
    if hessian is not None:
        finite = finite and np.all(np.isfinite(hessian))
    return describe(clean, names) if finite else "undefined"


class InspectorPanel(QtWidgets.QWidget):
    def __init__(self, session: Session, parent=None) -> None:
        super().__init__(parent)
        self.session = session
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)  # narrow docks need every pixel for the tables
        mono = QtGui.QFontDatabase.systemFont(QtGui.QFontDatabase.SystemFont.FixedFont)
        self.summary = RichText(mono)  # point, value, gradient, kind: lines that wrap
        self.matrices = RichText(mono, wrap=False)  # Hessian and eigen table: as wide as they are
        self.models = RichText(mono)  # the two Taylor models, wrapping between terms
        for label in (self.summary, self.matrices, self.models):
            layout.addWidget(label)

        box = QtWidgets.QGroupBox("First experiment (18.4.1)")  # short: it sets a minimum width
        box.setToolTip(
            "f(x₀ + ε) against its linear and quadratic models: "
            "the linear model's error shrinks like |ε|², "
            "the quadratic model's like |ε|³"
        )
        inner = QtWidgets.QVBoxLayout(box)
        inner.setContentsMargins(6, 6, 6, 6)
        self.eps_grid = QtWidgets.QGridLayout()  # ε per variable, as many to a row as fit
        inner.addLayout(self.eps_grid)
        self.eps_boxes: list[NumberField] = []
        self._eps_labels: list[QtWidgets.QLabel] = []
        self._eps_for: tuple[str, ...] = ()
        self._eps_columns = 0
        self.table = RichText(mono, wrap=False)
        inner.addWidget(self.table)
        self.plot = pg.PlotWidget(background=style.BACKGROUND, enableMenu=False)  # a fixed view
        self.plot.setLogMode(x=True, y=True)
        self.plot.setFixedHeight(PLOT_HEIGHT)
        self.plot.setLabel("bottom", "|ε|")
        self.plot.setLabel("left", "|error|")
        self.plot.addLegend(offset=(5, 5), labelTextSize="8pt")
        # the linear curve wide and solid, the quadratic dashed on top: where the two
        # coincide (a zero Hessian) both stay visible
        self.lin_curve = self.plot.plot(pen=pg.mkPen(style.TANGENT, width=4), name="linear")
        self.quad_curve = self.plot.plot(
            pen=pg.mkPen(style.QUADRATIC, width=2, style=QtCore.Qt.PenStyle.DashLine),
            name="quadratic",
        )
        self.ref2 = self.plot.plot(
            pen=pg.mkPen((120, 120, 120), style=QtCore.Qt.PenStyle.DotLine), name="slopes 2, 3"
        )
        self.ref3 = self.plot.plot(pen=pg.mkPen((120, 120, 120), style=QtCore.Qt.PenStyle.DotLine))
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.disableAutoRange()  # `_fit_view` sets the range
        self._view: tuple[float, float, int, int] | None = None
        for axis in ("left", "bottom"):
            self.plot.getAxis(axis).enableAutoSIPrefix(False)
        inner.addWidget(self.plot)
        layout.addWidget(box)
        layout.addStretch(1)

        session.function_changed.connect(self._on_function_changed)
        session.surface_changed.connect(self._on_point_changed)
        session.point_changed.connect(self._on_point_changed)
        session.epsilon_changed.connect(self._on_point_changed)
        self._held_width = -1  # the width the wrapped labels' heights are held at
        self._on_function_changed()

    def _on_function_changed(self) -> None:
        self._release_heights()
        names = self.session.function.variables
        if names != self._eps_for:
            self._build_eps_fields(names)
        self._on_point_changed()

    def _build_eps_fields(self, names: tuple[str, ...]) -> None:
        self._eps_for = names
        for w in (*self.eps_boxes, *self._eps_labels):
            self.eps_grid.removeWidget(w)
            w.hide()
            w.setParent(None)  # gone now, not at the next deferred delete
        self.eps_boxes, self._eps_labels = [], []
        for i, name in enumerate(names):
            field = NumberField(float(self.session.epsilon[i]), EPSILON_LIMIT)
            field.setToolTip(f"ε component along {name}")
            field.valueEdited.connect(self._on_eps_edited)
            self._eps_labels.append(QtWidgets.QLabel(f"ε<sub>{html.escape(name)}</sub>"))
            self.eps_boxes.append(field)
        self._eps_columns = 0
        self._reflow_eps()

    def _reflow_eps(self) -> None:
        """As many (label, field) pairs to a row as the width holds."""
        columns = max(1, min(len(self.eps_boxes), self.width() // EPS_FIELD_WIDTH))
        if columns == self._eps_columns:
            return
        self._eps_columns = columns
        for i, (label, field) in enumerate(zip(self._eps_labels, self.eps_boxes, strict=True)):
            row, col = divmod(i, columns)
            self.eps_grid.addWidget(label, row, 2 * col)
            self.eps_grid.addWidget(field, row, 2 * col + 1)
        for col in range(2 * max(columns, 2)):
            self.eps_grid.setColumnStretch(col, 1 if col % 2 else 0)

    def resizeEvent(self, event: QtGui.QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._reflow_eps()
        if self.width() != self._held_width:
            self._release_heights()

    def _hold_heights(self) -> None:
        """The wrapped labels keep the tallest height they had at this width for this
        function, so that a point move whose numbers wrap to a line fewer moves nothing
        below them (each move would lay out and paint the panel again: ~3 ms a step)."""
        self._held_width = self.width()
        for label in (self.summary, self.models):
            need = label.heightForWidth(label.width())
            if need > label.minimumHeight():
                label.setMinimumHeight(need)

    def _release_heights(self) -> None:
        for label in (self.summary, self.models):
            label.setMinimumHeight(0)

    def _on_eps_edited(self) -> None:
        self.session.set_epsilon([b.value() for b in self.eps_boxes])

    def _on_point_changed(self) -> None:
        s = self.session
        info = s.info()
        names = s.function.variables
        out = s.function.output_name
        kind = info.kind + (f" ({', '.join(info.kinks)})" if info.kinks else "")
        self.summary.setText(
            "<br>".join(
                (
                    f"<b>point</b> ({', '.join(names)}) = {vector(info.point)}",
                    f"<b>{out}</b> = {number(info.value)}",
                    f"<b>∇{out}</b> = {vector(tidy(info.gradient))}",
                    f"<b>|∇{out}|</b> = {number(info.gradient_norm)}",
                    f"<b>kind</b> <span style='color:{KIND_COLORS.get(info.kind, '#333')}'>"
                    f"{html.escape(kind)}</span>",
                )
            )
        )
        self.matrices.setText(
            f"<b>Hessian</b>{matrix_html(tidy(info.hessian))}"
            "<b>eigenvalues, eigenvectors</b>"  # short: this label does not wrap
            f"{eigen_html(info.eigenvalues, tidy(info.eigenvectors), names)}"
        )
        if info.kinks:
            self.models.setText("<b>linear, quadratic</b> none: f has a kink here")
        else:
            self.models.setText(
                f"<b>linear</b> {html.escape(formula(info.linear, names))}<br>"
                f"<b>quadratic</b> {html.escape(formula(info.quadratic, names))}"
            )
        self._hold_heights()
        for b, e in zip(self.eps_boxes, s.epsilon, strict=False):
            if b.value() != e:
                b.setValue(float(e))
        self._show_experiment()

    def _show_experiment(self) -> None:
        ex = self.session.experiment()
        rows = [[("", "{}"), ("value", "<i>{}</i>"), ("error", "<i>{}</i>")]]
        for name, value, err in (
            ("f(x₀ + ε)", ex.true, None),
            ("linear", ex.linear, ex.true - ex.linear),
            ("quadratic", ex.quadratic, ex.true - ex.quadratic),
        ):
            error = "" if err is None else number(err, 3)
            rows.append([(name, "{}"), (number(value, 10), "{}"), (error, "{}")])
        self.table.setText(aligned(rows, left=1))
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
        self._fit_view()

    def _fit_view(self) -> None:
        """All of the curves, in whole decades of error: a point move redraws the
        curves, and the log axes only when a curve reaches another decade
        (pyqtgraph's automatic range would lay them out again on every move)."""
        curves = (self.lin_curve, self.quad_curve, self.ref2, self.ref3)
        data = [c.getOriginalDataset() for c in curves]
        data = [(x, y) for x, y in data if x is not None and len(x)]
        if not data:  # no error is defined here: the view stays
            return
        xs = np.concatenate([x for x, _ in data])
        ys = np.concatenate([y for _, y in data])
        ok = (xs > 0) & (ys > 0) & np.isfinite(xs) & np.isfinite(ys)
        if not ok.any():
            return
        lx, ly = np.log10(xs[ok]), np.log10(ys[ok])
        low = math.floor(ly.min())
        view = (float(lx.min()), float(lx.max()), low, max(math.ceil(ly.max()), low + 1))
        if view != self._view:
            self._view = view
            self.plot.setRange(xRange=view[:2], yRange=view[2:], padding=PAD)
