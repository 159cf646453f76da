"""The optimizer runs model without widgets: settings, the run list, what the
views draw of a run, and the replay of saved runs, against steps worked out by
hand (gradient descent on f = x² + 3y²: ∇f = (2x, 6y))."""

import numpy as np
import pytest

from explorer.calculus import STOP_REASONS
from explorer.session.model import Session
from explorer.session.runs import COLORS, STEP_SAMPLES, Runs, _extras, _same_path, own_step_kind
from explorer.session.runs_record import MAX_RUNS

BOWL = "x^2 + 3*y^2"


@pytest.fixture
def runs(qapp):
    s = Session()
    assert s.set_text(BOWL) is None
    s.set_point([1.0, 1.0])
    r = Runs(s)
    r.messages, r.signals = [], []
    r.message.connect(r.messages.append)
    for name in ("changed", "stepped", "basins_changed", "settings_changed"):
        getattr(r, name).connect(lambda name=name: r.signals.append(name))
    return r


def test_each_methods_own_step_is_named():
    assert own_step_kind("gd") is None
    assert own_step_kind("momentum") == own_step_kind("nesterov") == "velocity"
    assert own_step_kind("adagrad") == own_step_kind("adam") == "adapted step"
    assert own_step_kind("newton") == "Newton step"


def test_the_extras_of_a_run_name_its_schedule_and_noise():
    assert _extras({"lr": 0.1}) == [] and _extras({"schedule": "constant", "noise": 0.0}) == []
    assert _extras({"schedule": "step", "decay": 0.5, "period": 20}) == ["η×0.5 every 20 steps"]
    assert _extras({"schedule": "cosine", "period": 50}) == ["cosine η, period 50"]
    assert _extras({"schedule": "sqrt", "noise": 0.25, "seed": 7}) == [
        "η: 1/√t",
        "noise σ=0.25 (seed 7)",
    ]


def test_same_path_allows_rounding_only():
    a = np.array([[1.0, 2.0], [3.0, 4.0]])
    assert _same_path(a, a + 1e-10)
    assert not _same_path(a, a + np.array([[0.0, 0.0], [0.0, 1e-6]]))
    assert not _same_path(a, a[:1])
    assert _same_path(np.zeros((1, 2)), np.full((1, 2), 1e-13))  # the absolute floor
    assert not _same_path(np.zeros((1, 2)), np.full((1, 2), 1e-11))


def test_a_method_starts_at_its_defaults_and_keeps_the_run_settings(runs):
    assert (
        runs.method == "gd" and runs.params["lr"] == 0.1 and runs.params["schedule"] == "constant"
    )
    assert runs.set_param("tol", 1e-3) is None and runs.set_param("lr", 0.3) is None
    runs.signals.clear()
    runs.set_method("adam")
    assert runs.signals == ["settings_changed"]
    assert runs.params["lr"] == 0.05 and runs.params["beta2"] == 0.999  # adam's own defaults
    assert runs.params["tol"] == 1e-3 and runs.params["max_steps"] == 10_000  # kept
    runs.set_method("sgd")
    assert runs.method == "adam" and runs.messages == ["unknown optimizer 'sgd'"]


def test_a_refused_parameter_is_a_message_and_changes_nothing(runs):
    before = dict(runs.params)
    runs.signals.clear()
    for name, value, words in (
        ("lr", -1.0, "must lie in [1e-06, 10], got -1"),
        ("lr", "fast", "could not convert"),
        ("beta", 0.5, "gd has no parameter 'beta'"),
        ("schedule", "warp", "unknown schedule 'warp'"),
    ):
        problem = runs.set_param(name, value)
        assert problem is not None and words in problem and runs.messages[-1] == problem
    assert runs.params == before and runs.signals == []
    assert runs.set_param("schedule", "cosine") is None and runs.params["schedule"] == "cosine"
    assert runs.set_param("period", 7) is None and runs.params["period"] == 7.0
    assert runs.signals == ["settings_changed"] * 2


def test_the_start_is_the_point_unless_one_was_placed(runs):
    np.testing.assert_array_equal(runs.start, [1.0, 1.0])
    runs.start[0] = 5.0  # a copy
    np.testing.assert_array_equal(runs.session.point, [1.0, 1.0])
    runs.session.set_axes(1, 0)
    runs.place_start((0.25, -0.5))  # plotted (y, x)
    np.testing.assert_array_equal(runs.start, [-0.5, 0.25])
    assert runs.signals[-1] == "settings_changed"
    # a new function forgets it
    runs.session.set_text("x^2 + y^2")
    assert runs.placed_start is None


def test_a_start_placed_on_the_surface_by_a_ray(runs):
    s = runs.session
    # a vertical ray at (0.5, −0.25) meets the bowl there
    assert runs.place_start_on_ray([0.5, -0.25, 50.0], [0.0, 0.0, -100.0])
    np.testing.assert_allclose(runs.start, [0.5, -0.25], atol=1e-9)
    assert not runs.place_start_on_ray([9.0, 9.0, 50.0], [0.0, 0.0, -100.0])
    np.testing.assert_allclose(runs.start, [0.5, -0.25], atol=1e-9)
    np.testing.assert_array_equal(s.point, [1.0, 1.0])


def test_runs_take_the_hand_computed_steps_in_their_own_colours(runs):
    assert runs.add() is None
    runs.session.set_point([-1.0, 0.5])
    runs.set_method("momentum")
    assert runs.add() is None
    assert [e.color for e in runs.entries] == list(COLORS[:2])
    assert [e.label for e in runs.entries] == ["lr=0.1", "lr=0.1, beta=0.9"]
    assert runs.selected == 1 and runs.signals.count("changed") == 2
    runs.step(2)
    assert runs.signals[-1] == "stepped"
    # gd from (1, 1): (1 − 0.2, 1 − 0.6), then (0.8 − 0.16, 0.4 − 0.24)
    np.testing.assert_allclose(runs.entries[0].run.trajectory, [[1, 1], [0.8, 0.4], [0.64, 0.16]])
    # momentum from (−1, ½): v = 0.1·(−2, 3) = (−0.2, 0.3), x = (−0.8, 0.2);
    # then v = 0.9 v + 0.1·(−1.6, 1.2) = (−0.34, 0.39), x = (−0.46, −0.19)
    np.testing.assert_allclose(
        runs.entries[1].run.trajectory, [[-1, 0.5], [-0.8, 0.2], [-0.46, -0.19]], atol=1e-12
    )
    # removing the first frees its colour for the next run
    runs.remove(0)
    assert runs.selected == 0 and len(runs.entries) == 1
    assert runs.add() is None
    assert [e.color for e in runs.entries] == [COLORS[1], COLORS[0]]
    assert [e.start.tolist() for e in runs.entries] == [[-1.0, 0.5], [-1.0, 0.5]]


def test_the_labels_show_the_methods_own_parameters_and_the_extras(runs):
    runs.set_method("rmsprop")
    runs.set_param("schedule", "step")
    runs.set_param("noise", 0.5)
    assert runs.add() is None
    assert runs.entries[0].label == (
        "lr=0.01, gamma=0.9, eps=1e-06, η×0.5 every 100 steps, noise σ=0.5 (seed 0)"
    )


def test_at_most_eight_runs_and_a_refused_start(runs):
    for _ in range(MAX_RUNS):
        assert runs.add() is None
    assert len({e.color for e in runs.entries}) == MAX_RUNS
    problem = runs.add()
    assert problem == f"at most {MAX_RUNS} runs race at once; remove one first"
    assert runs.messages == [problem] and len(runs.entries) == MAX_RUNS
    runs.clear()
    assert runs.entries == [] and runs.selected == -1
    runs.session.set_text("sqrt(x) + y")
    runs.session.set_point([-1.0, 0.0])
    problem = runs.add()
    assert "undefined at the start" in problem and runs.entries == []
    # stepping with no run adds one first: refused here, so nothing steps
    runs.signals.clear()
    runs.step()
    assert runs.entries == [] and "stepped" not in runs.signals


def test_step_adds_a_first_run_and_active_follows_the_runs(runs):
    assert not runs.active
    runs.step(3)
    assert len(runs.entries) == 1 and runs.entries[0].run.steps == 3 and runs.active
    runs.set_param("max_steps", 4)
    assert runs.add() is None
    runs.step(10)
    assert runs.entries[1].run.stop_reason == "step limit" and runs.entries[1].run.steps == 4
    assert runs.entries[0].run.steps == 13 and runs.active
    runs.remove(0)
    assert not runs.active


def test_reset_selection_and_removal(runs):
    runs.add()
    runs.add()
    runs.step(2)
    runs.entries[0].draped = (1, 8, np.zeros((1, 3)))
    runs.signals.clear()
    runs.reset()
    assert runs.signals == ["changed"]
    assert [e.run.steps for e in runs.entries] == [0, 0] and runs.entries[0].draped is None
    np.testing.assert_array_equal(runs.entries[0].run.x, [1.0, 1.0])
    runs.signals.clear()
    runs.select(0)
    runs.select(0)  # no change, no signal
    runs.select(2)  # no such run
    runs.select(-2)
    assert runs.selected == 0 and runs.signals == ["changed"]
    runs.select(-1)
    assert runs.selected == -1
    runs.remove(5)
    runs.remove(-1)
    assert len(runs.entries) == 2 and runs.signals == ["changed", "changed"]
    runs.select(1)
    runs.remove(1)
    assert runs.selected == 0 and runs.entries and runs.signals[-1] == "changed"


def test_the_runs_stop_with_their_reasons_as_the_panel_says_them(runs):
    runs.add()
    e = runs.entries[0]
    assert runs.reason_text(e) == "ready"
    runs.step()
    assert runs.reason_text(e) == "running"
    runs.set_param("tol", 0.5)
    runs.add()
    runs.step(100)
    assert (
        runs.reason_text(runs.entries[1])
        == STOP_REASONS["converged"]
        == "converged to a critical point"
    )
    runs.set_method("newton")
    runs.set_param("tol", 1e-8)
    runs.session.set_text("x^2 - y^2 + x^4 + y^4")
    runs.session.set_point([0.1, 0.1])
    runs.add()
    runs.step(1)
    assert runs.entries[0].run.damped
    assert runs.reason_text(runs.entries[0]) == "running"
    runs.step(100)
    assert (
        runs.reason_text(runs.entries[0])
        == STOP_REASONS[runs.entries[0].run.stop_reason] + " (damped)"
    )


def test_the_draped_path_follows_the_surface_between_iterates(runs):
    runs.add()
    runs.step(1)
    path = runs.draped(0)
    # one step from (1, 1) to (0.8, 0.4) in 8 pieces, and the end: 9 points
    t = np.arange(9) / 8
    x, y = 1 - 0.2 * t, 1 - 0.6 * t
    np.testing.assert_allclose(path, np.column_stack([x, y, x**2 + 3 * y**2]), atol=1e-12)
    runs.step(1)
    path = runs.draped(0)
    assert path.shape == (17, 3)
    np.testing.assert_allclose(path[-1], [0.64, 0.16, 0.64**2 + 3 * 0.16**2])
    np.testing.assert_allclose(path[8], [0.8, 0.4, 0.64 + 0.48])
    assert runs.entries[0].draped[0] == 2  # the two steps covered are kept
    # the plotted axes swapped: the columns follow them
    runs.session.set_axes(1, 0)
    np.testing.assert_allclose(runs.draped(0)[-1], [0.16, 0.64, 0.64**2 + 3 * 0.16**2])
    # after a reset the path starts again
    runs.reset()
    np.testing.assert_allclose(runs.draped(0), [[1.0, 1.0, 4.0]])


def test_a_long_run_is_draped_with_fewer_points_a_step(runs):
    runs.set_param("lr", 1e-4)
    runs.add()
    runs.step(499)
    assert runs.draped(0).shape == (499 * 8 + 1, 3)
    runs.step(1)  # 500 steps: 2 points a step, computed afresh
    path = runs.draped(0)
    assert path.shape == (500 * 2 + 1, 3) and runs.entries[0].draped[1] == 2
    np.testing.assert_allclose(path[:, 2], path[:, 0] ** 2 + 3 * path[:, 1] ** 2)
    runs.step(1500)
    assert runs.draped(0).shape == (2000 + 1, 3)


def test_the_next_steps_are_draped_on_the_surface(runs):
    assert runs.step_arrows() == []  # no run selected
    runs.add()
    (arrow,) = runs.step_arrows()
    assert arrow.kind == "−η∇f" and arrow.path.shape == (STEP_SAMPLES, 3)
    t = np.linspace(0.0, 1.0, STEP_SAMPLES)
    x, y = 1 - 0.2 * t, 1 - 0.6 * t
    np.testing.assert_allclose(arrow.path, np.column_stack([x, y, x**2 + 3 * y**2]), atol=1e-12)
    # momentum's velocity step after one step: 0.9·(−0.2, −0.6) − 0.1·(1.6, 2.4)
    runs.set_method("momentum")
    runs.add()
    runs.step(1)
    kinds = [a.kind for a in runs.step_arrows()]
    assert kinds == ["−η∇f", "velocity"]
    v = runs.step_arrows()[1].path
    np.testing.assert_allclose(v[-1, :2] - v[0, :2], [-0.34, -0.78], atol=1e-12)


def test_a_step_arrow_stops_at_the_edge_and_where_f_is_undefined(runs):
    s = runs.session
    runs.set_param("lr", 0.5)
    s.set_point([1.5, 0.0])
    runs.add()
    # −η∇f = (−1.5, 0) ends at x = 0: inside; with η = 2 it would reach −4.5
    assert runs.step_arrows()[0].path.shape == (STEP_SAMPLES, 3)
    runs.set_param("lr", 2.0)
    runs.add()
    path = runs.step_arrows()[0].path
    # samples x = 1.5 − 6t; inside [−2, 2] while t ≤ 7/12: the first 9 of 16
    assert path.shape == (9, 3) and path[:, 0].min() >= -2.0
    # z is cut to the z-range
    s.set_zrange((0.0, 1.0))
    assert runs.step_arrows()[0].path[:, 2].max() == 1.0
    s.set_zrange(None)
    # where f is undefined (x < 0 for √x) the arrow stops before it
    s.set_text("sqrt(x) + y^2")
    s.set_point([0.5, 1.0])
    runs.set_method("gd")
    runs.set_param("lr", 2.0)
    runs.add()
    # −η∇f = −2·(1/√2, 2): x = 0.5 − √2·t is negative from t = 0.354, the 7th sample on
    path = runs.step_arrows()[0].path
    assert len(path) == 6 and np.all(path[:, 0] >= 0.0)
    # a stopped run and a one-variable plot show none
    runs.set_param("tol", 1.0)
    s.set_text("x^2")
    runs.add()
    assert runs.step_arrows() == []


def test_a_zero_or_tiny_step_has_no_arrow(runs):
    s = runs.session
    runs.set_param("tol", 0.0)
    s.set_point([0.0, 0.0])  # ∇f = 0: no step at all
    runs.add()
    assert runs.step_arrows() == []
    # a step that leaves the box at once: fewer than two samples inside
    s.set_point([2.0, 2.0])
    runs.set_param("lr", 10.0)
    runs.add()
    assert runs.step_arrows() == []


def test_the_inspector_and_the_rate_from_the_curvature(runs):
    assert runs.inspect() is None
    # the bowl's Hessian diag(2, 6): λ_max = 6, so η = 1/6
    assert runs.set_rate_from_curvature() is None
    assert runs.params["lr"] == pytest.approx(1 / 6)
    runs.add()
    report = runs.inspect()
    assert report.lr == pytest.approx(1 / 6) and report.lambda_max == pytest.approx(6.0)
    # η|∇f|² at (1, 1): (1/6)·40
    assert report.first_order == pytest.approx(40 / 6)
    # at a saddle's downhill side there is no positive curvature
    runs.session.set_text("-x^2 - y^2")
    problem = runs.set_rate_from_curvature()
    assert problem == "the Hessian has no positive curvature here: no 1/λ_max"
    assert runs.messages[-1] == problem


def test_the_rate_from_the_curvature_at_the_selected_runs_iterate(runs):
    # f = x⁴ + y²: H = diag(12x², 2); at the start (1, 1) λ_max = 12, after a step x = 0.6: 4.32
    runs.session.set_text("x^4 + y^2")
    runs.session.set_point([1.0, 1.0])
    runs.add()
    runs.step(1)
    np.testing.assert_allclose(runs.entries[0].run.x, [0.6, 0.8])
    runs.set_rate_from_curvature()
    assert runs.params["lr"] == pytest.approx(1 / 4.32)
    runs.select(-1)
    runs.set_rate_from_curvature()
    assert runs.params["lr"] == pytest.approx(1 / 12)


def test_the_record_lists_each_run_as_a_file_stores_it(runs):
    runs.add()
    runs.step(2)
    (r,) = runs.record()
    assert r == {
        "method": "gd",
        "params": {**runs.entries[0].params},
        "start": [1.0, 1.0],
        "steps": 2,
        "trajectory": runs.entries[0].run.trajectory.tolist(),
    }
    assert runs.session.runs_record == runs.record


def test_saved_runs_are_replayed_and_a_broken_one_is_reported(runs):
    s = runs.session
    s.pending_runs = [
        {
            "method": "gd",
            "params": {"lr": 0.1},
            "start": [1.0, 1.0],
            "steps": 2,
            "trajectory": None,
        },
        {
            "method": "gd",
            "params": {"lr": 0.1},
            "start": [1.0, 1.0],
            "steps": 1,
            "trajectory": [[1.0, 1.0], [0.8, 0.4]],
        },
        {
            "method": "gd",
            "params": {"lr": 0.1},
            "start": [1.0, 1.0],
            "steps": 1,
            "trajectory": [[1.0, 1.0], [0.8, 0.5]],
        },
        {
            "method": "gd",
            "params": {"lr": 0.1},
            "start": [np.nan, 1.0],
            "steps": 1,
            "trajectory": None,
        },
    ]
    runs.signals.clear()
    s.function_changed.emit()
    assert s.pending_runs is None
    assert [e.run.steps for e in runs.entries] == [2, 1, 1]
    np.testing.assert_allclose(runs.entries[0].run.trajectory[2], [0.64, 0.16])
    assert runs.entries[0].start.dtype == np.float64 and runs.selected == 2
    assert len(runs.messages) == 2
    assert "a saved gd run took another path" in runs.messages[0]
    assert runs.messages[1].startswith("a saved run was not restored: ")
    assert runs.signals.count("changed") == 1


def test_basins_are_dropped_when_the_surface_changes(runs):
    runs.set_basins("drawn")  # what the worker gives back; any value is kept as is
    assert runs.basins == "drawn" and runs.signals[-1] == "basins_changed"
    runs.session.set_resolution(81)
    assert runs.basins is None and runs.signals[-1] == "basins_changed"
    runs.signals.clear()
    runs.session.set_resolution(41)  # none drawn: nothing to drop
    assert runs.signals == []


def test_the_basins_job_runs_the_method_from_every_grid_point(runs):
    runs.set_param("max_steps", 50)
    runs.set_param("tol", 1e-3)
    *progress, basins = list(runs.basins_job(n=5))
    assert progress[-1] <= 1 and progress == sorted(progress)
    # a 5×5 grid over the plotted box, each start ending at the bowl's minimum
    np.testing.assert_array_equal(basins.xs, [-2.0, -1.0, 0.0, 1.0, 2.0])
    assert basins.labels.shape == (5, 5) and (basins.labels == 0).all()
    np.testing.assert_allclose(basins.ends, [[0.0, 0.0]], atol=1e-3)


def test_a_new_runs_model_has_nothing_selected_and_no_basins(qapp):
    s = Session()
    r = Runs(s)
    assert r.selected == -1 and r.basins is None and r.entries == []
    signals = []
    r.basins_changed.connect(lambda: signals.append("basins"))
    s.set_resolution(81)  # nothing drawn, nothing to drop
    assert signals == []


def test_a_broken_saved_run_does_not_stop_the_ones_after_it(runs):
    s = runs.session
    good = {"method": "gd", "params": {"lr": 0.1}, "start": [1.0, 1.0], "steps": 1}
    s.pending_runs = [
        {**good, "start": [np.nan, 1.0], "trajectory": None},
        {**good, "trajectory": [[1.0, 1.0], [0.8, 0.5]]},
        {**good, "trajectory": None},
    ]
    s.function_changed.emit()
    assert len(runs.entries) == 2
    assert runs.messages[1] == (
        "a saved gd run took another path when it was replayed "
        "(saved by another version of the explorer?); it shows the replay"
    )


def test_the_basins_of_a_function_of_one_variable(runs):
    s = runs.session
    s.set_text("x^2")
    runs.set_param("max_steps", 50)
    runs.set_param("tol", 1e-3)
    *_, basins = list(runs.basins_job(n=3))
    assert basins.labels.shape == (3, 3) and (basins.labels == 0).all()
    np.testing.assert_allclose(basins.ends, [[0.0, 0.0]], atol=1e-3)


def test_removing_past_the_end_changes_nothing(runs):
    runs.add()
    runs.add()
    runs.remove(2)
    assert len(runs.entries) == 2


def test_a_saved_start_of_whole_numbers_is_kept_as_floats(runs):
    s = runs.session
    s.pending_runs = [
        {"method": "gd", "params": {"lr": 0.1}, "start": [1, 1], "steps": 1, "trajectory": None}
    ]
    s.function_changed.emit()
    assert runs.entries[0].start.dtype == np.float64
    assert runs.record()[0]["start"] == [1.0, 1.0] and type(runs.record()[0]["start"][0]) is float


def test_the_basins_job_takes_at_most_2000_steps(runs):
    runs.set_param("max_steps", 5000)
    runs.set_param("tol", 0.0)
    progress = list(runs.basins_job(n=2))[:-1]
    assert progress[0] == 1 / 2000 and progress[-1] <= 1.0  # fractions of 2000 steps


def test_a_step_arrow_from_the_lower_edge(runs):
    # at (1, −2), on the box's lower edge, −η∇f = −0.1·(2, −12) = (−0.2, 1.2) goes inside
    runs.session.set_point([1.0, -2.0])
    runs.add()
    (arrow,) = runs.step_arrows()
    assert arrow.path.shape == (STEP_SAMPLES, 3) and arrow.path[0, 1] == -2.0
