"""The benchmark table flags a missed target and `make bench` then fails."""

import math
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "benchmarks"))
from report import Report  # noqa: E402


def test_a_missed_target_is_flagged_and_fails_the_run(capsys):
    report = Report("demo")
    report.add("fast enough", 1.1, at_most=1.2, unit="×")
    report.add("too slow", 1.36, at_most=1.2, unit="×")
    report.add("high enough", 31, at_least=30)
    assert report.finish() == 1
    lines = capsys.readouterr().out.splitlines()
    assert [line for line in lines if "MISSED ≤" in line] == [
        next(line for line in lines if line.startswith("too slow"))
    ]
    assert "1 of 3 targets MISSED" in lines[-1]


def test_every_target_met_exits_zero(capsys):
    report = Report("demo")
    report.add("a", 1.2, at_most=1.2)
    report.add("b", 30, at_least=30)
    assert report.finish() == 0
    assert "MISSED" not in capsys.readouterr().out


@pytest.mark.parametrize("measured", [math.nan, math.inf])
def test_no_number_is_a_miss(measured):
    report = Report("demo")
    report.add("broken", measured, at_least=1)
    assert report.missed


def test_exactly_one_bound():
    with pytest.raises(ValueError):
        Report("demo").add("x", 1.0)
    with pytest.raises(ValueError):
        Report("demo").add("x", 1.0, at_most=2, at_least=0)
