"""Session files without widgets: every schema version's frozen fixture, round
trips of every field, and a corpus of corrupt and hostile files that must be
refused with a short, clear message and change nothing."""

import functools
import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from explorer.session import persistence, presets
from explorer.session.model import Session
from explorer.session.overlays import OVERLAYS
from explorer.session.persistence import SCHEMA, SessionFileError
from explorer.session.runs import Runs
from explorer.session.runs_record import MAX_RUNS, MAX_TRAJECTORY_NUMBERS

FIXTURES = Path(__file__).parents[1] / "fixtures" / "sessions"
SIGNALS = ("function_changed", "surface_changed", "point_changed", "overlays_changed")

# What every fixture holds, written out by hand (the oracle for the loaders).
FIXTURE_STATE = {
    "text": presets.find("Chain of Fig. 18.4.1 (18.4.4–5)").text,
    "preset": "Chain of Fig. 18.4.1 (18.4.4–5)",
    "domain": [(-2.0, 2.0), (-2.0, 2.0), (-2.0, 2.0), (-3.0, 2.5)],
    "point": [-1.0, 0.5, -2.0, 1.5],
    "axes": (1, 3),
    "overlays": {
        **{k: o.default for k, o in OVERLAYS.items()},
        "quadratic": True,
        "contours": False,
    },
    "quadratic_wireframe": True,
    "resolution": 201,
    "zrange_fixed": (-5.0, 250.0),
    "epsilon": [0.1, -0.2, 0.3, 0.04],
}


def state_of(s: Session) -> dict:
    return {
        "text": s.text,
        "preset": s.preset,
        "domain": [tuple(d) for d in s.domain],
        "point": s.point.tolist(),
        "axes": tuple(s.axes),
        "overlays": dict(s.overlays),
        "quadratic_wireframe": s.quadratic_wireframe,
        "resolution": s.resolution,
        "zrange_fixed": s.zrange_fixed,
        "epsilon": s.epsilon.tolist(),
    }


@pytest.fixture
def session(qapp):
    s = Session()
    s.emitted = []
    for name in SIGNALS:
        getattr(s, name).connect(lambda name=name: s.emitted.append(name))
    return s


def test_a_frozen_fixture_for_every_version_and_each_still_opens(session):
    versions = sorted(int(p.stem[1:]) for p in FIXTURES.glob("v*.json"))
    assert versions == list(range(1, SCHEMA + 1))
    for k in versions:
        fresh = Session()
        persistence.load(fresh, FIXTURES / f"v{k}.json")
        assert state_of(fresh) == FIXTURE_STATE, f"v{k}.json"
    # version 1 is what the first release wrote: no "format" field
    assert "format" not in json.loads((FIXTURES / "v1.json").read_text())


def test_every_field_round_trips_through_a_file(session, tmp_path):
    s = session
    s.load_preset(presets.find("Chain of Fig. 18.4.1 (18.4.4–5)"))
    s.set_domain(2, -4.0, 0.5)
    s.set_axes(3, 0)
    s.set_point([0.25, -1.5, -3.75, 1.0])
    for name, o in OVERLAYS.items():
        s.set_overlay(name, not o.default)
    s.set_quadratic_wireframe(True)
    s.set_resolution(81)
    s.set_zrange((-2.5, 1e5))
    s.set_epsilon([1e-3, -0.5, 0.125, 7.0])
    expected = state_of(s)
    # the test covers every field of the schema: a new field must be added here
    # (the runs need the runs model: tests/ui/test_descent_panel.py round-trips them)
    assert {f.name for f in persistence.FIELDS} == set(expected) - {"zrange_fixed"} | {
        "zrange",
        "runs",
    }
    path = tmp_path / "s.json"
    path.write_text(persistence.dumps(s))
    other = Session()
    persistence.load(other, path)
    assert state_of(other) == expected
    # a custom function (no preset) and a function of one variable
    s.set_text("sin(t) + t^2/5")
    s.set_point([1.25])
    path.write_text(persistence.dumps(s))
    persistence.load(other, path)
    assert state_of(other) == state_of(s)
    assert other.preset is None and other.axes == (0,)


def test_loading_emits_one_signal(session, tmp_path):
    persistence.load(session, FIXTURES / "v2.json")
    assert session.emitted == ["function_changed"]


# --- the optimizer runs (schema 3: parameters and trajectories) -------------------


def with_runs(session):
    """The session's runs model (no widgets), and the messages it gives."""
    runs = Runs(session)
    runs.messages = []
    runs.message.connect(runs.messages.append)
    return runs


def test_the_v3_fixture_restores_its_runs_and_their_trajectories(session):
    runs = with_runs(session)
    persistence.load(session, FIXTURES / "v3.json")
    stored = json.loads((FIXTURES / "v3.json").read_text())["runs"]
    assert [e.method for e in runs.entries] == ["gd", "adam", "momentum", "newton"]
    assert [e.run.steps for e in runs.entries] == [5, 2, 2, 2]
    for e, r in zip(runs.entries, stored, strict=True):
        assert e.params == r["params"] and e.start.tolist() == r["start"]
        if r["trajectory"] is not None:  # the replay retraces the saved path
            np.testing.assert_allclose(e.run.trajectory, r["trajectory"], rtol=1e-12)
    assert stored[2]["trajectory"] is None and runs.entries[2].run.trajectory.shape == (3, 4)
    # by hand: at (−1, ½, −2, 3/2) a = 1, b = 0, u = v = 1, so every ∂f/∂x_i is
    # 2(u+v)·2(a+b)·2(w+x+y+z) + 0 = −32, and η = 0.001 moves each coordinate by 0.032
    np.testing.assert_allclose(runs.entries[0].run.trajectory[1], [-0.968, 0.532, -1.968, 1.532])
    assert runs.messages == []


def test_a_version_2_run_migrates_without_a_trajectory_and_is_replayed(session):
    runs = with_runs(session)
    data = json.loads((FIXTURES / "v2.json").read_text())
    data["runs"] = [
        {"method": "momentum", "params": {"lr": 1e-3}, "start": [-1, 0.5, -2, 1.5], "steps": 3}
    ]
    state = persistence.validate(data)
    assert [r["trajectory"] for r in state["runs"]] == [None]
    persistence.apply_state(session, state)
    (entry,) = runs.entries
    assert entry.method == "momentum" and entry.run.steps == 3
    assert runs.messages == []


def test_a_replay_that_leaves_the_saved_path_is_reported(session):
    runs = with_runs(session)
    data = json.loads((FIXTURES / "v3.json").read_text())
    data["runs"][0]["trajectory"][3][1] += 1e-3
    persistence.apply_state(session, persistence.validate(data))
    assert len(runs.entries) == 4  # kept, as replayed
    assert len(runs.messages) == 1 and "another path" in runs.messages[0]


def test_long_runs_stay_within_the_file_cap(session, tmp_path):
    runs = with_runs(session)
    session.set_text("x^2 + y^2")
    for k in range(MAX_RUNS):
        session.set_point([-1.0 + 0.1 * k, 1.0])
        runs.set_param("lr", 1e-6)
        runs.set_param("tol", 0.0)
        assert runs.add() is None
    runs.step(3000)  # 6,002 numbers a run: three fit in the budget
    path = tmp_path / "long.json"
    path.write_text(persistence.dumps(session))
    assert path.stat().st_size < persistence.MAX_BYTES
    saved = json.loads(path.read_text())["runs"]
    assert [r["trajectory"] is not None for r in saved] == [True] * 3 + [False] * 5
    persistence.load(session, path)  # the rest replayed from their parameters
    assert [e.run.steps for e in runs.entries] == [3000] * MAX_RUNS and runs.messages == []


def test_missing_optional_fields_take_their_defaults(session):
    state = persistence.validate(
        {"schema": 1, "text": "x*y", "domain": [[0, 1]] * 2, "point": [0, 1]}
    )
    persistence.apply_state(session, state)
    assert session.overlays == {k: o.default for k, o in OVERLAYS.items()}
    assert session.axes == (0, 1) and session.zrange_fixed is None and session.preset is None
    assert len(session.epsilon) == 2


def test_a_preset_whose_text_has_changed_opens_as_a_custom_function(session):
    data = {**valid(), "preset": "Himmelblau"}  # with the default function's text
    persistence.apply_state(session, persistence.validate(data))
    assert session.preset is None and session.text == presets.DEFAULT.text


def test_a_nan_is_never_written():
    s = Session()
    s.epsilon = np.array([np.nan, 0.0])  # bypassing set_epsilon, which refuses it
    with pytest.raises(ValueError):
        persistence.dumps(s)


def valid() -> dict:
    return json.loads(persistence.dumps(Session()))


def text(data) -> bytes:
    return json.dumps(data).encode()


@functools.cache
def hostile_files() -> dict[str, tuple[bytes, str]]:
    """name: (file content, a fragment of the message it must give)."""
    good = valid()
    ok = json.dumps(good)
    heavy = " + ".join(f"sin({k}x + y)*cos(x - {k}y)" for k in range(1, 400))
    return {
        "overlays_list": (text({**good, "overlays": ["tangent"]}), '"overlays" should be'),
        "overlays_null": (text({**good, "overlays": None}), '"overlays" should be'),
        "overlay_unknown": (text({**good, "overlays": {"sparkles": True}}), "unknown overlay"),
        "resolution_infinity": (
            ok.replace('"resolution": 151', '"resolution": Infinity').encode(),
            "Infinity",
        ),
        "resolution_not_offered": (text({**good, "text": heavy, "resolution": 501}), "resolution"),
        "coordinate_400_digits": (
            ok.replace('"point": [-1.0, 0.0]', '"point": [1' + "0" * 399 + ", 0]").encode(),
            "400 digits",
        ),
        "coordinate_400_digit_float": (
            ok.replace('"point": [-1.0, 0.0]', '"point": [1' + "0" * 400 + ".5, 0]").encode(),
            "too long or too big",
        ),
        "nested_100000": (
            b'{"schema": 2, "text": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
            "nested more than",
        ),
        "no_variable": (text({**good, "text": "2*3"}), "has no variable"),
        "bad_function": (text({**good, "text": "x +"}), "is not valid"),
        "unknown_preset": (text({**good, "preset": "No such preset"}), '"preset" should be'),
        "domain_1e308": (text({**good, "domain": [[-1e308, 1e308]] * 2}), '"domain" should be'),
        "domain_reversed": (text({**good, "domain": [[1, 0]] * 2}), "min < max"),
        "string_50MB": (
            b'{"schema": 2, "text": "' + b"x" * 50_000_000 + b'"}',
            "a session file is at most",
        ),
        "nan_epsilon": (
            ok.replace('"epsilon": [0.01, -0.03]', '"epsilon": [NaN, 0]').encode(),
            "NaN",
        ),
        "zrange_1e308": (text({**good, "zrange": [-1e308, 1e308]}), '"zrange" should be'),
        "point_outside": (text({**good, "point": [5.0, 0.0]}), "outside the domain"),
        "point_wrong_length": (text({**good, "point": [0.0]}), "a list of 2 numbers"),
        "axes_same": (text({**good, "axes": [1, 1]}), '"axes" should be'),
        "future_version": (text({**good, "schema": SCHEMA + 1}), "newer version"),
        "version_zero": (text({**good, "schema": 0}), "unknown session format"),
        "no_version": (text({"text": "x*y"}), "not a session file"),
        "wrong_format": (text({**good, "format": "spreadsheet"}), '"format" should be'),
        "unknown_field": (text({**good, "colour": "red"}), "unknown field"),
        "missing_text": (text({k: v for k, v in good.items() if k != "text"}), 'no "text"'),
        "top_level_list": (b"[1, 2, 3]", "one JSON object"),
        "truncated": (ok[: len(ok) // 2].encode(), "not valid JSON"),
        "empty": (b"", "not valid JSON"),
        "binary": (b"\xff\xfe\x00\x81", "UTF-8"),
        "long_text_in_message": (text({**good, "preset": "p" * 100_000}), '"preset" should be'),
        **hostile_runs(good),
    }


def hostile_runs(good: dict) -> dict[str, tuple[bytes, str]]:
    """Broken runs: each is refused with what is wrong (the rest of the file is fine)."""
    run = {
        "method": "gd",
        "params": {"lr": 0.1},
        "start": [-1.0, 0.0],
        "steps": 2,
        "trajectory": [[-1.0, 0.0], [-0.8, 0.0], [-0.64, 0.0]],
    }

    def runs(**change) -> bytes:
        return text({**good, "runs": [{**run, **change}]})

    # 100,001 points in 0.8 MB, under the size cap
    huge = runs(steps=100_000, start=[0, 0], trajectory=[[0, 0]] * 100_001)
    return {
        "runs_unknown_method": (runs(method="sgd"), "unknown optimizer"),
        "runs_trajectory_too_short": (runs(steps=5), "must list its 6 points"),
        "runs_trajectory_not_a_list": (runs(trajectory="0,0"), "must list its 3 points"),
        "runs_point_wrong_length": (
            runs(trajectory=[[-1.0, 0.0], [-0.8], [-0.64, 0.0]]),
            "2 finite coordinates",
        ),
        "runs_point_far_away": (
            runs(trajectory=[[-1.0, 0.0], [-0.8, 1e300], [-0.64, 0.0]]),
            "2 finite coordinates",
        ),
        "runs_point_not_a_number": (
            runs(trajectory=[[-1.0, 0.0], [-0.8, "0"], [-0.64, 0.0]]),
            "2 finite coordinates",
        ),
        "runs_trajectory_nan": (
            runs(trajectory=[[-1.0, 0.0], [-0.8, 0.5], [-0.64, 0.0]]).replace(b"0.5", b"NaN"),
            "NaN",
        ),
        "runs_trajectory_elsewhere": (
            runs(trajectory=[[1.0, 0.0], [-0.8, 0.0], [-0.64, 0.0]]),
            "begin at its start",
        ),
        "runs_trajectory_no_field": (
            text({**good, "runs": [{k: v for k, v in run.items() if k != "trajectory"}]}),
            "each run needs exactly",
        ),
        "runs_trajectory_huge": (huge, f"more than {MAX_TRAJECTORY_NUMBERS} numbers"),
    }


@pytest.mark.parametrize("name", sorted(hostile_files()))
def test_a_hostile_file_is_refused_clearly_and_changes_nothing(session, tmp_path, name):
    content, fragment = hostile_files()[name]
    path = tmp_path / f"{name}.json"
    path.write_bytes(content)
    persistence.load(session, FIXTURES / "v2.json")
    before = state_of(session)
    session.emitted.clear()
    with pytest.raises(SessionFileError) as info:
        persistence.load(session, path)
    message = str(info.value)
    assert fragment in message
    assert len(message) < 300, message
    assert state_of(session) == before and session.emitted == []


def test_a_file_that_is_not_there_or_a_folder(session, tmp_path):
    for path in (tmp_path / "missing.json", tmp_path):
        with pytest.raises(SessionFileError):
            persistence.load(session, path)


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=12,
)
KEYS = st.sampled_from([f.name for f in persistence.FIELDS] + ["schema", "format", "extra"])


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(changes=st.dictionaries(KEYS, JSON, max_size=3), dropped=st.sets(KEYS, max_size=2))
def test_any_json_is_either_a_valid_session_or_a_clear_refusal(session, changes, dropped):
    data = {k: v for k, v in {**valid(), **changes}.items() if k not in dropped}
    try:
        state = persistence.validate(data)
    except SessionFileError as exc:
        assert len(str(exc)) < 300
        return
    persistence.apply_state(session, state)  # what passed applies cleanly ...
    again = persistence.loads(persistence.dumps(session))  # ... and writes back valid
    assert again["point"] == session.point.tolist()
