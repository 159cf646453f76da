"""What the session model answers the views, without widgets, on functions
whose derivatives are written out by hand in each test (mostly the bowl
f = x² + 3y²: ∇f = (2x, 6y), H = diag(2, 6))."""

import numpy as np
import pytest

from explorer.session import model as model_module
from explorer.session import presets
from explorer.session.model import Session
from explorer.session.overlays import OVERLAYS

BOWL = "x^2 + 3*y^2"


@pytest.fixture
def bowl(qapp):
    """The bowl over [−2, 2]², at (1, 1)."""
    s = Session()
    assert s.set_text(BOWL) is None
    s.set_point([1.0, 1.0])
    s.emitted = []
    for name in (
        "function_changed",
        "surface_changed",
        "point_changed",
        "overlays_changed",
        "epsilon_changed",
        "direction_changed",
    ):
        getattr(s, name).connect(lambda name=name: s.emitted.append(name))
    return s


def test_the_inspector_numbers_at_a_point(bowl):
    info = bowl.info()
    assert info.value == 4.0 and info.kind == "regular point" and info.kinks == ()
    np.testing.assert_array_equal(info.gradient, [2.0, 6.0])
    assert info.gradient_norm == pytest.approx(40**0.5)
    np.testing.assert_array_equal(info.hessian, [[2.0, 0.0], [0.0, 6.0]])
    np.testing.assert_allclose(info.eigenvalues, [2.0, 6.0])
    np.testing.assert_allclose(np.abs(info.eigenvectors), np.eye(2))
    assert info.differentiable
    # the models: f(1 + h, 1 + k) = 4 + 2h + 6k + h² + 3k²
    assert info.linear(1.5, 0.5) == pytest.approx(4 + 1 - 3)
    assert info.quadratic(1.5, 0.5) == pytest.approx(4 + 1 - 3 + 0.25 + 0.75)
    assert bowl.info() is info  # asked again at the same point: the same answer
    bowl.set_point([0.0, 0.0])
    assert bowl.info().kind == "minimum" and bowl.info().value == 0.0
    np.testing.assert_array_equal(bowl.info().point, [0.0, 0.0])


def test_where_f_is_not_differentiable_or_undefined(bowl):
    bowl.set_text("abs(x) + y")
    bowl.set_point([0.0, 0.5])
    info = bowl.info()
    assert info.kinks == ("abs",) and info.kind == "not differentiable here"
    assert not info.differentiable
    bowl.set_text("sqrt(x) + y")
    bowl.set_point([-1.0, 0.5])
    info = bowl.info()
    assert np.isnan(info.value) and info.kind == "undefined" and not info.differentiable
    assert np.isnan(info.eigenvalues).all() and np.isnan(info.eigenvectors).all()


def test_eigen_shows_zero_where_the_answer_is_zero():
    lam, vec = model_module._eigen(np.array([[1.0, 1.0], [1.0, 1.0]]))
    assert lam.tolist() == [0.0, 2.0]  # eigh leaves ~1e-16 for the 0
    np.testing.assert_allclose(np.abs(vec), np.full((2, 2), 0.5**0.5))
    lam, vec = model_module._eigen(np.diag([3.0, -1e-10]))
    assert lam.tolist() == [-1e-10, 3.0]  # small but real: kept
    assert vec.tolist() in (
        [[0.0, 1.0], [1.0, 0.0]],
        [[0.0, 1.0], [-1.0, 0.0]],
        [[0.0, -1.0], [1.0, 0.0]],
        [[0.0, -1.0], [-1.0, 0.0]],
    )
    # a large scale: 1e-12 relative to the largest
    lam, _ = model_module._eigen(np.diag([1e6, 1e-7]))
    assert lam.tolist() == [0.0, 1e6]
    lam, vec = model_module._eigen(np.array([[np.inf, 0.0], [0.0, 1.0]]))
    assert np.isnan(lam).all() and np.isnan(vec).all() and vec.shape == (2, 2)


def test_the_arrows_point_along_and_against_the_gradient(bowl):
    arrows = bowl.arrows()
    # ∇f = (2, 6): the unit direction (1, 3)/√10, 0.2 of the span 4 long
    want = np.array([1.0, 3.0]) / 10**0.5 * 0.8
    np.testing.assert_allclose(arrows["gradient"], want)
    np.testing.assert_allclose(arrows["descent"], -want)
    # the shorter plotted span decides the length
    bowl.set_domain(1, -1.0, 1.5)
    np.testing.assert_allclose(np.linalg.norm(bowl.arrows()["gradient"]), 0.5)
    # a huge gradient does not overflow
    bowl.set_text("1e300*x*y")
    np.testing.assert_allclose(bowl.arrows()["gradient"], [0.5 * 0.5**0.5, 0.5 * 0.5**0.5])
    bowl.set_point([0.0, 0.0])
    assert bowl.arrows() == {}
    bowl.set_text("abs(x) + y")
    bowl.set_point([0.0, 0.0])
    assert bowl.arrows() == {}


def test_the_3d_arrow_rises_along_the_tangent_plane(bowl):
    bowl.set_zrange((-10.0, 20.0))
    start, end = bowl.arrow_3d("descent")
    np.testing.assert_allclose(start, [1.0, 1.0, 4.0])
    v = -np.array([1.0, 3.0]) / 10**0.5 * 0.8
    np.testing.assert_allclose(end, [1 + v[0], 1 + v[1], 4 + 2 * v[0] + 6 * v[1]])
    assert bowl.arrow_3d("nothing") is None
    # the automatic z-range (from −0.32) cuts it where it leaves the box
    bowl.set_zrange(None)
    start, cut = bowl.arrow_3d("descent")
    assert cut[2] == pytest.approx(bowl.zrange()[0])
    np.testing.assert_allclose(np.cross(cut - start, end - start), 0.0, atol=1e-12)
    bowl.set_text("sqrt(x) + y")
    bowl.set_point([-1.0, 0.0])
    assert bowl.arrow_3d("gradient") is None


def test_the_dial_gives_the_slope_in_every_direction(bowl):
    s = bowl.slopes(n=5)
    np.testing.assert_allclose(s.angles, np.linspace(0.0, 2 * np.pi, 5))
    # D_v f = 2 cos θ + 6 sin θ at θ = 0, π/2, π, 3π/2, 2π
    np.testing.assert_allclose(s.values, [2.0, 6.0, -2.0, -6.0, 2.0], atol=1e-12)
    assert s.angle == 0.0 and s.value == pytest.approx(2.0)
    assert s.steepest == pytest.approx(np.arctan2(-6.0, -2.0) + 2 * np.pi)
    assert s.gradient_norm == pytest.approx(40**0.5)
    bowl.set_direction(np.pi / 2)
    assert bowl.slopes().value == pytest.approx(6.0) and len(bowl.slopes().angles) == 361
    # the plotted axes swapped: the slope along the first plotted axis (y) is 6
    bowl.set_axes(1, 0)
    assert bowl.slopes(n=5).values[0] == pytest.approx(6.0)
    bowl.set_point([0.0, 0.0])
    assert np.isnan(bowl.slopes().steepest) and bowl.slopes().gradient_norm == 0.0
    bowl.set_text("abs(x) + y")
    bowl.set_point([0.0, 0.0])
    assert np.isnan(bowl.slopes().values).all()


def test_the_direction_is_an_angle_modulo_a_turn(bowl):
    bowl.set_direction(2 * np.pi + 1.0)
    assert bowl.direction == pytest.approx(1.0) and bowl.emitted == ["direction_changed"]
    bowl.set_direction(1.0 + 2 * np.pi)
    bowl.set_direction(bowl.direction)
    assert bowl.emitted == ["direction_changed"]
    bowl.set_direction(-np.pi / 2)
    assert bowl.direction == pytest.approx(1.5 * np.pi)
    with pytest.raises(ValueError):
        bowl.set_direction(np.nan)


def test_plane_curvature_follows_the_plotted_axes(qapp):
    s = Session()
    s.set_text("x^2 + 3*y^2 + 5*z^2 + x*z")
    lam, vec = s.plane_curvature()
    np.testing.assert_allclose(lam, [2.0, 6.0])
    s.set_axes(2, 0)  # the (z, x) block [[10, 1], [1, 2]]: 6 ± √17
    lam, vec = s.plane_curvature()
    np.testing.assert_allclose(lam, [6 - 17**0.5, 6 + 17**0.5])
    h = np.array([[10.0, 1.0], [1.0, 2.0]])
    np.testing.assert_allclose(h @ vec, vec * lam)


def test_the_curve_models_of_one_variable(qapp):
    s = Session()
    s.set_text("x^3")
    s.set_point([1.0])
    xs, line, parabola = s.curve_models(n=5)
    # a window of a quarter of the domain's span either side: 0 … 2
    np.testing.assert_allclose(xs, [0.0, 0.5, 1.0, 1.5, 2.0])
    np.testing.assert_allclose(line, 1 + 3 * (xs - 1))
    np.testing.assert_allclose(parabola, 1 + 3 * (xs - 1) + 3 * (xs - 1) ** 2)
    assert len(s.curve_models()[0]) == 101
    s.set_text("abs(x)")
    s.set_point([0.0])
    assert all(a.size == 0 for a in s.curve_models())


def test_one_variable_is_a_curve_with_the_interval_as_its_box(qapp):
    s = Session()
    s.set_text("x^2")
    s.set_domain(0, -1.0, 3.0)
    assert s.axes == (0,) and s.box == ((-1.0, 3.0), (-1.0, 3.0))
    with pytest.raises(ValueError, match="two plotted variables"):
        s.surface()
    c = s.curve()
    assert c.xs[0] == -1.0 and c.xs[-1] == 3.0 and s.curve() is c
    assert s.zrange() == c.auto_range
    np.testing.assert_allclose(c.auto_range, (-0.18, 9.18), atol=1e-5)
    assert not s.clipped()
    s.set_zrange((0.0, 4.0))
    assert s.clipped() and s.zrange() == (0.0, 4.0)
    part = s.curve_in((0.0, 1.0))
    assert part.xs[0] == 0.0 and part.xs[-1] == 1.0
    assert s.curve_in((0.0, 1.0)) is part and s.curve_in((0.0, 2.0)) is not part


def test_the_surface_and_its_mesh_are_cached_until_something_changes(bowl):
    surface, mesh = bowl.surface(), bowl.surface_mesh()
    assert bowl.surface() is surface and bowl.surface_mesh() is mesh
    assert surface.z.shape == (151, 151)
    bowl.set_zrange((0.0, 10.0))  # the mesh depends on the z-range, the grid does not
    assert bowl.surface() is surface and bowl.surface_mesh() is not mesh
    assert bowl.clipped()  # f reaches 16 at the corners
    bowl.set_resolution(41)
    assert bowl.surface() is not surface and bowl.surface().z.shape == (41, 41)
    bowl.set_zrange(None)
    assert bowl.zrange() == bowl.surface().auto_range and not bowl.clipped()


def test_settings_are_checked_and_clamped(bowl):
    bowl.set_resolution(3)
    assert bowl.resolution == 11
    bowl.set_resolution(10_000)
    assert bowl.resolution == 501
    for bad in ((0, 0), (0, 2), (-1, 0)):
        with pytest.raises(ValueError):
            bowl.set_axes(*bad)
    for bad in ((1.0, 1.0), (0.0, np.inf), (2.0, 1.0)):
        with pytest.raises(ValueError):
            bowl.set_zrange(bad)
    with pytest.raises(ValueError):
        bowl.set_domain(0, -np.inf, 1.0)
    with pytest.raises(ValueError):
        bowl.set_domain(0, 0.0, np.nan)
    with pytest.raises(KeyError):
        bowl.set_overlay("sparkles", True)
    with pytest.raises(ValueError):
        bowl.set_epsilon([0.1])
    with pytest.raises(ValueError):
        bowl.set_epsilon([0.1, np.inf])
    with pytest.raises(ValueError):
        bowl.set_point([0.0, 0.0, 0.0])
    assert bowl.resolution == 501 and bowl.axes == (0, 1) and bowl.zrange_fixed is None
    bowl.set_zrange((np.int64(1), 2))
    assert bowl.zrange_fixed == (1.0, 2.0) and type(bowl.zrange_fixed[0]) is float
    bowl.set_quadratic_wireframe(1)
    assert bowl.quadratic_wireframe is True and bowl.emitted[-1] == "overlays_changed"


def test_a_narrowed_domain_pulls_the_point_in(bowl):
    bowl.set_domain(0, -1.0, 0.5)
    np.testing.assert_array_equal(bowl.point, [0.5, 1.0])
    assert bowl.domain[0] == (-1.0, 0.5) and bowl.emitted == ["surface_changed"]


def test_set_plotted_and_nudge_move_the_plotted_axes_only(qapp):
    s = Session()
    s.set_text("x + y + z")
    s.set_point([0.0, 0.0, 0.0])
    s.set_axes(2, 0)
    s.set_plotted(0.5, -0.25)
    np.testing.assert_array_equal(s.point, [-0.25, 0.0, 0.5])
    s.nudge(1, 1)  # 1 % of the spans (4): +0.04 on z and on x
    np.testing.assert_allclose(s.point, [-0.21, 0.0, 0.54])
    s.nudge(0, -1, fine=True)
    np.testing.assert_allclose(s.point, [-0.214, 0.0, 0.54])


def test_typing_through_fewer_variables_keeps_each_variables_domain(bowl):
    bowl.set_domain(1, -5.0, 1.0)
    bowl.set_point([1.0, -4.0])
    bowl.set_text("x^2")  # y is gone for a moment ...
    assert bowl.domain == [(-2.0, 2.0)]
    bowl.set_text("x^2 + y")  # ... and comes back with its interval and coordinate
    assert bowl.domain == [(-2.0, 2.0), (-5.0, 1.0)]
    np.testing.assert_array_equal(bowl.point, [1.0, -4.0])
    bowl.set_text("x^2 + z")  # a new variable: the default interval, its middle
    assert bowl.domain[1] == (-2.0, 2.0) and bowl.point[1] == 0.0
    # a preset forgets what was typed before it
    bowl.load_preset(presets.find("Himmelblau"))
    bowl.set_text("x + q")
    bowl.set_text("x + y")
    assert bowl.domain[1] == presets.find("Himmelblau").domain[1]


def test_a_new_function_resets_axes_and_epsilon(qapp):
    s = Session()
    s.set_text("a + b + c + d + u + v")
    assert s.axes == (0, 1)
    np.testing.assert_array_equal(s.epsilon, [0.01, -0.03, 0.02, -0.01, 0.01, 0.01])
    s.set_text("a")
    assert s.axes == (0,) and s.epsilon.tolist() == [0.01]
    assert s.preset is None and s.dimension == 1


def test_a_preset_turns_on_its_overlays_and_the_next_turns_them_back(bowl):
    quad = presets.DEFAULT  # its note speaks of the quadratic
    assert quad.overlays == ("quadratic",) and not OVERLAYS["quadratic"].default
    bowl.set_zrange((0.0, 1.0))
    bowl.load_preset(quad)
    assert bowl.overlays["quadratic"] and bowl.preset == quad.name and bowl.zrange_fixed is None
    np.testing.assert_array_equal(bowl.point, quad.point)
    plain = next(p for p in presets.PRESETS if not p.overlays)
    bowl.load_preset(plain)
    assert not bowl.overlays["quadratic"]
    # an overlay the user had on already stays on
    bowl.set_overlay("quadratic", True)
    bowl.load_preset(quad)
    bowl.load_preset(plain)
    assert bowl.overlays["quadratic"]


def test_critical_points_of_the_plane_and_of_a_slice(bowl):
    found = bowl.critical()
    assert [c.kind for c in found] == ["minimum"]
    np.testing.assert_allclose(found[0].point, [0.0, 0.0], atol=1e-9)
    assert bowl.critical() is found
    s = bowl
    s.set_text("(x - 1)^2 + (y + 0.5)^2 - z^2")
    s.set_point([0.0, 0.0, 0.3])
    found = s.critical()
    # in the slice z = 0.3 the minimum at (1, −0.5), embedded as a full point
    assert [c.kind for c in found] == ["minimum"]
    np.testing.assert_allclose(found[0].point, [1.0, -0.5, 0.3], atol=1e-9)
    assert found[0].value == pytest.approx(-0.09)
    assert not found.continuum and not found.incomplete and found.nonsmooth == ()
    s.set_axes(2, 0)  # the slice y = 0: a maximum in z at 0, a minimum in x at 1: a saddle
    (c,) = s.critical()
    assert c.kind == "saddle"
    np.testing.assert_allclose(c.point, [1.0, 0.0, 0.0], atol=1e-9)


def test_a_kink_in_a_slice_is_embedded_too(qapp):
    s = Session()
    s.set_text("abs(x - 0.5) + abs(y) + z^2")
    s.set_point([0.0, 0.0, 1.0])
    found = s.critical()
    assert len(found.nonsmooth) == 1
    np.testing.assert_allclose(found.nonsmooth[0].point, [0.5, 0.0, 1.0], atol=1e-6)


def test_the_field_is_cut_to_the_domain(bowl):
    arrows = bowl.field()
    assert arrows.shape == ((17 * 17 - 1) * 7, 2)  # none at the minimum, the middle cell
    assert bowl.field() is arrows and bowl.field(bowl.box) is arrows
    assert bowl.field(((5.0, 6.0), (5.0, 6.0))).shape == (0, 2)
    # a view larger than the domain: the same arrows as the domain's
    np.testing.assert_array_equal(bowl.field(((-9.0, 9.0), (-9.0, 9.0))), arrows)
    half = bowl.field(((0.0, 9.0), (-9.0, 9.0)))
    starts = half[0::7]
    assert starts[:, 0].min() >= 0.0 and len(starts) < 17 * 17


def test_the_map_grid_and_contours_are_cached_per_box(bowl):
    box = ((-1.0, 1.0), (-1.0, 1.0))
    g = bowl.map_grid(box)
    assert g.xs[0] == -1.0 and g.xs.size == 151 and bowl.map_grid(box) is g
    assert bowl.map_grid(((-1.0, 1.0), (-1.0, 2.0))) is not g
    bowl.set_zrange((0.0, 16.0))
    c = bowl.map_contours(box, 0.5)
    np.testing.assert_allclose(c.levels, np.linspace(0.0, 16.0, 17)[1:-1])
    assert bowl.map_contours(box, 0.5) is c and bowl.map_contours(box, 0.25) is not c
    # labels only inside the domain's box
    assert (np.abs(c.labels[:, :2]) <= 2.0).all() and len(c.labels) > 0


def test_the_first_experiment_on_the_bowl(bowl):
    ex = bowl.experiment()
    # ε = (0.01, −0.03): f(1.01, 0.97) = 1.0201 + 2.8227
    np.testing.assert_array_equal(ex.epsilon, [0.01, -0.03])
    assert ex.true == pytest.approx(3.8428)
    assert ex.linear == pytest.approx(4 + 0.02 - 0.18)
    assert ex.quadratic == pytest.approx(3.8428)  # exact on a quadratic
    scales = np.logspace(-4, 0, 25)
    np.testing.assert_allclose(ex.sizes, scales * np.hypot(0.01, 0.03))
    # the linear model's error is the quadratic part: s²(0.01² + 3·0.03²)
    np.testing.assert_allclose(ex.linear_errors, 0.0028 * scales**2, rtol=1e-6, atol=1e-14)
    assert np.all(ex.quadratic_errors < 1e-12)


def test_the_3d_overlays_exist_only_where_f_is_differentiable(bowl):
    bowl.set_zrange((-10.0, 30.0))  # nothing cut
    tri = bowl.tangent_triangles()
    assert tri.shape == (2 * 24 * 24, 3, 3)
    # on the tangent plane z = 4 + 2(x − 1) + 6(y − 1)
    np.testing.assert_allclose(tri[..., 2], 4 + 2 * (tri[..., 0] - 1) + 6 * (tri[..., 1] - 1))
    quad = bowl.quadratic_triangles(n=5)
    assert quad.shape == (2 * 4 * 4, 3, 3)
    np.testing.assert_allclose(quad[..., 2], quad[..., 0] ** 2 + 3 * quad[..., 1] ** 2)
    assert bowl.quadratic_wire(n=5).shape == (2 * 5 * 4, 2, 3)
    outline = bowl.tangent_outline()
    assert outline.shape == (4 * 24, 2, 3)
    bowl.set_text("abs(x) + y")
    bowl.set_point([0.0, 0.0])
    assert bowl.tangent_triangles().shape == (0, 3, 3)
    assert bowl.quadratic_triangles().shape == (0, 3, 3)
    assert bowl.tangent_outline().shape == (0, 2, 3) and bowl.quadratic_wire().shape == (0, 2, 3)


def test_the_sections_have_tangent_lines_only_where_f_is_differentiable(bowl):
    sec = bowl.sections()
    # the tangent of f(x, 1) at x = 1 has slope 2; of f(1, y) at y = 1, slope 6
    d = sec.tangent_x[0, 1] - sec.tangent_x[0, 0]
    assert d[2] / d[0] == pytest.approx(2.0) and d[1] == 0.0
    d = sec.tangent_y[0, 1] - sec.tangent_y[0, 0]
    assert d[2] / d[1] == pytest.approx(6.0) and d[0] == 0.0
    np.testing.assert_allclose(sec.f_of_x, sec.xs**2 + 3.0)
    bowl.set_text("abs(x) + y")
    bowl.set_point([0.0, 0.0])
    sec = bowl.sections()
    assert sec.tangent_x.shape == (0, 2, 3) and sec.tangent_y.shape == (0, 2, 3)
    assert sec.along_x.shape[0] > 0


def test_eigen_keeps_a_value_at_exactly_the_noise_level():
    lam, _ = model_module._eigen(np.diag([1.0, 1e-12]))
    assert lam.tolist() == [1e-12, 1.0]


def test_the_messages_of_refused_settings(bowl):
    with pytest.raises(ValueError, match="^the domain needs finite bounds with min < max$"):
        bowl.set_domain(0, 1.0, 0.0)
    with pytest.raises(ValueError, match="^the z-range needs finite bounds with min < max$"):
        bowl.set_zrange((1.0, 0.0))
    with pytest.raises(ValueError, match="^the point needs 2 finite coordinates$"):
        bowl.set_point([np.nan, 0.0])
    with pytest.raises(ValueError, match="^ε needs 2 finite coordinates$"):
        bowl.set_epsilon([0.0])
    with pytest.raises(ValueError, match="^choose two different variables as axes$"):
        bowl.set_axes(1, 1)
    with pytest.raises(ValueError):  # one coordinate per plotted axis, no more
        bowl.set_plotted(0.5, 0.5, 0.5)
    np.testing.assert_array_equal(bowl.point, [1.0, 1.0])


def test_the_steepest_direction_of_a_gentle_slope(bowl):
    bowl.set_point([0.1, 0.1])  # ∇f = (0.2, 0.6): |∇f| < 1 still has a steepest direction
    s = bowl.slopes(n=5)
    assert s.steepest == pytest.approx(np.arctan2(-0.6, -0.2) + 2 * np.pi)
    assert s.gradient_norm == pytest.approx(0.4**0.5)


def test_a_new_session_has_no_wireframe_and_float_settings(qapp):
    s = Session()
    assert s.quadratic_wireframe is False
    s.set_epsilon([1, 2])
    assert s.epsilon.dtype == np.float64
    with pytest.raises(ValueError, match="^the direction needs a finite angle$"):
        s.set_direction(np.inf)
    s.set_text("x^2")
    with pytest.raises(ValueError, match="^a surface needs two plotted variables$"):
        s.surface()


def test_a_preset_after_a_restored_session(bowl):
    bowl.from_dict(bowl.to_dict())
    bowl.load_preset(presets.DEFAULT)
    assert bowl.preset == presets.DEFAULT.name and bowl.overlays["quadratic"]
