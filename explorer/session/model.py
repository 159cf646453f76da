"""The session: the single source of truth the views observe.

It holds the function, the domain, the selected point, the overlay switches
and the ε of the chapter's first experiment, emits a signal when any of them
changes, and answers the views' questions by asking the engine (through
`geometry` and `explorer.calculus`). No widgets here: views only draw what
it returns and ask it to change.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from PyQt6.QtCore import QObject, pyqtSignal

from explorer.calculus import (
    CriticalPoints,
    TaylorModel,
    critical_points,
    point_kind,
    restrict,
    slopes_by_angle,
)
from explorer.engine import Function, ParseError, parse

from . import geometry, surface_edges, surface_overlays
from .overlays import OVERLAYS
from .presets import DEFAULT, Preset

RESOLUTIONS = (41, 81, 121, 151, 201, 301)


@dataclass(frozen=True)
class PointInfo:
    point: np.ndarray
    value: float
    gradient: np.ndarray
    gradient_norm: float
    hessian: np.ndarray
    eigenvalues: np.ndarray
    eigenvectors: np.ndarray  # columns
    kind: str  # calculus.point_kind: minimum … regular point, undefined, not differentiable here
    kinks: tuple[str, ...]  # the ops of f not differentiable here (none: f is, here)
    linear: TaylorModel
    quadratic: TaylorModel

    @property
    def differentiable(self) -> bool:
        """Whether the tangent plane and the Taylor models exist here."""
        return not self.kinks and bool(np.isfinite(self.value))


@dataclass(frozen=True)
class Experiment:
    """The chapter's first experiment at point + ε."""

    epsilon: np.ndarray
    true: float
    linear: float
    quadratic: float
    sizes: np.ndarray  # |ε| scaled along ε, for the log–log plot
    linear_errors: np.ndarray
    quadratic_errors: np.ndarray


def _eigen(hess: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Eigenvalues (ascending) and eigenvectors (columns) of a symmetric matrix; NaN
    when it is not finite."""
    n = hess.shape[0]
    if not np.all(np.isfinite(hess)):
        return np.full(n, np.nan), np.full((n, n), np.nan)
    lam, vec = np.linalg.eigh(hess)
    # eigh leaves 1e-13 where the answer is 0: show 0 (rank-deficient Hessians)
    lam = np.where(np.abs(lam) < 1e-12 * max(1.0, float(np.max(np.abs(lam)))), 0.0, lam)
    vec = np.where(np.abs(vec) < 1e-12, 0.0, vec)
    return lam, vec


@dataclass(frozen=True)
class Slopes:
    """D_v f = ∇f·v for unit v at each angle in the plotted plane (18.4.2)."""

    angles: np.ndarray
    values: np.ndarray
    angle: float  # the dial's direction
    value: float  # D_v f there
    steepest: float  # the angle of −∇f, where D_v f is least (NaN where ∇f = 0)
    gradient_norm: float  # |∇f| in the plane: the largest slope


class Session(QObject):
    """Each change emits one signal, the widest that applies, so that a view
    redraws once per action: `function_changed` means everything may have changed
    (the function and its variables, domain, point, ε); `surface_changed`, the
    drawn grid (domain, resolution, slice, z-range) and possibly the point;
    `point_changed`, the point alone."""

    function_changed = pyqtSignal()
    surface_changed = pyqtSignal()
    point_changed = pyqtSignal()
    overlays_changed = pyqtSignal()
    epsilon_changed = pyqtSignal()
    direction_changed = pyqtSignal()
    critical_ready = pyqtSignal()  # the critical points' search ran after waiting (`hold_critical`)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.overlays = {name: o.default for name, o in OVERLAYS.items()}
        self.quadratic_wireframe = False
        self.resolution = 151
        self.contour_count = 15
        self.zrange_fixed: tuple[float, float] | None = None
        self.direction = 0.0  # the dial's direction: radians from the first plotted axis
        self._cache: dict[str, Any] = {}
        self.preset: str | None = None
        self._remembered: dict[str, tuple[tuple[float, float], float]] = {}
        self._preset_overlays: tuple[str, ...] = ()  # turned on by the shown preset
        self._critical_held = False
        # connected first, so every view sees the hold ended by the change it redraws for
        for signal in (self.function_changed, self.surface_changed, self.overlays_changed):
            signal.connect(self._end_critical_hold)
        # a new session shows the default preset with the registry's default overlays
        self._apply(DEFAULT.text, parse(DEFAULT.text), DEFAULT.domain, DEFAULT.point)
        self.preset = DEFAULT.name

    # changing the state -------------------------------------------------------
    def _apply(self, text: str, f: Function, domain, point) -> None:
        n = f.dimension
        self.text = text
        self.function = f
        self.domain = [tuple(map(float, d)) for d in domain]
        self.point = np.array(point, dtype=np.float64)
        self.axes: tuple[int, ...] = (0, 1) if n >= 2 else (0,)
        self.epsilon = np.array([0.01, -0.03, 0.02, -0.01][:n] + [0.01] * max(0, n - 4))
        self._cache.clear()

    def set_text(self, text: str) -> ParseError | None:
        """Use `text` as the function; on a ParseError change nothing and return it."""
        try:
            f = parse(text)
        except ParseError as exc:
            return exc
        return self.set_function(text, f)

    def set_function(self, text: str, f: Function) -> ParseError | None:
        """Use `f`, parsed from `text` (perhaps compiled in a worker), as the function.

        Each variable keeps the interval and coordinate it last had, in this
        function or an earlier one since the last preset, so that typing over a
        preset (which passes through functions of fewer variables) keeps its domain.
        On a ParseError (a derivative beyond the size limits) change nothing and return it.
        """
        old = {**self._remembered, **self._current_axes()}
        domain = [old[v][0] if v in old else (-2.0, 2.0) for v in f.variables]
        point = [
            old[v][1] if v in old else 0.5 * (d[0] + d[1])
            for v, d in zip(f.variables, domain, strict=True)
        ]
        try:  # builds the derivative graphs now (at once if a worker did), so their limits are met
            f.hessian(*point)
        except ParseError as exc:
            return exc
        self._remembered = old
        self._apply(text, f, domain, point)
        self.preset = None
        self.function_changed.emit()
        return None

    def _current_axes(self) -> dict[str, tuple[tuple[float, float], float]]:
        return dict(
            zip(self.function.variables, zip(self.domain, self.point, strict=True), strict=True)
        )

    def load_preset(self, preset: Preset) -> None:
        """Show `preset`, with the overlays its note speaks of turned on (and those
        the previous preset turned on back to their defaults)."""
        self._apply(preset.text, parse(preset.text), preset.domain, preset.point)
        self._remembered = {}
        self.preset = preset.name
        self.zrange_fixed = None
        for name in self._preset_overlays:
            self.overlays[name] = OVERLAYS[name].default
        self._preset_overlays = tuple(n for n in preset.overlays if not self.overlays[n])
        for name in preset.overlays:
            self.overlays[name] = True
        self.function_changed.emit()  # covers the overlays too, as in from_dict

    def set_point(self, point) -> None:
        p = np.array(point, dtype=np.float64).reshape(-1)
        if p.shape != self.point.shape or not np.all(np.isfinite(p)):
            raise ValueError(f"the point needs {self.point.size} finite coordinates")
        lo = np.array([d[0] for d in self.domain])
        hi = np.array([d[1] for d in self.domain])
        p = np.clip(p, lo, hi)
        if np.array_equal(p, self.point):
            return
        off_axes = [i for i in range(p.size) if i not in self.axes]
        slice_moved = any(p[i] != self.point[i] for i in off_axes)
        self.point = p
        if slice_moved:
            self._invalidate()
            self.surface_changed.emit()
        else:
            self.point_changed.emit()

    def set_plotted(self, *coords: float) -> None:
        """Move the point within the plotted slice (a click or drag on a view)."""
        p = self.point.copy()
        for axis, c in zip(self.axes, coords, strict=True):
            p[axis] = c
        self.set_point(p)

    def pick(self, origin, direction) -> bool:
        """Select where a ray (data coordinates) meets the surface; False on a miss."""
        hit = geometry.ray_hit(
            self.function, self.axes, self.point, self.box, self.zrange(), origin, direction
        )
        if hit is None:
            return False
        self.set_plotted(hit[0], hit[1])
        return True

    def nudge(self, dx: int, dy: int, fine: bool = False) -> None:
        """Keyboard: move by 1% (fine: 0.1%) of the plotted axes' spans."""
        step = 0.001 if fine else 0.01
        p = self.point.copy()
        for axis, d in zip(self.axes, (dx, dy), strict=False):
            lo, hi = self.domain[axis]
            p[axis] += d * step * (hi - lo)
        self.set_point(p)

    def set_domain(self, axis: int, lo: float, hi: float) -> None:
        if not (np.isfinite(lo) and np.isfinite(hi) and lo < hi):
            raise ValueError("the domain needs finite bounds with min < max")
        self.domain[axis] = (float(lo), float(hi))
        self.point = np.clip(self.point, [d[0] for d in self.domain], [d[1] for d in self.domain])
        self._invalidate()
        self.surface_changed.emit()

    def set_axes(self, a: int, b: int) -> None:
        n = self.function.dimension
        if not (0 <= a < n and 0 <= b < n and a != b):
            raise ValueError("choose two different variables as axes")
        self.axes = (a, b)
        self._invalidate()
        self.surface_changed.emit()

    def set_resolution(self, n: int) -> None:
        self.resolution = int(min(max(n, 11), 501))
        self._invalidate()
        self.surface_changed.emit()

    def set_zrange(self, zrange: tuple[float, float] | None) -> None:
        if zrange is not None and not (np.all(np.isfinite(zrange)) and zrange[0] < zrange[1]):
            raise ValueError("the z-range needs finite bounds with min < max")
        self.zrange_fixed = None if zrange is None else (float(zrange[0]), float(zrange[1]))
        self._cache.pop("surface_mesh", None)
        self.surface_changed.emit()

    def set_overlay(self, name: str, on: bool) -> None:
        if name not in self.overlays:
            raise KeyError(name)
        if self.overlays[name] != bool(on):
            self.overlays[name] = bool(on)
            self.overlays_changed.emit()

    def set_quadratic_wireframe(self, on: bool) -> None:
        self.quadratic_wireframe = bool(on)
        self.overlays_changed.emit()

    def set_epsilon(self, eps) -> None:
        e = np.array(eps, dtype=np.float64).reshape(-1)
        if e.shape != self.point.shape or not np.all(np.isfinite(e)):
            raise ValueError(f"ε needs {self.point.size} finite coordinates")
        self.epsilon = e
        self.epsilon_changed.emit()

    def set_direction(self, angle: float) -> None:
        """The direction v of the steepest-descent dial, as an angle in the plotted plane."""
        if not np.isfinite(angle):
            raise ValueError("the direction needs a finite angle")
        angle = float(angle) % (2 * np.pi)
        if angle != self.direction:
            self.direction = angle
            self.direction_changed.emit()

    def _invalidate(self) -> None:
        self._cache.clear()

    # answering the views -------------------------------------------------------
    @property
    def dimension(self) -> int:
        return self.function.dimension

    @property
    def box(self) -> geometry.Box:
        """The plotted axes' intervals (the first twice for one variable)."""
        a = self.axes[0]
        b = self.axes[1] if len(self.axes) > 1 else a
        return (self.domain[a], self.domain[b])

    def _cached(self, key: str, build):
        if key not in self._cache:
            self._cache[key] = build()
        return self._cache[key]

    def surface(self) -> geometry.Surface:
        if len(self.axes) != 2:
            raise ValueError("a surface needs two plotted variables")
        return self._cached(
            "surface",
            lambda: geometry.surface(
                self.function, self.axes, self.point, self.box, self.resolution
            ),
        )

    def surface_mesh(self) -> surface_edges.SurfaceMesh:
        """The surface as drawn: cut to the z-range and f's domain with clean edges."""
        return self._cached(
            "surface_mesh",
            lambda: surface_edges.surface_mesh(
                self.function, self.axes, self.point, self.surface(), self.zrange()
            ),
        )

    def curve(self) -> geometry.Curve:
        return self._cached(
            "curve",
            lambda: geometry.curve(self.function, self.point, self.domain[0], self.resolution),
        )

    def zrange(self) -> tuple[float, float]:
        if self.zrange_fixed is not None:
            return self.zrange_fixed
        data = self.surface() if len(self.axes) == 2 else self.curve()
        return data.auto_range

    def clipped(self) -> bool:
        """Whether some finite values lie outside the z-range (drawn cut off)."""
        z = self.surface().z if len(self.axes) == 2 else self.curve().ys
        lo, hi = self.zrange()
        with np.errstate(invalid="ignore"):
            return bool(np.any((z < lo) | (z > hi)))

    # the map: its visible region, sampled again when it is zoomed or panned
    def _cached_for(self, key: str, params: tuple, build):
        """One cached value per key, rebuilt when `params` change."""
        held = self._cache.get(key)
        if held is None or held[0] != params:
            held = self._cache[key] = (params, build())
        return held[1]

    def curve_in(self, interval: tuple[float, float]) -> geometry.Curve:
        """One variable: the curve over any interval (the curve view's visible part)."""
        return self._cached_for(
            "curve_in",
            (interval, self.resolution),
            lambda: geometry.curve(self.function, self.point, interval, self.resolution),
        )

    def map_grid(self, box: geometry.Box) -> geometry.Grid:
        """f's values over `box` (any region of the plotted plane) at the resolution."""
        return self._cached_for(
            "map_grid",
            (box, self.resolution),
            lambda: geometry.grid(self.function, self.axes, self.point, box, self.resolution),
        )

    def map_contours(self, box: geometry.Box, label_gap: float) -> geometry.Contours:
        """The contour lines over `box` at the levels of the z-range, with labels."""
        levels = geometry.contour_levels(self.zrange(), self.contour_count)
        return self._cached_for(
            "map_contours",
            (box, self.resolution, tuple(levels), label_gap),
            lambda: geometry.contours(self.map_grid(box), levels, label_gap, self.box),
        )

    def field(self, box: geometry.Box | None = None) -> np.ndarray:
        """Arrows of ∇f over the part of `box` (default: all) inside the domain."""
        inside = geometry.intersect(box or self.box, self.box)
        return self._cached_for(
            "field",
            (inside,),
            lambda: (
                np.empty((0, 2))
                if inside is None
                else geometry.gradient_field(self.function, self.axes, self.point, inside)
            ),
        )

    def plane_curvature(self) -> tuple[np.ndarray, np.ndarray]:
        """The principal curvatures of the plotted slice at the point: eigenvalues and
        eigenvectors (columns, in the plotted plane) of the Hessian restricted to the
        plotted axes (the full Hessian's for two variables)."""
        axes = list(self.axes)
        return _eigen(self.info().hessian[np.ix_(axes, axes)])

    def critical(self) -> CriticalPoints:
        """Isolated critical points in the domain (`continuum` says others were left
        out); for more than two variables, those of the plotted slice (the other
        variables fixed at the point), as full points."""
        if self.dimension <= 2:
            return self._cached("critical", lambda: critical_points(self.function, self.domain))

        def in_slice() -> CriticalPoints:
            piece = restrict(self.function, self.axes, self.point)
            found = critical_points(piece, [self.domain[a] for a in self.axes])
            embedded = CriticalPoints(replace(c, point=piece.embed(c.point)) for c in found)
            embedded.continuum, embedded.incomplete = found.continuum, found.incomplete
            embedded.nonsmooth = tuple(
                replace(c, point=piece.embed(c.point)) for c in found.nonsmooth
            )
            return embedded

        return self._cached("critical", in_slice)

    def hold_critical(self) -> None:
        """The critical points' views show none until `release_critical` (or any
        change of what they show): the window's first frame does not wait for
        their search (20–90 ms)."""
        self._critical_held = True

    def release_critical(self) -> None:
        """End `hold_critical`: their views ask again (`critical_ready`)."""
        if self._critical_held:
            self._critical_held = False
            self.critical_ready.emit()

    def _end_critical_hold(self) -> None:
        self._critical_held = False

    def critical_found(self) -> CriticalPoints | None:
        """`critical()`, or None while it is held back (`hold_critical`)."""
        return None if self._critical_held else self.critical()

    def info(self) -> PointInfo:
        key = f"info:{self.point.tobytes().hex()}"
        if self._cache.get("info_key") != key:
            self._cache["info_key"] = key
            self._cache["info"] = self._info()
        return self._cache["info"]

    def _info(self) -> PointInfo:
        with np.errstate(all="ignore"):  # at a point outside f's domain, NaN says it all
            return self._info_at(self.function, self.point)

    def _info_at(self, f: Function, p: np.ndarray) -> PointInfo:
        value, grad = f.value_and_gradient(*p)
        hess = f.hessian(*p)
        lam, vec = _eigen(hess)
        kinks = tuple(f.kinks_at(p))
        return PointInfo(
            p.copy(),
            float(value),
            grad,
            float(np.linalg.norm(grad)),
            hess,
            lam,
            vec,
            point_kind(value, grad, lam, kinks),
            kinks,
            # linear_model and quadratic_model would evaluate f and its derivatives again
            TaylorModel(f, p, float(value), grad, None),
            TaylorModel(f, p, float(value), grad, hess),
        )

    def experiment(self) -> Experiment:
        info = self.info()
        eps = self.epsilon
        q = self.point + eps
        scales = np.logspace(-4, 0, 25)
        pts = self.point[:, None] + eps[:, None] * scales[None, :]
        true = self.function(*pts)
        with np.errstate(all="ignore"):
            lin_err = np.abs(true - info.linear(*pts))
            quad_err = np.abs(true - info.quadratic(*pts))
        size = float(np.linalg.norm(eps))
        return Experiment(
            eps.copy(),
            float(self.function(*q)),
            float(info.linear(*q)),
            float(info.quadratic(*q)),
            scales * size,
            lin_err,
            quad_err,
        )

    # the 3D overlays, cut to the box and to where f is defined --------------------
    # (nothing where f is not differentiable: no tangent plane exists there)
    def _model_triangles(self, model, n: int) -> np.ndarray:
        if not self.info().differentiable:
            return np.empty((0, 3, 3))
        return surface_overlays.model_triangles(
            model,
            self.function,
            self.axes,
            self.point,
            self.box,
            self.zrange(),
            geometry.PATCH_HALF,
            n,
        )

    def tangent_triangles(self) -> np.ndarray:
        """The tangent plane over its patch as triangles (k, 3, 3), data coordinates."""
        return self._model_triangles(self.info().linear, 25)

    def tangent_outline(self) -> np.ndarray:
        """The border of the tangent plane's patch, segments (k, 2, 3)."""
        return self._model_lines(surface_overlays.model_outline, self.info().linear, 25)

    def quadratic_triangles(self, n: int = 31) -> np.ndarray:
        return self._model_triangles(self.info().quadratic, n)

    def quadratic_wire(self, n: int = 31) -> np.ndarray:
        """The quadratic's patch as grid-line segments (k, 2, 3), for the wireframe."""
        return self._model_lines(surface_overlays.model_grid_lines, self.info().quadratic, n)

    def _model_lines(self, lines, model: TaylorModel, n: int) -> np.ndarray:
        """Segments of a model's patch, cut like the surface; none where f has no model."""
        if not self.info().differentiable:
            return np.empty((0, 2, 3))
        return lines(
            model,
            self.function,
            self.axes,
            self.point,
            self.box,
            self.zrange(),
            geometry.PATCH_HALF,
            n,
        )

    def arrow_3d(self, name: str) -> tuple[np.ndarray, np.ndarray] | None:
        """(start, end) of the gradient or descent arrow along the tangent plane."""
        vec = self.arrows().get(name)
        info = self.info()
        if vec is None or not np.isfinite(info.value):
            return None
        return surface_overlays.arrow(
            self.function,
            self.axes,
            self.point,
            info.value,
            info.gradient,
            vec,
            self.box,
            self.zrange(),
        )

    def sections(self) -> surface_overlays.Sections:
        """The cross-sections through the point; no tangent lines where f is not
        differentiable (their slopes do not exist)."""
        info = self.info()
        slopes = info.gradient if info.differentiable else np.full_like(info.gradient, np.nan)
        return surface_overlays.sections(
            self.function, self.axes, self.point, info.value, slopes, self.box, self.zrange()
        )

    def arrows(self) -> dict[str, np.ndarray]:
        """Gradient and steepest-descent directions in the plotted plane, as vectors
        a fixed fraction of the plotted span long (the inspector gives |∇f|)."""
        info = self.info()
        if not info.differentiable:
            return {}
        g = info.gradient[list(self.axes)]
        big = float(np.max(np.abs(g)))
        if not np.isfinite(big) or big == 0:
            return {}
        u = g / big  # scaled first: |∇f| itself may overflow (1e300·x·y)
        span = min(hi - lo for lo, hi in self.box)
        v = u / np.linalg.norm(u) * 0.2 * span
        return {"gradient": v, "descent": -v}

    def slopes(self, n: int = 361) -> Slopes:
        """18.4.2's dial: the slope D_v f in every direction of the plotted plane."""
        info = self.info()
        g = info.gradient[list(self.axes)] if info.differentiable else np.full(2, np.nan)
        angles = np.linspace(0.0, 2 * np.pi, n)
        norm = float(np.hypot(*g))
        steepest = float(np.arctan2(-g[1], -g[0]) % (2 * np.pi)) if norm > 0 else float("nan")
        return Slopes(
            angles,
            slopes_by_angle(g, angles),
            self.direction,
            float(slopes_by_angle(g, np.array(self.direction))),
            steepest,
            norm,
        )

    def curve_models(self, n: int = 101) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """One variable: xs over a window around the point, tangent line, parabola
        (all empty where f is not differentiable)."""
        info = self.info()
        if not info.differentiable:
            return np.empty(0), np.empty(0), np.empty(0)
        lo, hi = self.domain[0]
        half = 0.25 * (hi - lo)
        xs = np.linspace(self.point[0] - half, self.point[0] + half, n)
        args = geometry.slice_args((0,), self.point, (xs,))
        return xs, np.asarray(info.linear(*args)), np.asarray(info.quadratic(*args))

    # persistence: the file format lives in `persistence` (which imports this module)
    def to_dict(self) -> dict:
        from . import persistence

        return persistence.to_dict(self)

    def from_dict(self, data: Any) -> None:
        """Restore a saved state (any schema version); a broken one raises
        `persistence.SessionFileError` (a ValueError) and changes nothing."""
        from . import persistence

        state = persistence.validate(data)
        self._remembered = {}  # a restored session starts afresh, like a preset
        self._preset_overlays = ()
        persistence.apply_state(self, state)
