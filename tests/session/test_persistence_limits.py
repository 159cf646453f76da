"""Session files at their limits: each bound at exactly its value and one past
it, the exact message a person reads for each refusal, the file's layout, and
the runs' shared budget of trajectory numbers."""

import json

import numpy as np
import pytest

from explorer.engine.parser import MAX_TEXT
from explorer.session import persistence
from explorer.session.model import Session
from explorer.session.persistence import MAX_BYTES, SessionFileError
from explorer.session.runs_record import MAX_TRAJECTORY_NUMBERS, check_runs, stored_trajectories


@pytest.fixture
def good(qapp) -> dict:
    return json.loads(persistence.dumps(Session()))


def refusal(data) -> str:
    with pytest.raises(SessionFileError) as info:
        persistence.validate(data) if isinstance(data, dict) else persistence.loads(data)
    return str(info.value)


def test_excerpt_cuts_at_sixty_characters():
    assert persistence.excerpt([10**12] * 4) == repr([10**12] * 4)  # 60: kept whole
    long = [10**12] * 3 + [10**13]  # 61
    assert persistence.excerpt(long) == repr(long)[:59] + "…"
    assert persistence.excerpt("x" * 1000) == "'" + "x" * 17 + "..." + "x" * 18 + "'"


def test_a_file_of_exactly_the_cap_opens_and_one_byte_more_does_not(good, tmp_path):
    text = json.dumps(good)
    path = tmp_path / "s.json"
    path.write_text(text + " " * (MAX_BYTES - len(text)))
    assert persistence.read(path)["text"] == good["text"]
    path.write_text(text + " " * (MAX_BYTES + 1 - len(text)))
    with pytest.raises(
        SessionFileError, match=r"^it is 1\.0 MB; a session file is at most 1000 kB$"
    ):
        persistence.read(path)
    path.write_bytes(b" " * 1_050_000)
    with pytest.raises(SessionFileError, match=r"^it is 1\.1 MB"):
        persistence.read(path)


def test_a_device_that_never_ends_is_read_no_further_than_the_cap():
    # /dev/zero reports size 0 and reads forever: the read is capped, the text refused
    with pytest.raises(SessionFileError, match=r"^it is longer than 1000 kB$"):
        persistence.read("/dev/zero")


def test_the_exact_messages_of_the_reader(good, tmp_path):
    path = tmp_path / "s.json"
    path.write_bytes(b"\xff")
    with pytest.raises(SessionFileError, match=r"^it is not a text file \(UTF-8\)$"):
        persistence.read(path)
    with pytest.raises(SessionFileError, match=r"^No such file or directory$"):
        persistence.read(tmp_path / "missing.json")
    assert refusal("[1,") == "it is not valid JSON (Expecting value at line 1, column 4)"
    assert refusal('{"a": NaN}') == "it contains NaN, which is not a number JSON allows"
    assert refusal("1" * 41) == "it contains a number with 41 digits"
    assert refusal("12") == "a session is one JSON object, not 12"


def test_nesting_is_counted_outside_strings_and_allowed_up_to_eight():
    assert persistence._nesting("") == persistence._nesting("1") == 0
    assert persistence._nesting('{"a": "[[[["}') == 1
    assert persistence._nesting('["\\"[[", [[]]]') == 3  # an escaped quote does not end it
    eight = (
        '{"schema": 3, "format": "calculus-explorer-session", "x": ' + "[" * 7 + "1" + "]" * 7 + "}"
    )
    assert refusal(eight).startswith("it has an unknown field")  # parsed, then refused
    nine = (
        '{"schema": 3, "format": "calculus-explorer-session", "x": ' + "[" * 8 + "1" + "]" * 8 + "}"
    )
    assert refusal(nine) == "it is nested more than 8 levels deep"


def test_a_long_number_is_refused_even_when_it_is_finite(good):
    text = json.dumps(good).replace('"point": [-1.0, 0.0]', '"point": [-1.' + "0" * 40 + ", 0.0]")
    assert refusal(text).startswith("it contains the number '-1.00000")
    just = json.dumps(good).replace('"point": [-1.0, 0.0]', '"point": [-1.' + "0" * 37 + ", 0.0]")
    assert persistence.loads(just)["point"] == [-1.0, 0.0]  # 40 characters: allowed
    assert refusal(json.dumps(good).replace('"resolution": 151', '"resolution": 1e999')) == (
        "it contains the number '1e999', too long or too big"
    )


def test_the_exact_messages_of_the_checks(good):
    cases = {
        "quadratic_wireframe": (
            "yes",
            "\"quadratic_wireframe\" should be true or false, not 'yes'",
        ),
        "preset": ("Nope", "\"preset\" should be the name of a preset, not 'Nope'"),
        "resolution": (150, '"resolution" should be one of 41, 81, 121, 151, 201, 301, not 150'),
        "axes": ([0, 2], '"axes" should be 2 different variable numbers from 0 to 1, not [0, 2]'),
        "overlays": ({"tangent": 1}, '"overlays.tangent" should be true or false, not 1'),
        "epsilon": ([0.1], '"epsilon" should be a list of 2 numbers (one per variable), not [0.1]'),
        "zrange": ([1, 1], '"zrange" should be a pair [min, max] with min < max, not [1, 1]'),
        "domain": (
            [[0, 1]],
            '"domain" should be a list of 2 [min, max] pairs (one per variable), not [[0, 1]]',
        ),
        "runs": ({}, "its runs are not valid: runs must be a list of at most 8"),
    }
    for field, (value, message) in cases.items():
        assert refusal({**good, field: value}) == message, field
    assert refusal({**good, "epsilon": [0.1, 2e3]}) == (
        '"epsilon" should be a number between -1000 and 1000, not 2000.0'
    )
    assert refusal({**good, "point": [True, 0]}) == (
        '"point" should be a number between -1e+15 and 1e+15, not True'
    )
    assert refusal({**good, "text": "x +"}).startswith("the function 'x +' is not valid: ")
    assert refusal({**good, "schema": 4}) == (
        "it was saved by a newer version of the explorer (session format 4; "
        "this one reads formats 1 to 3)"
    )
    assert (
        refusal({**good, "schema": "3"})
        == 'it is not a session file (it has no "schema" version number)'
    )
    assert refusal({**good, "schema": 0}) == "it has an unknown session format 0"
    assert (
        refusal({**good, "format": "x"})
        == '"format" should be "calculus-explorer-session", not \'x\''
    )
    assert refusal({k: v for k, v in good.items() if k != "domain"}) == 'it has no "domain"'
    assert refusal({**good, "point": [3.0, 0.0]}) == "the point [3.0, 0.0] lies outside the domain"
    assert refusal({**good, "overlays": {"x": True}}) == "\"overlays\" names an unknown overlay 'x'"
    assert refusal({**good, "colour": "red"}) == "it has an unknown field 'colour'"
    assert refusal({**good, "text": "2*3"}) == (  # the parser's one rule for every entry point
        "the function '2*3' is not valid: the function has no variable; "
        "declare one, e.g. f(x) = … (at column 1)"
    )
    assert refusal({**good, "overlays": ["tangent"]}) == (
        "\"overlays\" should be an object of overlay names and true/false, not ['tangent']"
    )
    assert refusal({**good, "point": [0.0]}) == (
        '"point" should be a list of 2 numbers (one per variable), not [0.0]'
    )
    assert refusal({**good, "point": [0.0, 1e300]}) == (
        '"point" should be a number between -1e+15 and 1e+15, not 1e+300'
    )


def test_numbers_at_exactly_their_limits_are_allowed(good):
    state = persistence.validate(
        {**good, "domain": [[-1e15, 1e15]] * 2, "point": [1e15, -1e15], "epsilon": [1e3, -1e3]}
    )
    assert state["domain"] == [(-1e15, 1e15)] * 2 and state["epsilon"] == [1e3, -1e3]


def test_a_file_is_indented_with_each_list_of_numbers_on_one_line(qapp):
    s = Session()
    s.load_preset(next(p for p in persistence.presets.PRESETS if "–" in p.name))
    text = persistence.dumps(s)
    assert text.endswith("}\n") and text.startswith('{\n  "format": "calculus-explorer-session",\n')
    assert f'\n  "point": [{", ".join(map(repr, s.point.tolist()))}],\n' in text
    assert '\n  "domain": [\n    [' in text  # a list of lists: one pair a line
    assert f'"preset": "{s.preset}"' in text  # written as is, not as \\u escapes


def test_a_version_2_file_without_runs_has_none(good):
    v2 = {k: v for k, v in good.items() if k != "runs"} | {"schema": 2}
    assert persistence.validate(v2)["runs"] == []


def run(steps: int, trajectory=True) -> dict:
    points = [[0.0, 0.0]] * (steps + 1)
    return {
        "method": "gd",
        "params": {"lr": 0.1},
        "start": [0.0, 0.0],
        "steps": steps,
        "trajectory": points if trajectory else None,
    }


def test_the_trajectories_share_one_budget_of_numbers():
    half = MAX_TRAJECTORY_NUMBERS // 2  # points of two numbers each
    assert len(check_runs([run(half - 1)], 2)) == 1  # exactly the budget
    with pytest.raises(ValueError, match=f"more than {MAX_TRAJECTORY_NUMBERS} numbers"):
        check_runs([run(half)], 2)  # one point over
    with pytest.raises(ValueError, match=f"more than {MAX_TRAJECTORY_NUMBERS} numbers"):
        check_runs([run(8000), run(3999)], 2)  # 16,002 + 8,000: over together
    assert len(check_runs([run(8000), run(3998), run(50, False)], 2)) == 3


def test_stored_trajectories_fill_the_budget_in_order():
    t = [np.zeros((MAX_TRAJECTORY_NUMBERS // 2, 2))]
    assert stored_trajectories(t)[0] is not None  # exactly the budget fits
    big, small = np.zeros((MAX_TRAJECTORY_NUMBERS // 2 - 1, 2)), np.zeros((1, 2))
    out = stored_trajectories([big, np.zeros((2, 2)), small, small])
    # 23,998 numbers, then 4 do not fit, then 2 do, then none is left
    assert [o is not None for o in out] == [True, False, True, False]
    assert out[2] == [[0.0, 0.0]]


def test_the_exact_messages_of_the_runs():
    for change, message in (
        (
            {"trajectory": [[1.0, 0.0], [0.0, 0.0]], "steps": 1},
            "^a run's trajectory must begin at its start$",
        ),
        ({"steps": -1}, "^a run's steps must be a whole number up to 100000$"),
        ({"start": [0.0]}, "^a run's start needs 2 finite coordinates$"),
        ({"params": {"lr": "fast"}}, "^run parameters must be names with numbers$"),
        ({"method": 3}, "^unknown optimizer 3$"),
    ):
        with pytest.raises(ValueError, match=message):
            check_runs([{**run(0), **change}], 2)


def test_a_function_text_of_exactly_the_longest_length_opens(good):
    text = "x*y" + " " * (MAX_TEXT - 3)
    assert persistence.validate({**good, "text": text})["text"] == text
    assert refusal({**good, "text": text + " "}) == (
        f'"text" should be a function of at most {MAX_TEXT} characters, not '
        + persistence.excerpt(text + " ")
    )


def test_runs_at_their_limits_are_kept_as_stored():
    stored = [
        {**run(0), "start": [1e6, -1e6], "trajectory": [[1e6, -1e6]]},
        {**run(3, False), "params": {"lr": 0.5, "schedule": "cosine", "period": 2}},
    ]
    assert check_runs(stored, 2) == stored
