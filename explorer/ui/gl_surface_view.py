"""The 3D view: the surface with its overlays, in a box scaled to a cube.

The plotted box (x, y and the z-range) maps to the cube [-1, 1]² × [-0.7, 0.7];
every item gets cube coordinates, computed in float64 before GL's float32.
One adapter per visual: it creates its item once, listens to the session
fields it draws, and redraws only when they change.

The view is a `QOpenGLWindow` (pyqtgraph's `GLViewMixin` gives it the camera
and the items), placed among the widgets by its `container`. A
`QOpenGLWidget` anywhere in a window makes Qt compose the whole window
through OpenGL: under a software renderer every label or status-bar update
then costs ~9 ms. A native child window keeps the widgets' updates cheap; in
exchange `QWidget.grab()` cannot see it (the window composes its exports from
`grabFramebuffer()`), and what a widget would do by itself (tooltip, focus)
the container and the view arrange between them.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph.opengl as gl
from OpenGL import GL
from PyQt6 import QtCore, QtGui, QtOpenGL, QtWidgets
from pyqtgraph.opengl.GLViewWidget import GLViewMixin

from explorer.session.model import Session

from . import style
from .gl_axes import NAME_GAP, BoxAxes, camera_fit_distance
from .gl_items import FRONT, HIDDEN, GLGraphSurface, GLLines, GLTriangles, cone_triangles

ON_TOP = {
    GL.GL_DEPTH_TEST: False,
    GL.GL_BLEND: True,
    GL.GL_CULL_FACE: False,
    "glBlendFunc": (GL.GL_SRC_ALPHA, GL.GL_ONE_MINUS_SRC_ALPHA),
}
HALF_Z = 0.7  # the cube is [-1, 1] × [-1, 1] × [-HALF_Z, HALF_Z]
ELEVATION, AZIMUTH = 26, -62  # the default camera angles
DISTANCE = 3.3  # the camera distance before it is fitted to the view
PAINTS = (QtCore.QEvent.Type.Expose, QtCore.QEvent.Type.Paint, QtCore.QEvent.Type.UpdateRequest)
TOOLTIP_DELAY = 700  # ms the mouse rests on the view before its tooltip shows


def surface_format() -> QtGui.QSurfaceFormat:
    """A depth buffer for the surface and everything drawn with it (a window's
    default format has none: the overlays would show through the surface).
    No multisampling, as the QOpenGLWidget before it had."""
    fmt = QtGui.QSurfaceFormat.defaultFormat()
    fmt.setDepthBufferSize(24)
    fmt.setStencilBufferSize(8)
    return fmt


class SurfaceView(GLViewMixin, QtOpenGL.QOpenGLWindow):
    """The surface; a click (not a drag) selects the point where the ray meets it.

    Lay out `container`, not the view. GL resources (shader programs) are shared
    with the application's other contexts, like a QOpenGLWidget's."""

    def __init__(self, session: Session, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(QtGui.QOpenGLContext.globalShareContext())
        self.setFormat(surface_format())
        self.container = SurfaceViewContainer(self, parent)
        self.container.setToolTip(
            "Drag to rotate, wheel to zoom, click to select a point;\n"
            "arrow keys move the point, Ctrl+arrows rotate"
        )
        # the container never sees the mouse (the native window gets it): the view
        # asks it for its tooltip when the mouse rests
        self._tooltip_timer = QtCore.QTimer(self)
        self._tooltip_timer.setSingleShot(True)
        self._tooltip_timer.setInterval(TOOLTIP_DELAY)
        self._tooltip_timer.timeout.connect(self._show_tooltip)
        self._hover = QtCore.QPointF()
        self._surface = False  # whether the native surface exists (PlatformSurface events)
        self.session = session
        self.equal_scale = False
        self.setBackgroundColor(style.BACKGROUND)
        self.setCameraPosition(distance=DISTANCE, elevation=ELEVATION, azimuth=AZIMUTH)
        self.axes = BoxAxes(self)
        self.adapters: dict[str, Adapter] = {
            "surface": SurfaceAdapter(self),
            "tangent": TangentAdapter(self),
            "quadratic": QuadraticAdapter(self),
            "point": PointAdapter(self),
            "gradient": ArrowAdapter(self, "gradient", style.GRADIENT),
            "descent": ArrowAdapter(self, "descent", style.DESCENT),
            "critical": CriticalAdapter(self),
            "sections": SectionsAdapter(self),
        }
        session.function_changed.connect(self._on_surface_changed)
        session.surface_changed.connect(self._on_surface_changed)
        self._press: QtCore.QPointF | None = None
        self._fitted_size: tuple[int, int] | None = None
        self._on_surface_changed()

    # data <-> cube ---------------------------------------------------------------
    # Items get cube coordinates computed in float64: GL's float32 cannot hold
    # a function's values when they pass 3e38 (exp(x²) on a wide domain).
    def cube_map(self) -> tuple[np.ndarray, np.ndarray]:
        """(scale, offset) with cube = data * scale + offset, per axis.

        By default the box fills [-1, 1]² × [-HALF_Z, HALF_Z]; with equal scale
        one unit is as long on every axis (a hemisphere looks like one), the
        longest side spanning 2.
        """
        (x0, x1), (y0, y1) = self.session.box
        z0, z1 = self.session.zrange()
        spans = np.array([x1 - x0, y1 - y0, z1 - z0], dtype=np.float64)
        if self.equal_scale:
            scale = np.full(3, 2.0 / spans.max())
        else:
            scale = np.array([2.0, 2.0, 2.0 * HALF_Z]) / spans
        lows = -0.5 * spans * scale  # centred on the origin
        return scale, lows - np.array([x0, y0, z0]) * scale

    def to_cube(self, points) -> np.ndarray:
        scale, offset = self.cube_map()
        with np.errstate(all="ignore"):
            return np.asarray(points, dtype=np.float64) * scale + offset

    def from_cube(self, points) -> np.ndarray:
        scale, offset = self.cube_map()
        return (np.asarray(points, dtype=np.float64) - offset) / scale

    def set_equal_scale(self, on: bool) -> None:
        if on != self.equal_scale:
            self.equal_scale = on
            self._on_surface_changed()
            for adapter in self.adapters.values():
                adapter._on_changed()

    def _on_surface_changed(self) -> None:
        if len(self.session.axes) != 2:
            return
        s = self.session
        names = [s.function.variables[a] for a in s.axes]
        ranges = [*s.box, s.zrange()]
        lows = self.to_cube([r[0] for r in ranges])
        highs = self.to_cube([r[1] for r in ranges])
        self.axes.set_box(lows, highs, ranges, (*names, s.function.output_name))
        self.fit_camera()

    # camera ----------------------------------------------------------------------
    def fit_camera(self) -> None:
        """Move the camera along its line of sight until the box just fits the view."""
        pad = np.array([NAME_GAP, NAME_GAP, 0.1])  # room for the labels
        lo, hi = self.axes.lows - pad, self.axes.highs + pad
        corners = np.array(
            [
                [(lo, hi)[i][0], (lo, hi)[j][1], (lo, hi)[k][2]]
                for i in (0, 1)
                for j in (0, 1)
                for k in (0, 1)
            ]
        )
        self.opts["distance"] = camera_fit_distance(self, corners)
        self._fitted_size = (self.width(), self.height())
        self.update()

    def reset_camera(self) -> None:
        self.setCameraPosition(elevation=ELEVATION, azimuth=AZIMUTH)
        self.opts["center"] = QtGui.QVector3D(0, 0, 0)
        self.fit_camera()

    def resizeGL(self, w: int, h: int) -> None:  # noqa: N802 (Qt's name)
        super().resizeGL(w, h)
        if self._fitted_size != (self.width(), self.height()):
            self.fit_camera()

    def paintGL(self) -> None:  # noqa: N802 (Qt's name)
        self.axes.follow_camera()  # ticks on the edges facing the eye
        super().paintGL()

    def grabFramebuffer(self) -> QtGui.QImage:  # noqa: N802 (Qt's name)
        """The frame as this window draws it, with its own buffers: painted again
        into its back buffer and read back before any swap (the screen does not
        change). Once swapped, a back buffer is undefined: Qt's grab alone may
        return anything. Before the view was first shown, drawn off screen; an
        empty image only where no OpenGL context can be made."""
        if not self.isValid():
            return self._draw_off_screen()
        self.makeCurrent()
        GL.glViewport(0, 0, self.deviceWidth(), self.deviceHeight())
        self.paintGL()
        return super().grabFramebuffer()

    def _draw_off_screen(self) -> QtGui.QImage:
        """The frame at the container's size, drawn into a framebuffer object of a
        context made for it. The context shares the application's GL resources, as
        the window's own will: the items initialised here draw there later."""
        size = self.container.size()
        self.resize(max(size.width(), 1), max(size.height(), 1))  # the projection's
        if self._fitted_size != (self.width(), self.height()):
            self.fit_camera()
        context = QtGui.QOpenGLContext()
        context.setShareContext(QtGui.QOpenGLContext.globalShareContext())
        context.setFormat(surface_format())
        surface = QtGui.QOffscreenSurface()
        surface.setFormat(context.format())
        surface.create()
        if not (context.create() and context.makeCurrent(surface)):
            return QtGui.QImage()
        try:
            w, h = self.deviceWidth(), self.deviceHeight()
            attachment = QtOpenGL.QOpenGLFramebufferObject.Attachment.CombinedDepthStencil
            frame = QtOpenGL.QOpenGLFramebufferObject(w, h, attachment)
            frame.bind()
            for item in self.items:
                if not item.isInitialized():
                    item.initialize()
            GL.glViewport(0, 0, w, h)
            self.paintGL()
            image = frame.toImage()
            frame.release()
        finally:
            context.doneCurrent()
        return image

    # events a widget would handle by itself ----------------------------------------
    def _show_tooltip(self) -> None:
        pos = self._hover.toPoint()
        QtWidgets.QApplication.sendEvent(
            self.container,
            QtGui.QHelpEvent(QtCore.QEvent.Type.ToolTip, pos, self.mapToGlobal(pos)),
        )

    def event(self, ev: QtCore.QEvent) -> bool:
        kind = ev.type()
        if kind == QtCore.QEvent.Type.PlatformSurface:
            created = QtGui.QPlatformSurfaceEvent.SurfaceEventType.SurfaceCreated
            self._surface = ev.surfaceEventType() == created
        elif kind in PAINTS and not self._surface:
            # an expose queued before the window closed: Qt would paint with the
            # context it has just released (a crash, seen on quitting from a slot)
            return True
        if kind == QtCore.QEvent.Type.MouseMove and not ev.buttons():
            self._hover = ev.position()
            self._tooltip_timer.start()
        elif kind in (
            QtCore.QEvent.Type.Leave,
            QtCore.QEvent.Type.MouseButtonPress,
            QtCore.QEvent.Type.Wheel,
            QtCore.QEvent.Type.KeyPress,
        ):
            self._tooltip_timer.stop()
            QtWidgets.QToolTip.hideText()
        return super().event(ev)

    # picking ---------------------------------------------------------------------
    def ray_at(self, pos: QtCore.QPointF) -> tuple[np.ndarray, np.ndarray]:
        """The ray under a widget position, in data coordinates (origin, direction)."""
        x0, y0, w, h = self.getViewport()
        m = self.projectionMatrix((x0, y0, w, h), (x0, y0, w, h)) * self.viewMatrix()
        m = m.inverted()[0]
        ndc_x = 2.0 * pos.x() / w - 1.0
        ndc_y = 1.0 - 2.0 * pos.y() / h
        near = m.map(QtGui.QVector4D(ndc_x, ndc_y, -1.0, 1.0))
        far = m.map(QtGui.QVector4D(ndc_x, ndc_y, 1.0, 1.0))
        a = self.from_cube(np.array([near.x(), near.y(), near.z()]) / near.w())
        b = self.from_cube(np.array([far.x(), far.y(), far.z()]) / far.w())
        return a, b - a

    def click(self, pos: QtCore.QPointF) -> bool:
        return self.session.pick(*self.ray_at(pos))

    def mousePressEvent(self, ev) -> None:  # noqa: N802
        self._press = ev.position()
        super().mousePressEvent(ev)

    def mouseReleaseEvent(self, ev) -> None:  # noqa: N802
        press, self._press = self._press, None
        if (
            press is not None
            and ev.button() == QtCore.Qt.MouseButton.LeftButton
            and (ev.position() - press).manhattanLength() <= 3
        ):
            self.click(ev.position())
        super().mouseReleaseEvent(ev)

    def keyPressEvent(self, ev) -> None:  # noqa: N802
        moves = {
            QtCore.Qt.Key.Key_Left: (-1, 0),
            QtCore.Qt.Key.Key_Right: (1, 0),
            QtCore.Qt.Key.Key_Up: (0, 1),
            QtCore.Qt.Key.Key_Down: (0, -1),
        }
        mods = ev.modifiers()
        if ev.key() in moves and not mods & QtCore.Qt.KeyboardModifier.ControlModifier:
            self.session.nudge(
                *moves[ev.key()], fine=bool(mods & QtCore.Qt.KeyboardModifier.ShiftModifier)
            )
            ev.accept()
            return
        super().keyPressEvent(ev)

    def close_adapters(self) -> None:
        """Disconnect every adapter from the session (safe to call twice)."""
        for adapter in self.adapters.values():
            adapter.close()
        if self.adapters:
            self.session.function_changed.disconnect(self._on_surface_changed)
            self.session.surface_changed.disconnect(self._on_surface_changed)
        self.adapters = {}


class SurfaceViewContainer(QtWidgets.QWidget):
    """The widget that holds the 3D view among the others (splitter, focus, tooltip,
    minimum size), with Qt's window container inside. Made here, not taken from
    `createWindowContainer` itself: PyQt cannot tell when Qt deletes an object it
    did not create, and a wrapper kept of one would crash the application's exit."""

    def __init__(self, view: SurfaceView, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("surface_view")
        self.setMinimumSize(150, 150)
        inner = QtWidgets.QWidget.createWindowContainer(view, self)
        inner.setFocusPolicy(QtCore.Qt.FocusPolicy.StrongFocus)
        self.setFocusPolicy(QtCore.Qt.FocusPolicy.StrongFocus)
        self.setFocusProxy(inner)  # the container gives the focus on to the view

    def resizeEvent(self, event: QtGui.QResizeEvent) -> None:  # noqa: N802 (Qt's name)
        # no layout: its size hint would change how the splitter shares the room
        super().resizeEvent(event)
        self.focusProxy().setGeometry(self.rect())


class Adapter:
    """One visual, bound to the session signals that change it."""

    signals: tuple[str, ...] = ()

    def __init__(self, view: SurfaceView, items: tuple, depth: int) -> None:
        """Add the adapter's `items` (drawn in `depth` order), connect, and draw once."""
        self.view = view
        self.session = view.session
        for item in items:
            view.addItem(item)
            item.setDepthValue(depth)
        self._connections = [(getattr(self.session, s), self._on_changed) for s in self.signals]
        for signal, slot in self._connections:
            signal.connect(slot)
        self._on_changed()

    def _on_changed(self) -> None:
        if len(self.session.axes) == 2:
            self.redraw()

    def redraw(self) -> None:
        raise NotImplementedError

    def close(self) -> None:
        for signal, slot in self._connections:
            signal.disconnect(slot)
        self._connections = []


class SurfaceAdapter(Adapter):
    signals = ("function_changed", "surface_changed")

    def __init__(self, view: SurfaceView) -> None:
        self.item = GLGraphSurface()
        super().__init__(view, (self.item,), 0)

    def redraw(self) -> None:
        m = self.session.surface_mesh()
        zr = self.session.zrange()
        scale, offset = self.view.cube_map()
        # normals transform by the inverse scale; normalized in float32, the
        # precision GL draws them in, per component (the same sums as
        # np.linalg.norm's, which reduces a length-3 last axis slowly)
        with np.errstate(all="ignore"):
            n = np.divide(m.normals, scale, out=np.empty(m.normals.shape, np.float32))
            x, y, z = n[..., 0], n[..., 1], n[..., 2]
            n /= np.sqrt((x * x + y * y) + z * z)[..., None]
        n[~(np.isfinite(x) & np.isfinite(y) & np.isfinite(z))] = (0.0, 0.0, 1.0)
        self.item.set_grid(
            m.x * scale[0] + offset[0],
            m.y * scale[1] + offset[1],
            np.where(m.visible, m.z, zr[0]) * scale[2] + offset[2],
            n,
            style.surface_colors(m.z, zr),
            m.visible,
        )


def _show(items, on: bool) -> None:
    for item in items:
        item.setVisible(on)


class TangentAdapter(Adapter):
    """The tangent plane over its patch, cut to the box and to f's domain; where
    the surface hides it, drawn faintly."""

    signals = ("function_changed", "surface_changed", "point_changed", "overlays_changed")

    def __init__(self, view: SurfaceView) -> None:
        self.hidden = GLTriangles(style.rgba(style.TANGENT, 0.3), HIDDEN)
        self.hidden_outline = GLLines(style.rgba(style.TANGENT, 0.5), 1.5, HIDDEN)
        self.front = GLTriangles(style.rgba(style.TANGENT, 0.55), FRONT)
        self.outline = GLLines(style.rgba(style.TANGENT), 2.0, FRONT)
        super().__init__(view, (self.hidden, self.hidden_outline, self.front, self.outline), 10)
        for item in (self.front, self.outline):
            item.setDepthValue(11)  # after the faint pass, which writes no depth

    def redraw(self) -> None:
        on = self.session.overlays["tangent"]
        tri = self.view.to_cube(self.session.tangent_triangles()) if on else np.empty((0, 3, 3))
        self.hidden.set_triangles(tri)
        self.front.set_triangles(tri)
        edge = self.view.to_cube(self.session.tangent_outline()) if on else np.empty((0, 2, 3))
        for item in (self.outline, self.hidden_outline):
            item.setVisible(len(edge) > 0)
            if len(edge):
                item.setData(pos=edge.reshape(-1, 3))


class QuadraticAdapter(Adapter):
    """The Taylor quadratic over its patch, cut like the tangent plane."""

    signals = ("function_changed", "surface_changed", "point_changed", "overlays_changed")
    N = 31

    def __init__(self, view: SurfaceView) -> None:
        self.mesh = GLTriangles(style.rgba(style.QUADRATIC, 0.45), FRONT)
        self.wire = gl.GLLinePlotItem(
            color=style.rgba(style.QUADRATIC),
            width=1.5,
            mode="lines",
            antialias=True,
            glOptions="translucent",
        )
        super().__init__(view, (self.mesh, self.wire), 12)

    def redraw(self) -> None:
        s = self.session
        show_mesh = s.overlays["quadratic"] and not s.quadratic_wireframe
        self.mesh.set_triangles(
            self.view.to_cube(s.quadratic_triangles(self.N)) if show_mesh else np.empty((0, 3, 3))
        )
        show_wire = s.overlays["quadratic"] and s.quadratic_wireframe
        wire = self.view.to_cube(s.quadratic_wire(self.N)) if show_wire else np.empty((0, 2, 3))
        self.wire.setVisible(len(wire) > 0)
        if len(wire):
            self.wire.setData(pos=wire.reshape(-1, 3))


class PointAdapter(Adapter):
    signals = ("function_changed", "surface_changed", "point_changed")

    def __init__(self, view: SurfaceView) -> None:
        self.item = gl.GLScatterPlotItem(size=12, color=style.rgba(style.POINT), pxMode=True)
        # The point lies on the surface, at the surface's own depth: with the depth
        # test it would lose to the surface. Drawn last and on top, like a cursor.
        self.item.setGLOptions(ON_TOP)
        super().__init__(view, (self.item,), 30)

    def redraw(self) -> None:
        s = self.session
        info = s.info()
        a, b = s.axes
        ok = bool(np.isfinite(info.value))
        self.item.setVisible(ok)
        if ok:
            z = float(np.clip(info.value, *s.zrange()))
            self.item.setData(pos=self.view.to_cube([[s.point[a], s.point[b], z]]))


class ArrowAdapter(Adapter):
    """An arrow along the tangent plane, up the slope for the gradient, down for
    descent, shortened to stay in the box and where f is defined. Drawn on top,
    like the point it starts from: where the surface curves up, the tangent
    plane and the arrow in it lie under the surface."""

    signals = ("function_changed", "surface_changed", "point_changed", "overlays_changed")
    HEAD = 0.14  # cone length, cube units (less if the arrow is short)

    def __init__(self, view: SurfaceView, name: str, color) -> None:
        self.name = name
        self.shaft = GLLines(style.rgba(color), 4.0, ON_TOP)
        self.head = GLTriangles(style.rgba(color), ON_TOP)
        self.ends: np.ndarray | None = None  # cube coordinates, for tests and picking
        super().__init__(view, (self.shaft, self.head), 21)

    def redraw(self) -> None:
        s = self.session
        found = s.arrow_3d(self.name) if s.overlays[self.name] else None
        ends = self.view.to_cube(np.array(found)) if found is not None else None
        direction = ends[1] - ends[0] if ends is not None else np.zeros(3)
        length = float(np.linalg.norm(direction))
        self.ends = ends if length > 0 else None
        _show((self.shaft, self.head), self.ends is not None)
        if ends is None or self.ends is None:
            return
        head = min(self.HEAD, 0.5 * length)
        base = ends[1] - head * direction / length
        self.shaft.setData(pos=np.array([ends[0], base]))
        self.head.set_triangles(cone_triangles(base, ends[1], 0.32 * head))


class CriticalAdapter(Adapter):
    """Critical points by kind, drawn whole on top of the surface like the point
    (at the bottom of a steep well the surface would hide half of each disc)."""

    signals = ("function_changed", "surface_changed", "overlays_changed", "critical_ready")

    def __init__(self, view: SurfaceView) -> None:
        self.item = gl.GLScatterPlotItem(size=11, pxMode=True)
        self.item.setGLOptions(ON_TOP)
        self.shown: list = []
        super().__init__(view, (self.item,), 29)

    def redraw(self) -> None:
        s = self.session
        zr = s.zrange()
        self.shown = [
            c
            for c in ((s.critical_found() or []) if s.overlays["critical"] else [])
            if zr[0] <= c.value <= zr[1]
        ]
        self.item.setVisible(bool(self.shown))
        if self.shown:
            a, b = s.axes
            pos = self.view.to_cube([[c.point[a], c.point[b], c.value] for c in self.shown])
            colors = np.array([style.rgba(style.CRITICAL[c.kind]) for c in self.shown])
            self.item.setData(pos=pos, color=colors)


class SectionsAdapter(Adapter):
    """The partial derivatives as cross-sections (18.4.1): the curves y = y₀ and
    x = x₀ on the surface, each with its tangent line at the point, whose slope is
    ∂f/∂x or ∂f/∂y."""

    signals = ("function_changed", "surface_changed", "point_changed", "overlays_changed")

    def __init__(self, view: SurfaceView) -> None:
        colors = {"x": style.SECTION_X, "y": style.SECTION_Y}
        self.curves = {k: GLLines(style.rgba(c), 3.5, FRONT) for k, c in colors.items()}
        self.tangents = {k: GLLines(style.rgba(c), 2.5, FRONT) for k, c in colors.items()}
        self.hidden = {  # the parts behind the surface, faint
            (k, part): GLLines(style.rgba(c, 0.3), 1.5, HIDDEN)
            for k, c in colors.items()
            for part in ("curve", "tangent")
        }
        strong = (*self.curves.values(), *self.tangents.values())
        super().__init__(view, (*self.hidden.values(), *strong), 17)
        for item in strong:
            item.setDepthValue(18)  # after the faint pass, which writes no depth

    def redraw(self) -> None:
        s = self.session
        sec = s.sections() if s.overlays["sections"] else None
        for k in ("x", "y"):
            for part, item in (("curve", self.curves[k]), ("tangent", self.tangents[k])):
                segs = getattr(sec, f"along_{k}" if part == "curve" else f"tangent_{k}", None)
                ok = segs is not None and len(segs) > 0
                for it in (item, self.hidden[k, part]):
                    it.setVisible(ok)
                    if ok:
                        it.setData(pos=self.view.to_cube(segs).reshape(-1, 3))
