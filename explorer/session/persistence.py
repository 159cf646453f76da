"""Session files: one schema, checked whole before the session is touched.

Reading bounds its own cost at every step: the size is capped before the file
is read, the nesting before it is parsed, numbers must be short and finite
while parsing, and then every field is checked against the bounds the widgets
enforce. Only a state that passed all of it is applied, in one step, so a bad
file changes nothing. Older schema versions are upgraded by `MIGRATIONS`; a
newer one is refused with a message that says so.

A new session field is one `Field` entry: how to write it, how to check it
(given the fields before it), its default and how to apply it. Raising the
schema version also needs one migration and a frozen fixture file in
``tests/fixtures/sessions/``.
"""

from __future__ import annotations

import json
import os
import re
import reprlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from explorer.engine import Function, ParseError, parse
from explorer.engine.parser import MAX_TEXT

from . import presets
from .model import RESOLUTIONS
from .overlays import OVERLAYS
from .runs_record import check_runs

if TYPE_CHECKING:
    from .model import Session

SCHEMA = 3
FORMAT = "calculus-explorer-session"  # names the file kind (and its MIME magic)
MAX_BYTES = 1_000_000  # a real session is a few kB
MAX_NESTING = 8  # a session nests 3 deep
MAX_DIGITS = 40  # longer numbers are no coordinates a person means
COORDINATE_LIMIT = 1e15  # the domain and z-range fields' range: automatic z-ranges reach 1e14
EPSILON_LIMIT = 1e3  # the range of the inspector's ε boxes


class SessionFileError(ValueError):
    """A session that cannot be opened; the message says why, for a person."""


_short = reprlib.Repr()
_short.maxstring = 40
_short.maxother = 40
_short.maxlong = 40
_short.maxlist = _short.maxdict = 4
_short.maxlevel = 2


def excerpt(value: Any) -> str:
    """A short, safe rendering of a value from a file, for messages."""
    text = _short.repr(value)
    return text if len(text) <= 60 else text[:59] + "…"


# reading -------------------------------------------------------------------------
def read(path: str | os.PathLike[str]) -> dict[str, Any]:
    """The validated state in a session file; SessionFileError if it is not one."""
    try:
        size = os.stat(path).st_size
        if size > MAX_BYTES:
            raise SessionFileError(
                f"it is {size / 1e6:.1f} MB; a session file is at most {MAX_BYTES // 1000} kB"
            )
        with open(path, "rb") as fh:
            raw = fh.read(MAX_BYTES + 1)
    except OSError as exc:
        raise SessionFileError(exc.strerror or str(exc)) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise SessionFileError("it is not a text file (UTF-8)") from None
    return loads(text)


def loads(text: str) -> dict[str, Any]:
    """The validated state in a session's JSON text; SessionFileError if it is not one."""
    if len(text) > MAX_BYTES:
        raise SessionFileError(f"it is longer than {MAX_BYTES // 1000} kB")
    if _nesting(text) > MAX_NESTING:
        raise SessionFileError(f"it is nested more than {MAX_NESTING} levels deep")
    try:
        data = json.loads(
            text, parse_constant=_no_constant, parse_int=_short_int, parse_float=_finite_float
        )
    except json.JSONDecodeError as exc:
        raise SessionFileError(
            f"it is not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})"
        ) from None
    return validate(data)


_STRING = re.compile(r'"(?:[^"\\]++|\\.)*+"')


def _nesting(text: str) -> int:
    """How deep brackets nest outside strings (json.loads itself recurses)."""
    codes = np.frombuffer(_STRING.sub("", text).encode("utf-8"), dtype=np.uint8)
    step = np.isin(codes, (ord("["), ord("{"))).astype(np.int64) - np.isin(
        codes, (ord("]"), ord("}"))
    )
    return int(np.cumsum(step).max(initial=0))


def _no_constant(name: str) -> float:
    raise SessionFileError(f"it contains {name}, which is not a number JSON allows")


def _short_int(digits: str) -> int:
    if len(digits) > MAX_DIGITS:
        raise SessionFileError(f"it contains a number with {len(digits)} digits")
    return int(digits)


def _finite_float(digits: str) -> float:
    value = float(digits)
    if len(digits) > MAX_DIGITS or not np.isfinite(value):
        raise SessionFileError(f"it contains the number {excerpt(digits)}, too long or too big")
    return value


# checking ------------------------------------------------------------------------
def _fail(name: str, wanted: str, value: Any) -> SessionFileError:
    return SessionFileError(f'"{name}" should be {wanted}, not {excerpt(value)}')


def _number(name: str, value: Any, limit: float) -> float:
    # ints are compared before float() so that 10**400 cannot overflow
    if isinstance(value, bool) or not isinstance(value, int | float) or not abs(value) <= limit:
        raise _fail(name, f"a number between -{limit:g} and {limit:g}", value)
    return float(value)


def _numbers(name: str, value: Any, n: int, limit: float) -> list[float]:
    if not isinstance(value, list) or len(value) != n:
        raise _fail(name, f"a list of {n} numbers (one per variable)", value)
    return [_number(name, v, limit) for v in value]


def _interval(name: str, value: Any) -> tuple[float, float]:
    lo, hi = _numbers(name, value, 2, COORDINATE_LIMIT)
    if not lo < hi:
        raise _fail(name, "a pair [min, max] with min < max", value)
    return lo, hi


def _check_text(value: Any, state: dict[str, Any]) -> str:
    if not isinstance(value, str) or len(value) > MAX_TEXT:
        raise _fail("text", f"a function of at most {MAX_TEXT} characters", value)
    try:
        f = parse(value)
    except ParseError as exc:
        raise SessionFileError(f"the function {excerpt(value)} is not valid: {exc}") from None
    state["function"] = f
    return value


def _check_preset(value: Any, state: dict[str, Any]) -> str | None:
    if value is None:
        return None
    names = [p.name for p in presets.PRESETS]
    if value not in names:
        raise _fail("preset", "the name of a preset", value)
    # a preset whose text has changed since the file was saved: the file's text wins
    return value if presets.find(value).text == state["text"] else None


def _check_domain(value: Any, state: dict[str, Any]) -> list[tuple[float, float]]:
    n = _n(state)
    if not isinstance(value, list) or len(value) != n:
        raise _fail("domain", f"a list of {n} [min, max] pairs (one per variable)", value)
    return [_interval("domain", v) for v in value]


def _check_point(value: Any, state: dict[str, Any]) -> list[float]:
    point = _numbers("point", value, _n(state), COORDINATE_LIMIT)
    for x, (lo, hi) in zip(point, state["domain"], strict=True):
        if not lo <= x <= hi:
            raise SessionFileError(f"the point {excerpt(value)} lies outside the domain")
    return point


def _check_axes(value: Any, state: dict[str, Any]) -> tuple[int, ...]:
    n = _n(state)
    k = min(n, 2)
    ok = (
        isinstance(value, list)
        and len(value) == k
        and all(type(a) is int and 0 <= a < n for a in value)
        and len(set(value)) == k
    )
    if not ok:
        raise _fail("axes", f"{k} different variable numbers from 0 to {n - 1}", value)
    return tuple(value)


def _check_overlays(value: Any, state: dict[str, Any]) -> dict[str, bool]:
    if not isinstance(value, dict):
        raise _fail("overlays", "an object of overlay names and true/false", value)
    for name, on in value.items():
        if name not in OVERLAYS:
            raise SessionFileError(f'"overlays" names an unknown overlay {excerpt(name)}')
        if not isinstance(on, bool):
            raise _fail(f"overlays.{name}", "true or false", on)
    return {name: value.get(name, o.default) for name, o in OVERLAYS.items()}


def _check_bool(name: str) -> Callable[[Any, dict[str, Any]], bool]:
    def check(value: Any, state: dict[str, Any]) -> bool:
        if not isinstance(value, bool):
            raise _fail(name, "true or false", value)
        return value

    return check


def _check_resolution(value: Any, state: dict[str, Any]) -> int:
    if type(value) is not int or value not in RESOLUTIONS:
        raise _fail("resolution", f"one of {', '.join(map(str, RESOLUTIONS))}", value)
    return value


def _check_zrange(value: Any, state: dict[str, Any]) -> tuple[float, float] | None:
    return None if value is None else _interval("zrange", value)


def _check_epsilon(value: Any, state: dict[str, Any]) -> list[float]:
    return _numbers("epsilon", value, _n(state), EPSILON_LIMIT)


def _check_runs(value: Any, state: dict[str, Any]) -> list[dict[str, Any]]:
    try:
        return check_runs(value, _n(state))
    except ValueError as exc:
        raise SessionFileError(f"its runs are not valid: {exc}") from None


def _n(state: dict[str, Any]) -> int:
    f: Function = state["function"]
    return f.dimension


def _set(attribute: str, convert: Callable[[Any], Any] = lambda v: v):
    def apply(session: Session, value: Any) -> None:
        setattr(session, attribute, convert(value))

    return apply


@dataclass(frozen=True)
class Field:
    """One entry of the schema.

    `check(value, state)` returns the value to apply or raises SessionFileError;
    `state` holds the fields checked before it (and "function", the parsed text).
    `default(state)` gives the value of a missing field (None: the field is
    required). `apply(session, value)` sets it on the session (None: `apply_state`
    sets it with the function)."""

    name: str
    dump: Callable[[Session], Any]
    check: Callable[[Any, dict[str, Any]], Any]
    default: Callable[[dict[str, Any]], Any] | None = None
    apply: Callable[[Session, Any], None] | None = None


FIELDS: tuple[Field, ...] = (
    Field("text", lambda s: s.text, _check_text),
    Field("preset", lambda s: s.preset, _check_preset, lambda st: None, _set("preset")),
    Field("domain", lambda s: [list(d) for d in s.domain], _check_domain),
    Field("point", lambda s: s.point.tolist(), _check_point),
    Field(
        "axes",
        lambda s: list(s.axes),
        _check_axes,
        lambda st: (0, 1)[: min(_n(st), 2)],
        _set("axes"),
    ),
    Field(
        "overlays",
        lambda s: dict(s.overlays),
        _check_overlays,
        lambda st: {name: o.default for name, o in OVERLAYS.items()},
        _set("overlays", dict),
    ),
    Field(
        "quadratic_wireframe",
        lambda s: s.quadratic_wireframe,
        _check_bool("quadratic_wireframe"),
        lambda st: False,
        _set("quadratic_wireframe"),
    ),
    Field(
        "resolution", lambda s: s.resolution, _check_resolution, lambda st: 151, _set("resolution")
    ),
    Field(
        "zrange",
        lambda s: list(s.zrange_fixed) if s.zrange_fixed else None,
        _check_zrange,
        lambda st: None,
        _set("zrange_fixed"),
    ),
    Field(
        "epsilon",
        lambda s: s.epsilon.tolist(),
        _check_epsilon,
        lambda st: None,  # the session's default for the function
        lambda s, v: None if v is None else setattr(s, "epsilon", np.array(v, dtype=np.float64)),
    ),
    # the optimizer runs (session/runs.py keeps `runs_record` and replays `pending_runs`)
    Field(
        "runs",
        lambda s: getattr(s, "runs_record", list)(),
        _check_runs,
        lambda st: [],
        _set("pending_runs"),
    ),
)
_HEADER = ("format", "schema")


def _v1_to_v2(data: dict[str, Any]) -> dict[str, Any]:
    """Version 2 names the file kind in a "format" field."""
    return {"format": FORMAT, **data, "schema": 2}


def _v2_to_v3(data: dict[str, Any]) -> dict[str, Any]:
    """Version 3 stores each run's trajectory; a version-2 run has none (null)
    and is replayed from its parameters, as version 2 did. What is not a list
    of objects is left for the check to refuse."""
    runs = data.get("runs", [])
    if isinstance(runs, list) and all(isinstance(r, dict) for r in runs):
        data = {**data, "runs": [{**r, "trajectory": None} for r in runs]}
    return {**data, "schema": 3}


MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {
    1: _v1_to_v2,
    2: _v2_to_v3,
}
"""From version k to k + 1, for every k below SCHEMA."""


def validate(data: Any) -> dict[str, Any]:
    """Check a whole session (any older version) and return the state to apply."""
    if not isinstance(data, dict):
        raise SessionFileError(f"a session is one JSON object, not {excerpt(data)}")
    version = data.get("schema")
    if type(version) is not int:
        raise SessionFileError('it is not a session file (it has no "schema" version number)')
    if version > SCHEMA:
        raise SessionFileError(
            f"it was saved by a newer version of the explorer (session format {version}; "
            f"this one reads formats 1 to {SCHEMA})"
        )
    if version < 1:
        raise SessionFileError(f"it has an unknown session format {version}")
    while version < SCHEMA:
        data = MIGRATIONS[version](data)
        version += 1
    if data.get("format") != FORMAT:
        raise _fail("format", f'"{FORMAT}"', data.get("format"))
    known = {f.name for f in FIELDS} | set(_HEADER)
    unknown = [k for k in data if k not in known]
    if unknown:
        raise SessionFileError(f"it has an unknown field {excerpt(unknown[0])}")
    state: dict[str, Any] = {}
    for field in FIELDS:
        if field.name in data:
            state[field.name] = field.check(data[field.name], state)
        elif field.default is not None:
            state[field.name] = field.default(state)
        else:
            raise SessionFileError(f'it has no "{field.name}"')
    try:  # builds the derivative graphs (the costly part, so last) and meets their limits
        with np.errstate(all="ignore"):
            state["function"].hessian(*state["point"])
    except ParseError as exc:
        raise SessionFileError(f"the function is too large to differentiate: {exc}") from None
    return state


# writing and applying -------------------------------------------------------------
def to_dict(session: Session) -> dict[str, Any]:
    return {"format": FORMAT, "schema": SCHEMA, **{f.name: f.dump(session) for f in FIELDS}}


# A list of numbers as json.dumps indents it, one number a line; JSON strings
# cannot hold a raw newline, so no function text ever matches.
_NUMBER_LIST = re.compile(r"\[\n\s+([-+.\deE]+(?:,\n\s+[-+.\deE]+)*)\n\s*\]")


def dumps(session: Session) -> str:
    """The session as JSON text; never NaN or Infinity (ValueError instead).
    Indented, with each list of numbers (a point, an interval, a trajectory's
    point) on one line."""
    text = json.dumps(to_dict(session), indent=2, allow_nan=False, ensure_ascii=False)
    return (
        _NUMBER_LIST.sub(lambda m: f"[{', '.join(v.strip() for v in m[1].split(','))}]", text)
        + "\n"
    )


def apply_state(session: Session, state: dict[str, Any]) -> None:
    """Apply a state from `validate` in one step: one `function_changed`."""
    session._apply(state["text"], state["function"], state["domain"], state["point"])
    for field in FIELDS:
        if field.apply is not None:
            field.apply(session, state[field.name])
    session.function_changed.emit()


def load(session: Session, path: str | Path) -> None:
    """Open a session file into `session`; on SessionFileError nothing changed."""
    apply_state(session, read(path))
