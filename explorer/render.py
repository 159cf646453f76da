"""``explorer render``: a view written to PNG without interaction (slides, tests).

Needs a display (under Xvfb on a machine without one)."""

from __future__ import annotations

import argparse
import sys

from explorer import files
from explorer.calculus import METHODS
from explorer.cli import UsageError, box, number, vector
from explorer.session.overlays import OVERLAYS


def _size(text: str) -> tuple[int, int]:
    try:
        w, h = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise UsageError(f"--size takes WxH, e.g. 1200x800, got {text!r}") from None
    if not (50 <= w <= 8000 and 50 <= h <= 8000):
        raise UsageError("--size must lie between 50x50 and 8000x8000")
    return w, h


def cmd_render(args: argparse.Namespace, out) -> int:
    from explorer.ui.app import NO_DISPLAY, display_available

    if not display_available():
        raise UsageError(NO_DISPLAY.removeprefix("explorer: "))
    size = _size(args.size)
    from explorer.ui.app import make_app

    app = make_app([])
    from PyQt6.QtCore import QDeadlineTimer, QEventLoop

    from explorer.ui.main_window import MainWindow

    window = MainWindow(settings=None)
    s = window.session
    problem = s.set_text(args.expr)
    if problem is not None:
        raise UsageError(str(problem))
    if args.domain:
        for axis, (lo, hi) in zip(s.axes, box(args.domain, len(s.axes)), strict=True):
            s.set_domain(axis, lo, hi)
    if args.at:
        s.set_point(vector(args.at, s.dimension, "--at"))
    if args.overlay:
        for name in OVERLAYS:
            s.set_overlay(name, name in args.overlay)
    if args.run:
        _add_runs(window.runs, args.run, args.start)
    if args.view == "surface" and s.dimension == 1:
        raise UsageError("a function of one variable has no surface; use --view=contour")
    if args.view == "graph":  # the whole graph at the point, drawn off screen
        window.graph_panel.refresh()
        image = window.graph_panel.render_image(size)
        _discard(window)
        return _write(image, args.out, size, out)
    window.resize(*size)
    if args.view != "window":  # the one view fills the window: hide everything else
        from PyQt6.QtWidgets import QToolBar

        for widget in (
            *window.docks.values(),
            *window.findChildren(QToolBar),
            window.menuBar(),
            window.statusBar(),
        ):
            widget.hide()
        if len(s.axes) == 2:
            hidden = window.map_view if args.view == "surface" else window.surface_view.container
            hidden.hide()
    window.show()
    for _ in range(5):
        app.processEvents()
    view, wait = window.surface_view, QDeadlineTimer(5000)
    while view.container.isVisible() and not view.isValid() and not wait.hasExpired():
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)  # its first frame
    image = window.grab_window()
    _discard(window)
    return _write(image, args.out, size, out)


def _discard(window) -> None:
    """Close the window built for one picture: nothing in it is to be saved."""
    window.setWindowModified(False)
    window.close()


def _add_runs(runs, specs: list[str], start: str | None) -> None:
    """Each ``method:name=value,...`` from --from (else the point), run to its step limit."""
    if start:
        point = vector(start, runs.session.dimension, "--from")
        runs.session.set_point(point)
    for spec in specs:
        method, _, rest = spec.partition(":")
        if method not in METHODS:
            raise UsageError(
                f"--run: unknown optimizer {method!r}; choose from {', '.join(METHODS)}"
            )
        runs.set_method(method)
        for item in filter(None, rest.split(",")):
            name, eq, value = item.partition("=")
            if not eq:
                raise UsageError(f"--run takes method:name=value,..., got {spec!r}")
            name = name.strip()
            problem = runs.set_param(name, value.strip() if name == "schedule" else number(value))
            if problem:
                raise UsageError(f"--run {spec}: {problem}")
        problem = runs.add()
        if problem:
            raise UsageError(f"--run {spec}: {problem}")
        runs.entries[-1].run.run()
    runs.stepped.emit()


def _write(image, path: str, size: tuple[int, int], out) -> int:
    try:
        files.write_png(path, image)
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None
    print(f"wrote {path} ({image.width()}x{image.height()})", file=out)
    if (image.width(), image.height()) != size:
        print(
            f"note: the window cannot be smaller than {image.width()}x{image.height()} with "
            "its panels; --view=surface or --view=contour can",
            file=sys.stderr,
        )
    return 0
