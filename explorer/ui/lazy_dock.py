"""Docks whose contents are built when first needed, so that the window's first
frame costs only what it shows.

A panel hidden behind another tab (or a closed dock) is built the first time
it is shown, the first time the window asks for it, or once the window's first
frame is on the screen (`after_first_frame`), whichever comes first; the dock
itself, its title and its place exist from the start, so tabs, the View menu
and saved layouts are unchanged.
"""

from __future__ import annotations

from collections.abc import Callable

from PyQt6 import QtCore, QtWidgets


class LazyDock(QtWidgets.QDockWidget):
    """`build(dock)` returns the panel and the widget to dock (the panel itself,
    or a scroll area holding it). A panel with `set_shown(bool)` is told whether
    its tab can be seen."""

    def __init__(
        self,
        title: str,
        name: str,
        build: Callable[[LazyDock], tuple[QtWidgets.QWidget, QtWidgets.QWidget]],
        parent: QtWidgets.QMainWindow,
    ) -> None:
        super().__init__(title, parent)
        self.setObjectName(f"dock_{name}")
        self._build: Callable | None = build
        self._panel: QtWidgets.QWidget | None = None
        # Qt calls a tab behind another visible; visibilityChanged says whether it is seen
        self.shown = False
        self.visibilityChanged.connect(self._on_visibility_changed)

    @property
    def built(self) -> bool:
        return self._panel is not None

    def panel(self) -> QtWidgets.QWidget:
        """The dock's panel, built now if it was not yet."""
        if self._panel is None:
            assert self._build is not None
            build, self._build = self._build, None  # once, even if building shows the dock
            self._panel, widget = build(self)
            self.setWidget(widget)
            set_shown = getattr(self._panel, "set_shown", None)
            if set_shown is not None:  # a panel that computes only while it is seen
                self.visibilityChanged.connect(set_shown)
                set_shown(self.shown)
        return self._panel

    def _on_visibility_changed(self, shown: bool) -> None:
        self.shown = shown
        if shown:
            self.panel()


def after_first_frame(window: QtWidgets.QMainWindow, frame_signal, run: Callable[[], None]) -> None:
    """Call `run` once, just after the window's first frame is on the screen:
    after `frame_signal` (the 3D view's frameSwapped) when that view is the one
    shown, else after the window's first paint. Queued, so that whoever else
    waits for the first frame sees it before `run` starts."""
    soon = QtCore.QTimer(window)  # the window's own: it never fires after the window is gone
    soon.setSingleShot(True)
    soon.timeout.connect(run)
    if frame_signal is None:
        window.installEventFilter(_FirstPaint(window, soon))
        return

    def on_frame() -> None:
        frame_signal.disconnect(on_frame)
        soon.start(0)

    frame_signal.connect(on_frame)


class _FirstPaint(QtCore.QObject):
    """Starts `soon` at the watched widget's first paint event, then leaves."""

    def __init__(self, widget: QtWidgets.QWidget, soon: QtCore.QTimer) -> None:
        super().__init__(widget)
        self.widget, self.soon = widget, soon

    def eventFilter(self, obj, ev) -> bool:  # noqa: N802 (Qt's name)
        if ev.type() == QtCore.QEvent.Type.Paint:
            self.widget.removeEventFilter(self)
            self.soon.start(0)
            self.deleteLater()
        return False
