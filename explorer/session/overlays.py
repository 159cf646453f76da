"""One registry of overlays: each is one entry that the session (switches and
saved files), the window's menus, toolbar and shortcuts, both views and the
`render` command read. Adding an overlay is adding an entry here and an
adapter in each view that draws it."""

from __future__ import annotations

from dataclasses import dataclass

SURFACE, MAP, CURVE = "surface", "map", "curve"


@dataclass(frozen=True)
class Overlay:
    name: str
    label: str  # menu text; & marks the mnemonic
    tip: str
    default: bool  # on in a new session
    shortcut: str | None
    views: frozenset[str]  # which views draw it: surface, map, curve
    button: str | None = None  # its toolbar button's text; None: in the toolbar's "More" menu


def _entry(name, label, tip, default, shortcut, *views: str, button=None) -> Overlay:
    return Overlay(name, label, tip, default, shortcut, frozenset(views), button)


#: Menu and toolbar order.
OVERLAYS: dict[str, Overlay] = {
    o.name: o
    for o in (
        _entry(
            "tangent",
            "&Tangent plane",
            "The first-order (linear) model at the point",
            True,
            "Ctrl+1",
            SURFACE,
            CURVE,
            button="Tangent plane",
        ),
        _entry(
            "quadratic",
            "Taylor &quadratic",
            "The second-order model f + ∇f·d + ½dᵀHd at the point",
            False,
            "Ctrl+2",
            SURFACE,
            CURVE,
            button="Quadratic",
        ),
        _entry(
            "gradient",
            "&Gradient arrow",
            "∇f at the point: steepest ascent",
            True,
            "Ctrl+3",
            SURFACE,
            MAP,
            button="Gradient",
        ),
        _entry(
            "descent",
            "Steepest-&descent arrow",
            "−∇f at the point",
            False,
            "Ctrl+4",
            SURFACE,
            MAP,
            button="Steepest descent",
        ),
        _entry(
            "contours",
            "&Contour lines",
            "Level sets of f on the map",
            True,
            "Ctrl+5",
            MAP,
            button="Contours",
        ),
        _entry(
            "contour_labels",
            "Contour &labels",
            "The value of f written on the contour lines",
            True,
            "Ctrl+Shift+L",
            MAP,
        ),
        _entry(
            "colorbar",
            "Colour &bar",
            "The heat map's scale: which colour is which value of f",
            True,
            "Ctrl+Shift+B",
            MAP,
        ),
        _entry(
            "field",
            "Gradient &field",
            "∇f on a grid over the map",
            False,
            "Ctrl+6",
            MAP,
            button="Field",
        ),
        _entry(
            "critical",
            "Critical &points",
            "All critical points in the domain (or in the plotted slice), by kind",
            False,
            "Ctrl+7",
            SURFACE,
            MAP,
            CURVE,
            button="Critical points",
        ),
        _entry(
            "eigen",
            "Hessian &eigenvectors",
            "Principal curvature directions at the point (green: up, orange: down)",
            False,
            "Ctrl+8",
            MAP,
            button="Eigenvectors",
        ),
        _entry(
            "sections",
            "Partial derivatives as &sections",
            "The curves x = x₀ and y = y₀ through the point with their tangent lines,\n"
            "whose slopes are ∂f/∂x and ∂f/∂y (18.4.1)",
            False,
            "Ctrl+Shift+D",
            SURFACE,
        ),
        _entry(
            "direction",
            "Dial directi&on v",
            "The steepest-descent dial's direction v at the point (the Dial tab)",
            False,
            None,
            MAP,
        ),
    )
}


def drawn_in(view: str) -> list[str]:
    """The overlays a view draws, in registry order."""
    return [name for name, o in OVERLAYS.items() if view in o.views]
