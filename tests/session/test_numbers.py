"""The one number formatter: exact strings, written by hand."""

import numpy as np
import pytest

from explorer.session.numbers import number, tidy, vector


@pytest.mark.parametrize(
    ("value", "digits", "text"),
    [
        (0.0, 6, "0"),
        (-0.0, 6, "0"),
        (-1e-300, 6, "-1e-300"),  # tiny but not zero: it stays
        (-0.0000001, 1, "-1e-07"),
        (-4e-7, 6, "-4e-07"),
        (2033618.56, 6, "2.03362e+06"),
        (1e-6, 6, "1e-06"),
        (-1 / 3, 3, "-0.333"),
        (1024.0, 6, "1024"),
        (-0.36787944117144233, 6, "-0.367879"),
        (1.0816, 10, "1.0816"),
        (float("nan"), 6, "undefined"),
        (float("inf"), 6, "undefined"),
        (float("-inf"), 3, "undefined"),
    ],
)
def test_number(value, digits, text):
    assert number(value, digits) == text


def test_number_rounds_away_a_negative_zero():
    assert number(-0.00004, 3) == "-4e-05"
    assert number(-4e-400, 6) == "0"  # underflows to -0.0


def test_vector():
    assert vector([-0.0, 1 / 3, np.nan]) == "(0, 0.333333, undefined)"
    assert vector([]) == "()"


def test_tidy_zeroes_rounding_noise_relative_to_the_largest_entry():
    h = np.array([[-2.220446049250313e-16, -0.0], [-0.0, 1.1080332409972298]])
    out = tidy(h)
    assert out.tolist() == [[0.0, 0.0], [0.0, 1.1080332409972298]]
    assert not np.signbit(out).any()  # no -0 left
    small = np.array([1e-20, 3e-20])  # all small alike: a scale, not noise
    assert tidy(small).tolist() == [1e-20, 3e-20]
    assert np.isnan(tidy(np.array([np.nan, 1e-17, 1.0])))[0]
    assert tidy(np.array([np.nan, 1e-17, 1.0]))[1:].tolist() == [0.0, 1.0]
    assert np.isnan(tidy(np.array([np.nan, np.nan]))).all()


def test_the_default_is_six_digits_and_vector_passes_its_own_on():
    assert number(1 / 3) == "0.333333"
    assert vector([1 / 3, -2 / 3], 2) == "(0.33, -0.67)"


def test_tidy_keeps_an_entry_at_exactly_the_noise_level_and_leaves_no_negative_zero():
    assert tidy(np.array([1.0, 1e-12])).tolist() == [1.0, 1e-12]  # below, not at
    assert tidy(np.array([1.0, 1e-3]), noise=1e-3).tolist() == [1.0, 1e-3]
    out = tidy(np.array([-0.0, -0.0]))  # all zero: no scale, yet no -0 either
    assert out.tolist() == [0.0, 0.0] and not np.signbit(out).any()


def test_tidy_always_gives_float64():
    for values in (np.array([3, 0]), np.array([1.0, 1e-13], dtype=np.float32), [2, 1]):
        out = tidy(values)
        assert out.dtype == np.float64
    assert tidy(np.array([1.0, 1e-13], dtype=np.float32)).tolist() == [1.0, 0.0]
