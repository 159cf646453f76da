"""The box around the surface with ticks and labels on the edges facing the
camera: x along the front edge on the y side nearer the eye, y along the
front edge on the x side, z up the corner on the left of the screen. Labels
are drawn into the GL scene (`GLLabels`), on top of the surface.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph.opengl as gl
from PyQt6 import QtGui
from pyqtgraph.opengl.GLViewWidget import GLViewMixin

from .gl_text import CENTER, LEFT, RIGHT, GLLabels

TICK = 0.04  # tick length, cube units
GAP = 0.09  # tick labels stand this far outside the box
NAME_GAP = 0.24  # axis names further out


def nice_ticks(lo: float, hi: float, count: int = 5) -> np.ndarray:
    """Round values (1, 2, 2.5 or 5 × 10ᵏ apart) inside [lo, hi], about `count` of them."""
    span = hi - lo
    if not (np.isfinite(span) and span > 0):
        return np.empty(0)
    raw = span / count
    mag = 10.0 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    first = math.ceil(lo / step - 1e-9) * step
    ticks = first + step * np.arange(int((hi - first) / step + 1e-9) + 1)
    return np.where(np.abs(ticks) < step * 1e-9, 0.0, ticks)


def tick_text(v: float) -> str:
    return f"{v:.4g}".replace("-", "−")


class BoxAxes:
    """The box outline, tick marks and all axis text of the 3D view."""

    def __init__(self, view: GLViewMixin) -> None:
        self.view = view
        self.box = gl.GLBoxItem(color=(90, 90, 90, 160))
        self.ticks = gl.GLLinePlotItem(
            mode="lines",
            color=(0.3, 0.3, 0.3, 1.0),
            width=1.0,
            antialias=True,
            glOptions="translucent",
        )
        self.labels = GLLabels()
        self.labels.setDepthValue(100)  # over everything
        for item in (self.box, self.ticks, self.labels):
            view.addItem(item)
        self.lows = np.array([-1.0, -1.0, -1.0])
        self.highs = np.array([1.0, 1.0, 1.0])
        self.ranges = [(0.0, 1.0)] * 3
        self.names = ("x", "y", "z")
        self._sides: tuple | None = None

    def set_box(self, lows, highs, ranges, names) -> None:
        """The box in cube coordinates, the data interval of each axis, their names."""
        self.lows, self.highs = np.asarray(lows, float), np.asarray(highs, float)
        self.ranges = [tuple(map(float, r)) for r in ranges]
        self.names = tuple(names)
        size = self.highs - self.lows
        self.box.setSize(*size)
        self.box.resetTransform()
        self.box.translate(*self.lows)
        self._sides = None
        self.follow_camera()

    def follow_camera(self) -> None:
        """Put ticks and labels on the edges facing the camera (only when that changes)."""
        cam = np.array(tuple(self.view.cameraPosition()))
        center = 0.5 * (self.lows + self.highs)
        sx = 1 if cam[0] > center[0] else 0
        sy = 1 if cam[1] > center[1] else 0
        forward = center[:2] - cam[:2]
        left = np.array([-forward[1], forward[0]])
        # the z edge at the corner on the left of the screen, beside the nearest one
        candidates = [(sx, 1 - sy), (1 - sx, sy)]
        corner_xy = [
            np.array([(self.lows, self.highs)[cx][0], (self.lows, self.highs)[cy][1]])
            for cx, cy in candidates
        ]
        k = int(np.argmax([np.dot(c - center[:2], left) for c in corner_xy]))
        count = 5 if min(self.view.width(), self.view.height()) >= 380 else 3  # no crowding
        sides = (sx, sy, candidates[k], count)
        if sides == self._sides:
            return
        self._sides = sides
        self._build(sx, sy, candidates[k], count)

    def _build(self, sx: int, sy: int, zcorner: tuple[int, int], count: int) -> None:
        lo, hi = self.lows, self.highs
        ends = (lo, hi)
        out_y = 1.0 if sy else -1.0
        out_x = 1.0 if sx else -1.0
        segs, labels = [], []

        def along(axis: int, fixed: np.ndarray, outward: np.ndarray) -> None:
            a, b = self.ranges[axis]
            for v in nice_ticks(a, b, count):
                p = fixed.copy()
                p[axis] = lo[axis] + (v - a) / (b - a) * (hi[axis] - lo[axis])
                segs.extend([p, p + TICK * outward])
                labels.append((p + GAP * outward, tick_text(v), CENTER))
            mid = fixed.copy()
            mid[axis] = 0.5 * (lo[axis] + hi[axis])
            labels.append((mid + NAME_GAP * outward, self.names[axis], CENTER))

        along(0, np.array([0.0, ends[sy][1], lo[2]]), np.array([0.0, out_y, 0.0]))
        along(1, np.array([ends[sx][0], 0.0, lo[2]]), np.array([out_x, 0.0, 0.0]))
        cx, cy = zcorner
        corner = np.array([ends[cx][0], ends[cy][1], 0.0])
        center = 0.5 * (lo + hi)
        outward = corner - center
        outward[2] = 0.0
        outward /= np.linalg.norm(outward)
        a, b = self.ranges[2]
        for v in nice_ticks(a, b, count):
            p = corner.copy()
            p[2] = lo[2] + (v - a) / (b - a) * (hi[2] - lo[2])
            segs.extend([p, p + TICK * outward])
            labels.append((p + TICK * 1.5 * outward, tick_text(v), RIGHT))
        top = corner.copy()
        top[2] = hi[2] + 0.08
        labels.append((top, self.names[2], LEFT))
        self.ticks.setData(pos=np.array(segs) if segs else np.zeros((0, 3)))
        self.labels.set_labels(labels)

    def label_texts(self) -> list[str]:
        return [t for _, t, _ in self.labels.labels]


def camera_fit_distance(view: GLViewMixin, corners: np.ndarray, margin: float = 1.0) -> float:
    """The camera distance at which the box corners (k, 3) just fit the viewport
    at the current angles and field of view."""
    rot = QtGui.QMatrix4x4(view.viewMatrix())
    m = np.array(rot.data(), dtype=np.float64).reshape(4, 4).T
    q = np.c_[corners, np.ones(len(corners))] @ m.T
    r = q[:, :3] + np.array([0.0, 0.0, view.opts["distance"]])  # rotation and centring only
    w, h = max(view.width(), 1), max(view.height(), 1)
    th = math.tan(math.radians(view.opts["fov"]) / 2)  # pyqtgraph's fov is horizontal
    tv = th * h / w
    need = r[:, 2] + margin * np.maximum(np.abs(r[:, 0]) / th, np.abs(r[:, 1]) / tv)
    return float(need.max())
