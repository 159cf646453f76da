"""A search for critical points never answers "none" (or "all") when it could
not look: it lists what it found and says why more may exist.

The oracle: each function here is a sum or product of one-variable parts, so
its critical points are counted from the parts' derivatives, written by hand
and sampled finely (a root is a sign change)."""

import math

import numpy as np
import pytest

from explorer.calculus import critical_points
from explorer.engine import parse


def roots(derivative, lo, hi):
    """The number of zeros of a hand-written derivative on [lo, hi]."""
    t = np.linspace(lo, hi, 400_001)
    d = derivative(t)
    return int(np.sum(np.sign(d[1:]) * np.sign(d[:-1]) < 0) + np.sum(d == 0))


def separable(dx, dy, box):
    """Critical points of g(x) + h(y): every pair of zeros of g' and h'."""
    (xlo, xhi), (ylo, yhi) = box
    return roots(dx, xlo, xhi) * roots(dy, ylo, yhi)


def product(k, box):
    """Critical points of sin(kx) sin(ky) on a square box: cos(kx) = cos(ky) = 0
    or sin(kx) = sin(ky) = 0."""
    lo, hi = box[0]
    cos_zeros = roots(lambda t: np.cos(k * t), lo, hi)
    sin_zeros = roots(lambda t: np.sin(k * t), lo, hi)
    return cos_zeros**2 + sin_zeros**2


BOHACHEVSKY = "x^2 + 2y^2 - 0.3cos(3pi x) - 0.4cos(4pi y) + 0.7"
RASTRIGIN = "20 + x^2 - 10cos(2pi x) + y^2 - 10cos(2pi y)"


def bohachevsky_count(box):
    return separable(
        lambda x: 2 * x + 0.9 * math.pi * np.sin(3 * math.pi * x),
        lambda y: 4 * y + 1.6 * math.pi * np.sin(4 * math.pi * y),
        box,
    )


def rastrigin_count(box):
    d = lambda t: 2 * t + 20 * math.pi * np.sin(2 * math.pi * t)  # noqa: E731
    return separable(d, d, box)


CASES = [
    ("Bohachevsky, small box", BOHACHEVSKY, 2, bohachevsky_count),
    ("Bohachevsky, 100", BOHACHEVSKY, 100, bohachevsky_count),
    ("Bohachevsky, 5", BOHACHEVSKY, 5, bohachevsky_count),
    ("Rastrigin", RASTRIGIN, 5.12, rastrigin_count),
    ("Rastrigin, 50", RASTRIGIN, 50, rastrigin_count),
    ("sin 3x cos 3y", "sin(3x)*cos(3y)", 8, lambda box: 2 * 16 * 15),
    ("sin 8x sin 8y", "sin(8x)*sin(8y)", 3, lambda box: product(8, box)),
    ("sin 20x sin 20y", "sin(20x)*sin(20y)", 2, lambda box: product(20, box)),
]


@pytest.mark.parametrize(("label", "text", "half", "count"), CASES, ids=[c[0] for c in CASES])
def test_every_critical_point_is_listed_or_the_search_says_it_could_not(label, text, half, count):
    box = [(-half, half), (-half, half)]
    truth = count(box)
    found = critical_points(parse(text), box)
    if len(found) < truth:
        assert found.incomplete, f"{len(found)} of {truth} listed as if that were all"
    else:
        assert len(found) == truth
    values = [c.value for c in found]
    assert values == sorted(values)


def test_a_box_far_too_large_for_its_ripples_still_gives_the_global_minimum_first():
    # Bohachevsky's only global minimum is f(0, 0) = 0; over [-100, 100]² the
    # seeds are 6.5 apart and the ripples 0.5 apart.
    found = critical_points(parse(BOHACHEVSKY), [(-100, 100), (-100, 100)])
    assert "resolve" in found.incomplete
    assert found[0].kind == "minimum"
    np.testing.assert_allclose(found[0].point, [0, 0], atol=1e-9)
    assert found[0].value == pytest.approx(0, abs=1e-12)
    assert len(found) > 1 and all(c.value > 0.1 for c in found[1:])


@pytest.mark.parametrize(
    ("text", "half", "truth"),
    [(RASTRIGIN, 5.12, 441), ("(x^2+y-11)^2 + (x+y^2-7)^2", 5, 9), ("x^2 - y^2", 1, 1)],
)
def test_a_search_that_found_everything_does_not_cry_wolf(text, half, truth):
    found = critical_points(parse(text), [(-half, half), (-half, half)])
    assert len(found) == truth and found.incomplete == ""


def test_more_than_can_be_listed_keeps_the_lowest_minima():
    found = critical_points(parse("sin(20x)*sin(20y)"), [(-2, 2), (-2, 2)])
    assert found.incomplete
    assert {c.kind for c in found} == {"minimum"}
    assert found[0].value == pytest.approx(-1)


def greedy(candidates, radius):
    """The clustering spelled out one candidate at a time: the oracle for `_cluster`."""
    reps, hits = [], []
    for p in candidates:
        distance = [math.dist(r, p) for r in reps]
        nearest = int(np.argmin(distance)) if reps else -1
        if nearest < 0 or distance[nearest] > radius:
            reps.append(p)
            hits.append(1)
        else:
            hits[nearest] += 1
    return reps, hits


@pytest.mark.parametrize("seed", range(6))
def test_seeds_reaching_the_same_point_are_counted_as_the_one_by_one_greedy_does(seed):
    from explorer.calculus.critical import _cluster

    rng = np.random.default_rng(seed)
    centres = rng.uniform(-1, 1, (7, 2))
    # clusters of uneven size, some within reach of two centres, in a random order
    pts = centres[rng.integers(0, 7, 300)] + rng.normal(0, 0.02, (300, 2))
    radius = 0.05
    reps, hits = _cluster(pts, radius)
    want_reps, want_hits = greedy(pts, radius)
    assert hits == want_hits
    assert np.array_equal(np.array(reps), np.array(want_reps))
    assert sum(hits) == len(pts)


def pseudo_inverse_step(h, g):
    """H⁺g through LAPACK's eigen-decomposition, directions of zero curvature dropped:
    the oracle for Newton's 2×2 step in closed form."""
    w, v = np.linalg.eigh(h)
    big = np.abs(w) > 1e-12 * np.max(np.abs(w), axis=1, keepdims=True)
    coeff = np.einsum("nij,ni->nj", v, g)
    coeff = np.where(big, coeff / np.where(big, w, 1.0), 0.0)
    return np.einsum("nij,nj->ni", v, coeff)


def test_newtons_two_variable_step_is_the_pseudo_inverse_of_lapacks_eigen_decomposition():
    from explorer.calculus.critical import _newton_step

    rng = np.random.default_rng(7)
    h = rng.normal(size=(3000, 2, 2)) * 10.0 ** rng.integers(-150, 150, (3000, 1, 1))
    h = h + h.transpose(0, 2, 1)
    special = [
        [[0, 0], [0, 0]],  # no curvature: no step
        [[1, 0], [0, 1]],
        [[1, 0], [0, -1]],  # a saddle
        [[0, 1], [1, 0]],
        [[1, 1], [1, 1]],  # singular: the step along the curved direction only
        [[2, 0], [0, 1e-13]],  # one direction flat to 1e-12 of the other
        [[1e308, 5e307], [5e307, 1e308]],  # a + c would overflow unscaled
        [[-3e-300, 1e-300], [1e-300, 2e-300]],
    ]
    h[: len(special)] = special
    g = rng.normal(size=(3000, 2))
    want = pseudo_inverse_step(h, g)
    got = _newton_step(np.moveaxis(h, 0, -1).copy(), g.T.copy()).T
    scale = np.max(np.abs(want), axis=1, keepdims=True)
    assert np.all(np.isfinite(got))
    assert np.all(np.abs(got - want) <= 1e-11 * scale + 1e-300)
    assert np.array_equal(got[0], [0.0, 0.0])
    np.testing.assert_allclose(got[4], [0.25 * (g[4, 0] + g[4, 1])] * 2, rtol=1e-14)  # vvᵀg/λ


@pytest.mark.parametrize("small", [1.1e-6, 0.9e-6, 2e-6, 8e-7])
@pytest.mark.parametrize("turn", [0.0, np.pi / 4, 1.0])
def test_newtons_step_on_either_side_of_where_its_closed_form_inverse_stops(small, turn):
    """Eigenvalues 1 and `small` (scaled λ₁λ₂ = 1e-6 is the switch to the eigenvectors):
    both ways agree with LAPACK to what a condition number of 1e6 allows."""
    from explorer.calculus.critical import _newton_step

    r = np.array([[np.cos(turn), -np.sin(turn)], [np.sin(turn), np.cos(turn)]])
    h = (r @ np.diag([1.0, small]) @ r.T)[None]
    g = np.random.default_rng(3).normal(size=(1, 2))
    want = pseudo_inverse_step(h, g)
    got = _newton_step(np.moveaxis(h, 0, -1).copy(), g.T.copy()).T
    np.testing.assert_allclose(got, want, rtol=0, atol=1e-9 * np.abs(want).max())


def test_the_seeds_compile_no_second_program():
    """One pass over the seeds does not repay compiling the engine's buffer-reusing
    programs (~0.3 ms each, on every function switch): the search runs the
    general ones, which its shrinking Newton batches need anyway."""
    f = parse("sin(3x)*cos(2y)")
    critical_points(f, [(-2, 2), (-2, 2)])
    assert not {"_gradient_buffers", "_hessian_buffers", "_vg_buffers"} & set(vars(f))
    assert {"_vg_array", "_hessian_programs"} <= set(vars(f))


@pytest.mark.parametrize("half", [100.0, 1000.0])
def test_a_minimum_narrower_than_the_seeds_spacing_is_not_answered_with_none(half):
    """log(1 + x²) + y² over x ∈ ±100: its one minimum (0, 0) is ~1 wide in x, the
    seeds ~6.5 apart, and Newton from every seed runs off (f is concave in x past
    |x| = 1). The search looks again from where descent settles."""
    found = critical_points(parse("log(1 + x^2) + y^2"), [(-half, half), (-1.0, 1.0)])
    assert [c.kind for c in found] == ["minimum"]
    np.testing.assert_allclose(found[0].point, [0.0, 0.0], atol=1e-9)


@pytest.mark.parametrize("text", ["x + y", "exp(x) + y"])
def test_a_function_without_critical_points_still_has_none(text):
    found = critical_points(parse(text), [(-2.0, 2.0), (-2.0, 2.0)])
    assert len(found) == 0 and found.incomplete == ""
