"""The 3D view's overlays, each shown to be drawn and drawn right: geometry
handed to the GL items checked against the models, and real GL pixels read
back at projected positions (direction of arrows, colour per kind of critical
point, the faint hidden part of the tangent plane, labels in every grab)."""

import numpy as np
import pytest
from PyQt6 import QtCore, QtGui

from explorer.calculus import linear_model, quadratic_model
from explorer.session import presets
from explorer.ui import style

from .conftest import gl_pixels, near, pixels, settle


def project(view, x, y, z) -> np.ndarray:
    """Widget pixel (column, row) of a data point in the 3D view."""
    return project_cube(view, view.to_cube([x, y, z]))


def project_cube(view, c) -> np.ndarray:
    vp = view.getViewport()
    m = view.projectionMatrix(vp, vp) * view.viewMatrix()
    p = m.map(QtGui.QVector4D(*map(float, c), 1.0))
    return np.array([(p.x() / p.w() + 1) / 2 * vp[2], (1 - p.y() / p.w()) / 2 * vp[3]])


def only(window, *names: str) -> None:
    for name in window.session.overlays:
        window.session.set_overlay(name, name in names)


def patch(img: np.ndarray, at: np.ndarray, r: int = 3) -> np.ndarray:
    c, row = (int(round(v)) for v in at)
    return img[max(row - r, 0) : row + r + 1, max(c - r, 0) : c + r + 1].reshape(-1, 3)


def test_tangent_and_quadratic_are_the_models_cut_to_the_box(window, qtbot):
    s = window.session
    view = window.surface_view
    only(window, "tangent", "quadratic")
    s.set_point([-0.6, 0.4])
    lin = linear_model(s.function, s.point)
    quad = quadratic_model(s.function, s.point)
    (x0, x1), (y0, y1) = s.box
    z0, z1 = s.zrange()
    # the plane exactly; the quadratic up to its triangles' flatness where they are cut
    for item, model, tol in (
        (view.adapters["tangent"].front, lin, 1e-5),
        (view.adapters["quadratic"].mesh, quad, 1e-3 * (z1 - z0)),
    ):
        v = view.from_cube(item.vertexes)
        assert len(v) > 100
        np.testing.assert_allclose(v[:, 2], model(v[:, 0], v[:, 1]), atol=tol)
        assert v[:, 0].min() < -0.6 < v[:, 0].max() and v[:, 1].min() < 0.4 < v[:, 1].max()
        assert x0 <= v[:, 0].min() and v[:, 0].max() <= x1 and y0 <= v[:, 1].min()
        assert v[:, 2].min() >= z0 - 1e-5 and v[:, 2].max() <= z1 + 1e-5
    window.actions_by_name["wireframe"].setChecked(True)
    adapter = view.adapters["quadratic"]
    assert adapter.wire.visible() and not adapter.mesh.visible()
    pos = view.from_cube(adapter.wire.pos)
    np.testing.assert_allclose(pos[:, 2], quad(pos[:, 0], pos[:, 1]), atol=1e-3 * (z1 - z0))


@pytest.mark.parametrize(
    ("text", "domain", "point"),
    [
        ("sqrt(1 - x^2 - y^2)", (-1.0, 1.0), (0.999, 0.0)),  # a plane 32 tall in a box 1 tall
        ("log(x*y)", None, (0.05, 0.05)),  # undefined in two quadrants
        ("Rastrigin", None, None),  # a steep plane and arrow at the default point
    ],
)
def test_overlays_never_leave_the_box_or_the_domain(window, qtbot, text, domain, point):
    s = window.session
    if text == "Rastrigin":
        s.load_preset(presets.find(text))
    else:
        assert s.set_text(text) is None
    if domain:
        for axis in (0, 1):
            s.set_domain(axis, *domain)
    if point:
        s.set_point(point)
    only(window, "tangent", "quadratic", "gradient", "descent")
    view = window.surface_view
    lows, highs = view.axes.lows, view.axes.highs
    eps = 1e-5
    drawn = [view.adapters["tangent"].front.vertexes, view.adapters["quadratic"].mesh.vertexes]
    for name in ("gradient", "descent"):
        ends = view.adapters[name].ends
        if ends is not None:
            drawn.append(ends)
    for v in drawn:
        if v is None or len(v) == 0:
            continue
        assert np.all(v >= lows - eps) and np.all(v <= highs + eps)
        data = view.from_cube(v)
        # nothing drawn where f is undefined (a cell's width of slack at the edge)
        defined = np.isfinite(s.function(*data[:, :2].T))
        cell = 0.36 * (s.box[0][1] - s.box[0][0]) / 24
        near_edge = np.isfinite(
            s.function(*np.clip(data[:, :2] + cell * np.array([[1, 1]]), -2, 2).T)
        ) | np.isfinite(s.function(*(data[:, :2] - cell).T))
        assert np.all(defined | near_edge)
    # every picture is inside the view: nothing runs off the screen
    img = gl_pixels(view, qtbot)
    h, w, _ = img.shape
    edge = np.concatenate([img[0], img[-1], img[:, 0], img[:, -1]])
    assert near(edge, style.TANGENT, 40) == 0 and near(edge, style.GRADIENT, 40) == 0
    assert h > 0 and w > 0


def test_tangent_plane_hidden_part_is_faint_and_visible_part_strong(window, qtbot):
    s = window.session
    view = window.surface_view
    only(window)
    s.set_point([-1.0, 0.0])  # x e^(−x²−y²) is convex here: the surface hides the plane
    off = gl_pixels(view, qtbot)
    s.set_overlay("tangent", True)
    on = gl_pixels(view, qtbot)
    lin = linear_model(s.function, s.point)
    hidden = []
    for dx, dy in ((0.3, 0.0), (0.0, 0.3), (0.2, 0.2), (0.0, -0.3)):
        x, y = -1.0 + dx, dy
        assert s.function(x, y) > lin(x, y) + 0.01  # the oracle: the surface is above
        at = project(view, x, y, lin(x, y))
        hidden.append(patch(on, at, 1).astype(int) - patch(off, at, 1).astype(int))
    d = np.concatenate(hidden)
    # tinted towards orange (red up, blue down), but faintly
    assert d[:, 0].mean() > 3 and d[:, 2].mean() < -3
    assert np.abs(d).max() < 90
    # the part in front of the surface is drawn strongly
    changed = np.any(on != off, axis=-1)
    diff = on[changed].astype(int) - off[changed].astype(int)
    assert (np.abs(diff).max(axis=1) > 90).sum() > 50


def test_arrows_point_along_the_gradient_and_against_it(window, qtbot):
    s = window.session
    view = window.surface_view
    s.set_point([0.4, -0.7])
    g = s.info().gradient
    assert np.linalg.norm(g) > 0.1
    for name, sign, color in (("gradient", 1, style.GRADIENT), ("descent", -1, style.DESCENT)):
        only(window, name)
        start, end = view.from_cube(view.adapters[name].ends)
        move = end[:2] - start[:2]
        # in the plane: along ±∇f; in height: along the tangent plane
        cos = sign * move @ g / (np.linalg.norm(move) * np.linalg.norm(g))
        assert cos == pytest.approx(1.0, abs=1e-9)
        assert end[2] - start[2] == pytest.approx(g @ move, rel=1e-6)
        # on screen: the arrow's colour (drawn on top) lies from the point's pixel
        # towards the tip's, and nothing of it on the other side of the point
        on = gl_pixels(view, qtbot)
        s.set_overlay(name, False)
        off = gl_pixels(view, qtbot)
        a, b = project(view, *start), project(view, *end)
        for t in (0.3, 0.5, 0.7):
            assert near(patch(on, a + t * (b - a), 2), color, 50) > 0, (name, t)
        behind = a - 0.5 * (b - a)
        assert np.array_equal(patch(on, behind, 3), patch(off, behind, 3))


def test_critical_points_show_their_kind_colour(window, qtbot):
    s = window.session
    view = window.surface_view
    assert s.set_text("x^3 - 3x - y^3 + 3y") is None  # min, max and two saddles at (±1, ±1)
    only(window, "critical")
    view.setCameraPosition(elevation=90, azimuth=-90)  # from above: none hidden
    view.fit_camera()
    img = gl_pixels(view, qtbot)
    kinds: dict[str, int] = {}
    adapter = view.adapters["critical"]
    for c, pos in zip(adapter.shown, adapter.item.pos, strict=True):
        kinds[c.kind] = kinds.get(c.kind, 0) + 1
        colours = patch(img, project_cube(view, pos), 2)
        assert near(colours, style.CRITICAL[c.kind], 40) >= 5, c.kind
        others = [k for k in style.CRITICAL if k != c.kind]
        assert all(near(colours, style.CRITICAL[k], 25) == 0 for k in others)
    assert kinds == {"minimum": 1, "maximum": 1, "saddle": 2}


def test_critical_points_are_drawn_whole_not_sunk(window, qtbot):
    s = window.session
    s.load_preset(presets.find("Himmelblau"))
    only(window, "critical")
    s.set_zrange((0.0, 200.0))  # every critical point inside the box; the minima in wells
    view = window.surface_view
    shown = view.adapters["critical"].shown
    assert len(shown) == 9
    pos = view.from_cube(view.adapters["critical"].item.pos)
    np.testing.assert_allclose(pos[:, 2], [c.value for c in shown], atol=1e-3)
    img = gl_pixels(view, qtbot)
    seen = [
        near(patch(img, project(view, *p), 2), style.CRITICAL[c.kind], 45)
        for p, c in zip(pos, shown, strict=True)
    ]
    assert min(seen) >= 18, seen  # whole discs (5×5 around the centre), not half sunk


def test_sections_draw_the_two_curves_and_their_tangents(window, qtbot):
    s = window.session
    view = window.surface_view
    s.set_point([-0.5, 0.6])
    only(window)
    off = gl_pixels(view, qtbot)
    s.set_overlay("sections", True)
    on = gl_pixels(view, qtbot)
    adapter = view.adapters["sections"]
    for key, color in (("x", style.SECTION_X), ("y", style.SECTION_Y)):
        assert near(on, color, 40) > 50 and near(off, color, 40) < 5
        curve = view.from_cube(adapter.curves[key].pos)
        np.testing.assert_allclose(curve[:, 2], s.function(curve[:, 0], curve[:, 1]), atol=1e-6)
        a, b = view.from_cube(adapter.tangents[key].pos)
        axis = 0 if key == "x" else 1
        h = 1e-6
        e = np.eye(2)[axis] * h
        slope = (s.function(*(s.point + e)) - s.function(*(s.point - e))) / (2 * h)
        assert (b[2] - a[2]) / (b[axis] - a[axis]) == pytest.approx(slope, rel=1e-5)


def test_axis_labels_are_in_every_grab(window, qtbot, tmp_path):
    view = window.surface_view
    texts = view.axes.label_texts()
    assert {"x", "y", "f", "0"} <= set(texts)
    ticks = [t for t in texts if t not in ("x", "y", "f")]
    assert len(ticks) >= 9
    with_labels = gl_pixels(view, qtbot)
    window_with = pixels(window.grab_window())
    view.axes.labels.setVisible(False)
    without = gl_pixels(view, qtbot)
    window_without = pixels(window.grab_window())
    view.axes.labels.setVisible(True)
    # dark text pixels where the labels are anchored
    dark = np.all(with_labels < 110, axis=-1) & ~np.all(without < 110, axis=-1)
    assert dark.sum() > 200
    mvp = view.projectionMatrix(view.getViewport(), view.getViewport()) * view.viewMatrix()
    m = np.array(mvp.data()).reshape(4, 4).T
    anchors = view.axes.labels.screen_positions(m, view.width(), view.height())
    rows, cols = np.nonzero(dark)
    for ax, ay in anchors:
        assert np.min(np.hypot(cols - ax, rows - ay)) < 14  # each label has ink nearby
    # in the window's grab too, where the view sits
    corner = view.container.mapTo(window, QtCore.QPoint())
    rows = slice(corner.y(), corner.y() + view.height())
    cols = slice(corner.x(), corner.x() + view.width())
    ink = np.all(window_with[rows, cols] < 110, axis=-1)
    assert (ink & ~np.all(window_without[rows, cols] < 110, axis=-1)).sum() > 200


def test_labels_follow_the_camera_to_the_near_edges(window, qtbot):
    view = window.surface_view
    before = [p.tolist() for p, t, _ in view.axes.labels.labels if t == "x"]
    view.setCameraPosition(azimuth=118)  # the other side of the box
    gl_pixels(view, qtbot)
    after = [p.tolist() for p, t, _ in view.axes.labels.labels if t == "x"]
    assert np.sign(before[0][1]) == -np.sign(after[0][1])


def test_camera_fits_the_box_to_the_view(window, qtbot):
    view = window.surface_view
    for size in ((1400, 860), (1024, 700)):
        window.resize(*size)
        settle(qtbot, 60)
        lo, hi = view.axes.lows, view.axes.highs
        corners = np.array(
            [
                [(lo, hi)[i][0], (lo, hi)[j][1], (lo, hi)[k][2]]
                for i in (0, 1)
                for j in (0, 1)
                for k in (0, 1)
            ]
        )
        px = np.array([project_cube(view, c) for c in corners])
        w, h = view.width(), view.height()
        assert np.all(px >= 0) and np.all(px[:, 0] <= w) and np.all(px[:, 1] <= h)
        span = px.max(axis=0) - px.min(axis=0)
        assert span[0] > 0.6 * w or span[1] > 0.6 * h


def test_equal_scale_makes_a_hemisphere_round(window, qtbot):
    s = window.session
    view = window.surface_view
    assert s.set_text("sqrt(1 - x^2 - y^2)") is None
    for axis in (0, 1):
        s.set_domain(axis, -1.0, 1.0)
    s.set_zrange((0.0, 1.0))
    view.set_equal_scale(True)
    size = view.axes.highs - view.axes.lows
    np.testing.assert_allclose(size, [2.0, 2.0, 1.0])
    top = view.to_cube([0, 0, 1]) - view.to_cube([0, 0, 0])
    side = view.to_cube([1, 0, 0]) - view.to_cube([0, 0, 0])
    assert np.linalg.norm(top) == pytest.approx(np.linalg.norm(side))
    view.set_equal_scale(False)
    assert view.axes.highs[2] - view.axes.lows[2] == pytest.approx(1.4)


def overlay_pixels(window, qtbot, name: str) -> tuple[np.ndarray, np.ndarray]:
    for other in window.session.overlays:
        window.session.set_overlay(other, False)
    off = gl_pixels(window.surface_view, qtbot)
    window.actions_by_name[name].setChecked(True)
    on = gl_pixels(window.surface_view, qtbot)
    return off, on


def test_overlay_colours_appear_and_vanish_in_3d(window, qtbot):
    s = window.session
    s.set_point([0.4, -0.7])
    off, on = overlay_pixels(window, qtbot, "tangent")
    changed = np.any(off != on, axis=-1)
    assert changed.sum() > 500
    diff = on[changed].astype(int) - off[changed].astype(int)
    assert diff[:, 0].mean() > 30 and diff[:, 2].mean() < 0  # more orange: red up, blue down
    window.actions_by_name["tangent"].setChecked(False)
    np.testing.assert_array_equal(gl_pixels(window.surface_view, qtbot), off)

    off, on = overlay_pixels(window, qtbot, "gradient")
    assert near(on, style.GRADIENT, 45) > 30 and near(off, style.GRADIENT, 45) < 5
    off, on = overlay_pixels(window, qtbot, "descent")
    assert near(on, style.DESCENT, 45) > 30 and near(off, style.DESCENT, 45) < 5
    off, on = overlay_pixels(window, qtbot, "quadratic")
    changed = np.any(off != on, axis=-1)
    assert changed.sum() > 500
    window.session.load_preset(presets.find("Himmelblau"))
    off, on = overlay_pixels(window, qtbot, "critical")
    assert near(on, style.CRITICAL["minimum"], 45) > near(off, style.CRITICAL["minimum"], 45)


def test_domain_edges_and_pole_cuts_are_clean(window, qtbot):
    """The drawn surface ends on the true boundary, not on a staircase of grid cells."""
    s = window.session
    view = window.surface_view
    assert s.set_text("sqrt(1 - x^2 - y^2)") is None
    for axis in (0, 1):
        s.set_domain(axis, -1.0, 1.0)
    item = view.adapters["surface"].item
    v = view.from_cube(item.vertexes[np.unique(item.faces)])
    r = np.hypot(v[:, 0], v[:, 1])
    np.testing.assert_allclose(r**2 + v[:, 2] ** 2, 1.0, atol=1e-4)  # on the sphere
    assert (np.abs(r - 1) < 1e-4).sum() > 300  # a rim on the unit circle
    assert s.set_text("1/(x^2 + y^2)") is None
    s.set_zrange((0.0, 5.0))
    v = view.from_cube(item.vertexes[np.unique(item.faces)])
    assert (np.abs(v[:, 2] - 5.0) < 1e-4).sum() > 50  # cut flat at the lid
    lid = np.abs(v[:, 2] - 5.0) < 1e-4
    np.testing.assert_allclose(np.hypot(v[lid, 0], v[lid, 1]), np.sqrt(1 / 5), rtol=1e-3)
