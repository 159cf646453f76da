"""The runs on both views: their adapters, and Ctrl+click to place a start.

Attached from outside the views, so that the views stay unaware of the runs:
a Ctrl+click on the map or the surface places the next run's start (the view
itself may also move the selected point there).
"""

from __future__ import annotations

from PyQt6 import QtCore

from explorer.session.runs import Runs

from .gl_runs import GLRunsAdapter
from .map_basins import MapBasinsAdapter
from .map_runs import MapRunsAdapter

CTRL = QtCore.Qt.KeyboardModifier.ControlModifier
LEFT = QtCore.Qt.MouseButton.LeftButton


class _SurfaceCtrlClick(QtCore.QObject):
    """Event filter on the 3D view: Ctrl+left release places the start on the surface."""

    def __init__(self, view, runs: Runs) -> None:
        super().__init__(view)
        self.view, self.runs = view, runs

    def eventFilter(self, obj, ev) -> bool:  # noqa: N802 (Qt's name)
        if (
            ev.type() == QtCore.QEvent.Type.MouseButtonRelease
            and ev.button() == LEFT
            and ev.modifiers() & CTRL
        ):
            self.runs.place_start_on_ray(*self.view.ray_at(ev.position()))
        return False


def attach_runs(runs: Runs, surface_view, map_view) -> list:
    """Draw `runs` on both views; the adapters to close with the window."""

    def on_map_click(ev) -> None:
        if ev.button() == LEFT and ev.modifiers() & CTRL:
            p = map_view.getPlotItem().vb.mapSceneToView(ev.scenePos())
            runs.place_start((p.x(), p.y()))

    map_view.scene().sigMouseClicked.connect(on_map_click)
    surface_view.installEventFilter(_SurfaceCtrlClick(surface_view, runs))
    return [
        GLRunsAdapter(surface_view, runs),
        MapRunsAdapter(map_view, runs),
        MapBasinsAdapter(map_view, runs),
    ]
