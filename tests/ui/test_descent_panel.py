"""The descent panel driven for real: widgets, runs, both views' pixels, the timer."""

import json

import numpy as np
import pytest
from PyQt6 import QtCore

from explorer.calculus import METHODS, RUN_PARAMS
from explorer.session.runs import COLORS, MAX_RUNS
from explorer.ui.qt_param_editor import QParamRow

from .conftest import gl_pixels, map_to_widget, near, settle, widget_pixels

HIMMELBLAU = "(x^2+y-11)^2 + (x+y^2-7)^2"
HIMMELBLAU_MINIMA = [
    (3.0, 2.0),
    (-2.805118, 3.131312),
    (-3.779310, -3.283186),
    (3.584428, -1.848126),
]
BOOTH = "(x+2y-7)^2 + (2x+y-5)^2"


def use(window, qtbot, text, domain=(-5, 5), point=(0.0, 0.0)):
    s = window.session
    assert s.set_text(text) is None
    for axis in (0, 1):
        s.set_domain(axis, *domain)
    s.set_point(point)
    window.docks["descent"].raise_()
    settle(qtbot)
    return window.descent_panel


def choose(panel, qtbot, method, **values):
    panel.method.setCurrentIndex(panel.method.findData(method))
    for name, value in values.items():
        field = panel.method_params.rows[name].field
        field.setText(str(value))
        field.editingFinished.emit()
    settle(qtbot, 5)


def press_space(window, qtbot, times=1):
    """Space with the focus on the 3D view of the active window (in a text field
    Space types a space instead)."""
    if not window.isActiveWindow():
        with qtbot.waitActive(window):
            window.activateWindow()
    window.surface_view.container.setFocus()
    for _ in range(times):
        qtbot.keyClick(window.surface_view, QtCore.Qt.Key.Key_Space)


def row_texts(panel, row):
    return [panel.table.item(row, c).text() for c in range(panel.table.columnCount())]


def test_parameter_widgets_are_generated_from_the_registry(window, qtbot):
    panel = use(window, qtbot, "x^2 + y^2")
    for name, method in METHODS.items():
        panel.method.setCurrentIndex(panel.method.findData(name))
        assert list(panel.method_params.rows) == [p.name for p in method.params]
        assert window.runs.method == name
    assert list(panel.run_params.rows) == [p.name for p in RUN_PARAMS]
    choose(panel, qtbot, "adam", lr=0.02, beta1=0.8)
    assert window.runs.params["lr"] == 0.02 and window.runs.params["beta1"] == 0.8
    # the model changes the widgets too, without an echo
    window.runs.set_param("lr", 0.3)
    assert panel.method_params.rows["lr"].field.text() == "0.3"


@pytest.mark.parametrize("typed", ["20", "-1", "abc", "1e400"])
def test_a_parameter_out_of_range_is_refused_at_the_widget(window, qtbot, typed):
    panel = use(window, qtbot, "x^2 + y^2")
    choose(panel, qtbot, "gd", lr=0.05)
    row = panel.method_params.rows["lr"]
    assert isinstance(row, QParamRow)
    row.field.setText(typed)
    row.field.editingFinished.emit()
    assert window.runs.params["lr"] == 0.05
    assert "background" in row.field.styleSheet() and row.field.toolTip()


def test_the_log_slider_sets_a_continuous_rate(window, qtbot):
    panel = use(window, qtbot, "x^2 + y^2")
    row = panel.method_params.rows["lr"]
    row.slider.setValue(np.log10(0.0035))  # between powers of ten
    assert window.runs.params["lr"] == pytest.approx(0.0035)
    assert row.field.text() == "0.0035"


def test_newton_lands_on_booth_in_one_step(window, qtbot):
    panel = use(window, qtbot, BOOTH, (-10, 10), (-4.0, 6.0))
    choose(panel, qtbot, "newton")
    qtbot.mouseClick(panel.step_button, QtCore.Qt.MouseButton.LeftButton)  # adds a run, steps
    run = window.runs.entries[0].run
    assert run.steps == 1
    np.testing.assert_allclose(run.x, [1.0, 3.0], atol=1e-9, rtol=0)
    texts = row_texts(panel, 0)
    assert texts[0] == "newton" and texts[1] == "1"
    assert texts[4] == "converged to a critical point"


def test_himmelblau_from_ctrl_clicks_near_each_minimum(window, qtbot):
    panel = use(window, qtbot, HIMMELBLAU)
    choose(panel, qtbot, "gd", lr=0.01)
    for m in HIMMELBLAU_MINIMA:
        start = np.array(m) * 1.1
        pos = map_to_widget(window.map_view, *start)
        qtbot.mouseClick(
            window.map_view.viewport(),
            QtCore.Qt.MouseButton.LeftButton,
            QtCore.Qt.KeyboardModifier.ControlModifier,
            pos,
        )
        np.testing.assert_allclose(window.runs.start, start, atol=0.1)
        qtbot.mouseClick(panel.add_button, QtCore.Qt.MouseButton.LeftButton)
    assert len(window.runs.entries) == 4
    window.runs.step(3000)
    for i, m in enumerate(HIMMELBLAU_MINIMA):
        assert window.runs.entries[i].run.stop_reason == "converged"
        np.testing.assert_allclose(window.runs.entries[i].run.x, m, atol=1e-5)
        assert row_texts(panel, i)[4] == "converged to a critical point"


@pytest.mark.parametrize(("method", "lr"), [("momentum", 0.001), ("adam", 0.05)])
def test_rosenbrock_from_the_classic_start(window, qtbot, method, lr):
    panel = use(window, qtbot, "(1-x)^2 + 100(y-x^2)^2", (-2, 2), (-1.5, 2.0))
    choose(panel, qtbot, method, lr=lr)
    qtbot.mouseClick(panel.add_button, QtCore.Qt.MouseButton.LeftButton)
    window.runs.step(10_000)
    run = window.runs.entries[0].run
    assert run.stop_reason == "converged"
    np.testing.assert_allclose(run.x, [1, 1], atol=1e-6)


def test_a_diverging_run_is_reported_and_the_other_goes_on(window, qtbot):
    panel = use(window, qtbot, "x^2 + 3y^2", (-2, 2), (1.0, 1.0))
    choose(panel, qtbot, "gd", lr=0.5)  # 2/λ_max = 1/3: too large
    qtbot.mouseClick(panel.add_button, QtCore.Qt.MouseButton.LeftButton)
    choose(panel, qtbot, "gd", lr=0.1)
    qtbot.mouseClick(panel.add_button, QtCore.Qt.MouseButton.LeftButton)
    press_space(window, qtbot, 40)
    bad, good = window.runs.entries
    assert bad.run.stop_reason == "diverged" and row_texts(panel, 0)[4] == "diverged"
    assert good.run.stop_reason is None and good.run.steps == 40
    window.runs.step(1000)
    assert good.run.stop_reason == "converged"


def test_a_start_where_f_is_undefined_is_refused(window, qtbot):
    panel = use(window, qtbot, "log(x) + y^2", (-2, 2), (-1.0, 0.5))
    qtbot.mouseClick(panel.add_button, QtCore.Qt.MouseButton.LeftButton)
    assert window.runs.entries == []
    assert "undefined at the start" in panel.message.text()
    window.session.set_point([1.0, 0.5])
    qtbot.mouseClick(panel.add_button, QtCore.Qt.MouseButton.LeftButton)
    assert len(window.runs.entries) == 1


def test_at_most_eight_runs_in_distinct_colours(window, qtbot):
    panel = use(window, qtbot, "x^2 + y^2", (-2, 2), (1.0, 1.0))
    for _ in range(MAX_RUNS + 1):
        qtbot.mouseClick(panel.add_button, QtCore.Qt.MouseButton.LeftButton)
    assert len(window.runs.entries) == MAX_RUNS
    assert len({e.color for e in window.runs.entries}) == MAX_RUNS
    assert "at most 8" in panel.message.text()
    panel.table.selectRow(2)
    qtbot.mouseClick(panel.remove_button, QtCore.Qt.MouseButton.LeftButton)
    assert len(window.runs.entries) == MAX_RUNS - 1 and panel.table.rowCount() == MAX_RUNS - 1
    qtbot.mouseClick(panel.clear_button, QtCore.Qt.MouseButton.LeftButton)
    assert window.runs.entries == [] and panel.table.rowCount() == 0


def test_trajectories_appear_in_both_views_in_their_colour_and_vanish_on_clear(window, qtbot):
    # down the far wall of the bowl, in view of the default camera
    panel = use(window, qtbot, "x^2 + y^2", (-2, 2), (-1.2, 1.8))
    window.session.set_overlay("tangent", False)  # nothing in front of the path
    color = COLORS[0]
    before_map = near(widget_pixels(window.map_view), color, 30)
    before_gl = near(gl_pixels(window.surface_view, qtbot), color, 30)
    choose(panel, qtbot, "gd", lr=0.05)
    qtbot.mouseClick(panel.add_button, QtCore.Qt.MouseButton.LeftButton)
    window.runs.step(60)
    settle(qtbot)
    drawn_map = near(widget_pixels(window.map_view), color, 30)
    drawn_gl = near(gl_pixels(window.surface_view, qtbot), color, 30)
    assert drawn_map > before_map + 50
    assert drawn_gl > before_gl + 50
    qtbot.mouseClick(panel.clear_button, QtCore.Qt.MouseButton.LeftButton)
    settle(qtbot)
    assert near(widget_pixels(window.map_view), color, 30) <= before_map + 5
    assert near(gl_pixels(window.surface_view, qtbot), color, 30) <= before_gl + 5


def test_run_animates_and_pause_really_stops(window, qtbot):
    panel = use(window, qtbot, "(1-x)^2 + 100(y-x^2)^2", (-2, 2), (-1.5, 2.0))
    choose(panel, qtbot, "gd", lr=1e-4)
    panel.speed.setValue(1000)
    qtbot.mouseClick(panel.play, QtCore.Qt.MouseButton.LeftButton)
    assert panel.timer.isActive() and panel.play.text() == "Pause"
    run = window.runs.entries[0].run
    qtbot.waitUntil(lambda: run.steps > 20, timeout=5000)
    qtbot.mouseClick(panel.play, QtCore.Qt.MouseButton.LeftButton)
    assert not panel.timer.isActive() and panel.play.text() == "Run"
    paused_at = run.steps
    qtbot.wait(200)
    assert run.steps == paused_at and run.stop_reason is None  # paused, not stopped
    press_space(window, qtbot)
    assert run.steps == paused_at + 1


def test_reset_takes_every_run_back_to_its_start(window, qtbot):
    panel = use(window, qtbot, "x^2 + y^2", (-2, 2), (1.0, 1.0))
    qtbot.mouseClick(panel.add_button, QtCore.Qt.MouseButton.LeftButton)
    window.runs.step(5)
    qtbot.mouseClick(panel.reset_button, QtCore.Qt.MouseButton.LeftButton)
    run = window.runs.entries[0].run
    assert run.steps == 0 and np.allclose(run.x, [1.0, 1.0])


def test_step_inspector_and_one_over_lambda_max(window, qtbot):
    # H = diag(2, 8): λ_max = 8, 2/λ_max = 0.25, condition 4
    panel = use(window, qtbot, "x^2 + 4y^2", (-2, 2), (1.0, 1.0))
    choose(panel, qtbot, "gd", lr=0.1)
    qtbot.mouseClick(panel.add_button, QtCore.Qt.MouseButton.LeftButton)
    text = panel.inspector.text()
    # at (1, 1): ∇f = (2, 8), |∇f|² = 68, ∇fᵀH∇f = 2·4 + 8·64 = 520
    assert "first order η|∇f|²: 6.8" in text
    assert f"quadratic model: {0.1 * 68 - 0.5 * 0.01 * 520:.4g}" in text
    assert f"actual decrease: {5 - (0.8**2 + 4 * 0.2**2):.4g}" in text
    assert "2/λ_max = 0.25 (stable)" in text and "λ_max/λ_min = 4" in text
    qtbot.mouseClick(panel.rate_button, QtCore.Qt.MouseButton.LeftButton)
    assert window.runs.params["lr"] == pytest.approx(0.125)
    assert panel.method_params.rows["lr"].field.text() == "0.125"


def test_a_new_function_clears_the_runs(window, qtbot):
    panel = use(window, qtbot, "x^2 + y^2", (-2, 2), (1.0, 1.0))
    qtbot.mouseClick(panel.add_button, QtCore.Qt.MouseButton.LeftButton)
    window.session.set_text("x^2 + 2y^2")
    assert window.runs.entries == [] and panel.table.rowCount() == 0


def test_a_new_function_while_running_stops_the_animation(window, qtbot):
    """The runs go with their function; the animation must not start a run of its
    own on the next function (nor mark it changed)."""
    panel = use(window, qtbot, "x^2 + y^2", (-2, 2), (1.0, 1.0))
    choose(panel, qtbot, "gd", lr=1e-4)
    qtbot.mouseClick(panel.play, QtCore.Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.runs.entries[0].run.steps > 5, timeout=5000)
    window.session.set_text("x^2 + 2y^2")
    qtbot.wait(300)
    assert window.runs.entries == [] and not panel.timer.isActive()
    assert panel.play.text() == "Run"


def test_himmelblau_basins_have_four_colours_around_their_minima(window, qtbot):
    from explorer.ui.map_basins import PALETTE

    panel = use(window, qtbot, HIMMELBLAU)
    choose(panel, qtbot, "gd", lr=0.01)
    window.map_view.getViewBox().setRange(xRange=(-5, 5), yRange=(-5, 5))  # all four in view
    settle(qtbot)
    before = widget_pixels(window.map_view)
    panel.basins_size.setCurrentIndex(panel.basins_size.findData(101))
    qtbot.mouseClick(panel.basins_button, QtCore.Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.runs.basins is not None, timeout=60_000)
    qtbot.waitUntil(lambda: panel.worker is None, timeout=10_000)
    b = window.runs.basins
    assert len(b.ends) == 4
    np.testing.assert_allclose(sorted(map(tuple, b.ends)), sorted(HIMMELBLAU_MINIMA), atol=1e-4)
    for k, m in enumerate(b.ends):  # each minimum lies in its own basin
        i, j = np.argmin(np.abs(b.xs - m[0])), np.argmin(np.abs(b.ys - m[1]))
        assert b.labels[i, j] == k
    assert set(np.unique(b.labels)) == {0, 1, 2, 3}
    settle(qtbot)
    after = widget_pixels(window.map_view)
    for k, m in enumerate(b.ends):  # the map beside each minimum turns toward its basin's colour
        p = map_to_widget(window.map_view, m[0] + 0.25, m[1] + 0.25)
        was = before[p.y(), p.x()].astype(int)
        now = after[p.y(), p.x()].astype(int)
        target = PALETTE[k].astype(int)
        assert np.abs(now - target).sum() < np.abs(was - target).sum() - 30, (k, was, now)
    qtbot.mouseClick(panel.basins_hide, QtCore.Qt.MouseButton.LeftButton)
    assert window.runs.basins is None


def test_cancel_really_stops_the_basins_worker(window, qtbot):
    panel = use(window, qtbot, "(1-x)^2 + 100(y-x^2)^2", (-2, 2), (0.0, 0.0))
    choose(panel, qtbot, "gd", lr=1e-5)  # slow: 2000 steps on 201² points
    panel.basins_size.setCurrentIndex(panel.basins_size.findData(201))
    qtbot.mouseClick(panel.basins_button, QtCore.Qt.MouseButton.LeftButton)
    assert panel.worker is not None and not panel.basins_button.isEnabled()
    qtbot.waitUntil(lambda: panel.basins_progress.value() > 0, timeout=30_000)
    qtbot.mouseClick(panel.basins_cancel, QtCore.Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.worker is None, timeout=30_000)
    assert window.runs.basins is None and panel.basins_button.isEnabled()


def test_csv_export_of_the_selected_run(window, qtbot, tmp_path):
    import csv

    panel = use(window, qtbot, "x^2 + 4y^2", (-2, 2), (1.0, 1.0))
    choose(panel, qtbot, "momentum", lr=0.05)
    qtbot.mouseClick(panel.add_button, QtCore.Qt.MouseButton.LeftButton)
    window.runs.step(12)
    out = tmp_path / "run.csv"
    assert panel.export_csv(str(out))
    rows = list(csv.reader(out.read_text().splitlines()))
    assert rows[0] == ["step", "x", "y", "value", "grad_norm"]
    run = window.runs.entries[0].run
    table = np.array([[float(c) for c in r] for r in rows[1:]])
    assert table.shape == (13, 5)
    np.testing.assert_array_equal(table[:, 1:3], run.trajectory)  # exact reprs
    np.testing.assert_allclose(table[:, 3], table[:, 1] ** 2 + 4 * table[:, 2] ** 2, rtol=1e-14)
    assert not panel.export_csv(str(tmp_path / "missing" / "run.csv"))
    assert "cannot write" in panel.message.text()


def test_a_session_with_runs_round_trips(window, qtbot):
    panel = use(window, qtbot, "(1-x)^2 + 100(y-x^2)^2", (-2, 2), (-1.5, 2.0))
    choose(panel, qtbot, "adam", lr=0.05)
    qtbot.mouseClick(panel.add_button, QtCore.Qt.MouseButton.LeftButton)
    window.runs.set_param("noise", 0.3)
    window.runs.set_param("seed", 4)
    choose(panel, qtbot, "momentum", lr=0.001)
    qtbot.mouseClick(panel.add_button, QtCore.Qt.MouseButton.LeftButton)
    window.runs.step(37)
    saved = [e.run.trajectory for e in window.runs.entries]
    data = json.loads(json.dumps(window.session.to_dict()))
    assert [r["method"] for r in data["runs"]] == ["adam", "momentum"]
    window.session.set_text("x^2 + y^2")  # another function: the runs go
    assert window.runs.entries == []
    window.session.from_dict(data)
    assert [e.method for e in window.runs.entries] == ["adam", "momentum"]
    for e, traj in zip(window.runs.entries, saved, strict=True):
        np.testing.assert_array_equal(e.run.trajectory, traj)
    assert window.runs.entries[1].params["noise"] == 0.3
    assert panel.table.rowCount() == 2 and row_texts(panel, 1)[1] == "37"


@pytest.mark.parametrize(
    "runs",
    [
        "not a list",
        [{"method": "sgd", "params": {}, "start": [0, 0], "steps": 1}],
        [{"method": "gd", "params": {"lr": 99}, "start": [0, 0], "steps": 1}],
        [{"method": "gd", "params": {}, "start": [0], "steps": 1}],
        [{"method": "gd", "params": {}, "start": [0, 0], "steps": -1}],
        [{"method": "gd", "params": {"lr": "0.1"}, "start": [0, 0], "steps": 1}],
        [{"method": "gd", "params": {}, "start": [0, 0], "steps": 1}] * 9,
    ],
)
def test_a_session_with_broken_runs_is_refused_and_changes_nothing(window, qtbot, runs):
    from explorer.session.persistence import SessionFileError

    panel = use(window, qtbot, "x^2 + y^2", (-2, 2), (1.0, 1.0))
    qtbot.mouseClick(panel.add_button, QtCore.Qt.MouseButton.LeftButton)
    data = window.session.to_dict()
    data["runs"] = runs
    with pytest.raises(SessionFileError, match="runs"):
        window.session.from_dict(data)
    assert len(window.runs.entries) == 1 and window.session.text == "x^2 + y^2"


def test_render_draws_runs_into_the_png(tmp_path):
    import subprocess
    import sys

    from PyQt6 import QtGui

    from .conftest import pixels

    def render(*extra):
        return subprocess.run(
            [sys.executable, "-m", "explorer", "render", "(1-x)^2 + 100(y-x^2)^2", *extra],
            capture_output=True,
            text=True,
            timeout=120,
        )

    common = ["--view=contour", "--size=400x400", "--from=-1.5,2"]
    plain, drawn = tmp_path / "plain.png", tmp_path / "runs.png"
    assert render(*common, f"--out={plain}").returncode == 0
    # the second run is short, so that it hides little of the first
    r = render(
        *common, "--run=momentum:lr=0.001", "--run=gd:lr=0.001,max_steps=40", f"--out={drawn}"
    )
    assert r.returncode == 0, r.stderr
    before, after = (pixels(QtGui.QImage(str(p))) for p in (plain, drawn))
    for color in COLORS[:2]:
        assert near(after, color, 30) > near(before, color, 30) + 40
    bad = render("--run=sgd", f"--out={tmp_path / 'bad.png'}")
    assert bad.returncode == 2 and "unknown optimizer 'sgd'" in bad.stderr
    bad = render("--run=gd:lr=50", f"--out={tmp_path / 'bad.png'}")
    assert bad.returncode == 2 and "learning rate" in bad.stderr


def test_the_selected_runs_next_step_and_adapted_rates_are_shown(window, qtbot):
    panel = use(window, qtbot, "x^2 + 4y^2", (-2, 2), (1.0, 1.0))
    choose(panel, qtbot, "gd", lr=0.1)
    qtbot.mouseClick(panel.add_button, QtCore.Qt.MouseButton.LeftButton)
    step = window.run_adapters[1].step
    xs, ys = step.getData()
    # from (1, 1): −η∇f = −0.1·(2, 8), by hand
    np.testing.assert_allclose([xs[[0, -1]], ys[[0, -1]]], [[1.0, 0.8], [1.0, 0.2]])
    choose(panel, qtbot, "adagrad", lr=0.5)
    qtbot.mouseClick(panel.add_button, QtCore.Qt.MouseButton.LeftButton)
    window.runs.step(1)
    # after one AdaGrad step s = ∇f² at the start: rates 0.5/√(4 + ε), 0.5/√(64 + ε)
    assert "rate per coordinate now: (0.25, 0.0625)" in panel.inspector.text()


def test_the_run_list_shows_a_schedule_and_noise_when_set(window, qtbot):
    panel = use(window, qtbot, "x^2 + 4y^2", (-2, 2), (1.0, 1.0))

    def add(schedule, noise):
        panel.schedule.setCurrentIndex(panel.schedule.findData(schedule))
        field = panel.run_params.rows["noise"].field
        field.setText(str(noise))
        field.editingFinished.emit()
        qtbot.mouseClick(panel.add_button, QtCore.Qt.MouseButton.LeftButton)
        return row_texts(panel, panel.table.rowCount() - 1)[5]

    choose(panel, qtbot, "gd", lr=0.05)
    assert add("constant", 0) == "lr=0.05"
    assert add("sqrt", 0.3) == "lr=0.05, η: 1/√t, noise σ=0.3 (seed 0)"
    assert add("step", 0) == "lr=0.05, η×0.5 every 100 steps"
    assert add("cosine", 0) == "lr=0.05, cosine η, period 100"
