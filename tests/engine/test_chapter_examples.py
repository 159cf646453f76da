"""Every worked example of reference/equations-and-examples.md, to the printed digits."""

import math

import numpy as np
import pytest

from explorer.calculus import critical_points, linear_model, quadratic_model
from explorer.engine import parse

CHAIN = "a = (w+x+y+z)^2; b = (w+x-y-z)^2; u = (a+b)^2; v = (a-b)^2; f = (u+v)^2"


def test_linear_approximation_of_log_sum_exp():
    f = parse("log(exp(x) + exp(y))")
    p = (0.0, math.log(2))
    assert f(*p) == pytest.approx(math.log(3), abs=1e-15)
    np.testing.assert_allclose(f.gradient(*p), [1 / 3, 2 / 3], rtol=1e-15)
    eps = np.array([0.01, -0.03])
    approx = linear_model(f, p)(*(np.array(p) + eps))
    true = f(*(np.array(p) + eps))
    # float64 digits from the reference, and the chapter's float32 print
    assert approx == pytest.approx(1.08194562, abs=5e-9)
    assert true == pytest.approx(1.08212418, abs=5e-9)
    assert round(float(approx), 7) == 1.0819456 or abs(approx - 1.0819457) < 1e-7
    assert abs(true - 1.0821242) < 1e-7


def test_gradient_components_are_softmax_weights_summing_to_one():
    f = parse("log(exp(x) + exp(y))")
    rng = np.random.default_rng(1)
    pts = rng.normal(size=(2, 50)) * 3
    g = f.gradient(*pts)
    np.testing.assert_allclose(g.sum(axis=0), 1.0, rtol=1e-14)


def test_quartic_critical_points():
    f = parse("3x^4 - 4x^3 - 12x^2")
    found = critical_points(f, [(-3, 3)])
    pts = sorted((round(float(c.point[0]), 9), round(c.value, 9), c.kind) for c in found)
    assert pts == [(-1.0, -5.0, "minimum"), (0.0, 0.0, "maximum"), (2.0, -32.0, "minimum")]
    assert min(found, key=lambda c: c.value).point[0] == pytest.approx(2.0)
    assert f.gradient(np.array([-1.0, 0.0, 2.0]))[0] == pytest.approx([0, 0, 0], abs=1e-12)


def test_chain_example_forward_and_backward():
    f = parse(CHAIN)
    assert f.variables == ("w", "x", "y", "z")
    at = (-1.0, 0.0, -2.0, 1.0)
    assert f(*at) == 1024.0
    assert list(f.gradient(*at)) == [-4096.0] * 4
    t = f.trace(at)
    values = {n.label: n.value for n in t.nodes if n.name}
    assert {k: values[k] for k in "abuvf"} == {"a": 4, "b": 0, "u": 16, "v": 16, "f": 1024}
    assert list(t.gradient) == [-4096.0] * 4


def test_chain_single_step_partials_match_the_chapter():
    f = parse(CHAIN)
    t = f.trace((-1.0, 0.0, -2.0, 1.0))
    by = {n.label: n for n in t.nodes if n.name}
    a, b, u, v = 4.0, 0.0, 16.0, 16.0
    # ∂f/∂u = ∂f/∂v = 2(u+v): the edge into the (u+v) node then the square
    uv = t.nodes[by["f"].inputs[0]]
    assert by["f"].partials[0] * uv.partials[0] == 2 * (u + v)
    assert by["u"].partials[0] == 2 * (a + b)
    assert by["v"].partials[0] == 2 * (a - b)
    assert by["a"].partials[0] == 2 * (-1 + 0 - 2 + 1)
    assert by["b"].partials[0] == 2 * (-1 + 0 + 2 - 1)
    assert by["a"].adjoint == 2 * (u + v) * 2 * (a + b) + 2 * (u + v) * 2 * (a - b)


def test_hessian_and_correct_quadratic_model():
    f = parse("x*exp(-x^2-y^2)")
    e1 = math.exp(-1)
    assert f(-1, 0) == pytest.approx(-e1, rel=1e-15)
    np.testing.assert_allclose(f.gradient(-1, 0), [-e1, 0], atol=1e-16)
    np.testing.assert_allclose(f.hessian(-1, 0), [[2 * e1, 0], [0, 2 * e1]], atol=1e-15)
    q = quadratic_model(f, (-1, 0))
    x, y = np.meshgrid(np.linspace(-2, 1, 7), np.linspace(-1, 1, 5), indexing="ij")
    expected = e1 * (-1 - (x + 1) + (x + 1) ** 2 + y**2)
    np.testing.assert_allclose(q(x, y), expected, rtol=1e-14, atol=1e-15)
    # at the origin the model is −1/e — not 0, which the chapter's plot code gives
    assert q(0, 0) == pytest.approx(-e1, rel=1e-14)
    chapter_mistake = e1 * (-1 - (0 + 1) + 2 * (0 + 1) ** 2 + 2 * 0**2)
    assert q(0, 0) != pytest.approx(chapter_mistake, abs=1e-3)


def test_exercise_4_degenerate_origin():
    f = parse("x^2*y + x*y^2")
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(2, 20))
    np.testing.assert_allclose(f.gradient(x, y), [2 * x * y + y**2, x**2 + 2 * x * y], rtol=1e-13)
    found = critical_points(f, [(-3, 3), (-3, 3)])
    assert len(found) == 1
    c = found[0]
    np.testing.assert_allclose(c.point, [0, 0], atol=1e-9)
    assert c.kind == "degenerate"
    np.testing.assert_allclose(f.hessian(0, 0), np.zeros((2, 2)))
    t = np.linspace(-1, 1, 9)
    np.testing.assert_allclose(f(t, t), 2 * t**3)  # f(x, x) = 2x³: neither max nor min


def test_exercise_2_norm_gradient():
    f = parse("sqrt(a^2 + b^2 + c^2)")
    v = np.array([1.0, -2.0, 2.0])
    np.testing.assert_allclose(f.gradient(*v), v / 3.0, rtol=1e-15)
    assert np.all(np.isnan(f.gradient(0.0, 0.0, 0.0)))  # undefined at v = 0


def test_matrix_calculus_quadratic_form():
    # d/dx (xᵀ A x) = (A + Aᵀ) x for A = [[1, 2], [3, 4]]
    f = parse("x1*(1*x1 + 2*x2) + x2*(3*x1 + 4*x2)")
    a = np.array([[1.0, 2.0], [3.0, 4.0]])
    x = np.array([0.3, -1.7])
    np.testing.assert_allclose(f.gradient(*x), (a + a.T) @ x, rtol=1e-14)
