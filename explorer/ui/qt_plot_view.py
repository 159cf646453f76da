"""What the two 2D views (the map and the curve) share: a pyqtgraph plot whose left
button selects the point, arrow keys that move it, plain axes, and adapters.

Left click or drag selects the point; right drag zooms, middle drag (or
Shift+left drag) pans; arrow keys move the point.
"""

from __future__ import annotations

from collections.abc import Callable

import pyqtgraph as pg
from PyQt6 import QtCore

from explorer.session.model import Session

from . import style

MARGIN = 0.05  # sampled beyond the visible region on each side, so a small pan stays drawn

_MOVES = {
    QtCore.Qt.Key.Key_Left: (-1, 0),
    QtCore.Qt.Key.Key_Right: (1, 0),
    QtCore.Qt.Key.Key_Up: (0, 1),
    QtCore.Qt.Key.Key_Down: (0, -1),
}


class PointViewBox(pg.ViewBox):
    """A ViewBox whose left button selects a point instead of panning, and whose
    "View All" shows the domain rather than the items' bounds."""

    def __init__(self, on_point, home, **kwds) -> None:
        super().__init__(**kwds)
        self.on_point = on_point
        self.home = home  # () -> None: back to the whole domain

    def autoRange(self, *args, **kwds) -> None:  # noqa: N802 (pyqtgraph's name)
        self.home()

    def mouseClickEvent(self, ev) -> None:  # noqa: N802
        if ev.button() == QtCore.Qt.MouseButton.LeftButton:
            ev.accept()
            p = self.mapSceneToView(ev.scenePos())
            self.on_point(p.x(), p.y())
        else:
            super().mouseClickEvent(ev)

    def mouseDragEvent(self, ev, axis=None) -> None:  # noqa: N802
        shift = ev.modifiers() & QtCore.Qt.KeyboardModifier.ShiftModifier
        if ev.button() == QtCore.Qt.MouseButton.LeftButton and not shift:
            ev.accept()
            p = self.mapSceneToView(ev.scenePos())
            self.on_point(p.x(), p.y())
        else:  # Shift+left and the middle button pan, the right button zooms
            super().mouseDragEvent(ev, axis)


class PlotView(pg.PlotWidget):
    """A 2D view of the session; subclasses fill `adapters` and say when they apply.

    What the view draws of f is sampled over its visible region (`region`, the
    first `SAMPLED` axes), again whenever a zoom or a pan leaves that region or
    makes it much finer (debounced), so the picture stays sharp."""

    grid_changed = QtCore.pyqtSignal()  # the sampled region or what is drawn on it changed
    SAMPLED = 1

    def __init__(self, session: Session, parent=None) -> None:
        self.session = session
        box = PointViewBox(self._on_point, self.home)
        super().__init__(parent, viewBox=box, background=style.BACKGROUND)
        self.setFocusPolicy(QtCore.Qt.FocusPolicy.StrongFocus)
        self.setMinimumSize(150, 150)
        self.getPlotItem().hideButtons()  # its "auto range" fits the items, not the domain
        for name in ("bottom", "left"):
            # a ±0.5 domain must read −0.4 … 0.4, not "x (x0.001)" and −400 … 400
            self.getAxis(name).enableAutoSIPrefix(False)
        self.adapters: dict[str, PlotAdapter] = {}
        self.region: tuple[tuple[float, float], ...] | None = None
        self._painted = False
        self._resample_soon: Callable | None = None  # superqt's debouncer, once painted
        self.getViewBox().sigRangeChanged.connect(self._on_range_changed)

    def _on_range_changed(self) -> None:
        """Zooms and pans re-sample, debounced. A hidden view does not follow its
        range (showing it changes the range again); until the first paint the view
        only gets resized, once per layout: it re-samples at once, and superqt
        (~0.2 s to import, with qtpy) is not needed for the window's first frame."""
        if not self.isVisible():
            return
        if not self._painted:
            self.resample()
            return
        if self._resample_soon is None:
            from superqt.utils import qdebounced

            self._resample_soon = qdebounced(self.resample, timeout=80, leading=True, parent=self)
        self._resample_soon()

    def paintEvent(self, ev) -> None:  # noqa: N802
        super().paintEvent(ev)
        self._painted = True

    def active(self) -> bool:
        raise NotImplementedError

    def home(self) -> None:
        """Show the whole domain."""
        raise NotImplementedError

    def _on_point(self, x: float, y: float) -> None:
        raise NotImplementedError

    def visible(self) -> tuple[tuple[float, float], ...]:
        (x0, x1), (y0, y1) = self.getViewBox().viewRange()
        return ((x0, x1), (y0, y1))

    def resample(self, force: bool = False) -> None:
        """Sample the visible region again unless the sampled one covers it at
        about the same scale."""
        if not self.active():
            return
        seen = self.visible()[: self.SAMPLED]
        if self.region is not None and not force:
            inside = all(
                r[0] <= v[0] and v[1] <= r[1] for v, r in zip(seen, self.region, strict=True)
            )
            fine = (seen[0][1] - seen[0][0]) * (1 + 2 * MARGIN) > 0.8 * (
                self.region[0][1] - self.region[0][0]
            )
            if inside and fine:
                return
        self.region = tuple((lo - MARGIN * (hi - lo), hi + MARGIN * (hi - lo)) for lo, hi in seen)
        self.grid_changed.emit()

    def close_adapters(self) -> None:
        """Disconnect every adapter from the session (safe to call twice)."""
        if self._resample_soon is not None:
            self._resample_soon.cancel()
        for adapter in self.adapters.values():
            adapter.close()
        self.adapters = {}

    def keyPressEvent(self, ev) -> None:  # noqa: N802
        if ev.key() in _MOVES:
            fine = bool(ev.modifiers() & QtCore.Qt.KeyboardModifier.ShiftModifier)
            self.session.nudge(*_MOVES[ev.key()], fine=fine)
            ev.accept()
            return
        super().keyPressEvent(ev)


NEUTRAL = style.CRITICAL["degenerate"]  # for a kind without a colour of its own
SYMBOLS = {"minimum": "o", "maximum": "t", "saddle": "s"}


def critical_markers(session: Session) -> pg.ScatterPlotItem:
    """The critical points' markers. A click on one selects that critical point
    exactly, as its row in the Critical table does (the marker takes the click
    from the view box)."""
    item = pg.ScatterPlotItem(size=11, pen=pg.mkPen("w", width=1.2))
    item.sigClicked.connect(lambda _item, spots, _ev: session.set_point(spots[0].data().point))
    return item


def show_critical(item: pg.ScatterPlotItem, found: list, xs: list, ys: list) -> None:
    """Critical points at (xs, ys), coloured and shaped by kind (each kept as its spot's data)."""
    item.setData(
        xs,
        ys,
        brush=[pg.mkBrush(style.CRITICAL.get(c.kind, NEUTRAL)) for c in found],
        symbol=[SYMBOLS.get(c.kind, "d") for c in found],
        data=list(found),
    )


class PlotAdapter:
    """One visual on a 2D view: it adds its items (drawn in `depth` order), listens
    to the signals that change it — the session's, or the view's own — and redraws."""

    signals: tuple[str, ...] = ()  # the session's
    view_signals: tuple[str, ...] = ()  # the view's

    def __init__(self, view: PlotView, items: tuple, depth: float) -> None:
        self.view = view
        self.session = view.session
        self.items = items
        for item in items:
            item.setZValue(depth)
            view.addItem(item)
        self._connections = []
        for signal in [getattr(self.session, s) for s in self.signals] + [
            getattr(view, s) for s in self.view_signals
        ]:
            signal.connect(self._on_changed)
            self._connections.append(signal)
        self._on_changed()

    def _on_changed(self) -> None:
        if self.view.active():
            self.redraw()

    def redraw(self) -> None:
        raise NotImplementedError

    def close(self) -> None:
        for signal in self._connections:
            signal.disconnect(self._on_changed)
        self._connections = []
