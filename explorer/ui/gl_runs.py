"""The optimizer runs on the 3D surface: each path lifted just above the surface.

One adapter owns the items of every run (a line and a current-iterate dot
each, in the run's colour) and the selected run's next step: the −η∇f arrow
and, for a method that has one, the arrow of its own step (velocity, adapted
rate, Newton) with a dashed shaft, both in the run's colour and draped on the
surface.
It observes the runs (added, stepped, cleared) and the session's surface (the
cube mapping changes with domain and z-range), and removes its items when
closed.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph.opengl as gl

from explorer.session.runs import Runs

from . import style
from .gl_items import GLTriangles, cone_triangles

LIFT = 0.02  # cube units above the surface (the cube is 2 wide, ~1.2 high)
HEAD = 0.12  # arrow head length, cube units (less on a short arrow)
SHAFTS = ("line_strip", "lines")  # −η∇f solid, the method's own step dashed


class GLRunsAdapter:
    def __init__(self, view, runs: Runs) -> None:
        self.view, self.runs = view, runs
        self.paths: list[tuple[gl.GLLinePlotItem, gl.GLScatterPlotItem]] = []
        self.arrows: list[tuple[gl.GLLinePlotItem, GLTriangles]] = []
        # the arrows drawn, as (kind, cube points lifted above the surface), for tests
        self.arrow_paths: list[tuple[str, np.ndarray]] = []
        for mode in SHAFTS:
            shaft = gl.GLLinePlotItem(width=3.5, antialias=False, mode=mode)
            head = GLTriangles((1.0, 1.0, 1.0, 1.0), "translucent")
            for item in (shaft, head):
                item.setGLOptions("translucent")
                item.setVisible(False)
                view.addItem(item)
                item.setDepthValue(26)
            self.arrows.append((shaft, head))
        self._connections = [
            (runs.changed, self._on_runs_changed),
            (runs.stepped, self._on_runs_stepped),
            (runs.session.surface_changed, self._on_runs_stepped),
        ]
        for signal, slot in self._connections:
            signal.connect(slot)
        self._on_runs_changed()

    def _on_runs_changed(self) -> None:
        for items in self.paths:
            for item in items:
                self.view.removeItem(item)
        self.paths = []
        for i, e in enumerate(self.runs.entries):
            width = 4.0 if i == self.runs.selected else 3.0
            # no antialiasing: llvmpipe blends a thin line half into the surface colour
            line = gl.GLLinePlotItem(color=style.rgba(e.color), width=width, antialias=False)
            dot = gl.GLScatterPlotItem(size=10, color=style.rgba(e.color), pxMode=True)
            for item in (line, dot):
                item.setGLOptions("translucent")
                self.view.addItem(item)
                item.setDepthValue(25)
            self.paths.append((line, dot))
        self._on_runs_stepped()

    def _on_runs_stepped(self) -> None:
        s = self.runs.session
        if len(s.axes) != 2:
            for items in self.paths:
                for item in items:
                    item.setVisible(False)
            return
        zr = s.zrange()
        for i, ((line, dot), e) in enumerate(zip(self.paths, self.runs.entries, strict=True)):
            path = self.runs.draped(i)
            path[:, 2] = np.clip(path[:, 2], *zr)
            pos = self.view.to_cube(path)
            pos[:, 2] += LIFT
            line.setData(pos=pos)
            dot.setData(pos=pos[-1:])
            line.setVisible(e.run.steps > 0)
            dot.setVisible(True)
        self._show_arrows()

    def _show_arrows(self) -> None:
        found = self.runs.step_arrows()
        color = style.rgba(self.runs.entries[self.runs.selected].color) if found else None
        self.arrow_paths = []
        for k, (shaft, head) in enumerate(self.arrows):
            pos = self.view.to_cube(found[k].path) if k < len(found) else None
            length = 0.0 if pos is None else float(np.linalg.norm(pos[-1] - pos[0]))
            shown = pos is not None and length > 1e-6
            shaft.setVisible(shown)
            head.setVisible(shown)
            if pos is None or not shown:
                continue
            pos[:, 2] += LIFT
            size = min(HEAD, 0.5 * length)
            # the head along the step's last stretch, lifted by its own radius too
            back = pos[-1] - pos[0]
            for p in pos[::-1]:
                if np.linalg.norm(pos[-1] - p) >= size:
                    back = pos[-1] - p
                    break
            base = pos[-1] - size * back / np.linalg.norm(back)
            radius = 0.4 * size
            lift = np.array([0.0, 0.0, radius])
            line = np.concatenate([pos[:-1], base[None, :]])
            if shaft.mode == "lines":  # every other stretch: a dashed line
                line = line[: len(line) // 2 * 2]
            shaft.setData(pos=line, color=color)
            head.setColor(color)
            head.set_triangles(cone_triangles(base + lift, pos[-1] + lift, radius))
            self.arrow_paths.append((found[k].kind, pos))

    def close(self) -> None:
        for signal, slot in self._connections:
            signal.disconnect(slot)
        self._connections = []
