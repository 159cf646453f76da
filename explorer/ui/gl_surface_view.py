"""The 3D view: the surface with its overlays, in a box scaled to a cube.

The plotted box (x, y and the z-range) maps to the cube [-1, 1]² × [-0.7, 0.7];
every item gets cube coordinates, computed in float64 before GL's float32.
One adapter per visual: it creates its item once, listens to the session
fields it draws, and redraws only when they change.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph.opengl as gl
from OpenGL import GL
from PyQt6 import QtCore, QtGui

from explorer.session.model import Session

from . import style
from .gl_items import GLGraphSurface, grid_faces

ON_TOP = {
    GL.GL_DEPTH_TEST: False,
    GL.GL_BLEND: True,
    GL.GL_CULL_FACE: False,
    "glBlendFunc": (GL.GL_SRC_ALPHA, GL.GL_ONE_MINUS_SRC_ALPHA),
}
HALF_Z = 0.7  # the cube is [-1, 1] × [-1, 1] × [-HALF_Z, HALF_Z]
DISTANCE = 3.3  # the default camera distance


class SurfaceView(gl.GLViewWidget):
    """The surface; a click (not a drag) selects the point where the ray meets it."""

    def __init__(self, session: Session, parent=None) -> None:
        super().__init__(parent)
        self.session = session
        self.setBackgroundColor(style.BACKGROUND)
        self.setCameraPosition(distance=DISTANCE, elevation=26, azimuth=-62)
        self.setMinimumSize(150, 150)
        self.setFocusPolicy(QtCore.Qt.FocusPolicy.StrongFocus)
        self.setToolTip(
            "Drag to rotate, wheel to zoom, click to select a point;\n"
            "arrow keys move the point, Ctrl+arrows rotate"
        )
        box = gl.GLBoxItem(size=QtGui.QVector3D(2, 2, 2 * HALF_Z), color=(90, 90, 90, 160))
        box.translate(-1, -1, -HALF_Z)
        self.addItem(box)
        self.labels = {name: gl.GLTextItem(color=(40, 40, 40, 255)) for name in ("x", "y", "z")}
        for item in self.labels.values():
            self.addItem(item)
        self.adapters: dict[str, Adapter] = {
            "surface": SurfaceAdapter(self),
            "tangent": TangentAdapter(self),
            "quadratic": QuadraticAdapter(self),
            "point": PointAdapter(self),
            "gradient": ArrowAdapter(self, "gradient", style.GRADIENT),
            "descent": ArrowAdapter(self, "descent", style.DESCENT),
            "critical": CriticalAdapter(self),
        }
        session.function_changed.connect(self._on_surface_changed)
        session.surface_changed.connect(self._on_surface_changed)
        self._press: QtCore.QPointF | None = None
        self._on_surface_changed()

    # data <-> cube ---------------------------------------------------------------
    # Items get cube coordinates computed in float64: GL's float32 cannot hold
    # a function's values when they pass 3e38 (exp(x²) on a wide domain).
    def cube_map(self) -> tuple[np.ndarray, np.ndarray]:
        """(scale, offset) with cube = data * scale + offset, per axis."""
        (x0, x1), (y0, y1) = self.session.box
        z0, z1 = self.session.zrange()
        scale = np.array([2 / (x1 - x0), 2 / (y1 - y0), 2 * HALF_Z / (z1 - z0)])
        return scale, np.array([-1.0, -1.0, -HALF_Z]) - np.array([x0, y0, z0]) * scale

    def to_cube(self, points) -> np.ndarray:
        scale, offset = self.cube_map()
        with np.errstate(all="ignore"):
            return np.asarray(points, dtype=np.float64) * scale + offset

    def from_cube(self, points) -> np.ndarray:
        scale, offset = self.cube_map()
        return (np.asarray(points, dtype=np.float64) - offset) / scale

    def _on_surface_changed(self) -> None:
        if len(self.session.axes) != 2:
            return
        s = self.session
        names = [s.function.variables[a] for a in s.axes]
        (x0, x1), (y0, y1) = s.box
        z0, z1 = s.zrange()
        self.labels["x"].setData(pos=(1.12, -1.0, -HALF_Z), text=f"{names[0]} [{x0:g}, {x1:g}]")
        self.labels["y"].setData(pos=(-1.0, 1.12, -HALF_Z), text=f"{names[1]} [{y0:g}, {y1:g}]")
        self.labels["z"].setData(
            pos=(-1.0, -1.0, HALF_Z + 0.08), text=f"{s.function.output_name} [{z0:.3g}, {z1:.3g}]"
        )

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
        s = self.session.surface()
        zr = self.session.zrange()
        with np.errstate(invalid="ignore"):
            visible = np.isfinite(s.z) & (s.z >= zr[0]) & (s.z <= zr[1])
        scale, offset = self.view.cube_map()
        z = np.where(visible, s.z, zr[0]) * scale[2] + offset[2]
        # normals transform by the inverse scale; normalized in float64
        with np.errstate(all="ignore"):
            n = s.normals / scale
            n /= np.linalg.norm(n, axis=-1, keepdims=True)
        n[~np.all(np.isfinite(n), axis=-1)] = (0.0, 0.0, 1.0)
        self.item.set_grid(
            s.xs * scale[0] + offset[0],
            s.ys * scale[1] + offset[1],
            z,
            n,
            style.surface_colors(s.z, zr),
            visible,
        )


def _show(items, on: bool) -> None:
    for item in items:
        item.setVisible(on)


class TangentAdapter(Adapter):
    signals = ("function_changed", "surface_changed", "point_changed", "overlays_changed")
    FACES = np.array([[0, 1, 3], [0, 3, 2]], dtype=np.uint32)

    def __init__(self, view: SurfaceView) -> None:
        self.item = gl.GLMeshItem(
            vertexes=np.zeros((4, 3)),
            faces=self.FACES,
            color=style.rgba(style.TANGENT, 0.55),
            smooth=False,
            glOptions="translucent",
            drawEdges=False,
        )
        self.outline = gl.GLLinePlotItem(
            color=style.rgba(style.TANGENT), width=2.0, antialias=True, glOptions="translucent"
        )
        super().__init__(view, (self.item, self.outline), 10)

    def redraw(self) -> None:
        on = self.session.overlays["tangent"]
        v = self.view.to_cube(self.session.tangent_patch().reshape(-1, 3)) if on else None
        on = v is not None and bool(np.all(np.isfinite(v)))
        _show((self.item, self.outline), on)
        if v is not None and on:
            self.item.setMeshData(vertexes=v, faces=self.FACES)
            self.outline.setData(pos=v[[0, 1, 3, 2, 0]])


class QuadraticAdapter(Adapter):
    signals = ("function_changed", "surface_changed", "point_changed", "overlays_changed")
    N = 21

    def __init__(self, view: SurfaceView) -> None:
        self.faces = grid_faces(self.N, self.N)
        self.mesh = gl.GLMeshItem(
            vertexes=np.zeros((self.N * self.N, 3)),
            faces=self.faces,
            color=style.rgba(style.QUADRATIC, 0.45),
            smooth=False,
            glOptions="translucent",
        )
        self.wire = gl.GLLinePlotItem(
            color=style.rgba(style.QUADRATIC),
            width=1.5,
            mode="lines",
            antialias=True,
            glOptions="translucent",
        )
        super().__init__(view, (self.mesh, self.wire), 11)

    def redraw(self) -> None:
        s = self.session
        v = None
        if s.overlays["quadratic"]:
            v = s.quadratic_patch(self.N).copy()
            # the parabola leaves the box quickly: clip it to the z-range like the surface
            v[..., 2] = np.clip(v[..., 2], *s.zrange())
            v = self.view.to_cube(v)
        ok = v is not None and bool(np.all(np.isfinite(v)))
        self.mesh.setVisible(ok and not s.quadratic_wireframe)
        self.wire.setVisible(ok and s.quadratic_wireframe)
        if v is None or not ok:
            return
        if s.quadratic_wireframe:
            rows = np.stack([v[:, :-1], v[:, 1:]], axis=2).reshape(-1, 3)
            cols = np.stack([v[:-1, :], v[1:, :]], axis=2).reshape(-1, 3)
            self.wire.setData(pos=np.concatenate([rows, cols]))
        else:
            self.mesh.setMeshData(vertexes=v.reshape(-1, 3), faces=self.faces)


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
    """An arrow along the tangent plane: up the slope for the gradient, down for descent."""

    signals = ("function_changed", "surface_changed", "point_changed", "overlays_changed")

    def __init__(self, view: SurfaceView, name: str, color) -> None:
        self.name = name
        self.shaft = gl.GLLinePlotItem(color=style.rgba(color), width=4.0, antialias=True)
        cone = gl.MeshData.cylinder(rows=1, cols=16, radius=[0.045, 0.0], length=0.14)
        self.head = gl.GLMeshItem(
            meshdata=cone, color=style.rgba(color), smooth=False, shader=None, glOptions="opaque"
        )
        super().__init__(view, (self.shaft, self.head), 21)

    def redraw(self) -> None:
        s = self.session
        vec = s.arrows().get(self.name) if s.overlays[self.name] else None
        info = s.info()
        ends = None
        if vec is not None and np.isfinite(info.value):
            a, b = s.axes
            start = np.array([s.point[a], s.point[b], info.value])
            with np.errstate(all="ignore"):
                rise = info.gradient[[a, b]] @ vec  # along the tangent plane
            ends = self.view.to_cube([start, start + np.array([vec[0], vec[1], rise])])
        direction = ends[1] - ends[0] if ends is not None else np.zeros(3)
        length = float(np.linalg.norm(direction)) if np.all(np.isfinite(direction)) else 0.0
        _show((self.shaft, self.head), length > 0)
        if ends is None or length == 0:
            return
        u = direction / length
        base = ends[1] - 0.14 * u
        self.shaft.setData(pos=np.array([ends[0], base]))
        m = QtGui.QMatrix4x4()
        m.translate(*base)
        axis = np.cross([0.0, 0.0, 1.0], u)
        angle = np.degrees(np.arccos(np.clip(u[2], -1.0, 1.0)))
        if np.linalg.norm(axis) > 1e-9:
            m.rotate(float(angle), *axis)
        elif u[2] < 0:
            m.rotate(180.0, 1.0, 0.0, 0.0)
        self.head.setTransform(m)


class CriticalAdapter(Adapter):
    signals = ("function_changed", "surface_changed", "overlays_changed")

    def __init__(self, view: SurfaceView) -> None:
        self.item = gl.GLScatterPlotItem(size=11, pxMode=True)
        self.item.setGLOptions("translucent")
        super().__init__(view, (self.item,), 19)

    def redraw(self) -> None:
        s = self.session
        zr = s.zrange()
        found = [
            c for c in (s.critical() if s.overlays["critical"] else []) if zr[0] <= c.value <= zr[1]
        ]
        self.item.setVisible(bool(found))
        if found:
            a, b = s.axes
            pos = self.view.to_cube([[c.point[a], c.point[b], c.value] for c in found])
            colors = np.array([style.rgba(style.CRITICAL[c.kind]) for c in found])
            self.item.setData(pos=pos, color=colors)
