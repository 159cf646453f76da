"""A field for one real number of any magnitude (2.03e6 as well as 1e-6), where a
QDoubleSpinBox would clamp it to its range and round it to its decimals; and a
filter that keeps the mouse wheel from changing fields the user is scrolling past."""

from __future__ import annotations

import math

from PyQt6 import QtCore, QtGui, QtWidgets

from explorer.session.numbers import number


class NumberField(QtWidgets.QLineEdit):
    """Shows its value as ``%.6g``, and keeps the exact value until the text is edited.

    `valueEdited` is emitted on Enter or focus change when the user typed a new
    finite number; a text that is not one is put back.
    """

    valueEdited = QtCore.pyqtSignal(float)  # noqa: N815 (Qt's naming)

    def __init__(
        self, value: float = 0.0, limit: float = math.inf, parent: QtWidgets.QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._range = (-limit, limit)  # what a user may type (a saved session's bounds)
        validator = QtGui.QDoubleValidator(self)
        validator.setNotation(QtGui.QDoubleValidator.Notation.ScientificNotation)
        validator.setLocale(QtCore.QLocale.c())  # "1.5e3" whatever the desktop's locale
        self.setValidator(validator)
        self.setMinimumWidth(60)
        self.setSizePolicy(QtWidgets.QSizePolicy.Policy.Ignored, QtWidgets.QSizePolicy.Policy.Fixed)
        self.setValue(value)
        self.editingFinished.connect(self._on_editing_finished)

    def value(self) -> float:
        return self._value

    def minimum(self) -> float:
        return self._range[0]

    def maximum(self) -> float:
        return self._range[1]

    def setValue(self, value: float) -> None:  # noqa: N802 (Qt's naming)
        self._value = float(value)
        self.setText(number(self._value))
        self.setCursorPosition(0)  # the leading digits, if the field is narrow

    def _on_editing_finished(self) -> None:
        if self.text() == number(self._value):
            return  # unchanged: keep every digit of the value, not the 6 shown
        try:
            v = float(self.text())
        except ValueError:
            v = math.nan
        if not (math.isfinite(v) and self._range[0] <= v <= self._range[1]):
            self.setText(number(self._value))
            return
        self.setValue(v)
        self.valueEdited.emit(v)


class WheelGuard(QtCore.QObject):
    """Lets the wheel change a field only once the user has focused it: scrolling
    the panel must not turn a preset box or a number under the mouse."""

    def eventFilter(self, watched: QtCore.QObject, event: QtCore.QEvent) -> bool:  # noqa: N802
        if (
            event.type() == QtCore.QEvent.Type.Wheel
            and isinstance(watched, QtWidgets.QWidget)
            and not watched.hasFocus()
        ):
            event.ignore()  # the scroll area around the panel scrolls instead
            return True
        return False

    def guard(self, widget: QtWidgets.QWidget) -> None:
        widget.setFocusPolicy(QtCore.Qt.FocusPolicy.StrongFocus)  # the wheel gives no focus
        widget.installEventFilter(self)
