"""The graph's items in a QGraphicsScene: nodes with their name or symbol, value
and adjoint (or "not yet computed"), edges with their single-step partial.

Items keep their text as plain attributes and paint it themselves, so a new
point changes strings and schedules a paint: no item is rebuilt and nothing is
laid out again.
"""

from __future__ import annotations

from PyQt6 import QtCore, QtGui, QtWidgets

from explorer.session.graph_view import NOT_YET, GraphModel, NodeText

NODE_SIZE = (100.0, 42.0)  # the smallest node box; wider when its lines need it
NODE_MAX_WIDTH = 240.0  # past this a very long user name is elided (its tooltip has it whole)
LAYER_GAP = 50.0
WIDEST_NUMBER = "−8.888e+88"  # the longest text `fmt` writes for a finite number

INK = QtGui.QColor(30, 30, 36)
FAINT = QtGui.QColor(135, 135, 145)
EDGE = QtGui.QColor(150, 155, 165)
ACTIVE = QtGui.QColor(232, 113, 10)  # the node of the current step and its edges
PATH = QtGui.QColor(214, 39, 40)  # every path from the picked node to the output
FILL = {
    "input": QtGui.QColor(222, 235, 250),
    "operation": QtGui.QColor(255, 255, 255),
    "output": QtGui.QColor(223, 244, 226),
}


def _font(size: float, bold: bool = False, italic: bool = False) -> QtGui.QFont:
    font = QtGui.QFont()
    font.setPointSizeF(size)
    font.setBold(bold)
    font.setItalic(italic)
    return font


TITLE_FONT = _font(9, bold=True)
TAG_FONT = _font(7.5)
LINE_FONT = _font(8)
COMPACT_BELOW = 0.8  # scale under which nodes draw two larger lines
COMPACT_TITLE_FONT = _font(10, bold=True)
COMPACT_FONT = _font(10)
_RIGHT_NOT_LEFT = QtCore.Qt.AlignmentFlag.AlignLeft | QtCore.Qt.AlignmentFlag.AlignRight


class NodeItem(QtWidgets.QGraphicsItem):
    """One node: title (name or symbol), a small tag, its value and a lower line
    (the adjoint ∂f/∂node, or a tangent ∂node/∂xᵢ in forward mode)."""

    def __init__(self, index: int, name: str, title: str, tag: str, kind: str, size) -> None:
        super().__init__()
        self.index, self.name = index, name
        self.title, self.tag, self.kind = title, tag, kind
        self.value_text = NOT_YET
        self.lower_text = NOT_YET
        self.highlight: str | None = None  # "active", "path" or None
        w, h = size
        self._rect = QtCore.QRectF(-w / 2, -h / 2, w, h)
        self.setAcceptHoverEvents(True)
        self.setCursor(QtCore.Qt.CursorShape.PointingHandCursor)

    def set_text(self, text: NodeText) -> None:
        if (text.value, text.lower) != (self.value_text, self.lower_text):
            self.value_text, self.lower_text = text.value, text.lower
            self.setToolTip(f"{self.title} ({self.tag})\n{text.value}\n{text.lower}")
            self.update()

    def set_highlight(self, mode: str | None) -> None:
        if mode != self.highlight:
            self.highlight = mode
            self.update()

    def boundingRect(self) -> QtCore.QRectF:  # noqa: N802
        return self._rect.adjusted(-2, -2, 2, 2)

    def paint(self, painter: QtGui.QPainter, option, widget=None) -> None:
        r = self._rect
        color = {"active": ACTIVE, "path": PATH}.get(self.highlight or "", FAINT)
        painter.setPen(QtGui.QPen(color, 2.6 if self.highlight else 1.0))
        painter.setBrush(FILL[self.kind])
        painter.drawRoundedRect(r, 6, 6)
        inner = r.adjusted(4, 1, -4, -1)
        align = QtCore.Qt.AlignmentFlag.AlignVCenter | QtCore.Qt.AlignmentFlag.AlignLeft
        if option.levelOfDetailFromTransform(painter.worldTransform()) < COMPACT_BELOW:
            # zoomed out (a big graph fitted in the dock): two lines in larger type
            # instead of three small ones, so the numbers stay legible
            value = self.value_text if self.value_text == NOT_YET else self.value_text[2:]
            lower = self.lower_text.replace(f"∂{self.name}", "∂·", 1)  # the node itself
            lines = (f"{self.title}  {value}", lower)
            fonts = (COMPACT_TITLE_FONT, COMPACT_FONT)
        else:
            top = QtCore.QRectF(inner.left(), inner.top(), inner.width(), inner.height() / 3)
            painter.setPen(FAINT)
            painter.setFont(TAG_FONT)
            painter.drawText(top, align ^ _RIGHT_NOT_LEFT, self.tag)
            lines = (self.title, self.value_text, self.lower_text)
            fonts = (TITLE_FONT, LINE_FONT, LINE_FONT)
        row = inner.height() / len(lines)
        for k, (text, font) in enumerate(zip(lines, fonts, strict=True)):
            line = QtCore.QRectF(inner.left(), inner.top() + k * row, inner.width(), row)
            later = text == NOT_YET
            if later:
                font = QtGui.QFont(font)
                font.setItalic(True)
                font.setBold(False)
            painter.setFont(font)
            painter.setPen(FAINT if later else INK)
            shown = QtGui.QFontMetricsF(font).elidedText(
                text, QtCore.Qt.TextElideMode.ElideRight, line.width()
            )
            painter.drawText(line, align, shown)


class EdgeItem(QtWidgets.QGraphicsPathItem):
    """An edge as a smooth curve through grandalf's bends, with its partial."""

    def __init__(self, route) -> None:
        super().__init__()
        points = [QtCore.QPointF(x, y) for x, y in route]
        path = QtGui.QPainterPath(points[0])
        for a, b in zip(points, points[1:], strict=False):
            dx = (b.x() - a.x()) / 2
            path.cubicTo(a + QtCore.QPointF(dx, 0), b - QtCore.QPointF(dx, 0), b)
        self.setPath(path)
        self.setZValue(-1)
        self.highlight: str | None = None
        self._pen(None)
        a, b = points[-2], points[-1]  # the label sits on the last stretch, by its target
        self.label = EdgeLabel(self)
        self.label.setPos(a + (b - a) * 0.7)

    def _pen(self, mode: str | None) -> None:
        color = {"active": ACTIVE, "path": PATH}.get(mode or "", EDGE)
        self.setPen(QtGui.QPen(color, 3.0 if mode else 1.2))

    def set_highlight(self, mode: str | None) -> None:
        if mode != self.highlight:
            self.highlight = mode
            self._pen(mode)
            self.label.update()


class EdgeLabel(QtWidgets.QGraphicsItem):
    """The single-step partial ∂target/∂source, on a small plate."""

    def __init__(self, edge: EdgeItem) -> None:
        super().__init__(edge)
        self.edge = edge
        self.text: str | None = None
        self._rect = QtCore.QRectF()

    def set_text(self, text: str | None) -> None:
        if text == self.text:
            return
        width = QtGui.QFontMetricsF(TAG_FONT).horizontalAdvance(text or "") + 6
        rect = QtCore.QRectF(-width / 2, -7, width, 14)
        if rect != self._rect:
            self.prepareGeometryChange()
            self._rect = rect
        self.text = text
        self.setVisible(text is not None)
        self.update()

    def boundingRect(self) -> QtCore.QRectF:  # noqa: N802
        return self._rect

    def paint(self, painter: QtGui.QPainter, option, widget=None) -> None:
        if self.text is None:
            return
        mode = self.edge.highlight
        color = {"active": ACTIVE, "path": PATH}.get(mode or "", FAINT)
        painter.setPen(QtGui.QPen(color, 0.8))
        painter.setBrush(QtGui.QColor(255, 255, 255, 235))
        painter.drawRoundedRect(self._rect, 3, 3)
        painter.setFont(TAG_FONT)
        painter.setPen(INK if mode else FAINT.darker(130))
        painter.drawText(self._rect, QtCore.Qt.AlignmentFlag.AlignCenter, self.text)


def node_size(model: GraphModel) -> tuple[float, float]:
    """One box for every node, wide enough for the longest line any of them can
    show (its title, its value, ∂output/∂node or ∂node/∂input, in both the normal
    and the zoomed-out type), so no number is ever cut."""
    normal, compact = QtGui.QFontMetricsF(LINE_FONT), QtGui.QFontMetricsF(COMPACT_FONT)
    titles = QtGui.QFontMetricsF(COMPACT_TITLE_FONT)
    t = model.trace
    inputs = [model.names[i] for i in model.nodes if t.nodes[i].kind == "input"]
    longest_input = max(inputs, key=len, default="")
    output = model.names[model.output]
    widest = 0.0
    for i in model.nodes:
        name = model.names[i]
        for partial in (f"∂{output}/∂{name}", f"∂{name}/∂{longest_input}"):
            line = f"{partial} = {WIDEST_NUMBER}"
            widest = max(
                widest,
                normal.horizontalAdvance(line),
                compact.horizontalAdvance(line.replace(f"∂{name}", "∂·", 1)),
            )
        title = max(model.names[i], model.symbols[i], key=len)
        widest = max(widest, titles.horizontalAdvance(f"{title}  {WIDEST_NUMBER}"))
    width = min(max(NODE_SIZE[0], widest + 12.0), NODE_MAX_WIDTH)  # 12: the box's padding
    return (float(round(width)), NODE_SIZE[1])


class GraphScene(QtWidgets.QGraphicsScene):
    """Items for one `GraphModel`, placed once from its layout."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setBackgroundBrush(QtGui.QColor(250, 250, 252))
        # items never move; labels change size on every point move: no BSP index to update
        self.setItemIndexMethod(QtWidgets.QGraphicsScene.ItemIndexMethod.NoIndex)
        self.nodes: dict[int, NodeItem] = {}
        self.edges: list[EdgeItem] = []

    def build(self, model: GraphModel) -> None:
        self.clear()
        self.nodes, self.edges = {}, []
        if not model.drawable:
            self.setSceneRect(QtCore.QRectF())
            return
        size = node_size(model)
        layout = model.layout(size, LAYER_GAP)
        t = model.trace
        for i in model.nodes:
            node = t.nodes[i]
            kind = "output" if i == t.output else node.kind
            if node.kind == "input":
                title, tag = model.names[i], "input"
            elif node.name or i == t.output:
                title, tag = model.names[i], model.symbols[i]
            else:
                title, tag = model.symbols[i], model.names[i]
            item = NodeItem(i, model.names[i], title, tag, kind, size)
            item.setPos(*layout.centers[i])
            self.addItem(item)
            self.nodes[i] = item
        for route in layout.routes:
            edge = EdgeItem(route)
            self.addItem(edge)
            self.edges.append(edge)
        margin = 16
        self.setSceneRect(-margin, -margin, layout.width + 2 * margin, layout.height + 2 * margin)
        return layout
