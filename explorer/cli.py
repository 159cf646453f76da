"""Command line: inspect a point, find critical points, run an optimizer, render a view.

Bad input ends in one line on stderr and exit status 2; a run that diverges or
leaves the domain prints its result and exits 1. Never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

import numpy as np

from explorer import files
from explorer.calculus import (
    KINDS,
    METHODS,
    RUN_PARAMS,
    SCHEDULES,
    STOP_REASONS,
    critical_points,
    describe,
    linear_model,
    optimizer,
    point_kind,
    quadratic_model,
)
from explorer.engine import Function, ParseError, constant, parse
from explorer.session.overlays import OVERLAYS


class UsageError(Exception):
    """Bad command-line input: reported in one line, exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(message)


def number(text: str) -> float:
    """A coordinate: a number or a constant expression such as ``log(2)`` or ``-pi/2``."""
    try:
        value = constant(text)
    except ParseError as exc:
        raise UsageError(f"{text!r} is not a number: {exc}") from None
    if not np.isfinite(value):
        raise UsageError(f"{text!r} is not a finite number")
    return value


def vector(text: str, n: int, what: str) -> np.ndarray:
    parts = [p for p in text.split(",")] if text.strip() else []
    if len(parts) != n:
        raise UsageError(f"{what} needs {n} comma-separated coordinates, got {len(parts)}")
    return np.array([number(p) for p in parts])


def box(text: str | None, n: int) -> list[tuple[float, float]]:
    """``-3,3,-2,2`` or ``-3:3,-2:2``; default ``[-5, 5]`` on every axis."""
    if text is None:
        return [(-5.0, 5.0)] * n
    if ":" in text:
        pairs = [p.split(":") for p in text.split(",")]
        if any(len(p) != 2 for p in pairs):
            raise UsageError("--box takes lo:hi pairs separated by commas, e.g. -3:3,-2:2")
        flat = [number(v) for p in pairs for v in p]
    else:
        flat = [number(v) for v in text.split(",")]
    if len(flat) != 2 * n:
        raise UsageError(f"--box needs {n} intervals (lo,hi pairs), got {len(flat) / 2:g}")
    intervals = [(flat[2 * i], flat[2 * i + 1]) for i in range(n)]
    if any(lo >= hi for lo, hi in intervals):
        raise UsageError("each interval of --box needs lo < hi")
    return intervals


def _function(text: str) -> Function:
    try:
        return parse(text)
    except ParseError as exc:
        raise UsageError(str(exc)) from None


def _fmt(values) -> str:
    arr = np.atleast_1d(np.asarray(values, dtype=float))
    return "(" + ", ".join(f"{v:.10g}" for v in arr) + ")"


def _matrix(h: np.ndarray) -> str:
    return "[" + ", ".join(_fmt(row).replace("(", "[").replace(")", "]") for row in h) + "]"


def cmd_inspect(args: argparse.Namespace, out) -> int:
    f = _function(args.expr)
    p = vector(args.at, f.dimension, "--at")
    value, grad = f.value_and_gradient(*p)
    hess = f.hessian(*p)
    names = ", ".join(f.variables)
    print(f"{f.output_name}({names}) = {' '.join(args.expr.split())}", file=out)
    print(f"point        ({names}) = {_fmt(p)}", file=out)
    print(f"value        {value:.17g}", file=out)
    kinks = f.kinks_at(p)
    note = "  (one-sided: f is not differentiable here)" if kinks else ""
    print(f"gradient     {_fmt(grad)}{note}", file=out)
    print(f"|gradient|   {np.linalg.norm(grad):.10g}", file=out)
    print(f"Hessian      {_matrix(hess)}", file=out)
    lam = np.full(f.dimension, np.nan)
    if np.all(np.isfinite(hess)):
        lam, vec = np.linalg.eigh(hess)
        print(f"eigenvalues  {_fmt(lam)}", file=out)
        print(f"eigenvectors {_matrix(vec.T)}", file=out)
    kind = point_kind(value, grad, lam, kinks)
    if kinks:
        kind = f"{kind} ({', '.join(kinks)})"
    elif kind in KINDS:
        kind = f"critical point: {kind}"
    elif kind == "regular point":
        kind = "not a critical point (∇f ≠ 0)"
    print(f"kind         {kind}", file=out)
    lin, quad = linear_model(f, p), quadratic_model(f, p)
    if kinks:
        print("linear       none: no tangent plane where f is not differentiable", file=out)
        print("quadratic    none", file=out)
    else:
        print(f"linear       {describe(lin, f.variables)}", file=out)
        print(f"quadratic    {describe(quad, f.variables)}", file=out)
    if args.eps is not None and not kinks:
        eps = vector(args.eps, f.dimension, "--eps")
        q = p + eps
        true = f(*q)
        print(
            f"at point+ε   true {true:.10g}   linear {lin(*q):.10g} (error {true - lin(*q):.3g})"
            f"   quadratic {quad(*q):.10g} (error {true - quad(*q):.3g})",
            file=out,
        )
    if not np.isfinite(value):
        print(f"note: {f.output_name} is undefined or infinite at this point", file=sys.stderr)
        return 1
    return 0


def cmd_critical(args: argparse.Namespace, out) -> int:
    f = _function(args.expr)
    found = critical_points(f, box(args.box, f.dimension))
    print(f"{len(found)} critical point(s) of {f.output_name}({', '.join(f.variables)})", file=out)
    for c in found:
        print(
            f"{c.kind:<11} at {_fmt(c.point)}  value {c.value:.10g}  "
            f"eigenvalues {_fmt(c.eigenvalues)}",
            file=out,
        )
    if found.continuum:
        print(
            "note: non-isolated critical points (a line or a region of them) not listed", file=out
        )
    if found.nonsmooth:
        print(f"{len(found.nonsmooth)} extremum(s) where f is not differentiable:", file=out)
    for c in found.nonsmooth:
        print(f"{c.kind:<11} at {_fmt(c.point)}  value {c.value:.10g}  (a corner)", file=out)
    if found.incomplete:
        print(f"note: not every critical point could be found: {found.incomplete}", file=out)
    return 0


def cmd_descend(args: argparse.Namespace, out) -> int:
    f = _function(args.expr)
    start = vector(args.start, f.dimension, "--from")
    params: dict[str, object] = {"max_steps": args.steps}
    if args.lr is not None:
        params["lr"] = args.lr
    for item in args.param:
        name, _, value = item.partition("=")
        if not _:
            raise UsageError(f"--param takes name=value, got {item!r}")
        name = name.strip()
        params[name] = value.strip() if name == "schedule" else number(value)
    try:
        run = optimizer(args.optimizer, f, start, **params)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    reason = run.run()
    traj = run.trajectory
    print(
        f"{run.method.label} on {f.output_name}({', '.join(f.variables)}): "
        f"{run.steps} step(s), stopped: {STOP_REASONS[reason] if reason else 'paused'}",
        file=out,
    )
    print(f"from {_fmt(traj[0])}  value {run.values[0]:.10g}", file=out)
    print(
        f"to   {_fmt(traj[-1])}  value {run.values[-1]:.10g}  |gradient| {run.grad_norms[-1]:.3g}",
        file=out,
    )
    if run.damped:
        damped = sum(mu > 0 for mu in run.dampings)
        print(f"damping took over in {damped} of {run.steps} Newton step(s)", file=out)
    if args.csv:
        try:
            files.write_atomic(args.csv, run.to_csv())
        except OSError as exc:
            raise UsageError(f"cannot write {args.csv}: {exc.strerror}") from None
    if reason in ("diverged", "left domain"):
        print(f"error: the run {reason}; try a smaller learning rate", file=sys.stderr)
        return 1
    return 0


def _param_help() -> str:
    """Every method's parameters and the run settings, from the registry."""
    own = "; ".join(f"{name}: {', '.join(p.name for p in m.params)}" for name, m in METHODS.items())
    run = ", ".join(p.name for p in RUN_PARAMS)
    return f"a parameter as name=value ({own}; any method: {run}, schedule={'|'.join(SCHEDULES)})"


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="explorer", description="Multivariable Calculus Explorer")
    sub = p.add_subparsers(dest="command", parser_class=_Parser)
    i = sub.add_parser("inspect", help="value, gradient, Hessian and Taylor models at a point")
    i.add_argument("expr")
    i.add_argument("--at", required=True, help="the point, e.g. --at=-1,0 or --at=0,log(2)")
    i.add_argument("--eps", help="also compare both models with f at point+ε, e.g. 0.01,-0.03")
    c = sub.add_parser("critical", help="all critical points in a box, classified")
    c.add_argument("expr")
    c.add_argument("--box", help="lo,hi per variable, e.g. -3,3,-3,3 (default -5,5 each)")
    d = sub.add_parser("descend", help="run an optimizer")
    d.add_argument("expr")
    d.add_argument("--from", dest="start", required=True, help="the starting point")
    d.add_argument("--optimizer", default="gd", choices=list(METHODS))
    d.add_argument("--lr", type=float, help="learning rate (step size for newton)")
    d.add_argument(
        "--param",
        action="append",
        default=[],
        help=_param_help(),
    )
    d.add_argument("--steps", type=int, default=1000, help="step limit (default 1000)")
    d.add_argument("--csv", help="write the trajectory to this CSV file")
    r = sub.add_parser("render", help="write a view to PNG (needs a display or Xvfb)")
    r.add_argument("expr")
    r.add_argument("--at", help="the selected point")
    r.add_argument(
        "--overlay",
        action="append",
        default=[],
        choices=list(OVERLAYS),
        metavar="NAME",
        help=f"draw this overlay (repeatable): {', '.join(OVERLAYS)}",
    )
    r.add_argument("--view", default="window", choices=["surface", "contour", "window", "graph"])
    r.add_argument(
        "--run",
        action="append",
        default=[],
        help="draw an optimizer run, e.g. --run=adam:lr=0.05 (repeatable, up to 8)",
    )
    r.add_argument("--from", dest="start", help="where the --run(s) start (default: --at)")
    r.add_argument("--size", default="1200x800", help="WxH in pixels")
    r.add_argument("--domain", help="lo,hi per axis, e.g. -2,2,-2,2")
    r.add_argument("--out", required=True, help="the PNG file")
    return p


def main(argv: Sequence[str] | None = None, out=None) -> int:
    out = out or sys.stdout
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        if args.command is None:
            parser.print_help(out)
            return 0
        if args.command == "render":
            from explorer.render import cmd_render

            return cmd_render(args, out)
        return {"inspect": cmd_inspect, "critical": cmd_critical, "descend": cmd_descend}[
            args.command
        ](args, out)
    except (UsageError, ParseError) as exc:  # ParseError: too large to differentiate
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
