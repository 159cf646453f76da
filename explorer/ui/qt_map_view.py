"""The 2D views: the contour/heat map of a surface, and the curve of a function of
one variable. Left click or drag selects the point; right drag zooms, middle
drag (or Shift+left drag) pans; arrow keys move the point.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PyQt6 import QtCore

from explorer.session import geometry
from explorer.session.model import Session

from . import style

_MOVES = {
    QtCore.Qt.Key.Key_Left: (-1, 0),
    QtCore.Qt.Key.Key_Right: (1, 0),
    QtCore.Qt.Key.Key_Up: (0, 1),
    QtCore.Qt.Key.Key_Down: (0, -1),
}


class PointViewBox(pg.ViewBox):
    """A ViewBox whose left button selects a point instead of panning."""

    def __init__(self, on_point, **kwds) -> None:
        super().__init__(**kwds)
        self.on_point = on_point

    def mouseClickEvent(self, ev) -> None:  # noqa: N802 (pyqtgraph's name)
        if ev.button() == QtCore.Qt.MouseButton.LeftButton:
            ev.accept()
            p = self.mapSceneToView(ev.scenePos())
            self.on_point(p.x(), p.y())
        else:
            super().mouseClickEvent(ev)

    def mouseDragEvent(self, ev, axis=None) -> None:  # noqa: N802
        shift = ev.modifiers() & QtCore.Qt.KeyboardModifier.ShiftModifier
        if ev.button() == QtCore.Qt.MouseButton.LeftButton and not shift:
            ev.accept()
            p = self.mapSceneToView(ev.scenePos())
            self.on_point(p.x(), p.y())
        else:  # Shift+left and the middle button pan, the right button zooms
            super().mouseDragEvent(ev, axis)


class _PlotView(pg.PlotWidget):
    def __init__(self, session: Session, parent=None) -> None:
        self.session = session
        super().__init__(parent, viewBox=PointViewBox(self._on_point), background=style.BACKGROUND)
        self.setFocusPolicy(QtCore.Qt.FocusPolicy.StrongFocus)
        self.setMinimumSize(150, 150)
        self.showGrid(x=True, y=True, alpha=0.15)
        self._connections: list = []
        # the two items every plot view has: critical points and the selected point
        self.critical = pg.ScatterPlotItem(size=11, pen=pg.mkPen("w", width=1.2))
        self.marker = pg.ScatterPlotItem(
            size=11, brush=pg.mkBrush(style.POINT), pen=pg.mkPen("w", width=1.5)
        )

    def _bind(self, items: list, on_overlays) -> None:
        """Add the items bottom to top, and redraw on the session's signals."""
        for z, item in enumerate(items):
            item.setZValue(z)
            self.addItem(item)
        s = self.session
        self._connect(s.function_changed, self._on_surface_changed)
        self._connect(s.surface_changed, self._on_surface_changed)
        self._connect(s.point_changed, self._on_point_changed)
        self._connect(s.overlays_changed, on_overlays)
        self._on_surface_changed()

    def _show_critical(self, found: list, xs: list, ys: list) -> None:
        """Critical points at (xs, ys), coloured and shaped by kind."""
        symbols = {"maximum": "t", "saddle": "s"}
        self.critical.setData(
            xs,
            ys,
            brush=[pg.mkBrush(style.CRITICAL[c.kind]) for c in found],
            symbol=[symbols.get(c.kind, "o") for c in found],
            data=[c.kind for c in found],
        )

    def _on_surface_changed(self) -> None:
        raise NotImplementedError

    def _on_point_changed(self) -> None:
        raise NotImplementedError

    def _connect(self, signal, slot) -> None:
        signal.connect(slot)
        self._connections.append((signal, slot))

    def close_adapters(self) -> None:
        for signal, slot in self._connections:
            signal.disconnect(slot)
        self._connections.clear()

    def _on_point(self, x: float, y: float) -> None:
        raise NotImplementedError

    def keyPressEvent(self, ev) -> None:  # noqa: N802
        if ev.key() in _MOVES:
            fine = bool(ev.modifiers() & QtCore.Qt.KeyboardModifier.ShiftModifier)
            self.session.nudge(*_MOVES[ev.key()], fine=fine)
            ev.accept()
            return
        super().keyPressEvent(ev)


class MapView(_PlotView):
    """Heat map, contour lines, gradient field, point, arrows, eigenvectors, critical points."""

    def __init__(self, session: Session, parent=None) -> None:
        super().__init__(session, parent)
        self.setAspectLocked(True)
        self.setToolTip(
            "Click or drag to select a point; right-drag zooms, "
            "Shift+drag pans; arrow keys move the point"
        )
        self.image = pg.ImageItem(axisOrder="col-major")
        self.image.setLookupTable(style.COLORMAP.getLookupTable(nPts=256))
        self.contours = pg.PlotCurveItem(pen=pg.mkPen(style.CONTOUR, width=1), connect="finite")
        self.field = pg.PlotCurveItem(pen=pg.mkPen(style.FIELD, width=1.2), connect="finite")
        self.eigen = [
            pg.PlotCurveItem(pen=pg.mkPen(c, width=2.5, style=QtCore.Qt.PenStyle.DashLine))
            for c in (style.EIGEN_POS, style.EIGEN_NEG)
        ]
        self.arrows = {
            name: pg.PlotCurveItem(pen=pg.mkPen(color, width=3), connect="finite")
            for name, color in (("gradient", style.GRADIENT), ("descent", style.DESCENT))
        }
        items = [
            self.image,
            self.contours,
            self.field,
            *self.eigen,
            *self.arrows.values(),
            self.critical,
            self.marker,
        ]
        self._bind(items, self._on_overlays_changed)

    def _active(self) -> bool:
        return len(self.session.axes) == 2

    def _on_point(self, x: float, y: float) -> None:
        self.session.set_plotted(x, y)

    def _on_surface_changed(self) -> None:
        if not self._active():
            return
        s = self.session
        surf = s.surface()
        zr = s.zrange()
        (x0, x1), (y0, y1) = s.box
        self.image.setImage(np.nan_to_num(surf.z, nan=np.nan), levels=zr, autoLevels=False)
        self.image.setRect(QtCore.QRectF(x0, y0, x1 - x0, y1 - y0))
        names = [s.function.variables[a] for a in s.axes]
        self.setLabel("bottom", names[0])
        self.setLabel("left", names[1])
        self.setXRange(x0, x1, padding=0.02)
        self.setYRange(y0, y1, padding=0.02)
        self._on_overlays_changed()

    def _on_overlays_changed(self) -> None:
        if not self._active():
            return
        s = self.session
        on = s.overlays
        lines = s.contours()[1] if on["contours"] else np.empty((0, 2))
        self.contours.setData(lines[:, 0], lines[:, 1], connect="finite")
        field = s.field() if on["field"] else np.empty((0, 2))
        self.field.setData(field[:, 0], field[:, 1], connect="finite")
        found = s.critical() if on["critical"] else []
        a, b = s.axes
        self._show_critical(found, [c.point[a] for c in found], [c.point[b] for c in found])
        self._on_point_changed()

    def _on_point_changed(self) -> None:
        if not self._active():
            return
        s = self.session
        a, b = s.axes
        p = np.array([s.point[a], s.point[b]])
        self.marker.setData([p[0]], [p[1]])
        arrows = s.arrows()
        for name, item in self.arrows.items():
            if s.overlays[name] and name in arrows:
                seg = geometry.arrow_2d(p, arrows[name])
                item.setData(seg[:, 0], seg[:, 1], connect="finite")
            else:
                item.setData([], [])
        info = s.info()
        span = 0.15 * min(hi - lo for lo, hi in s.box)
        vec = info.eigenvectors[np.ix_([a, b], [a, b])] if s.dimension == 2 else None
        for k, item in enumerate(self.eigen):
            if s.overlays["eigen"] and vec is not None and np.all(np.isfinite(vec)):
                lam = info.eigenvalues[k]
                d = vec[:, k] * span
                item.setPen(
                    pg.mkPen(
                        style.EIGEN_POS if lam > 0 else style.EIGEN_NEG,
                        width=2.5,
                        style=QtCore.Qt.PenStyle.DashLine,
                    )
                )
                item.setData([p[0] - d[0], p[0] + d[0]], [p[1] - d[1], p[1] + d[1]])
            else:
                item.setData([], [])


class CurveView(_PlotView):
    """A function of one variable: its curve, tangent line and Taylor parabola."""

    def __init__(self, session: Session, parent=None) -> None:
        super().__init__(session, parent)
        self.setToolTip("Click or drag to select x; arrow keys move it")
        self.curve = pg.PlotCurveItem(pen=pg.mkPen((40, 80, 160), width=2.5), connect="finite")
        self.tangent = pg.PlotCurveItem(pen=pg.mkPen(style.TANGENT, width=2.5))
        self.parabola = pg.PlotCurveItem(
            pen=pg.mkPen(style.QUADRATIC, width=2.5, style=QtCore.Qt.PenStyle.DashLine)
        )
        items = [self.curve, self.tangent, self.parabola, self.critical, self.marker]
        self._bind(items, self._on_surface_changed)

    def _active(self) -> bool:
        return len(self.session.axes) == 1

    def _on_point(self, x: float, y: float) -> None:
        self.session.set_plotted(x)

    def _on_surface_changed(self) -> None:
        if not self._active():
            return
        s = self.session
        c = s.curve()
        self.curve.setData(c.xs, c.ys, connect="finite")
        self.setLabel("bottom", s.function.variables[0])
        self.setLabel("left", s.function.output_name)
        self.setXRange(*s.domain[0], padding=0.02)
        self.setYRange(*s.zrange(), padding=0.05)
        found = s.critical() if s.overlays["critical"] else []
        self._show_critical(found, [c.point[0] for c in found], [c.value for c in found])
        self._on_point_changed()

    def _on_point_changed(self) -> None:
        if not self._active():
            return
        s = self.session
        info = s.info()
        defined = bool(np.isfinite(info.value))  # no marker where f is undefined
        self.marker.setData([s.point[0]] if defined else [], [info.value] if defined else [])
        xs, lin, quad = s.curve_models()
        on = s.overlays
        self.tangent.setData(xs if on["tangent"] else [], lin if on["tangent"] else [])
        self.parabola.setData(xs if on["quadratic"] else [], quad if on["quadratic"] else [])
