"""The window's start: what the first frame shows, what waits until after it, and
the imports the first frame must not pay for (`make bench` times the start)."""

import subprocess
import sys
import textwrap

import numpy as np
from PyQt6 import QtCore

from explorer.session import persistence

from .conftest import add_window, settle

LAZY = ("descent", "critical", "directions", "sections", "graph")


def new_window(qtbot, settings=None):
    from explorer.ui.main_window import MainWindow

    w = MainWindow(settings)
    add_window(qtbot, w)  # closed after the test, its changes discarded
    w.resize(1500, 900)
    return w


def test_hidden_panels_wait_and_the_descent_panel_follows_the_first_frame(qapp, qtbot):
    w = new_window(qtbot)
    assert not any(w.docks[name].built for name in LAZY)
    descent_menu = next(a.menu() for a in w.menuBar().actions() if a.text() == "&Descent")
    assert descent_menu.actions() == []
    w.show()
    # no user action: the first frame, then the descent panel with its menu and shortcuts
    qtbot.waitUntil(lambda: w.docks["descent"].built, timeout=5000)
    texts = [a.text() for a in descent_menu.actions()]
    assert any(t.startswith("&Step") for t in texts)
    step = next(a for a in descent_menu.actions() if a.text().startswith("&Step"))
    step.trigger()  # the menu works while the Descent tab has never been shown
    assert [e.run.steps for e in w.runs.entries] == [1]  # a run, and its first step
    # the tabs behind the inspector and the closed graph are still not built
    assert not any(w.docks[name].built for name in ("critical", "directions", "sections", "graph"))


def test_a_tab_raised_for_the_first_time_shows_its_contents(qapp, qtbot):
    w = new_window(qtbot)
    w.show()
    qtbot.waitExposed(w)
    w.session.set_text("x*exp(-x^2-y^2)")
    w.docks["critical"].raise_()
    settle(qtbot)
    table = w.critical_table
    assert w.docks["critical"].built and table.shown
    # f_x = (1 − 2x²) e^(−x²−y²), f_y = −2xy e^(−x²−y²): zero at (±1/√2, 0)
    rows = {table.table.item(r, 0).text(): table.points[r].point for r in range(len(table.points))}
    assert sorted(rows) == ["maximum", "minimum"]
    np.testing.assert_allclose(rows["maximum"], [2**-0.5, 0], atol=1e-8)
    np.testing.assert_allclose(rows["minimum"], [-(2**-0.5), 0], atol=1e-8)
    assert table.note.text().startswith("2 critical point")
    w.docks["sections"].raise_()
    settle(qtbot)
    assert w.sections_panel.shown and w.sections_panel.curves[0].getData()[0] is not None


def test_the_first_frame_shows_the_map_sampled_for_its_real_size(qapp, qtbot):
    """The map is sampled for the size the layout gives it, by the first frame
    (not for its size before the window was shown, with a margin left blank)."""
    w = new_window(qtbot)
    w.resize(1024, 700)
    seen = []

    def first_frame():
        if not seen:
            (x0, x1), (y0, y1) = w.map_view.visible()
            (a0, a1), (b0, b1) = w.map_view.region
            seen.append(a0 <= x0 and x1 <= a1 and b0 <= y0 and y1 <= b1)

    w.surface_view.frameSwapped.connect(first_frame)
    w.show()
    qtbot.waitUntil(lambda: bool(seen), timeout=5000)
    assert seen == [True]
    w.close()


def test_a_view_hidden_while_its_range_changed_is_sampled_when_shown_again(window, qtbot):
    view = window.map_view
    view.hide()
    view.getViewBox().setRange(xRange=(-8, 8), yRange=(-8, 8), padding=0)
    view.show()
    qtbot.waitUntil(lambda: view.region[0][0] <= view.visible()[0][0] <= -8, timeout=3000)


def test_the_views_are_built_for_the_restored_session(qapp, qtbot, tmp_path):
    ini = str(tmp_path / "settings.ini")
    first = new_window(qtbot, QtCore.QSettings(ini, QtCore.QSettings.Format.IniFormat))
    first.session.set_text("x^2 - y^2")
    first.session.set_point([0.5, -1.0])
    assert first.runs.add() is None
    first.runs.step(3)
    stored = persistence.dumps(first.session)
    assert first.save_session(str(tmp_path / "saved.json"))  # no question on closing
    first.close()
    settings = QtCore.QSettings(ini, QtCore.QSettings.Format.IniFormat)
    assert settings.value("session") == stored
    w = new_window(qtbot, settings)
    w.show()
    qtbot.waitExposed(w)
    assert w.function_panel.editor.text() == "x^2 - y^2"
    assert "f = -0.75" in w.status_point.text()  # 0.5² − 1²
    assert not w.isWindowModified()
    # its run too, drawn on both views (the runs exist before the session is restored)
    assert [e.run.steps for e in w.runs.entries] == [3]
    np.testing.assert_allclose(w.runs.entries[0].start, [0.5, -1.0])
    # the heat map is x² − y² on its pixels' centres, not the default function
    heat = w.map_view.adapters["heat"].item
    z = heat.image
    rect = heat.mapRectToParent(heat.boundingRect())
    nx, ny = z.shape
    xs = rect.left() + (np.arange(nx) + 0.5) * rect.width() / nx
    ys = rect.top() + (np.arange(ny) + 0.5) * rect.height() / ny
    x, y = np.meshgrid(xs, ys, indexing="ij")
    np.testing.assert_allclose(z, x**2 - y**2, atol=1e-9 * np.abs(z).max())


# the modules a first frame does not need: superqt pulls in qtpy (~0.12 s of CPU, a
# third of a bare GLViewWidget's start); the others belong to panels built later
LATER = (
    "superqt",
    "qtpy",
    "grandalf",
    "explorer.cli",
    "explorer.session.graph_view",
    "explorer.ui.qt_graph_panel",
    "explorer.ui.qt_descent_panel",
    "explorer.ui.qt_sections_panel",
    "explorer.ui.qt_direction_panel",
)

FIRST_FRAME = """
import sys
from explorer.ui.app import make_app
app = make_app([])
from explorer.ui.main_window import MainWindow
later = {later!r}
print("imported", *sorted(m for m in later if m in sys.modules))
w = MainWindow(settings=None)
def first_frame():
    print("first frame", *sorted(m for m in later if m in sys.modules), flush=True)
    app.quit()
w.surface_view.frameSwapped.connect(first_frame)
w.show()
app.exec()
"""


def test_the_first_frame_does_not_import_what_later_panels_need(qapp):
    # a process of its own, on the tests' X server: this one has imported everything
    out = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(FIRST_FRAME.format(later=LATER))],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout.splitlines()
    assert out == ["imported", "first frame"]


def test_a_window_deleted_before_its_queued_work_ran_is_left_alone(qapp, qtbot):
    """The work a window queues for later (fitting its tab bars once laid out, the
    panels after its first frame) dies with it: none of it runs into a deleted window."""
    from explorer.ui.main_window import MainWindow

    w = MainWindow(settings=None)
    w.resize(1500, 900)  # wide: the tab bars are fitted once they are laid out
    w.show()
    w.setWindowModified(False)
    w.close()
    w.deleteLater()
    QtCore.QCoreApplication.sendPostedEvents(None, QtCore.QEvent.Type.DeferredDelete.value)
    settle(qtbot, 100)  # a queued call into the deleted window would raise here


def test_garbage_cycles_are_collected_by_the_event_loop_only(window, qtbot):
    """Automatic collection is off (it could free a graphics item during a paint);
    cycles still go, from the event loop's timer."""
    import gc
    import weakref

    class Node:
        pass

    assert not gc.isenabled()
    first = Node()
    first.cycle = first
    gone = weakref.ref(first)
    del first
    for _ in range(2 * gc.get_threshold()[0]):  # past the threshold, as a session's work is
        loop = Node()
        loop.cycle = loop
    del loop
    assert gone() is not None  # not collected at an allocation
    qtbot.waitUntil(lambda: gone() is None, timeout=3000)


def test_a_restored_sessions_critical_points_follow_the_first_frame(qapp, qtbot, tmp_path):
    """A session restored with its critical points shown: the first frame does not
    wait for their search; the markers on both views come right after it."""
    ini = str(tmp_path / "settings.ini")
    first = new_window(qtbot, QtCore.QSettings(ini, QtCore.QSettings.Format.IniFormat))
    first.session.set_text("x^3 - 3x + y^2")  # a minimum at (1, 0), a saddle at (−1, 0)
    first.session.set_overlay("critical", True)
    assert first.save_session(str(tmp_path / "saved.json"))  # no question on closing
    first.close()
    w = new_window(qtbot, QtCore.QSettings(ini, QtCore.QSettings.Format.IniFormat))
    markers = w.map_view.adapters["critical"].item
    at_first_frame = []
    w.surface_view.frameSwapped.connect(
        lambda: (
            at_first_frame.append(
                (len(markers.data), len(w.surface_view.adapters["critical"].shown))
            )
            if not at_first_frame
            else None
        )
    )
    w.show()
    qtbot.waitUntil(lambda: bool(at_first_frame) and len(markers.data) == 2, timeout=5000)
    assert at_first_frame == [(0, 0)]  # the first frame came before the search
    settle(qtbot)
    kinds = {s.data().kind: (s.pos().x(), s.pos().y()) for s in markers.points()}
    assert set(kinds) == {"minimum", "saddle"}
    np.testing.assert_allclose(kinds["minimum"], (1, 0), atol=1e-8)
    np.testing.assert_allclose(kinds["saddle"], (-1, 0), atol=1e-8)
    assert sorted(c.kind for c in w.surface_view.adapters["critical"].shown) == [
        "minimum",
        "saddle",
    ]
    assert not w.isWindowModified()
