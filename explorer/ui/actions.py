"""One registry of the window's named actions: text, shortcut, tip, and whether it
toggles an overlay. Menus and the toolbar are built from it."""

from __future__ import annotations

from dataclasses import dataclass

from PyQt6 import QtGui


@dataclass(frozen=True)
class ActionSpec:
    name: str
    text: str
    shortcut: str | QtGui.QKeySequence.StandardKey | None
    tip: str
    overlay: str | None = None  # the session overlay this action toggles


SK = QtGui.QKeySequence.StandardKey
ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec("open", "&Open session…", SK.Open, "Open a saved session"),
    ActionSpec("save", "&Save session…", SK.Save, "Save the function, domain, point and overlays"),
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
    ActionSpec(
        "tangent",
        "&Tangent plane",
        "Ctrl+1",
        "The first-order (linear) model at the point",
        "tangent",
    ),
    ActionSpec(
        "quadratic",
        "Taylor &quadratic",
        "Ctrl+2",
        "The second-order model f + ∇f·d + ½dᵀHd at the point",
        "quadratic",
    ),
    ActionSpec(
        "gradient", "&Gradient arrow", "Ctrl+3", "∇f at the point: steepest ascent", "gradient"
    ),
    ActionSpec("descent", "Steepest-&descent arrow", "Ctrl+4", "−∇f at the point", "descent"),
    ActionSpec("contours", "&Contour lines", "Ctrl+5", "Level sets of f on the map", "contours"),
    ActionSpec("field", "Gradient &field", "Ctrl+6", "∇f on a grid over the map", "field"),
    ActionSpec(
        "critical",
        "Critical &points",
        "Ctrl+7",
        "All critical points in the domain (or in the plotted slice), by kind",
        "critical",
    ),
    ActionSpec(
        "eigen",
        "Hessian &eigenvectors",
        "Ctrl+8",
        "Principal curvature directions at the point (green: up, orange: down)",
        "eigen",
    ),
    ActionSpec(
        "wireframe",
        "Quadratic as &wireframe",
        "Ctrl+9",
        "Draw the Taylor quadratic as a wireframe instead of a translucent mesh",
    ),
    ActionSpec("reset_camera", "&Reset 3D camera", "Ctrl+0", "Back to the default viewing angle"),
    ActionSpec("about", "&About", None, "About the explorer"),
)
