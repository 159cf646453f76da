"""Text inside the GL scene: labels anchored at 3D points, drawn on top of
everything so that they stay readable from any camera angle.

pyqtgraph's `GLTextItem` paints with a QPainter over the widget: it is missing
from `grabFramebuffer()`/`render` exports and from any GL surface that is not
a QWidget. Here all labels are painted into one transparent image the size of
the viewport (again only when the camera, the viewport or the labels change),
which is uploaded as a texture and drawn as one quad: the labels are part of
the framebuffer like any other item. The image covers only the labels' bounding
box, not the whole viewport: a software renderer blends every pixel of the quad
on every frame.
"""

from __future__ import annotations

import numpy as np
from OpenGL import GL
from PyQt6 import QtCore, QtGui
from PyQt6.QtOpenGL import QOpenGLBuffer
from pyqtgraph.opengl import GLGraphicsItem, shaders

TEXT_SHADER = shaders.ShaderProgram(
    "explorer_text",
    [
        shaders.VertexShader("""
        attribute vec4 a_position;
        uniform vec4 u_rect;  // the image's corners in normalized device coordinates
        varying vec2 v_tex;
        void main() {
            vec2 t = 0.5 + 0.5 * a_position.xy;
            v_tex = vec2(t.x, 1.0 - t.y);
            gl_Position = vec4(mix(u_rect.xy, u_rect.zw, t), 0.0, 1.0);
        }
    """),
        shaders.FragmentShader("""
        #ifdef GL_ES
        precision mediump float;
        #endif
        uniform sampler2D u_text;
        varying vec2 v_tex;
        void main() {
            gl_FragColor = texture2D(u_text, v_tex);
        }
    """),
    ],
)
QUAD = np.array([[-1, -1, 0], [1, -1, 0], [-1, 1, 0], [1, 1, 0]], dtype=np.float32)

# How a label sits on its anchor: the fraction of its width and height left of
# and above the anchor (0.5, 0.5 centres it).
CENTER = (0.5, 0.5)
RIGHT = (1.0, 0.5)  # text ends at the anchor
LEFT = (0.0, 0.5)


class GLLabels(GLGraphicsItem.GLGraphicsItem):
    """Labels at 3D points (item coordinates), in screen pixels, always on top."""

    def __init__(self, color=(40, 40, 40), point_size: float = 9.0, **kwds) -> None:
        super().__init__(**kwds)
        self.color = QtGui.QColor(*color)
        self.point_size = point_size
        self.labels: list[tuple[np.ndarray, str, tuple[float, float]]] = []
        self._key: tuple | None = None
        self._texture: int | None = None  # a GL texture name (freed with the context)
        self._vbo: QOpenGLBuffer | None = None
        self._box = QtCore.QRect()  # where the image lies in the viewport

    def set_labels(self, labels) -> None:
        """[(position (3,), text, alignment), ...]; redraws only if they changed."""
        labels = [(np.asarray(p, dtype=np.float64), str(t), tuple(a)) for p, t, a in labels]
        if [(p.tolist(), t, a) for p, t, a in labels] == [
            (p.tolist(), t, a) for p, t, a in self.labels
        ]:
            return
        self.labels = labels
        self._key = None
        self.update()

    def screen_positions(self, mvp: np.ndarray, width: int, height: int) -> np.ndarray:
        """Pixel positions (k, 2) of the anchors in a viewport; NaN behind the eye."""
        if not self.labels:
            return np.empty((0, 2))
        pts = np.array([np.append(p, 1.0) for p, _, _ in self.labels])
        clip = pts @ mvp.T
        with np.errstate(all="ignore"):
            ndc = clip[:, :2] / clip[:, 3:4]
        ndc[clip[:, 3] <= 0] = np.nan
        return np.stack([(ndc[:, 0] + 1) * 0.5 * width, (1 - ndc[:, 1]) * 0.5 * height], axis=1)

    def _image(self, mvp: np.ndarray, width: int, height: int) -> tuple[QtGui.QImage, QtCore.QRect]:
        """The labels painted into an image, and where it lies in the viewport
        (pixels, y down); an empty rectangle when none is in view."""
        view = self.view()
        dpr = view.devicePixelRatioF() if view is not None else 1.0
        font = QtGui.QFont()
        font.setPointSizeF(self.point_size)
        font.setPixelSize(max(1, round(self.point_size * 1.4 * dpr)))
        metrics = QtGui.QFontMetricsF(font)
        placed = []  # (baseline origin, text, ink rectangle)
        for (x, y), (_, text, (ax, ay)) in zip(
            self.screen_positions(mvp, width, height), self.labels, strict=True
        ):
            if not (np.isfinite(x) and np.isfinite(y)):
                continue
            origin = QtCore.QPointF(
                x - ax * metrics.boundingRect(text).width(),
                y - ay * metrics.height() + metrics.ascent(),
            )
            ink = metrics.boundingRect(text).translated(origin)  # y down from the baseline
            placed.append((origin, text, ink))
        box = QtCore.QRect()
        for _, _, ink in placed:
            box = box.united(ink.toAlignedRect().adjusted(-2, -2, 2, 2))
        box = box.intersected(QtCore.QRect(0, 0, width, height))
        image = QtGui.QImage(
            max(box.width(), 1),
            max(box.height(), 1),
            QtGui.QImage.Format.Format_RGBA8888_Premultiplied,
        )
        image.fill(QtCore.Qt.GlobalColor.transparent)
        painter = QtGui.QPainter(image)
        try:
            painter.setRenderHint(QtGui.QPainter.RenderHint.TextAntialiasing)
            painter.setFont(font)
            painter.setPen(self.color)
            painter.translate(-box.left(), -box.top())
            for origin, text, _ in placed:
                painter.drawText(origin, text)
        finally:
            painter.end()
        return image, box

    def paint(self) -> None:
        if not self.labels:
            return
        _, _, width, height = (int(v) for v in GL.glGetIntegerv(GL.GL_VIEWPORT))
        if width <= 0 or height <= 0:
            return
        mvp = np.array(self.mvpMatrix().data(), dtype=np.float64).reshape(4, 4).T
        key = (mvp.round(9).tobytes(), width, height)
        if self._texture is None:
            self._texture = int(GL.glGenTextures(1))
        GL.glActiveTexture(GL.GL_TEXTURE0)
        GL.glBindTexture(GL.GL_TEXTURE_2D, self._texture)
        if key != self._key:
            image, self._box = self._image(mvp, width, height)
            data = image.constBits().asstring(image.sizeInBytes())
            GL.glPixelStorei(GL.GL_UNPACK_ALIGNMENT, 4)
            GL.glTexParameteri(GL.GL_TEXTURE_2D, GL.GL_TEXTURE_MIN_FILTER, GL.GL_NEAREST)
            GL.glTexParameteri(GL.GL_TEXTURE_2D, GL.GL_TEXTURE_MAG_FILTER, GL.GL_NEAREST)
            GL.glTexImage2D(
                GL.GL_TEXTURE_2D,
                0,
                GL.GL_RGBA,
                image.width(),
                image.height(),
                0,
                GL.GL_RGBA,
                GL.GL_UNSIGNED_BYTE,
                data,
            )
            self._key = key
        if self._vbo is None:
            self._vbo = QOpenGLBuffer(QOpenGLBuffer.Type.VertexBuffer)
            self._vbo.create()
            self._vbo.bind()
            self._vbo.allocate(QUAD, QUAD.nbytes)
            self._vbo.release()
        GL.glDisable(GL.GL_DEPTH_TEST)
        GL.glEnable(GL.GL_BLEND)
        GL.glBlendFunc(GL.GL_ONE, GL.GL_ONE_MINUS_SRC_ALPHA)  # the image is premultiplied
        program = TEXT_SHADER.program()
        self._vbo.bind()
        GL.glVertexAttribPointer(0, 3, GL.GL_FLOAT, False, 0, None)
        self._vbo.release()
        GL.glEnableVertexAttribArray(0)
        try:
            with TEXT_SHADER:
                GL.glUniform1i(GL.glGetUniformLocation(program, "u_text"), 0)
                b = self._box
                GL.glUniform4f(
                    GL.glGetUniformLocation(program, "u_rect"),
                    2.0 * b.left() / width - 1.0,
                    1.0 - 2.0 * (b.top() + b.height()) / height,
                    2.0 * (b.left() + b.width()) / width - 1.0,
                    1.0 - 2.0 * b.top() / height,
                )
                GL.glDrawArrays(GL.GL_TRIANGLE_STRIP, 0, 4)
        finally:
            GL.glBindTexture(GL.GL_TEXTURE_2D, 0)
            GL.glDisableVertexAttribArray(0)
            GL.glEnable(GL.GL_DEPTH_TEST)
            GL.glBlendFunc(GL.GL_SRC_ALPHA, GL.GL_ONE_MINUS_SRC_ALPHA)
