"""The function panel: presets, the expression field with live validation, the
domain, resolution and z-range, and for more than two variables the plotted
axes and a slider for each other variable."""

from __future__ import annotations

import html

from PyQt6 import QtCore, QtGui, QtWidgets

from explorer.engine import ParseError
from explorer.session import presets
from explorer.session.model import RESOLUTIONS, Session

SLIDER_STEPS = 1000


def spin(
    lo: float = -1e6, hi: float = 1e6, value: float = 0.0, decimals: int = 3, step: float = 0.1
) -> QtWidgets.QDoubleSpinBox:
    box = QtWidgets.QDoubleSpinBox()
    box.setRange(lo, hi)
    box.setDecimals(decimals)
    box.setSingleStep(step)
    box.setValue(value)
    box.setKeyboardTracking(False)  # act on Enter or focus change, not on every digit
    narrow(box)
    return box


def narrow(widget: QtWidgets.QWidget, minimum: int = 60) -> None:
    """Let a wide-hinted widget (a big range, a long preset name) share a narrow dock."""
    widget.setMinimumWidth(minimum)
    widget.setSizePolicy(QtWidgets.QSizePolicy.Policy.Ignored, QtWidgets.QSizePolicy.Policy.Fixed)


class FunctionPanel(QtWidgets.QWidget):
    def __init__(self, session: Session, parent=None) -> None:
        super().__init__(parent)
        self.session = session
        layout = QtWidgets.QVBoxLayout(self)

        self.presets = QtWidgets.QComboBox()
        self.presets.setToolTip(
            "Functions from the chapter, its exercises, and the usual optimization test functions"
        )
        model = QtGui.QStandardItemModel()
        custom = QtGui.QStandardItem("Custom function")
        model.appendRow(custom)
        for group in presets.GROUPS:
            header = QtGui.QStandardItem(group)
            header.setFlags(QtCore.Qt.ItemFlag.NoItemFlags)
            font = header.font()
            font.setBold(True)
            header.setFont(font)
            model.appendRow(header)
            for p in presets.PRESETS:
                if p.group == group:
                    item = QtGui.QStandardItem("   " + p.name)
                    item.setData(p.name, QtCore.Qt.ItemDataRole.UserRole)
                    item.setToolTip(p.note)
                    model.appendRow(item)
        self.presets.setModel(model)
        narrow(self.presets, 120)
        self.presets.activated.connect(self._on_preset_chosen)
        layout.addWidget(self.presets)

        self.editor = QtWidgets.QLineEdit()
        self.editor.setPlaceholderText("e.g. x*exp(-x^2-y^2)  or  a = x+y; f = a^2")
        self.editor.setToolTip(
            "Type a function; it is drawn as soon as it is valid.\n"
            "^ or ** for powers, 2x for 2*x, a = …; separates definitions,\n"
            "f(x, y) = … fixes the variable order."
        )
        font = QtGui.QFontDatabase.systemFont(QtGui.QFontDatabase.SystemFont.FixedFont)
        self.editor.setFont(font)
        self.editor.textEdited.connect(self._on_text_edited)
        self.editor.returnPressed.connect(lambda: self._on_text_edited(self.editor.text()))
        layout.addWidget(self.editor)
        self.error = QtWidgets.QLabel()
        self.error.setTextFormat(QtCore.Qt.TextFormat.RichText)
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020;")
        layout.addWidget(self.error)
        self.note = QtWidgets.QLabel()
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: #555;")
        layout.addWidget(self.note)

        self.form = form = QtWidgets.QFormLayout()
        layout.addLayout(form)
        self.axis_boxes = [QtWidgets.QComboBox(), QtWidgets.QComboBox()]
        axes_row = QtWidgets.QHBoxLayout()
        for box in self.axis_boxes:
            narrow(box)
            box.activated.connect(self._on_axes_chosen)
            axes_row.addWidget(box)
        self.axes_label = QtWidgets.QLabel("Plotted axes")
        form.addRow(self.axes_label, axes_row)
        self.domain_rows: list[
            tuple[QtWidgets.QLabel, QtWidgets.QDoubleSpinBox, QtWidgets.QDoubleSpinBox]
        ] = []
        for k in range(2):
            lo, hi = spin(), spin()
            lo.valueChanged.connect(lambda _v, k=k: self._on_domain_edited(k))
            hi.valueChanged.connect(lambda _v, k=k: self._on_domain_edited(k))
            row = QtWidgets.QHBoxLayout()
            row.addWidget(lo)
            row.addWidget(QtWidgets.QLabel("to"))
            row.addWidget(hi)
            label = QtWidgets.QLabel()
            self.domain_rows.append((label, lo, hi))
            form.addRow(label, row)
        self.resolution = QtWidgets.QComboBox()
        narrow(self.resolution)
        for r in RESOLUTIONS:
            self.resolution.addItem(f"{r} × {r}", r)
        self.resolution.setToolTip("Grid points per axis")
        self.resolution.activated.connect(
            lambda i: self.session.set_resolution(self.resolution.itemData(i))
        )
        form.addRow("Resolution", self.resolution)
        self.z_auto = QtWidgets.QCheckBox("automatic")
        self.z_auto.setToolTip("Fit the z-range to the function (poles are clipped)")
        self.z_lo, self.z_hi = spin(), spin()
        zrow = QtWidgets.QHBoxLayout()
        for w in (self.z_lo, QtWidgets.QLabel("to"), self.z_hi):
            zrow.addWidget(w)
        form.addRow("z-range", self.z_auto)
        form.addRow("", zrow)
        self.z_auto.toggled.connect(self._on_zrange_edited)
        self.z_lo.valueChanged.connect(self._on_zrange_edited)
        self.z_hi.valueChanged.connect(self._on_zrange_edited)
        self.clip_note = QtWidgets.QLabel()
        self.clip_note.setStyleSheet("color: #8a5a00;")
        self.clip_note.setWordWrap(True)
        form.addRow(self.clip_note)

        self.slice_box = QtWidgets.QGroupBox("Slice through the point")
        self.slice_layout = QtWidgets.QFormLayout(self.slice_box)
        self.sliders: dict[int, tuple[QtWidgets.QSlider, QtWidgets.QLabel]] = {}
        layout.addWidget(self.slice_box)
        layout.addStretch(1)

        session.function_changed.connect(self._on_function_changed)
        session.surface_changed.connect(self._on_surface_changed)
        session.point_changed.connect(self._on_point_changed)
        self._on_function_changed()

    # model -> widgets (signals blocked: a widget set from the model does not echo)
    def _on_function_changed(self) -> None:
        s = self.session
        if self.editor.text() != s.text and not self.editor.hasFocus():
            self.editor.setText(s.text)
        self.clear_error()
        index = self.presets.findData(s.preset, QtCore.Qt.ItemDataRole.UserRole)
        with QtCore.QSignalBlocker(self.presets):
            self.presets.setCurrentIndex(max(index, 0))
        self.note.setText(presets.find(s.preset).note if s.preset else "")
        self.note.setVisible(bool(s.preset))
        names = s.function.variables
        for box in self.axis_boxes:
            with QtCore.QSignalBlocker(box):
                box.clear()
                box.addItems(names)
        two = len(names) > 2
        self.axes_label.setVisible(two)
        for box in self.axis_boxes:
            box.setVisible(two)
        self._build_sliders()
        self._on_surface_changed()

    def _build_sliders(self) -> None:
        while self.slice_layout.rowCount():
            self.slice_layout.removeRow(0)
        self.sliders.clear()
        s = self.session
        for i, name in enumerate(s.function.variables):
            if i in s.axes:
                continue
            slider = QtWidgets.QSlider(QtCore.Qt.Orientation.Horizontal)
            slider.setRange(0, SLIDER_STEPS)
            slider.setToolTip(f"Value of {name} on the plotted slice")
            value = QtWidgets.QLabel()
            value.setMinimumWidth(60)
            slider.valueChanged.connect(lambda v, i=i: self._on_slider(i, v))
            row = QtWidgets.QHBoxLayout()
            row.addWidget(slider)
            row.addWidget(value)
            self.slice_layout.addRow(name, row)
            self.sliders[i] = (slider, value)
        self.slice_box.setVisible(bool(self.sliders))
        self._on_point_changed()

    def _on_surface_changed(self) -> None:
        s = self.session
        self.form.setRowVisible(self.resolution, len(s.axes) == 2)  # a curve needs none
        for k, (label, lo, hi) in enumerate(self.domain_rows):
            visible = k < len(s.axes)
            self.form.setRowVisible(label, visible)
            if not visible:
                continue
            axis = s.axes[k]
            label.setText(f"{s.function.variables[axis]} from")
            with QtCore.QSignalBlocker(lo), QtCore.QSignalBlocker(hi):
                lo.setValue(s.domain[axis][0])
                hi.setValue(s.domain[axis][1])
        for k, box in enumerate(self.axis_boxes):
            if k < len(s.axes):
                with QtCore.QSignalBlocker(box):
                    box.setCurrentIndex(s.axes[k])
        with QtCore.QSignalBlocker(self.resolution):
            self.resolution.setCurrentIndex(max(0, self.resolution.findData(s.resolution)))
        zr = s.zrange()
        with (
            QtCore.QSignalBlocker(self.z_auto),
            QtCore.QSignalBlocker(self.z_lo),
            QtCore.QSignalBlocker(self.z_hi),
        ):
            self.z_auto.setChecked(s.zrange_fixed is None)
            self.z_lo.setValue(zr[0])
            self.z_hi.setValue(zr[1])
            self.z_lo.setEnabled(s.zrange_fixed is not None)
            self.z_hi.setEnabled(s.zrange_fixed is not None)
        notes = []
        if s.clipped():
            notes.append(f"Values outside z ∈ [{zr[0]:.4g}, {zr[1]:.4g}] are cut off.")
        data = s.surface() if len(s.axes) == 2 else s.curve()
        if data.undefined:
            notes.append("Holes: the function is undefined there.")
        self.clip_note.setText(" ".join(notes))
        self.clip_note.setVisible(bool(notes))
        self._on_point_changed()

    def _on_point_changed(self) -> None:
        s = self.session
        if set(self.sliders) != set(range(s.dimension)) - set(s.axes):
            self._build_sliders()  # the plotted axes changed
            return
        for i, (slider, label) in self.sliders.items():
            lo, hi = s.domain[i]
            with QtCore.QSignalBlocker(slider):
                slider.setValue(round((s.point[i] - lo) / (hi - lo) * SLIDER_STEPS))
            label.setText(f"{s.point[i]:.3g}")

    # widgets -> model ---------------------------------------------------------
    def _on_preset_chosen(self, index: int) -> None:
        name = self.presets.itemData(index, QtCore.Qt.ItemDataRole.UserRole)
        if name:
            self.session.load_preset(presets.find(name))
            self.editor.setText(self.session.text)
            self.clear_error()

    def _on_text_edited(self, text: str) -> None:
        if text.split() == self.session.text.split():  # only spacing changed
            self.clear_error()
            return
        problem = self.session.set_text(text)
        if problem is None:
            self.clear_error()
        else:
            self.show_error(text, problem)

    def clear_error(self) -> None:
        self.error.clear()
        self.error.hide()
        self.editor.setStyleSheet("")

    def show_error(self, text: str, problem: ParseError) -> None:
        """The message, and the text with the character it points at marked."""
        pos = min(problem.position, len(text))
        marked = (
            html.escape(text[:pos])
            + "<span style='background:#ffb3b3;'>"
            + (html.escape(text[pos]) if pos < len(text) else "&nbsp;")
            + "</span>"
            + html.escape(text[pos + 1 :])
        )
        self.error.setText(
            f"<tt>{marked}</tt><br>{html.escape(str(problem))}"
            "<br><i>The previous function stays on screen.</i>"
        )
        self.editor.setStyleSheet("QLineEdit { border: 2px solid #b00020; }")
        self.error.show()

    def _on_domain_edited(self, k: int) -> None:
        _, lo, hi = self.domain_rows[k]
        if lo.value() < hi.value():
            self.session.set_domain(self.session.axes[k], lo.value(), hi.value())
            self.clip_note.setStyleSheet("color: #8a5a00;")
        else:
            self.clip_note.setText("The lower bound must be below the upper bound.")
            self.clip_note.show()
            self.clip_note.setStyleSheet("color: #b00020;")

    def _on_axes_chosen(self) -> None:
        a, b = (box.currentIndex() for box in self.axis_boxes)
        if a != b:
            self.session.set_axes(a, b)
        else:
            self._on_surface_changed()  # restore the boxes

    def _on_slider(self, i: int, value: int) -> None:
        lo, hi = self.session.domain[i]
        p = self.session.point.copy()
        p[i] = lo + (hi - lo) * value / SLIDER_STEPS
        self.session.set_point(p)

    def _on_zrange_edited(self) -> None:
        if self.z_auto.isChecked():
            self.session.set_zrange(None)
        elif self.z_lo.value() < self.z_hi.value():
            self.session.set_zrange((self.z_lo.value(), self.z_hi.value()))
