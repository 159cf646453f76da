"""The optimizer runs racing on the session's function (no widgets).

Holds the method and parameters the next run will use (from the optimizer
registry), the start point (the selected point unless one was placed), and up
to eight runs, each with its colour. Views and the descent panel observe it;
everything numeric is `explorer.calculus`. A run that diverges or leaves the
domain stops with its reason while the others go on; a refused start or
parameter comes back as a message, never an exception.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from PyQt6.QtCore import QObject, pyqtSignal

from explorer.calculus import METHODS, RUN_PARAMS, SCHEDULES, STOP_REASONS, Run, optimizer
from explorer.calculus.basins import Basins, basins_steps
from explorer.calculus.step_report import StepReport, step_report

from . import geometry
from .model import Session
from .runs_record import MAX_RUNS, stored_trajectories

# Eight colours apart from each other and from the surface's viridis map.
COLORS = (
    (235, 20, 120),
    (255, 110, 0),
    (150, 30, 200),
    (20, 20, 20),
    (250, 250, 250),
    (140, 80, 30),
    (255, 0, 0),
    (0, 120, 255),
)


STEP_SAMPLES = 16  # points along a step arrow draped on the surface


GRADIENT_STEP = "−η∇f"  # the kind of the plain gradient step among the step arrows


@dataclass(frozen=True)
class StepArrow:
    """A step from the selected run's current iterate, draped on the surface."""

    kind: str  # "−η∇f", or the method's own step: "velocity", "adapted step", "Newton step"
    path: np.ndarray  # (m ≥ 2, 3): the plotted coordinates and f along the step


def own_step_kind(method: str) -> str | None:
    """What a method's step adds to −η∇f, as the views label it (None: nothing)."""
    m = METHODS[method]
    if m.update is None:
        return "Newton step"
    if m.rates is not None:
        return "adapted step"
    return "velocity" if "v" in m.state else None


@dataclass
class RunEntry:
    """One run and how it was made (so that reset can make it again)."""

    run: Run
    method: str
    params: dict[str, Any]
    start: np.ndarray
    color: tuple[int, int, int]
    label: str = field(default="")
    # the draped path so far: (steps covered, points per step, (m, n + 1) points and f)
    draped: tuple[int, int, np.ndarray] | None = None


def _extras(params: dict[str, Any]) -> list[str]:
    """The run settings that change a run's path, for its row in the run list:
    the learning-rate schedule and the gradient noise, when set."""
    extras = []
    schedule = params.get("schedule", "constant")
    if schedule == "step":
        extras.append(f"η×{params['decay']:g} every {params['period']:g} steps")
    elif schedule == "cosine":
        extras.append(f"cosine η, period {params['period']:g}")
    elif schedule != "constant":
        extras.append(f"η: {SCHEDULES[schedule][0]}")
    if params.get("noise"):
        extras.append(f"noise σ={params['noise']:g} (seed {params['seed']:g})")
    return extras


def _same_path(replayed: np.ndarray, stored: np.ndarray) -> bool:
    """The replay retraces the stored trajectory (to rounding: floats in JSON
    are exact, but another machine's libm may differ in the last bits)."""
    return replayed.shape == stored.shape and bool(
        np.allclose(replayed, stored, rtol=1e-9, atol=1e-12)
    )


class Runs(QObject):
    """`changed`: runs added, removed, reset or selected (redraw everything);
    `stepped`: trajectories grew; `message`: a refusal to show the user."""

    changed = pyqtSignal()
    stepped = pyqtSignal()
    basins_changed = pyqtSignal()
    settings_changed = pyqtSignal()
    message = pyqtSignal(str)

    def __init__(self, session: Session, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.entries: list[RunEntry] = []
        self.selected = -1
        self.method = "gd"
        self.params: dict[str, Any] = {}
        self.placed_start: np.ndarray | None = None
        self.basins: Basins | None = None
        session.runs_record = self.record  # what a saved session stores (persistence.py)
        self.set_method("gd")
        session.function_changed.connect(self._on_function_changed)
        session.surface_changed.connect(self._on_surface_changed)

    # what the next run will be ---------------------------------------------------
    def set_method(self, name: str) -> None:
        """Choose the method of the next run; its parameters start at their defaults."""
        if name not in METHODS:
            self.message.emit(f"unknown optimizer {name!r}")
            return
        run_settings = {p.name: self.params.get(p.name, p.default) for p in RUN_PARAMS}
        self.method = name
        self.params = {**METHODS[name].defaults(), **run_settings}
        self.params.setdefault("schedule", "constant")
        self.settings_changed.emit()

    def set_param(self, name: str, value: Any) -> str | None:
        """Set one parameter of the next run; an error message if it is refused."""
        specs = {p.name: p for p in (*METHODS[self.method].params, *RUN_PARAMS)}
        try:
            if name == "schedule":
                if value not in SCHEDULES:
                    raise ValueError(f"unknown schedule {value!r}")
            elif name in specs:
                value = specs[name].check(value)
            else:
                raise ValueError(f"{self.method} has no parameter {name!r}")
        except (TypeError, ValueError) as exc:
            self.message.emit(str(exc))
            return str(exc)
        self.params[name] = value
        self.settings_changed.emit()
        return None

    @property
    def start(self) -> np.ndarray:
        """Where the next run starts: a placed start, else the selected point."""
        return self.session.point.copy() if self.placed_start is None else self.placed_start

    def place_start(self, plotted: tuple[float, float]) -> None:
        """Ctrl+click: start the next run at these plotted coordinates (others as the point)."""
        p = self.session.point.copy()
        for axis, c in zip(self.session.axes, plotted, strict=False):
            p[axis] = c
        self.placed_start = p
        self.settings_changed.emit()

    def place_start_on_ray(self, origin, direction) -> bool:
        """Ctrl+click on the surface: start where the ray meets it; False on a miss."""
        s = self.session
        hit = geometry.ray_hit(s.function, s.axes, s.point, s.box, s.zrange(), origin, direction)
        if hit is None:
            return False
        self.place_start((hit[0], hit[1]))
        return True

    # the runs ----------------------------------------------------------------------
    def add(self) -> str | None:
        """Start a new run with the current settings; an error message if refused."""
        if len(self.entries) >= MAX_RUNS:
            return self._refuse(f"at most {MAX_RUNS} runs race at once; remove one first")
        start = self.start
        try:
            run = optimizer(self.method, self.session.function, start, **self.params)
        except ValueError as exc:
            return self._refuse(str(exc))
        self._append(run, self.method, dict(self.params), start)
        self.changed.emit()
        return None

    def _append(self, run: Run, method: str, params: dict[str, Any], start: np.ndarray) -> None:
        used = {e.color for e in self.entries}
        color = next(c for c in COLORS if c not in used)
        own = {p.name for p in METHODS[method].params}
        label = ", ".join(
            [*(f"{k}={v:g}" for k, v in params.items() if k in own), *_extras(params)]
        )
        self.entries.append(RunEntry(run, method, params, start, color, label))
        self.selected = len(self.entries) - 1

    def _refuse(self, text: str) -> str:
        self.message.emit(text)
        return text

    def step(self, n: int = 1) -> None:
        """Advance every run that has not stopped by up to `n` steps."""
        if not self.entries and self.add() is not None:
            return
        for e in self.entries:
            e.run.run(n)
        self.stepped.emit()

    @property
    def active(self) -> bool:
        """True while some run can still step."""
        return any(e.run.stop_reason is None for e in self.entries)

    def reset(self) -> None:
        """Every run back to its start (same method, parameters and colour)."""
        for e in self.entries:
            e.run = optimizer(e.method, self.session.function, e.start, **e.params)
            e.draped = None
        self.changed.emit()

    def remove(self, index: int) -> None:
        if 0 <= index < len(self.entries):
            del self.entries[index]
            self.selected = min(self.selected, len(self.entries) - 1)
            self.changed.emit()

    def clear(self) -> None:
        self.entries.clear()
        self.selected = -1
        self.changed.emit()

    def select(self, index: int) -> None:
        if index != self.selected and -1 <= index < len(self.entries):
            self.selected = index
            self.changed.emit()

    def _on_function_changed(self) -> None:
        # The runs belong to the old function; a placed start may not exist any more.
        # A session just loaded brings its own runs: replay them.
        self.placed_start = None
        pending = getattr(self.session, "pending_runs", None) or []
        self.session.pending_runs = None
        self.entries.clear()
        self.selected = -1
        for r in pending:
            try:
                run = optimizer(r["method"], self.session.function, r["start"], **r["params"])
            except ValueError as exc:
                self.message.emit(f"a saved run was not restored: {exc}")
                continue
            run.run(r["steps"])
            stored = r["trajectory"]
            if stored is not None and not _same_path(run.trajectory, np.array(stored)):
                self.message.emit(
                    f"a saved {r['method']} run took another path when it was replayed "
                    "(saved by another version of the explorer?); it shows the replay"
                )
            self._append(run, r["method"], r["params"], np.array(r["start"], dtype=np.float64))
        self.changed.emit()
        self._on_surface_changed()

    def record(self) -> list[dict[str, Any]]:
        """The runs as a session file stores them (see `runs_record`)."""
        trajectories = stored_trajectories([e.run.trajectory for e in self.entries])
        return [
            {
                "method": e.method,
                "params": dict(e.params),
                "start": e.start.tolist(),
                "steps": e.run.steps,
                "trajectory": trajectory,
            }
            for e, trajectory in zip(self.entries, trajectories, strict=True)
        ]

    def _on_surface_changed(self) -> None:
        if self.basins is not None:  # drawn for another grid or slice
            self.set_basins(None)

    # basins of attraction ----------------------------------------------------------
    def basins_job(self, n: int = 151) -> Iterator[float | Basins]:
        """The current method from every point of an n×n grid over the plotted box:
        a generator of progress fractions, then the `Basins` (for a worker thread)."""
        s = self.session
        f = s.function
        a, b = s.axes if len(s.axes) == 2 else (0, 0)
        probe = np.tile(s.point, (2, 1)).T
        with np.errstate(all="ignore"):  # build every compiled program here, not in the worker
            f(*probe), f.gradient(*probe), f.value_and_gradient(*probe), f.hessian(*probe)
        params = {k: v for k, v in self.params.items() if k != "max_steps"}
        steps = min(int(self.params["max_steps"]), 2000)
        return basins_steps(f, self.method, s.box, n, s.point, (a, b), max_steps=steps, **params)

    def set_basins(self, basins: Basins | None) -> None:
        self.basins = basins
        self.basins_changed.emit()

    # what the views draw -------------------------------------------------------------
    def draped(self, index: int) -> np.ndarray:
        """The run's path on the plotted axes with f along it, shape ``(m, 3)``.

        Each step is subdivided (8 points a step in a short run, fewer in a
        long one) and f evaluated along it, so that the path follows the
        surface instead of cutting through it between iterates; NaN where f is
        undefined leaves a gap. Only the steps taken since the last call are
        evaluated.
        """
        e = self.entries[index]
        traj = e.run.trajectory
        steps = len(traj) - 1
        per = 8 if steps < 500 else 2 if steps < 2000 else 1
        done, cached_per, path = e.draped if e.draped is not None else (0, per, None)
        if path is None or cached_per != per or done > steps:
            done, path = 0, np.empty((0, traj.shape[1] + 1))
        if steps > done or path.shape[0] == 0:
            part = traj[done:]
            t = np.linspace(0.0, 1.0, per, endpoint=False)
            seg = part[:-1, None, :] + t[None, :, None] * np.diff(part, axis=0)[:, None, :]
            new = seg.reshape(-1, traj.shape[1])
            with np.errstate(all="ignore"):
                z = np.broadcast_to(self.session.function(*new.T), new.shape[:1])
            path = np.concatenate([path, np.column_stack([new, z])])
            e.draped = (steps, per, path)
        a, b = self.session.axes
        last = np.append(traj[-1], e.run.values[-1])
        full = np.concatenate([path, last[None, :]])
        return full[:, [a, b, -1]]

    def step_arrows(self) -> list[StepArrow]:
        """The selected run's next step from its current iterate: −η∇f, and where
        the method has one its own step (momentum's velocity, the per-coordinate
        adapted rate, the damped Newton step). Each follows the surface and
        stops at the box's edge or where f is undefined. Empty when no run is
        selected, it has stopped, or the view is not a 2D plot."""
        s = self.session
        if len(s.axes) != 2 or not 0 <= self.selected < len(self.entries):
            return []
        e = self.entries[self.selected]
        run = e.run
        if run.stop_reason is not None:
            return []
        steps = [(GRADIENT_STEP, -run.rate() * run.gradient)]
        kind = own_step_kind(e.method)
        if kind is not None:
            steps.append((kind, run.next_step()))
        arrows = []
        for kind, step in steps:
            path = self._draped_step(run.x, step)
            if path is not None:
                arrows.append(StepArrow(kind, path))
        return arrows

    def _draped_step(self, x: np.ndarray, step: np.ndarray) -> np.ndarray | None:
        s = self.session
        if not np.all(np.isfinite(step)) or not np.any(step):
            return None
        t = np.linspace(0.0, 1.0, STEP_SAMPLES)
        full = x[None, :] + t[:, None] * step[None, :]
        with np.errstate(all="ignore"):
            z = np.broadcast_to(s.function(*full.T), t.shape)
        (x0, x1), (y0, y1) = s.box
        a, b = s.axes
        inside = np.isfinite(z) & (x0 <= full[:, a]) & (full[:, a] <= x1)
        inside &= (y0 <= full[:, b]) & (full[:, b] <= y1)
        m = STEP_SAMPLES if inside.all() else int(np.argmin(inside))
        if m < 2:
            return None
        return np.column_stack([full[:m, a], full[:m, b], np.clip(z[:m], *s.zrange())])

    # what the panel shows ------------------------------------------------------------
    def reason_text(self, entry: RunEntry) -> str:
        reason = entry.run.stop_reason
        if reason is None:
            return "running" if entry.run.steps else "ready"
        text = STOP_REASONS[reason]
        if entry.run.damped:
            text += " (damped)"
        return text

    def inspect(self) -> StepReport | None:
        """The step inspector for the selected run's current iterate."""
        if not 0 <= self.selected < len(self.entries):
            return None
        run = self.entries[self.selected].run
        return step_report(self.session.function, run.x, run.rate())

    def set_rate_from_curvature(self) -> str | None:
        """η = 1/λ_max at the selected run's iterate (else at the start), for the next run."""
        at = self.entries[self.selected].run.x if 0 <= self.selected < len(self.entries) else None
        report = step_report(self.session.function, self.start if at is None else at, 1.0)
        if not report.lambda_max > 0:
            return self._refuse("the Hessian has no positive curvature here: no 1/λ_max")
        return self.set_param("lr", 1.0 / report.lambda_max)
