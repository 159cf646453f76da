"""The function panel: presets, the expression field with live validation, the
domain, resolution and z-range, and for more than two variables the plotted
axes and a slider for each other variable.

Typing is applied after a pause (or on Enter), never a half-typed word: a text
that ends in what may be the start of a function's name waits for the next
key. The derivatives of an accepted text are compiled in a worker thread, so a
long expression never blocks the window; the session gets the built function.
"""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING

import numpy as np
from PyQt6 import QtCore, QtGui, QtWidgets

from explorer.engine import CONSTANTS, FUNCTIONS, Function, ParseError, parse
from explorer.session import presets
from explorer.session.model import RESOLUTIONS, Session
from explorer.session.numbers import number
from explorer.session.persistence import COORDINATE_LIMIT

from .eliding_combo import ElidingComboBox
from .qt_number_field import NumberField, WheelGuard

if TYPE_CHECKING:
    from superqt.utils import QSignalDebouncer

SLIDER_STEPS = 1000
APPLY_PAUSE_MS = 600  # longer than the gap between two keys of a word, short enough to feel live
_NAMES = (*FUNCTIONS, *CONSTANTS)
_TRAILING_WORD = re.compile(r"[A-Za-z_][A-Za-z_0-9]*$")


def unfinished_word(text: str, variables: tuple[str, ...] = ()) -> str | None:
    """The identifier `text` ends in if it may be the start of a longer name of the
    language ("si" of sin, "ex" of exp), unless it is a name of its own or one of
    the current `variables`: applied now, it would become a new variable."""
    m = _TRAILING_WORD.search(text)
    if m is None:
        return None
    word = m.group()
    if word in _NAMES or word in variables:
        return None
    return word if any(name.startswith(word) for name in _NAMES) else None


def compile_derivatives(f: Function) -> None:
    """Build every program the views use (value, gradient, Hessian; on scalars and
    on grids), so that nothing is compiled later on the GUI thread."""
    scalars = [0.0] * f.dimension
    grids = [np.zeros(2)] * f.dimension
    with np.errstate(all="ignore"):
        f.value_and_gradient(*scalars)
        f.hessian(*scalars)
        f(*grids)
        f.value_and_gradient(*grids)
        f.gradient(*grids)
        f.hessian(*grids)


class _CompileSignals(QtCore.QObject):
    done = QtCore.pyqtSignal(int, str, object)  # generation, text, Function or ParseError


class _Compile(QtCore.QRunnable):
    """One text's derivatives, compiled in the thread pool. A plain QRunnable, not
    superqt's worker: that one swaps the process-wide warning filters while it runs."""

    def __init__(self, generation: int, text: str, f: Function) -> None:
        super().__init__()
        self.generation, self.text, self.function = generation, text, f
        self.signals = _CompileSignals()

    def run(self) -> None:
        result: Function | ParseError = self.function
        try:
            compile_derivatives(self.function)
        except ParseError as exc:  # a derivative beyond the size limits
            result = exc
        except Exception as exc:  # noqa: BLE001 - a worker must report, never raise
            result = ParseError(f"cannot differentiate this function: {exc}")
        self.signals.done.emit(self.generation, self.text, result)


def narrow(widget: QtWidgets.QWidget, minimum: int = 60) -> None:
    """Let a wide-hinted widget (a long preset name) share a narrow dock."""
    widget.setMinimumWidth(minimum)
    widget.setSizePolicy(QtWidgets.QSizePolicy.Policy.Ignored, QtWidgets.QSizePolicy.Policy.Fixed)


class FunctionPanel(QtWidgets.QWidget):
    def __init__(self, session: Session, parent=None) -> None:
        super().__init__(parent)
        self.session = session
        self._wheel_guard = WheelGuard(self)
        self._generation = 0  # of the text being applied; older compilations are dropped
        self._waiting = False  # for the typing to pause
        self._compiling: dict[int, _Compile] = {}  # kept alive until they report
        self._pause: QSignalDebouncer | None = None  # made on the first key (`_typing_pause`)
        layout = QtWidgets.QVBoxLayout(self)

        self.presets = ElidingComboBox()
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
        self._wheel_guard.guard(self.presets)
        self.presets.activated.connect(self._on_preset_chosen)
        layout.addWidget(self.presets)

        self.editor = QtWidgets.QLineEdit()
        self.editor.setPlaceholderText("e.g. x*exp(-x^2-y^2)  or  a = x+y; f = a^2")
        self.editor.setToolTip(
            "Type a function; it is drawn when you pause or press Enter.\n"
            "^ or ** for powers, 2x for 2*x, a = …; separates definitions,\n"
            "f(x, y) = … fixes the variable order."
        )
        font = QtGui.QFontDatabase.systemFont(QtGui.QFontDatabase.SystemFont.FixedFont)
        self.editor.setFont(font)
        self.editor.textEdited.connect(self._on_text_edited)
        self.editor.returnPressed.connect(self._on_return)
        layout.addWidget(self.editor)
        self.hint = QtWidgets.QLabel()  # waiting for a word to end, or compiling
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: #555; font-style: italic;")
        self.hint.hide()
        layout.addWidget(self.hint)
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
            self._wheel_guard.guard(box)
            box.activated.connect(self._on_axes_chosen)
            axes_row.addWidget(box)
        self.axes_label = QtWidgets.QLabel("Plotted axes")
        form.addRow(self.axes_label, axes_row)
        self.domain_rows: list[tuple[QtWidgets.QLabel, NumberField, NumberField]] = []
        for k in range(2):
            lo, hi = NumberField(limit=COORDINATE_LIMIT), NumberField(limit=COORDINATE_LIMIT)
            lo.valueEdited.connect(lambda _v, k=k: self._on_domain_edited(k))
            hi.valueEdited.connect(lambda _v, k=k: self._on_domain_edited(k))
            row = QtWidgets.QHBoxLayout()
            row.addWidget(lo, 1)
            row.addWidget(QtWidgets.QLabel("to"))
            row.addWidget(hi, 1)
            label = QtWidgets.QLabel()
            self.domain_rows.append((label, lo, hi))
            form.addRow(label, row)
        self.resolution = QtWidgets.QComboBox()
        narrow(self.resolution)
        self._wheel_guard.guard(self.resolution)
        for r in RESOLUTIONS:
            self.resolution.addItem(f"{r} × {r}", r)
        self.resolution.setToolTip("Grid points per axis")
        self.resolution.activated.connect(
            lambda i: self.session.set_resolution(self.resolution.itemData(i))
        )
        form.addRow("Resolution", self.resolution)
        self.z_auto = QtWidgets.QCheckBox("automatic")
        self.z_auto.setToolTip("Fit the z-range to the function (poles are clipped)")
        self.z_lo = NumberField(limit=COORDINATE_LIMIT)
        self.z_hi = NumberField(limit=COORDINATE_LIMIT)
        zrow = QtWidgets.QHBoxLayout()
        zrow.addWidget(self.z_lo, 1)
        zrow.addWidget(QtWidgets.QLabel("to"))
        zrow.addWidget(self.z_hi, 1)
        form.addRow("z-range", self.z_auto)
        form.addRow(zrow)  # the whole width: "2.03362e+06" must fit
        self.z_auto.toggled.connect(self._on_zrange_edited)
        self.z_lo.valueEdited.connect(self._on_zrange_edited)
        self.z_hi.valueEdited.connect(self._on_zrange_edited)
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
            self.show_text(s.text)
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
            notes.append(
                f"Values outside z ∈ [{number(zr[0], 4)}, {number(zr[1], 4)}] are cut off."
            )
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
            label.setText(number(s.point[i], 3))

    # widgets -> model ---------------------------------------------------------
    def _on_preset_chosen(self, index: int) -> None:
        name = self.presets.itemData(index, QtCore.Qt.ItemDataRole.UserRole)
        if name:
            self._forget_typing()
            self.session.load_preset(presets.find(name))
            self.show_text(self.session.text)
            self.clear_error()

    def _typing_pause(self) -> QSignalDebouncer:
        """The pause that applies typing. Importing superqt (with qtpy) takes ~0.2 s,
        a third of the window's start: it waits for the first key."""
        if self._pause is None:
            from superqt.utils import QSignalDebouncer

            self._pause = QSignalDebouncer(parent=self)
            self._pause.setTimeout(APPLY_PAUSE_MS)
            self._pause.triggered.connect(self._on_pause)
        return self._pause

    def _forget_typing(self) -> None:
        self._typing_pause().cancel()
        self._waiting = False
        self._generation += 1
        self.hint.hide()

    def _on_text_edited(self, text: str) -> None:
        self._generation += 1  # a compilation under way is for an older text
        self._waiting = True
        self._typing_pause().throttle()
        if self.error.isVisible() and _parses(text):
            self.clear_error()  # errors wait for the pause; their end shows at once

    def _on_pause(self) -> None:
        if self._waiting:
            self._waiting = False
            self._submit(self.editor.text(), finished=False)

    def _on_return(self) -> None:
        self._typing_pause().cancel()
        self._waiting = False
        self._submit(self.editor.text(), finished=True)

    def _submit(self, text: str, finished: bool) -> None:
        """Check `text` (cheap: a parse) and compile the accepted one in a worker.
        Unless `finished` (Enter), a text ending in a possibly unfinished word waits."""
        self.hint.hide()
        if text.split() == self.session.text.split():  # only spacing changed
            self.clear_error()
            return
        try:
            f = parse(text)
        except ParseError as exc:
            self.show_error(text, exc)
            return
        word = None if finished else unfinished_word(text, self.session.function.variables)
        if word is not None:
            self.clear_error()
            longer = sorted(n for n in _NAMES if n.startswith(word))
            self.show_hint(
                f"“{word}” may be the start of {', '.join(longer[:3])}"
                f"{'…' if len(longer) > 3 else ''}: keep typing, or press Enter "
                f"to use it as a variable."
            )
            return
        self._generation += 1
        job = _Compile(self._generation, text, f)
        job.signals.done.connect(self._on_compiled)
        self._compiling[self._generation] = job
        self.show_hint("Computing the derivatives…")
        QtCore.QThreadPool.globalInstance().start(job)

    def _on_compiled(self, generation: int, text: str, result: Function | ParseError) -> None:
        self._compiling.pop(generation, None)
        if generation != self._generation:
            return  # the text changed meanwhile
        self.hint.hide()
        problem = (
            result if isinstance(result, ParseError) else self.session.set_function(text, result)
        )
        if problem is None:
            self.clear_error()
        else:
            self.show_error(text, problem)

    @property
    def busy(self) -> bool:
        """Whether a typed text is waiting for the pause or for its derivatives."""
        return self._waiting or self._generation in self._compiling

    def show_text(self, text: str) -> None:
        self.editor.setText(text)
        self.editor.setCursorPosition(0)  # a long text shows its beginning

    def show_hint(self, text: str) -> None:
        self.hint.setText(text)
        self.hint.show()

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


def _parses(text: str) -> bool:
    try:
        parse(text)
    except ParseError:
        return False
    return True
