"""Panels that compute only while a user can see them.

A dock tabbed behind another is not seen, though Qt calls it visible; its
dock's `visibilityChanged` tells the panel (`set_shown`). A change while it is
hidden only marks it stale, and it refreshes when it is shown again."""

from __future__ import annotations


class ShownOnly:
    """Mixed into a panel: `refresh()` draws it; connect the session's signals to
    `_on_changed` and the dock's visibilityChanged to `set_shown`."""

    shown = False  # whether a user can see it (its dock reports that)
    _stale = True  # whether it shows an earlier state

    def set_shown(self, shown: bool) -> None:
        self.shown = shown
        if shown and self._stale:
            self._refresh()

    def _on_changed(self) -> None:
        self._stale = True
        if self.shown:
            self._refresh()

    def _refresh(self) -> None:
        self._stale = False
        self.refresh()

    def refresh(self) -> None:
        raise NotImplementedError
