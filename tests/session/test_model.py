"""The session model without widgets: state changes, signals, persistence."""

import numpy as np
import pytest

from explorer.engine import ParseError
from explorer.session import geometry, presets
from explorer.session.model import Session
from explorer.session.persistence import SCHEMA

SIGNALS = (
    "function_changed",
    "surface_changed",
    "point_changed",
    "overlays_changed",
    "epsilon_changed",
)


@pytest.fixture
def session(qapp):
    s = Session()
    s.emitted = []
    for name in SIGNALS:
        getattr(s, name).connect(lambda name=name: s.emitted.append(name))
    return s


def test_each_action_emits_one_signal(session):
    s = session
    s.set_point([0.5, 0.5])
    s.set_overlay("field", True)
    s.set_epsilon([0.1, 0.1])
    s.set_domain(0, -1, 1)
    s.set_resolution(81)
    s.set_zrange((-1, 1))
    s.load_preset(presets.find("Himmelblau"))
    assert s.set_text("x^2 + y") is None
    assert s.emitted == [
        "point_changed",
        "overlays_changed",
        "epsilon_changed",
        "surface_changed",
        "surface_changed",
        "surface_changed",
        "function_changed",
        "function_changed",
    ]
    s.emitted.clear()
    s.set_point(s.point)  # no change, no signal
    s.set_overlay("field", True)
    assert s.emitted == []


def test_a_bad_text_changes_nothing(session):
    before = session.to_dict()
    problem = session.set_text("x * (y")
    assert isinstance(problem, ParseError) and problem.column == 7
    assert isinstance(session.set_text("3"), ParseError)  # no variable to plot
    assert session.to_dict() == before and session.emitted == []


def test_a_function_too_large_to_differentiate_is_refused(session, monkeypatch):
    import explorer.engine.function as function

    monkeypatch.setattr(function, "MAX_DERIVATIVE_NODES", 30)
    before = session.to_dict()
    problem = session.set_text("sin(x)*cos(y)*exp(x*y)")
    assert isinstance(problem, ParseError) and "too large" in problem.message
    assert session.to_dict() == before and session.emitted == []


def test_a_new_function_keeps_the_domain_and_point_of_shared_variables(session):
    s = session
    s.set_domain(1, -3.0, 1.0)
    s.set_point([0.25, -2.0])
    assert s.set_text("f(y, z) = y*z") is None
    assert s.domain == [(-3.0, 1.0), (-2.0, 2.0)]
    np.testing.assert_allclose(s.point, [-2.0, 0.0])


def test_point_is_clipped_to_the_domain_and_nudged_by_one_percent(session):
    s = session
    s.set_point([10.0, -10.0])
    np.testing.assert_allclose(s.point, [2.0, -2.0])
    s.set_point([0.0, 0.0])
    s.nudge(1, -1)
    np.testing.assert_allclose(s.point, [0.04, -0.04])
    s.nudge(-1, 0, fine=True)
    np.testing.assert_allclose(s.point, [0.036, -0.04])
    with pytest.raises(ValueError):
        s.set_point([np.nan, 0.0])
    with pytest.raises(ValueError):
        s.set_domain(0, 1.0, 1.0)


def test_moving_a_sliced_variable_redraws_the_surface(session):
    s = session
    s.load_preset(presets.find("Chain of Fig. 18.4.1 (18.4.4–5)"))
    z0 = s.surface().z.copy()
    s.emitted.clear()
    s.set_point([-1.0, 0.0, -2.0, 1.5])
    assert s.emitted == ["surface_changed"]
    assert not np.allclose(s.surface().z, z0)
    s.emitted.clear()
    s.set_point([-0.5, 0.0, -2.0, 1.5])
    assert s.emitted == ["point_changed"]


def test_pick_meets_the_surface_where_a_vertical_ray_falls(session):
    s = session
    assert s.pick([0.3, -0.4, 10.0], [0.0, 0.0, -20.0])
    np.testing.assert_allclose(s.point, [0.3, -0.4], atol=1e-9)
    before = s.point.copy()
    assert not s.pick([5.0, 5.0, 10.0], [0.0, 0.0, -20.0])  # outside the box
    np.testing.assert_array_equal(s.point, before)


def test_the_first_experiment(session):
    s = session
    s.load_preset(presets.find("Log-sum-exp (18.4.1)"))
    ex = s.experiment()
    assert ex.linear == pytest.approx(1.08194562, abs=5e-9)
    assert ex.true == pytest.approx(1.08212418, abs=5e-9)
    assert abs(ex.true - ex.quadratic) < abs(ex.true - ex.linear) / 100


def test_persistence_round_trip_and_refusals(session):
    s = session
    s.load_preset(presets.find("Rosenbrock"))
    s.set_overlay("quadratic", True)
    s.set_zrange((0.0, 100.0))
    data = s.to_dict()
    assert data["schema"] == SCHEMA
    other = Session()
    other.from_dict(data)
    assert other.to_dict() == data
    for bad in (
        {},
        {**data, "schema": 0},
        {**data, "text": "("},
        {**data, "axes": [0, 0]},
        {**data, "zrange": [1, 0]},
        {**data, "epsilon": "x"},
        {**data, "domain": None},
    ):
        with pytest.raises(ValueError):
            other.from_dict(bad)
        assert other.to_dict() == data


def test_auto_range_ignores_a_pole_but_keeps_an_ordinary_range():
    z = np.linspace(-1, 1, 10_000)
    lo, hi = geometry.auto_range(z)
    assert lo < -1 < 1 < hi < 1.1
    z[5000] = 1e12
    lo, hi = geometry.auto_range(z)
    assert hi < 2
    assert geometry.auto_range(np.full(10, np.nan)) == (-1.0, 1.0)
    assert geometry.auto_range(np.full(10, 3.0)) == (2.0, 4.0)


NO_VARIABLE = "the function has no variable"


@pytest.mark.parametrize("text", ["2*3", "a = 1; a", "pi"])
def test_a_function_of_no_variable_is_refused_by_text_and_by_file(session, text):
    before = session.to_dict()
    problem = session.set_text(text)
    assert isinstance(problem, ParseError) and NO_VARIABLE in problem.message
    saved = {**before, "text": text, "domain": [], "point": [], "epsilon": [], "axes": []}
    with pytest.raises(ValueError, match=NO_VARIABLE):
        session.from_dict(saved)
    assert session.to_dict() == before and session.emitted == []
