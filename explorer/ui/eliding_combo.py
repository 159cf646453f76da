"""A combo box whose closed face elides a long entry in the middle, so a preset
named "Quadratic form xᵀAx, A = [[1,2],[3,4]] (18.4.7)" keeps its section number
in a narrow dock (Qt clips the text at the right edge). The popup is unchanged:
it is as wide as its longest entry."""

from __future__ import annotations

from PyQt6 import QtCore, QtWidgets

Style = QtWidgets.QStyle


class ElidingComboBox(QtWidgets.QComboBox):
    def shown_text(self) -> str:
        """The current entry as the closed box draws it (without the popup's indent)."""
        option = QtWidgets.QStyleOptionComboBox()
        self.initStyleOption(option)
        field = self.style().subControlRect(
            Style.ComplexControl.CC_ComboBox, option, Style.SubControl.SC_ComboBoxEditField, self
        )
        return self.fontMetrics().elidedText(
            self.currentText().strip(), QtCore.Qt.TextElideMode.ElideMiddle, field.width() - 4
        )

    def paintEvent(self, event) -> None:  # noqa: N802
        painter = QtWidgets.QStylePainter(self)
        option = QtWidgets.QStyleOptionComboBox()
        self.initStyleOption(option)
        painter.drawComplexControl(Style.ComplexControl.CC_ComboBox, option)
        option.currentText = self.shown_text()
        painter.drawControl(Style.ControlElement.CE_ComboBoxLabel, option)
