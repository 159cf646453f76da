"""OpenGL items pyqtgraph lacks: a grid surface whose normals we supply, and a
two-sided lighting shader for it.

pyqtgraph's `MeshData.vertexNormals` loops in Python per vertex (~0.2 s at
201×201); a graph z = f(x, y) has the normal (−f_x, −f_y, 1), which the engine
computes anyway, so the surface takes its normals from the gradient.
"""

from __future__ import annotations

import numpy as np
from OpenGL import GL
from pyqtgraph.opengl import GLLinePlotItem, GLMeshItem, shaders
from pyqtgraph.opengl.items.GLMeshItem import DirtyFlag

# Lit from the viewer's side whichever way a face points (the underside of a
# surface is shown too), with a soft specular highlight.
SURFACE_SHADER = shaders.ShaderProgram(
    "explorer_surface",
    [
        shaders.VertexShader("""
        uniform mat4 u_mvp;
        uniform mat3 u_normal;
        attribute vec4 a_position;
        attribute vec3 a_normal;
        attribute vec4 a_color;
        varying vec4 v_color;
        varying vec3 v_normal;
        void main() {
            v_normal = normalize(u_normal * a_normal);
            v_color = a_color;
            gl_Position = u_mvp * a_position;
        }
    """),
        shaders.FragmentShader("""
        #ifdef GL_ES
        precision mediump float;
        #endif
        varying vec4 v_color;
        varying vec3 v_normal;
        void main() {
            vec3 n = normalize(v_normal);
            vec3 light = normalize(vec3(0.4, 0.5, 1.0));
            float diffuse = abs(dot(n, light));
            float spec = pow(max(abs(n.z), 0.0), 24.0) * 0.12;
            vec3 rgb = v_color.rgb * (0.38 + 0.62 * diffuse) + vec3(spec);
            gl_FragColor = vec4(rgb, v_color.a);
        }
    """),
    ],
)


def grid_faces(nx: int, ny: int) -> np.ndarray:
    """Two triangles per grid cell, vertex index i*ny + j, shape (2(nx−1)(ny−1), 3)."""
    idx = np.arange(nx * ny, dtype=np.uint32).reshape(nx, ny)
    a, b = idx[:-1, :-1].ravel(), idx[1:, :-1].ravel()
    c, d = idx[1:, 1:].ravel(), idx[:-1, 1:].ravel()
    return np.concatenate([np.stack([a, b, c], 1), np.stack([a, c, d], 1)])


class GLGraphSurface(GLMeshItem):
    """A surface over a grid with vertex normals and colours supplied by the caller.

    Only what changed is uploaded; the full face list is cached per grid size,
    and faces touching a hidden vertex (undefined or outside the z-range) are
    dropped, which leaves clean holes.
    """

    def __init__(self, **kwds) -> None:
        kwds.setdefault("glOptions", SURFACE)
        super().__init__(smooth=True, computeNormals=False, shader=SURFACE_SHADER, **kwds)
        self._pending = DirtyFlag(0)
        self._faces_for: tuple[int, int] | None = None
        self._all_faces = np.empty((0, 3), np.uint32)

    def set_grid(
        self,
        x: np.ndarray,
        y: np.ndarray,
        z: np.ndarray,
        normals: np.ndarray,
        colors: np.ndarray,
        visible: np.ndarray,
    ) -> None:
        """Vertex (i, j) at (x, y, z)[i, j] (each (nx, ny), or broadcasting to it)."""
        nx, ny = z.shape
        if self._faces_for != (nx, ny):
            self._all_faces = grid_faces(nx, ny)
            self._faces_for = (nx, ny)
        verts = np.empty((nx, ny, 3), dtype=np.float32)
        verts[..., 0] = x
        verts[..., 1] = y
        verts[..., 2] = np.where(visible, z, 0.0)
        if visible.all():
            faces = self._all_faces
        else:
            seen, f = visible.ravel(), self._all_faces  # (per corner: faster than .all(axis=1))
            faces = f[seen[f[:, 0]] & seen[f[:, 1]] & seen[f[:, 2]]]
        self.vertexes = verts.reshape(-1, 3)
        self.normals = np.ascontiguousarray(normals.reshape(-1, 3), dtype=np.float32)
        self.colors = np.ascontiguousarray(colors.reshape(-1, 4), dtype=np.float32)
        self.faces = faces
        self._pending = DirtyFlag.POSITION | DirtyFlag.NORMAL | DirtyFlag.COLOR | DirtyFlag.FACES
        self.update()

    @property
    def face_count(self) -> int:
        return 0 if self.faces is None else len(self.faces)

    def parseMeshData(self) -> DirtyFlag:  # noqa: N802 (pyqtgraph's name)
        pending, self._pending = self._pending, DirtyFlag(0)
        return pending

    def paint(self) -> None:
        try:
            super().paint()
        finally:
            restore_gl_state()


BLEND = (GL.GL_SRC_ALPHA, GL.GL_ONE_MINUS_SRC_ALPHA, GL.GL_ONE, GL.GL_ONE_MINUS_SRC_ALPHA)
# The surface is pushed slightly away from the eye (polygon offset), so that
# what lies on it (the tangent plane at its point, the sections, the arrows'
# start) wins the depth test instead of speckling.
SURFACE = {
    GL.GL_DEPTH_TEST: True,
    GL.GL_BLEND: False,
    GL.GL_CULL_FACE: False,
    GL.GL_POLYGON_OFFSET_FILL: True,
    "glPolygonOffset": (1.0, 2.0),
}
# An overlay, depth-tested against the surface; it writes no depth, so that
# overlays lying in each other (an arrow in the tangent plane) all show.
FRONT = {
    GL.GL_DEPTH_TEST: True,
    GL.GL_BLEND: True,
    GL.GL_CULL_FACE: False,
    "glDepthMask": (False,),
    # the framebuffer's alpha stays 1: Qt composes the window with it
    "glBlendFuncSeparate": BLEND,
}
# The part of an overlay the surface hides, drawn faintly as a technical drawing
# would: only where something nearer was drawn (depth test inverted), and
# without writing depth.
HIDDEN = {
    GL.GL_DEPTH_TEST: True,
    GL.GL_BLEND: True,
    GL.GL_CULL_FACE: False,
    "glDepthFunc": (GL.GL_GREATER,),
    "glDepthMask": (False,),
    # the framebuffer's alpha stays 1: Qt composes the window with it
    "glBlendFuncSeparate": BLEND,
}


def restore_gl_state() -> None:
    """Undo what FRONT and HIDDEN change: pyqtgraph's items assume GL's defaults."""
    GL.glDepthFunc(GL.GL_LESS)
    GL.glDepthMask(True)
    GL.glDisable(GL.GL_POLYGON_OFFSET_FILL)


class GLTriangles(GLMeshItem):
    """A triangle soup (k, 3, 3) in one colour, in one of the passes above."""

    def __init__(self, color, gl_options: dict) -> None:
        super().__init__(
            color=color, smooth=False, computeNormals=False, shader=None, glOptions=gl_options
        )
        self._pending = DirtyFlag(0)

    def set_triangles(self, triangles: np.ndarray) -> None:
        tri = np.ascontiguousarray(triangles, dtype=np.float32).reshape(-1, 3)
        self.setVisible(len(tri) > 0)
        self.vertexes = tri
        self.faces = None
        self._pending = DirtyFlag.POSITION
        self.update()

    @property
    def triangle_count(self) -> int:
        return 0 if self.vertexes is None else len(self.vertexes) // 3

    def parseMeshData(self) -> DirtyFlag:  # noqa: N802 (pyqtgraph's name)
        pending, self._pending = self._pending, DirtyFlag(0)
        return pending

    def paint(self) -> None:
        try:
            super().paint()
        finally:
            restore_gl_state()


class GLLines(GLLinePlotItem):
    """Line segments in one of the passes above (pyqtgraph's item leaves them set)."""

    def __init__(self, color, width: float, gl_options: dict) -> None:
        super().__init__(color=color, width=width, mode="lines", antialias=True)
        self.setGLOptions(gl_options)

    def paint(self) -> None:
        try:
            super().paint()
        finally:
            restore_gl_state()


def cone_triangles(base: np.ndarray, tip: np.ndarray, radius: float, sides: int = 16) -> np.ndarray:
    """A closed cone from the centre of its base to its tip, as triangles (2·sides, 3, 3)."""
    axis = tip - base
    u = axis / np.linalg.norm(axis)
    helper = np.array([1.0, 0.0, 0.0]) if abs(u[0]) < 0.9 else np.array([0.0, 1.0, 0.0])
    e1 = np.cross(u, helper)
    e1 /= np.linalg.norm(e1)
    e2 = np.cross(u, e1)
    t = np.linspace(0.0, 2 * np.pi, sides + 1)
    ring = base + radius * (np.cos(t)[:, None] * e1 + np.sin(t)[:, None] * e2)
    a, b = ring[:-1], ring[1:]
    side = np.stack([a, b, np.broadcast_to(tip, a.shape)], axis=1)
    cap = np.stack([b, a, np.broadcast_to(base, a.shape)], axis=1)
    return np.concatenate([side, cap])
