"""`make bench` (under Xvfb): the application's interaction costs against the bare stack.

- function switch at 201×201 (engine and every item updated, paint excluded)
  against stock `GLSurfacePlotItem.setData` plus the normals its paint computes;
- moving the point with every overlay on (median);
- a map frame on a point move, paint included (the map view alone, default
  overlays at 151², the size it has in the default window): the heat map and
  contours are not recomputed, only the point's overlays;
- issue 6's targets in the default window, paint included (until the 3D view's
  next swapped frame, then the rest of the window): a point drag with the
  default overlays at 151², a slider step of a 4-variable slice, a preset switch;
- start to first painted frame, and memory then, against a bare script that
  shows an empty `GLViewWidget`; both children time themselves the same way,
  from their first line to their first swapped frame, from compiled bytecode.
Exits 1 when a target is missed.
"""

from __future__ import annotations

import compileall
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
from report import Report  # this folder is on sys.path when run as a script

BARE = """
import sys, time
t0 = time.perf_counter()
from PyQt6 import QtCore, QtWidgets
import pyqtgraph.opengl as gl
app = QtWidgets.QApplication(sys.argv)
w = gl.GLViewWidget()
w.resize(1500, 900)
def done():
    rss = int(open('/proc/self/statm').read().split()[1]) * 4096 / 2**20
    print(time.perf_counter() - t0, rss, flush=True)
    app.quit()
w.frameSwapped.connect(done)
w.show()
app.exec()
"""

APP = """
import sys, time
t0 = time.perf_counter()
from explorer.ui.app import make_app
app = make_app([])
from explorer.ui.main_window import MainWindow
w = MainWindow(settings=None)
w.resize(1500, 900)
def done():
    rss = int(open('/proc/self/statm').read().split()[1]) * 4096 / 2**20
    print(time.perf_counter() - t0, rss, flush=True)
    app.quit()
w.surface_view.frameSwapped.connect(done)
w.show()
app.exec()
"""


# the best of this many starts on each side: with 3, the ratio moved 1.33–1.55
# between runs of the same commit on the idle machine
START_ROUNDS = 9


def compile_bytecode() -> None:
    """Both sides start from compiled bytecode, as installed: pip compiled the bare
    side's pyqtgraph, and compiles an installed explorer (the .deb bundles it too);
    a source tree's ``__pycache__`` is never written when PYTHONDONTWRITEBYTECODE is
    set, and each start would compile every module of the package again."""
    compileall.compile_dir(Path(__file__).resolve().parents[2] / "explorer", quiet=1)


def start_cost(script: str) -> tuple[float, float]:
    """The child's own seconds from its first line to its first frame, and its RSS (MB) then."""
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120
    ).stdout.split()
    return float(out[0]), float(out[1])


def map_frame(size: tuple[int, int]) -> list[float]:
    """Seconds per point move on a map view of its own, each followed by its paint."""
    from PyQt6 import QtWidgets

    from explorer.session.model import Session
    from explorer.ui.qt_map_view import MapView

    session = Session()
    session.set_resolution(151)
    view = MapView(session)
    view.resize(*size)
    view.show()
    for _ in range(5):
        QtWidgets.QApplication.processEvents()
        time.sleep(0.05)
    rng = np.random.default_rng(1)
    times = []
    for _ in range(120):
        p = rng.uniform(-1.8, 1.8, 2)
        t = time.perf_counter()
        session.set_point(p)
        view.viewport().repaint()
        times.append(time.perf_counter() - t)
    view.close_adapters()
    view.close()
    return times


def window_frames(window, act, count: int) -> list[float]:
    """Seconds from an action (`act(k)`) to the 3D view's next swapped frame,
    the whole window repainted with it (the views, panels and status bar)."""
    from PyQt6 import QtWidgets

    swapped = []
    window.surface_view.frameSwapped.connect(lambda: swapped.append(True))
    times = []
    for k in range(count):
        swapped.clear()
        t = time.perf_counter()
        act(k)
        deadline = t + 2.0
        while not swapped and time.perf_counter() < deadline:
            QtWidgets.QApplication.processEvents()
        QtWidgets.QApplication.processEvents()  # the rest of the window's paint
        times.append(time.perf_counter() - t)
    return times


def interaction_frames(report: Report) -> None:
    """Issue 6's targets, paint included, in the default window (1400×860):
    dragging the point with the default overlays at 151×151, a slider step of a
    4-variable slice and a preset switch."""
    from PyQt6 import QtWidgets

    from explorer.session import presets
    from explorer.ui.main_window import MainWindow

    window = MainWindow(settings=None)
    window.resize(1400, 860)
    window.show()
    for _ in range(10):
        QtWidgets.QApplication.processEvents()
        time.sleep(0.02)
    s = window.session
    s.load_preset(presets.DEFAULT)
    s.set_resolution(151)
    path = np.linspace(-1.5, 1.5, 90)  # a drag: small steps along a line
    drag = window_frames(window, lambda k: s.set_point([path[k], 0.4 * path[k]]), len(path))
    report.add(
        "drag frame, default overlays 151², window painted (median ms)",
        statistics.median(drag) * 1e3,
        at_most=33,
        unit=" ms",
        detail=f"(p90 {np.percentile(drag, 90) * 1e3:.0f} ms)",
    )
    s.load_preset(presets.find("Chain of Fig. 18.4.1 (18.4.4–5)"))
    base = s.point.copy()

    def step(k: int) -> None:
        p = base.copy()
        p[2] += 0.02 * (k % 10)
        s.set_point(p)

    slider = window_frames(window, step, 30)
    report.add(
        "slider step of a 4-variable slice, window painted (median ms)",
        statistics.median(slider) * 1e3,
        at_most=50,
        unit=" ms",
        detail=f"(p90 {np.percentile(slider, 90) * 1e3:.0f} ms)",
    )
    names = ["Himmelblau", "Rastrigin", "Log-sum-exp (18.4.1)", "Rosenbrock"]
    switch = window_frames(window, lambda k: s.load_preset(presets.find(names[k % len(names)])), 12)
    report.add(
        "preset switch, window painted (median ms)",
        statistics.median(switch) * 1e3,
        at_most=150,
        unit=" ms",
        detail=f"(p90 {np.percentile(switch, 90) * 1e3:.0f} ms)",
    )
    window.setWindowModified(False)  # no question on close
    window.close()
    QtWidgets.QApplication.processEvents()


def main() -> int:
    from PyQt6 import QtWidgets

    from explorer.ui.app import make_app

    app = make_app([])
    import pyqtgraph.opengl as gl

    from explorer.ui.main_window import MainWindow

    report = Report("application (make bench, Xvfb + llvmpipe)")
    window = MainWindow(settings=None)
    window.resize(1500, 900)
    window.show()
    QtWidgets.QApplication.processEvents()
    s = window.session
    s.set_resolution(201)
    for name in s.overlays:  # every overlay, critical points included
        s.set_overlay(name, True)
    texts = ["x*exp(-x^2-y^2)", "sin(3x)*cos(2y) + 0.1(x^2+y^2)"]

    # stock item on the same grid, normals computed as its paint would
    xs = np.linspace(-2, 2, 201)
    z = s.function(*np.meshgrid(xs, xs, indexing="ij"))
    stock = gl.GLSurfacePlotItem(shader="shaded")
    stock_times, switch_times = [], []
    for k in range(7):
        t = time.perf_counter()
        stock.setData(x=xs, y=xs, z=z + k)
        stock.parseMeshData()
        stock_times.append(time.perf_counter() - t)
        t = time.perf_counter()
        s.set_text(texts[k % 2] + " " * k)  # a new text each time: a real re-parse
        switch_times.append(time.perf_counter() - t)
        QtWidgets.QApplication.processEvents()
    ratio = min(switch_times) / min(stock_times)
    report.add(
        "function switch 201² / stock setData+normals",
        ratio,
        at_most=0.1,
        detail=f"({min(switch_times) * 1e3:.1f} ms vs {min(stock_times) * 1e3:.0f} ms)",
    )

    rng = np.random.default_rng(0)
    moves = []
    for _ in range(300):
        p = rng.uniform(-1.8, 1.8, 2)
        t = time.perf_counter()
        s.set_point(p)
        moves.append(time.perf_counter() - t)
    report.add(
        "point move, every overlay (median ms)",
        statistics.median(moves) * 1e3,
        at_most=5,
        unit=" ms",
        detail=f"(p90 {np.percentile(moves, 90) * 1e3:.2f} ms)",
    )
    map_size = (window.map_view.width(), window.map_view.height())
    window.setWindowModified(False)  # no question on close
    window.close()
    app.processEvents()
    graph_costs(report)
    frame = map_frame(map_size)
    report.add(
        "map frame on a point move, paint included (median ms)",
        statistics.median(frame) * 1e3,
        at_most=8,
        unit=" ms",
        detail=f"(p90 {np.percentile(frame, 90) * 1e3:.1f} ms, {map_size[0]}×{map_size[1]} px)",
    )

    interaction_frames(report)

    compile_bytecode()
    bare, ours = [], []
    for _ in range(START_ROUNDS):  # interleaved
        bare.append(start_cost(BARE))
        ours.append(start_cost(APP))
    t_bare, t_ours = min(b[0] for b in bare), min(o[0] for o in ours)
    m_bare, m_ours = min(b[1] for b in bare), min(o[1] for o in ours)
    report.add(
        "start to first frame / bare GLViewWidget",
        t_ours / t_bare,
        at_most=1.5,
        detail=f"({t_ours:.2f} s vs {t_bare:.2f} s)",
    )
    report.add(
        "memory at first frame / bare GLViewWidget",
        m_ours / m_bare,
        at_most=1.5,
        detail=f"({m_ours:.0f} MB vs {m_bare:.0f} MB)",
    )
    return report.finish()


GRAPH_60 = (
    "sin(x*y)+cos(x-y)^2*exp(-x^2-y^2)+log(1+x^2+y^2)*tanh(x+2y)+sqrt(1+x^2)*atan(y/3)"
    "+sigmoid(x*y-1)*softplus(y-x)+(x^3-3x*y^2)/(1+x^2+y^2)+abs(x-y)*x*y"
    "+cosh(x/4)*sinh(y/5)+exp(-(x-1)^2)*cos(3y)+x/(2+sin(y))"
)
GRAPH_300 = " + ".join(
    f"sin({k}x + y^{k % 3 + 2})*exp(-{k}y*x) + log(1+x^2*{k}+y)/(2+cos(x*y+{k}))"
    for k in range(1, 18)
)


def graph_costs(report: Report) -> None:
    """The graph panel: a point move on a 60-node graph (trace, texts and items
    updated, paint excluded) and the layout of a 300-node graph."""
    from PyQt6 import QtWidgets

    from explorer.engine import parse
    from explorer.session.graph_view import GraphModel
    from explorer.session.model import Session
    from explorer.ui.qt_graph_panel import GraphPanel

    session = Session()  # only the panel observes it: its own cost, nothing else
    session.set_text(GRAPH_60)
    panel = GraphPanel(session)
    panel.resize(1200, 400)
    panel.show()
    QtWidgets.QApplication.processEvents()
    nodes = len(panel.scene.nodes)
    rng = np.random.default_rng(1)
    moves = []
    for _ in range(300):
        p = rng.uniform(-1.8, 1.8, 2)
        t = time.perf_counter()
        session.set_point(p)
        moves.append(time.perf_counter() - t)
    panel.set_path_source(panel.model.trace.inputs[0])  # paths listed and highlighted too
    with_paths = []
    for _ in range(100):
        p = rng.uniform(-1.8, 1.8, 2)
        t = time.perf_counter()
        session.set_point(p)
        with_paths.append(time.perf_counter() - t)
    panel.close()
    report.add(
        f"graph panel point move, {nodes} nodes (median ms)",
        statistics.median(moves) * 1e3,
        at_most=5,
        unit=" ms",
        detail=f"(p90 {np.percentile(moves, 90) * 1e3:.2f} ms; paths from x listed: "
        f"{statistics.median(with_paths) * 1e3:.2f} ms)",
    )
    f = parse(GRAPH_300)
    layouts = []
    for _ in range(3):
        model = GraphModel(f, (0.3, 0.4))
        t = time.perf_counter()
        model.layout()
        layouts.append(time.perf_counter() - t)
    report.add(
        f"graph layout, {len(model.nodes)} nodes (grandalf, s)",
        statistics.median(layouts),
        at_most=0.5,
        unit=" s",
        detail=f"(best {min(layouts):.2f} s; once per function)",
    )


if __name__ == "__main__":
    sys.exit(main())
