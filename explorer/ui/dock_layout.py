"""Side panels that make room for the views in a narrow window.

Below `COMPACT_BELOW` pixels the docks of both sides share one tabbed column on
the right, so that the 3D view and the map keep a usable width each (at 1024 px
three columns would leave them ~200 px); back above it, the wide arrangement
the user had returns. Any dock added to the window takes part, so panels added
later (descent, graph) tabify with the others.

Tab titles are never cut short: the narrow column carries its tabs down its
side (six titles do not fit across 330 px), and the wide right column is made
as wide as its tabs need.
"""

from __future__ import annotations

from PyQt6 import QtCore, QtWidgets

Area = QtCore.Qt.DockWidgetArea
COMPACT_BELOW = 1300  # two side columns (~620 px) and two views of ≥ 300 px each
COMPACT_WIDTH = 330  # the one column's width
SIDES = (Area.LeftDockWidgetArea, Area.RightDockWidgetArea)
TabPosition = QtWidgets.QTabWidget.TabPosition
HORIZONTAL = QtCore.Qt.Orientation.Horizontal


class CompactDocks:
    """The window calls `arrange` from its resizeEvent (no event filter: one on the
    window outlives its Python wrapper at exit)."""

    def __init__(self, window: QtWidgets.QMainWindow) -> None:
        self.window = window
        self.compact: bool | None = None  # unknown until the first resize
        self._wide_state: QtCore.QByteArray | None = None
        # fits the tabs once the tab bars are laid out; the window's own timer, so it
        # never fires into a window already deleted (a bare singleShot would)
        self._fit_soon = QtCore.QTimer(window)
        self._fit_soon.setSingleShot(True)
        self._fit_soon.timeout.connect(self._fit_tabs)
        window.setTabPosition(Area.AllDockWidgetAreas, TabPosition.North)

    def arrange(self) -> None:
        compact = self.window.width() < COMPACT_BELOW
        if compact == self.compact:
            return
        self.compact = compact
        side = TabPosition.West if compact else TabPosition.North
        self.window.setTabPosition(Area.RightDockWidgetArea, side)
        if compact:
            self._wide_state = self.window.saveState()
            self._tabify()
        else:
            if self._wide_state is not None:
                self.window.restoreState(self._wide_state)
                self._wide_state = None
            self._fit_soon.start(0)
        for bar in self._tab_bars():
            bar.setElideMode(QtCore.Qt.TextElideMode.ElideNone)

    def _tab_bars(self) -> list[QtWidgets.QTabBar]:
        """The tab bars of tabbed docks (not those inside the panels)."""
        w = self.window
        return [b for b in w.findChildren(QtWidgets.QTabBar) if b.parentWidget() is w]

    def _fit_tabs(self) -> None:
        """Widen a column of tabbed docks whose tabs would not show their whole titles."""
        w = self.window
        by_title = {d.windowTitle(): d for d in w.findChildren(QtWidgets.QDockWidget)}
        for bar in self._tab_bars():
            need = bar.sizeHint().width()
            if not bar.isVisible() or bar.shape() != QtWidgets.QTabBar.Shape.RoundedNorth:
                continue
            dock = by_title.get(bar.tabText(bar.currentIndex()))
            if dock is not None and bar.width() < need:
                w.resizeDocks([dock], [dock.width() + need - bar.width()], HORIZONTAL)

    def _tabify(self) -> None:
        w = self.window
        tab_order = [b.tabText(i) for b in self._tab_bars() for i in range(b.count())]
        docks = sorted(
            (
                d
                for d in w.findChildren(QtWidgets.QDockWidget)
                if not d.isFloating() and w.dockWidgetArea(d) in SIDES
            ),
            # left ones first, then in the order of their tabs (stable)
            key=lambda d: (
                SIDES.index(w.dockWidgetArea(d)),
                tab_order.index(d.windowTitle()) if d.windowTitle() in tab_order else 0,
            ),
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
        w.resizeDocks([first], [COMPACT_WIDTH], HORIZONTAL)

    def state(self) -> QtCore.QByteArray:
        """The window state to save: the wide arrangement, even while compact, so
        that a later start in a large window does not inherit the tabs."""
        return self._wide_state if self._wide_state is not None else self.window.saveState()
