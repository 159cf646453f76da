"""How the application writes numbers: one place, so the inspector, the panels
and the status bar agree. No "-0", one word for a value that does not exist,
and no rounding noise (5.7e-14) where the exact answer is 0."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

UNDEFINED = "undefined"
NOISE = 1e-12  # relative to the largest entry: what float arithmetic leaves of an exact 0


def number(value: float, digits: int = 6) -> str:
    """``value`` with `digits` significant digits; "undefined" for NaN and ±inf.

    Examples
    --------
    >>> number(-0.0), number(float("nan")), number(2.03e6), number(-1/3, 3)
    ('0', 'undefined', '2.03e+06', '-0.333')
    """
    v = float(value)
    if not np.isfinite(v):
        return UNDEFINED
    text = f"{v:.{digits}g}"
    return "0" if float(text) == 0 else text  # -0.0, and -1e-400 rounded to -0


def vector(values: Iterable[float], digits: int = 6) -> str:
    """``(a, b, …)`` with each entry as `number` writes it."""
    return "(" + ", ".join(number(v, digits) for v in values) + ")"


def tidy(values: np.ndarray, noise: float = NOISE) -> np.ndarray:
    """A copy with entries below `noise` times the largest finite magnitude set to 0.

    A Hessian entry that is exactly 0 often comes out as 1e-16 or 5.7e-14 after
    the cancellations of the chain rule; shown as is, it reads as a real value.
    """
    out = np.array(values, dtype=np.float64)
    finite = np.isfinite(out)
    if not finite.any():
        return out
    scale = float(np.max(np.abs(out[finite])))
    out[finite & (np.abs(out) < noise * scale)] = 0.0
    return out + 0.0  # no -0.0 left
