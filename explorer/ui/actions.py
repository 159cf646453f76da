"""One registry of the window's named actions: text, shortcut, tip, and whether it
toggles an overlay (those come from the overlay registry). Menus and the toolbar
are built from it."""

from __future__ import annotations

from dataclasses import dataclass

from PyQt6 import QtGui, QtWidgets

from explorer.session.overlays import OVERLAYS


@dataclass(frozen=True)
class ActionSpec:
    name: str
    text: str
    shortcut: str | QtGui.QKeySequence.StandardKey | None
    tip: str
    overlay: str | None = None  # the session overlay this action toggles


SK = QtGui.QKeySequence.StandardKey
ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec("new", "&New session", SK.New, "Start again from the default function"),
    ActionSpec("open", "&Open session…", SK.Open, "Open a saved session"),
    ActionSpec("save", "&Save session", SK.Save, "Save the function, domain, point and overlays"),
    ActionSpec("save_as", "Save session &as…", SK.SaveAs, "Save the session to a new file"),
    ActionSpec(
        "export_surface", "Export 3D view as PNG…", "Ctrl+Shift+E", "Save the 3D view as a picture"
    ),
    ActionSpec(
        "export_map",
        "Export map as PNG…",
        "Ctrl+Shift+M",
        "Save the contour map (or the curve) as a picture",
    ),
    ActionSpec(
        "export_code",
        "Export function as Python…",
        "Ctrl+Shift+P",
        "Save the forward and backward pass as numpy code",
    ),
    ActionSpec("quit", "&Quit", SK.Quit, "Quit the explorer"),
    *(ActionSpec(o.name, o.label, o.shortcut, o.tip, o.name) for o in OVERLAYS.values()),
    ActionSpec(
        "wireframe",
        "Quadratic as &wireframe",
        "Ctrl+9",
        "Draw the Taylor quadratic as a wireframe instead of a translucent mesh",
    ),
    ActionSpec(
        "graph",
        "Backpropagation &graph",
        "Ctrl+G",
        "The function's computational graph: step the forward and backward sweeps",
    ),
    ActionSpec(
        "equal_scale",
        "3D: &equal scale",
        "Ctrl+Shift+U",
        "One unit as long on every axis of the 3D view (a hemisphere looks like one)",
    ),
    ActionSpec("reset_camera", "&Reset 3D camera", "Ctrl+0", "Back to the default viewing angle"),
    ActionSpec("about", "&About", None, "About the explorer"),
)


def fill_toolbar(toolbar: QtWidgets.QToolBar, actions: dict[str, QtGui.QAction]) -> None:
    """The overlays that have a button (short texts, so that the toolbar fits a
    1024-px window), then a "More" menu with the other overlays that have a
    shortcut and the quadratic's wireframe switch."""
    more = QtWidgets.QMenu("More overlays", toolbar)
    more.setObjectName("menu_more_overlays")
    for name, overlay in OVERLAYS.items():
        if overlay.button:
            actions[name].setIconText(overlay.button)
            toolbar.addAction(actions[name])
        elif overlay.shortcut:
            more.addAction(actions[name])
    more.addAction(actions["wireframe"])
    button = QtWidgets.QToolButton(toolbar)
    button.setObjectName("toolbar_more")
    button.setText("More")
    button.setToolTip(", ".join(a.iconText() for a in more.actions()))
    button.setMenu(more)
    button.setPopupMode(QtWidgets.QToolButton.ToolButtonPopupMode.InstantPopup)
    toolbar.addWidget(button)
