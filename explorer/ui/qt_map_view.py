"""The map: heat map and contour lines of a surface seen from above, with the
overlays that live in the plane (gradient field and arrows, Hessian eigenvectors,
critical points) and the selected point.

The whole domain is shown whatever the view's shape, at 1:1 aspect (so that ∇f
stays perpendicular to the level lines); the padding around it shows f beyond
the domain, veiled. The visible region is sampled again, at the session's
resolution, whenever it is zoomed or panned (debounced), so the heat map and
the contours stay sharp. One adapter per visual, as in the 3D view: a point
move redraws only what depends on the point.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PyQt6 import QtCore, QtGui, QtWidgets

from explorer.session import geometry
from explorer.session.model import Session
from explorer.session.overlays import MAP, drawn_in

from . import style
from .qt_plot_view import MARGIN, NEUTRAL, PlotAdapter, PlotView, critical_markers, show_critical

LABEL_GAP = 0.2  # contour labels at least this fraction of the region's shorter side apart
ARROW = 0.2  # arrows and eigenvector lines span this fraction of the region's shorter side


class MapView(PlotView):
    """Heat map, contour lines, gradient field, point, arrows, eigenvectors, critical points."""

    resized = QtCore.pyqtSignal()
    SAMPLED = 2

    def __init__(self, session: Session, parent=None) -> None:
        super().__init__(session, parent)
        self.setAspectLocked(True)
        self.setToolTip(
            "Click or drag to select a point; right-drag zooms, "
            "Shift+drag pans; arrow keys move the point"
        )
        self._fitted: tuple | None = None  # the plotted box last fitted to the view
        session.function_changed.connect(self._on_function_changed)
        session.surface_changed.connect(self._on_surface_changed)
        self._on_function_changed()
        heat = HeatMapAdapter(self)
        self.adapters = {"heat": heat, "domain": DomainAdapter(self)}
        for name in drawn_in(MAP):  # one adapter per overlay of the registry
            self.adapters[name] = _ADAPTERS[name](self, name)
        self.adapters["point"] = PointAdapter(self)

    def active(self) -> bool:
        return len(self.session.axes) == 2

    def _on_point(self, x: float, y: float) -> None:
        self.session.set_plotted(x, y)

    # the region: the domain fitted to the view, sampled again on zoom and pan ----------
    def home(self) -> None:
        """Show the whole plotted box; the longer way of the view gets padding."""
        (x0, x1), (y0, y1) = self.session.box
        span = max(x1 - x0, y1 - y0)
        vb = self.getViewBox()
        # zoom within reason: out to 50 domains, in to where float64 still resolves
        vb.setLimits(
            minXRange=1e-9 * span, minYRange=1e-9 * span, maxXRange=50 * span, maxYRange=50 * span
        )
        vb.setRange(xRange=(x0, x1), yRange=(y0, y1), padding=0.02)
        self._fitted = (self.session.axes, self.session.box)

    def _on_function_changed(self) -> None:
        if not self.active():
            return
        names = [self.session.function.variables[a] for a in self.session.axes]
        for side, name in zip(("bottom", "left"), names, strict=True):
            if self.getAxis(side).labelText != name:  # setting it again lays the plot out again
                self.setLabel(side, name)
        self.home()
        self.resample(force=True)

    def _on_surface_changed(self) -> None:
        if not self.active():
            return
        if self._fitted != (self.session.axes, self.session.box):
            self._on_function_changed()  # new domain or axes: show all of it
        else:  # the same region with new values (resolution, z-range, slice)
            self.resample(force=True)

    def span(self) -> float:
        """The region's shorter side: the scale of arrows, labels and eigenvectors."""
        assert self.region is not None
        return min(hi - lo for lo, hi in self.region) / (1 + 2 * MARGIN)

    def label_gap(self) -> float:
        """How far apart contour labels are, in data units: a fraction of the region,
        and never closer than a few labels' widths on the screen."""
        per_pixel = max(self.getViewBox().viewPixelSize())
        return max(LABEL_GAP * self.span(), 90 * per_pixel)

    def resizeEvent(self, ev) -> None:  # noqa: N802
        super().resizeEvent(ev)
        self.resized.emit()

    def close_adapters(self) -> None:
        if self.adapters:
            self.session.function_changed.disconnect(self._on_function_changed)
            self.session.surface_changed.disconnect(self._on_surface_changed)
        super().close_adapters()


class HeatMapAdapter(PlotAdapter):
    view_signals = ("grid_changed",)

    def __init__(self, view: MapView) -> None:
        self.item = pg.ImageItem(axisOrder="col-major")
        self.item.setLookupTable(style.COLORMAP.getLookupTable(nPts=256))
        super().__init__(view, (self.item,), 0)

    def redraw(self) -> None:
        s = self.session
        g = s.map_grid(self.view.region)
        self.item.setImage(g.z, levels=s.zrange(), autoLevels=False)
        # pixel (i, j) is centred on the sample (xs[i], ys[j])
        dx = (g.xs[-1] - g.xs[0]) / (len(g.xs) - 1)
        dy = (g.ys[-1] - g.ys[0]) / (len(g.ys) - 1)
        self.item.setRect(
            QtCore.QRectF(g.xs[0] - dx / 2, g.ys[0] - dy / 2, len(g.xs) * dx, len(g.ys) * dy)
        )


class DomainAdapter(PlotAdapter):
    """The domain's outline, and a veil over the padding beyond it."""

    view_signals = ("grid_changed",)

    def __init__(self, view: MapView) -> None:
        self.outline = pg.PlotCurveItem(
            pen=pg.mkPen((60, 60, 60), width=1, style=QtCore.Qt.PenStyle.DashLine)
        )
        self.veil = QtWidgets.QGraphicsPathItem()
        self.veil.setBrush(pg.mkBrush(255, 255, 255, 165))
        self.veil.setPen(pg.mkPen(None))
        super().__init__(view, (self.veil, self.outline), 2)

    def redraw(self) -> None:
        (x0, x1), (y0, y1) = self.session.box
        self.outline.setData([x0, x1, x1, x0, x0], [y0, y0, y1, y1, y0])
        (r0, r1), (s0, s1) = self.view.region
        path = QtGui.QPainterPath()
        path.setFillRule(QtCore.Qt.FillRule.OddEvenFill)
        path.addRect(QtCore.QRectF(r0, s0, r1 - r0, s1 - s0).united(QtCore.QRectF(x0, y0, 0, 0)))
        path.addRect(QtCore.QRectF(x0, y0, x1 - x0, y1 - y0))
        self.veil.setPath(path)


class OverlayAdapter(PlotAdapter):
    """The adapter of one overlay of the registry: drawn while its switch is on."""

    def __init__(self, view: MapView, name: str, items: tuple, depth: float) -> None:
        self.name = name
        super().__init__(view, items, depth)

    def on(self) -> bool:
        return self.session.overlays[self.name]


class ColourBarAdapter(OverlayAdapter):
    """The colour map's scale (values of f) along the view's longer side: below a
    tall map, beside a wide one, where the 1:1 map leaves room."""

    signals = ("overlays_changed",)
    view_signals = ("grid_changed", "resized")

    def __init__(self, view: MapView, name: str) -> None:
        self.bars: dict[str, pg.ColorBarItem] = {}  # by orientation, made when first placed
        self.placed: pg.ColorBarItem | None = None
        super().__init__(view, name, (), 0)

    def bar(self, orientation: str) -> pg.ColorBarItem:
        if orientation not in self.bars:
            bar = pg.ColorBarItem(
                colorMap=style.COLORMAP, interactive=False, width=12, orientation=orientation
            )
            bar.setImageItem(self.view.adapters["heat"].item)
            self.bars[orientation] = bar
        return self.bars[orientation]

    def redraw(self) -> None:
        tall = self.view.height() > self.view.width()
        bar = self.bar("horizontal" if tall else "vertical") if self.on() else None
        if bar is not self.placed:
            layout = self.view.getPlotItem().layout
            if self.placed is not None:
                # out of the scene too: taken from the layout, the bar is Python's alone
                # yet still a child of the plot, and its collection by Python would free
                # an item the scene goes on drawing (a segfault)
                layout.removeItem(self.placed)
                self.view.scene().removeItem(self.placed)
                self.placed.hide()
            if bar is not None:
                layout.addItem(bar, *((5, 1) if tall else (2, 5)))
                bar.show()
            self.placed = bar
        if bar is not None:
            bar.setLevels(self.session.zrange())


class ContourAdapter(OverlayAdapter):
    """Contour lines at the levels of the z-range."""

    signals = ("overlays_changed",)
    view_signals = ("grid_changed",)

    def __init__(self, view: MapView, name: str) -> None:
        # a dark line in a light halo reads on both ends of the colour map; opaque pens
        # drawn as separate segments cost ~2 ms a frame (a translucent or joined wide
        # stroke ~190 ms, repainted on every point move)
        self.item = pg.PlotCurveItem(
            pen=pg.mkPen(style.CONTOUR, width=1.2),
            shadowPen=pg.mkPen(style.CONTOUR_HALO, width=2.5),
            connect="finite",
        )
        self.item.setSegmentedLineMode("on")
        self._drawn: object = None
        super().__init__(view, name, (self.item,), 1)

    def redraw(self) -> None:
        c = (
            self.session.map_contours(self.view.region, self.view.label_gap())
            if self.on()
            else None
        )
        if self._drawn is c:
            return  # another overlay changed
        self._drawn = c
        lines = c.lines if c is not None else np.empty((0, 2))
        self.item.setData(lines[:, 0], lines[:, 1], connect="finite")


class ContourLabelAdapter(OverlayAdapter):
    """The level of each long contour line, written on it (with the contours only)."""

    signals = ("overlays_changed",)
    view_signals = ("grid_changed",)

    def __init__(self, view: MapView, name: str) -> None:
        self.labels: list[pg.TextItem] = []
        super().__init__(view, name, (), 1.5)

    def redraw(self) -> None:
        s = self.session
        shown = self.on() and s.overlays["contours"]
        c = s.map_contours(self.view.region, self.view.label_gap()) if shown else None
        spots = c.labels if c is not None else np.empty((0, 3))
        while len(self.labels) < len(spots):
            label = pg.TextItem(
                color=(30, 30, 30), fill=pg.mkBrush(255, 255, 255, 150), anchor=(0.5, 0.5)
            )
            label.setZValue(1.5)
            self.view.addItem(label)
            self.labels.append(label)
        for label, (x, y, level) in zip(self.labels, spots, strict=False):
            label.setText(f"{level:.3g}")
            label.setPos(x, y)
        for k, label in enumerate(self.labels):
            label.setVisible(k < len(spots))


class FieldAdapter(OverlayAdapter):
    """∇f as separate arrows over the visible part of the domain."""

    signals = ("overlays_changed",)
    view_signals = ("grid_changed",)

    def __init__(self, view: MapView, name: str) -> None:
        self.item = pg.PlotCurveItem(pen=pg.mkPen(style.FIELD, width=1.2), connect="finite")
        super().__init__(view, name, (self.item,), 3)

    def redraw(self) -> None:
        arrows = self.session.field(self.view.region) if self.on() else np.empty((0, 2))
        self.item.setData(arrows[:, 0], arrows[:, 1], connect="finite")


class EigenAdapter(OverlayAdapter):
    """The Hessian's eigenvectors through the point: green where f curves up
    (λ > 0), orange where it curves down, grey where λ = 0."""

    signals = ("point_changed", "overlays_changed")
    view_signals = ("grid_changed",)

    def __init__(self, view: MapView, name: str) -> None:
        self.lines = tuple(pg.PlotCurveItem() for _ in range(2))
        super().__init__(view, name, self.lines, 4)

    def redraw(self) -> None:
        s = self.session
        lam, vec = s.plane_curvature()
        shown = (
            self.on()
            and s.info().differentiable  # no curvature to show at a kink
            and bool(np.all(np.isfinite(vec)))
        )
        a, b = s.axes
        p = np.array([s.point[a], s.point[b]])
        for k, line in enumerate(self.lines):
            if not shown:
                line.setData([], [])
                continue
            colour = style.EIGEN_POS if lam[k] > 0 else style.EIGEN_NEG if lam[k] < 0 else NEUTRAL
            line.setPen(pg.mkPen(colour, width=2.5, style=QtCore.Qt.PenStyle.DashLine))
            d = vec[:, k] * ARROW * self.view.span()
            line.setData([p[0] - d[0], p[0] + d[0]], [p[1] - d[1], p[1] + d[1]])


class ArrowAdapter(OverlayAdapter):
    """∇f (up the slope) or −∇f (down) at the point, in the plane."""

    signals = ("point_changed", "overlays_changed")
    view_signals = ("grid_changed",)
    COLOURS = {"gradient": style.GRADIENT, "descent": style.DESCENT}

    def __init__(self, view: MapView, name: str) -> None:
        pen = pg.mkPen(self.COLOURS[name], width=3)
        self.item = pg.PlotCurveItem(pen=pen, connect="finite")
        super().__init__(view, name, (self.item,), 5)

    def redraw(self) -> None:
        s = self.session
        vec = s.arrows().get(self.name) if self.on() else None
        if vec is None:
            self.item.setData([], [])
            return
        a, b = s.axes
        # hypot, not norm: a 1e-300 domain's vector would underflow to a zero length
        tip = vec / np.hypot(*vec) * ARROW * self.view.span()
        seg = geometry.arrow_2d((s.point[a], s.point[b]), tip)
        self.item.setData(seg[:, 0], seg[:, 1], connect="finite")


class DirectionAdapter(OverlayAdapter):
    """The steepest-descent dial's direction v at the point (Directions dock)."""

    signals = ("point_changed", "overlays_changed", "direction_changed")
    view_signals = ("grid_changed",)

    def __init__(self, view: MapView, name: str) -> None:
        pen = pg.mkPen(style.DIRECTION, width=3, style=QtCore.Qt.PenStyle.DashLine)
        self.item = pg.PlotCurveItem(pen=pen, connect="finite")
        super().__init__(view, name, (self.item,), 5)

    def redraw(self) -> None:
        s = self.session
        if not self.on():
            self.item.setData([], [])
            return
        a, b = s.axes
        v = np.array([np.cos(s.direction), np.sin(s.direction)]) * ARROW * self.view.span()
        seg = geometry.arrow_2d((s.point[a], s.point[b]), v)
        self.item.setData(seg[:, 0], seg[:, 1], connect="finite")


class CriticalAdapter(OverlayAdapter):
    """Critical points, coloured and shaped by kind."""

    signals = ("function_changed", "surface_changed", "overlays_changed", "critical_ready")

    def __init__(self, view: MapView, name: str) -> None:
        self.item = critical_markers(view.session)
        super().__init__(view, name, (self.item,), 6)

    def redraw(self) -> None:
        s = self.session
        found = (s.critical_found() or []) if self.on() else []
        a, b = s.axes
        show_critical(self.item, found, [c.point[a] for c in found], [c.point[b] for c in found])


class PointAdapter(PlotAdapter):
    signals = ("point_changed",)
    view_signals = ("grid_changed",)

    def __init__(self, view: MapView) -> None:
        self.item = pg.ScatterPlotItem(
            size=11, brush=pg.mkBrush(style.POINT), pen=pg.mkPen("w", width=1.5)
        )
        super().__init__(view, (self.item,), 7)

    def redraw(self) -> None:
        a, b = self.session.axes
        self.item.setData([self.session.point[a]], [self.session.point[b]])


_ADAPTERS: dict[str, type[OverlayAdapter]] = {
    "gradient": ArrowAdapter,
    "descent": ArrowAdapter,
    "contours": ContourAdapter,
    "contour_labels": ContourLabelAdapter,
    "colorbar": ColourBarAdapter,
    "field": FieldAdapter,
    "critical": CriticalAdapter,
    "eigen": EigenAdapter,
    "direction": DirectionAdapter,
}
