"""Rich text that changes on every point move, drawn from a document of its own.

A `QLabel` showing rich text keeps a text control whose document it lays out
again in each paint, at another width than its layout asked about, and asks
for one more paint each time: the inspector's labels were painted three times
per slider step (~5 ms). This widget lays its document out once per text and
per width, and paints it once.
"""

from __future__ import annotations

from PyQt6 import QtCore, QtGui, QtWidgets


class RichText(QtWidgets.QWidget):
    """A block of rich text (QLabel's subset of HTML) that wraps to the widget's
    width, or keeps its lines whole (`wrap=False`: as wide as its longest line).
    Its context menu copies the text."""

    def __init__(self, font: QtGui.QFont, wrap: bool = True, parent=None) -> None:
        super().__init__(parent)
        self.setFont(font)
        self._wrap = wrap
        self._html = ""
        self._doc = QtGui.QTextDocument(self)
        self._doc.setDefaultFont(font)
        self._doc.setDocumentMargin(0)
        self._doc.setUndoRedoEnabled(False)
        kind = QtWidgets.QSizePolicy.Policy
        policy = QtWidgets.QSizePolicy(kind.Preferred if wrap else kind.Fixed, kind.Fixed)
        policy.setHeightForWidth(wrap)
        self.setSizePolicy(policy)
        self.setContextMenuPolicy(QtCore.Qt.ContextMenuPolicy.ActionsContextMenu)
        copy = QtGui.QAction("Copy", self)
        copy.triggered.connect(
            lambda: QtWidgets.QApplication.clipboard().setText(self._doc.toPlainText())
        )
        self.addAction(copy)

    def text(self) -> str:
        return self._html

    def setText(self, html: str) -> None:  # noqa: N802 (QLabel's name)
        if html == self._html:
            return
        self._html = html
        self._doc.setHtml(html)
        self._doc.setTextWidth(self.width() if self._wrap else -1)
        self.updateGeometry()
        self.update()

    def hasHeightForWidth(self) -> bool:  # noqa: N802 (Qt's name)
        return self._wrap

    def heightForWidth(self, width: int) -> int:  # noqa: N802 (Qt's name)
        if self._doc.textWidth() != width:
            self._doc.setTextWidth(width)
        return int(self._doc.size().height() + 0.999)

    def sizeHint(self) -> QtCore.QSize:  # noqa: N802 (Qt's name)
        if self._wrap:
            return QtCore.QSize(100, self.heightForWidth(max(self.width(), 100)))
        size = self._doc.size()
        return QtCore.QSize(int(size.width() + 0.999), int(size.height() + 0.999))

    def minimumSizeHint(self) -> QtCore.QSize:  # noqa: N802 (Qt's name)
        return QtCore.QSize(0, 0) if self._wrap else self.sizeHint()

    def paintEvent(self, event: QtGui.QPaintEvent) -> None:  # noqa: N802 (Qt's name)
        # (a layout asking about other widths leaves the document at the last one)
        if self._wrap and self._doc.textWidth() != self.width():
            self._doc.setTextWidth(self.width())
        painter = QtGui.QPainter(self)
        context = QtGui.QAbstractTextDocumentLayout.PaintContext()
        context.palette = self.palette()
        context.clip = QtCore.QRectF(event.rect())
        self._doc.documentLayout().draw(painter, context)
        painter.end()
