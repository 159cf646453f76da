"""Side panels that make room for the views in a narrow window.

Below `COMPACT_BELOW` pixels the docks of both sides share one tabbed column on
the right, so that the 3D view and the map keep a usable width each (at 1024 px
three columns would leave them ~200 px); back above it, the wide arrangement
the user had returns. Any dock added to the window takes part, so panels added
later (descent, graph) tabify with the others.
"""

from __future__ import annotations

from PyQt6 import QtCore, QtWidgets

Area = QtCore.Qt.DockWidgetArea
COMPACT_BELOW = 1300  # two side columns (~620 px) and two views of ≥ 300 px each
COMPACT_WIDTH = 330  # the one column's width
SIDES = (Area.LeftDockWidgetArea, Area.RightDockWidgetArea)


class CompactDocks:
    """The window calls `arrange` from its resizeEvent (no event filter: one on the
    window outlives its Python wrapper at exit)."""

    def __init__(self, window: QtWidgets.QMainWindow) -> None:
        self.window = window
        self.compact: bool | None = None  # unknown until the first resize
        self._wide_state: QtCore.QByteArray | None = None
        window.setTabPosition(Area.AllDockWidgetAreas, QtWidgets.QTabWidget.TabPosition.North)

    def arrange(self) -> None:
        compact = self.window.width() < COMPACT_BELOW
        if compact == self.compact:
            return
        self.compact = compact
        if compact:
            self._wide_state = self.window.saveState()
            self._tabify()
        elif self._wide_state is not None:
            self.window.restoreState(self._wide_state)
            self._wide_state = None

    def _tabify(self) -> None:
        w = self.window
        docks = sorted(
            (
                d
                for d in w.findChildren(QtWidgets.QDockWidget)
                if not d.isFloating() and w.dockWidgetArea(d) in SIDES
            ),
            key=lambda d: SIDES.index(w.dockWidgetArea(d)),  # left ones first, stable
        )
        if len(docks) < 2:
            return
        first = docks[0]
        for dock in docks:
            if w.dockWidgetArea(dock) != Area.RightDockWidgetArea:
                w.addDockWidget(Area.RightDockWidgetArea, dock)
        for dock in docks[1:]:
            w.tabifyDockWidget(first, dock)
        first.raise_()
        w.resizeDocks([first], [COMPACT_WIDTH], QtCore.Qt.Orientation.Horizontal)

    def state(self) -> QtCore.QByteArray:
        """The window state to save: the wide arrangement, even while compact, so
        that a later start in a large window does not inherit the tabs."""
        return self._wide_state if self._wide_state is not None else self.window.saveState()
