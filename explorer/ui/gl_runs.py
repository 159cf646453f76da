"""The optimizer runs on the 3D surface: each path lifted just above the surface.

One adapter owns the items of every run (a line and a current-iterate dot
each, in the run's colour). It observes the runs (added, stepped, cleared) and
the session's surface (the cube mapping changes with domain and z-range), and
removes its items when closed.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph.opengl as gl

from explorer.session.runs import Runs

from . import style

LIFT = 0.02  # cube units above the surface (the cube is 2 wide, ~1.2 high)


class GLRunsAdapter:
    def __init__(self, view, runs: Runs) -> None:
        self.view, self.runs = view, runs
        self.paths: list[tuple[gl.GLLinePlotItem, gl.GLScatterPlotItem]] = []
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

    def close(self) -> None:
        for signal, slot in self._connections:
            signal.disconnect(slot)
        self._connections = []
