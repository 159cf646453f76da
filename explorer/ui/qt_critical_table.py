"""The critical points of the function as a table (18.4.3): kind, point, value
and the Hessian's eigenvalues, smooth ones first, then the extrema at corners
where f is not differentiable. Selecting a row moves the point there; the
markers in the views stay. The search runs only while the table is shown."""

from __future__ import annotations

import numpy as np
from PyQt6 import QtCore, QtGui, QtWidgets

from explorer.session.model import Session

from . import style
from .shown_panel import ShownOnly

COLUMNS = ("kind", "point", "value", "eigenvalues")


def _num(v: float) -> str:
    return "—" if not np.isfinite(v) else f"{v:.6g}".replace("-", "−")


def _vec(values) -> str:
    return "(" + ", ".join(_num(float(v)) for v in values) + ")"


class CriticalTable(ShownOnly, QtWidgets.QWidget):
    def __init__(self, session: Session, parent=None) -> None:
        super().__init__(parent)
        self.session = session
        self.table = QtWidgets.QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("critical_table")
        self.table.setHorizontalHeaderLabels([c.capitalize() for c in COLUMNS])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QtWidgets.QAbstractItemView.SelectionMode.SingleSelection)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QtWidgets.QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.setToolTip("Select a row to move the point there")
        self.table.itemSelectionChanged.connect(self._on_row_selected)
        self.note = QtWidgets.QLabel()
        self.note.setWordWrap(True)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.table)
        layout.addWidget(self.note)
        self.points: list = []  # the rows' critical points
        session.function_changed.connect(self._on_changed)
        session.surface_changed.connect(self._on_changed)

    def refresh(self) -> None:
        found = self.session.critical()
        rows = [(c, c.kind) for c in found] + [(c, f"{c.kind} (corner)") for c in found.nonsmooth]
        self.points = [c for c, _ in rows]
        with QtCore.QSignalBlocker(self.table):
            self.table.clearSelection()
            self.table.setRowCount(len(rows))
            for r, (c, kind) in enumerate(rows):
                cells = (kind, _vec(c.point), _num(c.value), _vec(c.eigenvalues))
                for col, text in enumerate(cells):
                    item = QtWidgets.QTableWidgetItem(text)
                    if col == 0:
                        item.setForeground(QtGui.QColor(*style.CRITICAL[c.kind]))
                    self.table.setItem(r, col, item)
        notes = [f"{len(found)} critical point(s)"]
        if found.nonsmooth:
            notes.append(f"{len(found.nonsmooth)} extremum(s) at corners, where no gradient exists")
        if found.continuum:
            notes.append("non-isolated critical points (a line or a region) are not listed")
        self.note.setText("; ".join(notes) + ".")

    def _on_row_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            self.session.set_point(self.points[rows[0].row()].point)
