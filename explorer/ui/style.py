"""Colours and the colour map shared by every view, so an overlay reads the same
in 3D, on the map and in the inspector."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg

TANGENT = (255, 165, 0)
QUADRATIC = (150, 70, 220)
GRADIENT = (215, 25, 55)
DESCENT = (25, 95, 225)
DIRECTION = (230, 60, 190)  # the dial's direction v
POINT = (20, 20, 20)
EIGEN_POS = (0, 150, 110)
EIGEN_NEG = (200, 90, 0)
SECTION_X = (225, 45, 150)  # the cross-section y = y₀ and its slope ∂f/∂x
SECTION_Y = (0, 175, 215)  # the cross-section x = x₀ and its slope ∂f/∂y
EIGEN_ZERO = (120, 120, 120)  # neither curving up nor down: neutral
CRITICAL = {
    "minimum": (0, 170, 70),
    "maximum": (220, 40, 40),
    "saddle": (240, 150, 0),
    "degenerate": (120, 120, 120),
}
CONTOUR = (20, 20, 20)  # opaque, in an opaque halo: see the map's ContourAdapter
CONTOUR_HALO = (255, 255, 255)
FIELD = (255, 255, 255, 200)  # readable on every part of the colour map
BACKGROUND = (250, 250, 252)

COLORMAP = pg.colormap.get("viridis")
_LUT = COLORMAP.getLookupTable(nPts=1024, mode="float", alpha=True).astype(np.float32)


def rgba(color: tuple[int, ...], alpha: float = 1.0) -> tuple[float, float, float, float]:
    """0–255 RGB to the 0–1 RGBA tuples the GL items take."""
    r, g, b = color[:3]
    return (r / 255, g / 255, b / 255, alpha)


def eigen_color(value: float) -> tuple[int, int, int]:
    """The colour of an eigenvalue (and its eigenvector) by its sign."""
    return EIGEN_POS if value > 0 else EIGEN_NEG if value < 0 else EIGEN_ZERO


def surface_colors(z: np.ndarray, zrange: tuple[float, float]) -> np.ndarray:
    """(…, 4) float colours of the colour map over the z-range."""
    lo, hi = zrange
    t = np.clip((np.nan_to_num(z, nan=lo) - lo) / (hi - lo), 0.0, 1.0)
    # a table look-up: ~5× map(); np.take gathers rows faster than fancy indexing
    return np.take(_LUT, (t * (len(_LUT) - 1)).astype(np.intp), axis=0)
