"""The graph's view (zoom, pan, fit, a click picks a node) and its pictures:
PNG through a QImage, SVG through QtSvg's generator, both from the scene itself."""

from __future__ import annotations

from pathlib import Path

from PyQt6 import QtCore, QtGui, QtSvg, QtWidgets

from .qt_graph_scene import GraphScene, NodeItem


class GraphView(QtWidgets.QGraphicsView):
    """Zoom with the wheel, pan by dragging, fit on demand; a click picks a node."""

    node_clicked = QtCore.pyqtSignal(object)  # a trace position, or None

    def __init__(self, scene: GraphScene) -> None:
        super().__init__(scene)
        self.setRenderHints(
            QtGui.QPainter.RenderHint.Antialiasing | QtGui.QPainter.RenderHint.TextAntialiasing
        )
        self.setDragMode(QtWidgets.QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QtWidgets.QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setViewportUpdateMode(QtWidgets.QGraphicsView.ViewportUpdateMode.SmartViewportUpdate)
        self.fitted = True  # follow resizes until the user zooms

    def fit(self) -> None:
        self.fitted = True
        rect = self.scene().sceneRect()
        if rect.isEmpty():
            return
        self.resetTransform()
        self.fitInView(rect, QtCore.Qt.AspectRatioMode.KeepAspectRatio)
        if self.transform().m11() > 1.6:  # a tiny graph is not blown up
            self.resetTransform()
            self.scale(1.6, 1.6)
            self.centerOn(rect.center())

    def zoom(self, factor: float) -> None:
        self.fitted = False
        self.scale(factor, factor)

    def wheelEvent(self, event: QtGui.QWheelEvent) -> None:  # noqa: N802
        self.zoom(1.15 ** (event.angleDelta().y() / 120))

    def resizeEvent(self, event: QtGui.QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        if self.fitted:
            self.fit()

    def mousePressEvent(self, event: QtGui.QMouseEvent) -> None:  # noqa: N802
        item = self.itemAt(event.position().toPoint())
        while item is not None and not isinstance(item, NodeItem):
            item = item.parentItem()
        if event.button() == QtCore.Qt.MouseButton.LeftButton and item is not None:
            self.node_clicked.emit(item.index)
            event.accept()
            return
        super().mousePressEvent(event)


def _extent(scene: GraphScene) -> QtCore.QRectF:
    """What a picture shows: the graph, or room for the note saying it is too large."""
    rect = scene.sceneRect()
    return QtCore.QRectF(0, 0, 600, 80) if rect.isEmpty() else rect


def _paint(scene: GraphScene, note: str, painter: QtGui.QPainter, target: QtCore.QRectF) -> None:
    painter.setRenderHints(
        QtGui.QPainter.RenderHint.Antialiasing | QtGui.QPainter.RenderHint.TextAntialiasing
    )
    if scene.sceneRect().isEmpty():
        painter.drawText(target, QtCore.Qt.AlignmentFlag.AlignCenter, note)
    else:
        scene.render(painter, target, scene.sceneRect())


def render_image(scene: GraphScene, note: str, size: tuple[int, int] | None = None) -> QtGui.QImage:
    """The whole graph on white: `size` pixels (the graph fitted and centred), or by
    default two pixels per scene unit."""
    rect = _extent(scene)
    if size is None:
        size = (int(rect.width() * 2), int(rect.height() * 2))
    image = QtGui.QImage(*size, QtGui.QImage.Format.Format_RGB32)
    image.fill(QtGui.QColor("white"))
    scale = min(size[0] / rect.width(), size[1] / rect.height())
    target = QtCore.QRectF(0, 0, rect.width() * scale, rect.height() * scale)
    target.moveCenter(QtCore.QRectF(image.rect()).center())
    painter = QtGui.QPainter(image)
    _paint(scene, note, painter, target)
    painter.end()
    return image


def write_svg(scene: GraphScene, note: str, path: str, title: str) -> None:
    rect = _extent(scene)
    generator = QtSvg.QSvgGenerator()
    generator.setFileName(path)
    generator.setSize(rect.size().toSize())
    generator.setViewBox(QtCore.QRectF(0, 0, rect.width(), rect.height()))
    generator.setTitle(title)
    painter = QtGui.QPainter()
    if not painter.begin(generator):
        raise OSError(f"cannot write {path}")
    _paint(scene, note, painter, QtCore.QRectF(0, 0, rect.width(), rect.height()))
    painter.end()
    if not Path(path).is_file():
        raise OSError(f"cannot write {path}")
