"""The map, overlay by overlay: each test fails when its overlay is missing or
drawn wrong. The expected answers (gradients, Hessians, critical points, level
sets) are computed here by hand or by finite differences, not by the app."""

import numpy as np
import pytest
from PyQt6 import QtCore

from explorer.session import presets
from explorer.ui import style

from .conftest import map_to_widget, settle, widget_pixels

SADDLE = "x^2 - 3y^2 + 2x*y"  # Hessian [[2, 2], [2, -6]]: eigenvectors off the axes


def show(window, qtbot, text, box=None, point=None, overlays=()):
    """The map of `text` with exactly `overlays` on."""
    s = window.session
    assert s.set_text(text) is None
    for axis, (lo, hi) in enumerate(box or ()):
        s.set_domain(axis, lo, hi)
    for name in s.overlays:
        s.set_overlay(name, name in overlays)
    if point is not None:
        s.set_point(point)
    settle(qtbot, 60)
    return window.map_view


def mask(img: np.ndarray, colour, tol: int = 40) -> np.ndarray:
    return np.all(np.abs(img.astype(int) - np.array(colour[:3])) <= tol, axis=-1)


def toggled_on(window, qtbot, view, name):
    """(image before, image after, changed-pixel mask) for switching `name` on."""
    before = widget_pixels(view)
    window.session.set_overlay(name, True)
    settle(qtbot)
    after = widget_pixels(view)
    return before, after, np.abs(after.astype(int) - before.astype(int)).sum(axis=-1) > 40


def to_data(view, cols, rows) -> np.ndarray:
    """Data coordinates (k, 2) of widget pixels."""
    vb = view.getViewBox()
    out = []
    for c, r in zip(np.ravel(cols), np.ravel(rows), strict=True):
        p = vb.mapSceneToView(view.mapToScene(QtCore.QPoint(int(c), int(r))))
        out.append((p.x(), p.y()))
    return np.array(out).reshape(-1, 2)


def pixel_at(img, view, x, y) -> np.ndarray:
    p = map_to_widget(view, x, y)
    return img[p.y(), p.x()].astype(int)


def covers(outer, inner) -> bool:
    (a0, a1), (b0, b1) = outer
    (c0, c1), (d0, d1) = inner
    return a0 <= c0 and c1 <= a1 and b0 <= d0 and d1 <= b1


def wait_sampled(view, qtbot) -> None:
    """Until the debounced re-sampling has caught up with the visible region."""
    qtbot.waitUntil(lambda: view.region is not None and covers(view.region, view.visible()))
    settle(qtbot, 120)


def hand_gradient(f, x, y, h=1e-5) -> np.ndarray:
    return np.array([(f(x + h, y) - f(x - h, y)) / (2 * h), (f(x, y + h) - f(x, y - h)) / (2 * h)])


def hand_hessian(f, x, y, h=1e-4) -> np.ndarray:
    fxx = (f(x + h, y) - 2 * f(x, y) + f(x - h, y)) / h**2
    fyy = (f(x, y + h) - 2 * f(x, y) + f(x, y - h)) / h**2
    fxy = (f(x + h, y + h) - f(x + h, y - h) - f(x - h, y + h) + f(x - h, y - h)) / (4 * h * h)
    return np.array([[fxx, fxy], [fxy, fyy]])


def pieces(xs, ys) -> list[np.ndarray]:
    """The NaN-separated polylines of a curve item's data."""
    pts = np.stack([xs, ys], axis=1)
    cut = np.flatnonzero(~np.isfinite(xs))
    runs = [run[np.isfinite(run[:, 0])] for run in np.split(pts, cut)]
    return [run for run in runs if len(run)]


# the view: whole domain, 1:1, re-sampled ---------------------------------------------
@pytest.mark.parametrize("size", [(1400, 860), (1024, 700)])
def test_the_whole_domain_is_in_view_at_one_to_one_without_empty_grid(window, qtbot, size):
    window.resize(*size)
    view = window.map_view
    for name in ("Himmelblau", "Beale", "Rastrigin", "Ackley"):
        window.session.load_preset(presets.find(name))
        settle(qtbot, 60)
        wait_sampled(view, qtbot)
        visible, box = view.visible(), window.session.box
        assert covers(visible, box), (name, visible, box)
        # fitted, not lost in a far zoom: one way the domain fills the view
        fill = max((b[1] - b[0]) / (v[1] - v[0]) for v, b in zip(visible, box, strict=True))
        assert fill > 0.9
        px, py = view.getViewBox().viewPixelSize()
        assert px == pytest.approx(py, rel=1e-3)  # 1:1, so ∇f ⟂ level lines on screen
        # the heat map covers the whole view, padding included
        heat = view.adapters["heat"].item
        r = heat.mapRectToView(heat.boundingRect())
        assert covers(((r.left(), r.right()), (r.top(), r.bottom())), visible)
        # and the point, with its arrow, is on the map (Ackley's was off it)
        x, y = window.session.point
        assert covers(visible, ((x, x), (y, y)))


def test_axes_have_no_si_prefix(window, qtbot):
    view = show(window, qtbot, "x^2 + 3y^2", box=[(-0.5, 0.5), (-0.5, 0.5)])
    for name, label in (("bottom", "x"), ("left", "y")):
        axis = view.getAxis(name)
        assert axis.autoSIPrefixScale == 1.0
        assert axis.labelString().replace(" ", "").endswith(f">{label}</span>")  # no "(x0.001)"
        ticks = [float(t) for t in axis.tickStrings([-0.4, 0.4], 1.0, 0.4)]
        assert ticks == [-0.4, 0.4]


def test_zooming_samples_the_visible_region_again(window, qtbot):
    def f(x, y):
        return np.sin(3 * x) * np.cos(2 * y)

    view = show(window, qtbot, "sin(3x)*cos(2y)", overlays=("contours",))
    window.session.set_resolution(41)
    wait_sampled(view, qtbot)
    view.getViewBox().setRange(xRange=(0.2, 0.4), yRange=(0.2, 0.4), padding=0)
    wait_sampled(view, qtbot)
    heat = view.adapters["heat"].item
    z = heat.image
    r = heat.mapRectToView(heat.boundingRect())
    # at least 41 samples across the visible 0.2, where the domain's grid has 2
    assert min(z.shape) >= 41
    assert min(r.width(), r.height()) < 0.3
    # each pixel of the image holds f at its centre
    nx, ny = z.shape
    i, j = np.meshgrid(np.arange(nx), np.arange(ny), indexing="ij")
    x = r.left() + (i + 0.5) * r.width() / nx
    y = r.top() + (j + 0.5) * r.height() / ny
    np.testing.assert_allclose(z, f(x, y), atol=1e-9)
    # the contours were traced again on the finer grid: their points lie on level sets
    xs, ys = view.adapters["contours"].item.getData()
    finite = np.isfinite(xs)
    inside = finite & (xs > 0.2) & (xs < 0.4) & (ys > 0.2) & (ys < 0.4)
    assert inside.sum() > 50
    levels = window.session.map_contours(view.region, view.label_gap()).levels
    err = np.min(np.abs(f(xs[inside], ys[inside])[:, None] - levels[None, :]), axis=1)
    assert err.max() < 1e-4  # a 2-sample grid would be off by ~1e-2
    view.getViewBox().scaleBy(s=(1e6, 1e6))  # zooming out stops at 50 domains
    wait_sampled(view, qtbot)
    assert max(hi - lo for lo, hi in view.visible()) <= 50 * 4.0 * 1.001
    assert view.adapters["heat"].item.image.shape[0] >= 41
    view.getViewBox().autoRange()  # "View All": back to the domain
    wait_sampled(view, qtbot)
    assert covers(view.visible(), window.session.box)


def test_a_point_move_redraws_only_what_depends_on_the_point(window, qtbot):
    view = show(window, qtbot, "x^2 + y^2 + x*y", overlays=("contours", "gradient", "field"))
    wait_sampled(view, qtbot)
    heat = view.adapters["heat"].item
    contours = view.adapters["contours"].item
    field = view.adapters["field"].item
    before = (heat.image, contours.getData()[0], field.getData()[0])
    sampled = []
    view.grid_changed.connect(lambda: sampled.append(1))
    arrow_before = view.adapters["gradient"].item.getData()[0].copy()
    window.session.set_point([0.7, -0.3])
    settle(qtbot)
    after = (heat.image, contours.getData()[0], field.getData()[0])
    assert all(a is b for a, b in zip(before, after, strict=True))
    assert not sampled
    assert not np.allclose(view.adapters["gradient"].item.getData()[0], arrow_before)
    np.testing.assert_allclose(np.ravel(view.adapters["point"].item.getData()), [0.7, -0.3])


# overlays, one by one ---------------------------------------------------------------
def test_contour_lines_are_drawn_along_level_sets(window, qtbot):
    """f = x² + y²: level c is the circle of radius √c. The contour pixels sit on
    those circles and not between them."""
    view = show(window, qtbot, "x^2 + y^2", point=[1.9, -1.9])
    off = widget_pixels(view)
    window.session.set_overlay("contours", True)
    settle(qtbot)
    on = widget_pixels(view)
    levels = window.session.map_contours(view.region, view.label_gap()).levels
    changed = np.abs(on.astype(int) - off.astype(int)).sum(axis=-1) > 30
    radii = np.sqrt(levels[(levels > 0.1) & (levels < 3.5)])
    t = np.linspace(0, 2 * np.pi, 60, endpoint=False)

    def hits(r):
        cols_rows = [map_to_widget(view, r * np.cos(a), r * np.sin(a)) for a in t]
        return np.mean(
            [changed[p.y() - 1 : p.y() + 2, p.x() - 1 : p.x() + 2].any() for p in cols_rows]
        )

    assert len(radii) >= 5
    assert min(hits(r) for r in radii) > 0.8  # on every level set
    between = np.sqrt(0.5 * (levels[1:] + levels[:-1]))
    between = between[(between > 0.4) & (between < 1.8)]
    assert max(hits(r) for r in between) < 0.3  # and not between them


def test_contour_labels_give_the_level_on_its_line(window, qtbot):
    def f(x, y):
        return x**2 + 2 * y**2

    view = show(window, qtbot, "x^2 + 2y^2", overlays=("contours",))
    labels = [lab for lab in view.adapters["contour_labels"].labels if lab.isVisible()]
    assert not labels
    window.session.set_overlay("contour_labels", True)
    settle(qtbot)
    labels = [lab for lab in view.adapters["contour_labels"].labels if lab.isVisible()]
    assert len(labels) >= 3
    (x0, x1), (y0, y1) = window.session.box
    for lab in labels:
        level = float(lab.textItem.toPlainText())
        x, y = lab.pos().x(), lab.pos().y()
        assert x0 <= x <= x1 and y0 <= y <= y1
        assert f(x, y) == pytest.approx(level, rel=2e-2, abs=2e-3)
    # on screen: dark text on a light box where the label is
    img = widget_pixels(view)
    for lab in labels:
        p = map_to_widget(view, lab.pos().x(), lab.pos().y())
        patch = img[p.y() - 6 : p.y() + 7, p.x() - 12 : p.x() + 13].astype(int)
        assert (patch.sum(axis=-1) < 200).sum() > 5  # glyph pixels
    window.session.set_overlay("contours", False)  # no labels without their lines
    settle(qtbot)
    assert not any(lab.isVisible() for lab in view.adapters["contour_labels"].labels)


def test_colour_bar_shows_the_heat_maps_scale(window, qtbot):
    view = show(window, qtbot, "x^2 + y^2", overlays=("colorbar",))
    adapter = view.adapters["colorbar"]
    bar = adapter.placed
    assert bar is not None and bar.isVisible()
    assert bar.levels() == pytest.approx(window.session.zrange())
    img = widget_pixels(view)
    r = bar.mapRectToScene(bar.boundingRect())
    top_left = view.mapFromScene(r.topLeft())
    bottom_right = view.mapFromScene(r.bottomRight())
    area = img[top_left.y() : bottom_right.y(), top_left.x() : bottom_right.x()]
    for end in (0.0, 1.0):  # both ends of the colour map appear in the bar
        assert mask(area, style.COLORMAP.map(end, mode="byte"), 25).sum() > 10
    window.session.set_overlay("colorbar", False)
    settle(qtbot)
    assert adapter.placed is None and not bar.isVisible()
    assert not view.getPlotItem().layout.itemAt(5, 1) and not view.getPlotItem().layout.itemAt(2, 5)


def test_gradient_field_is_separate_arrows_along_the_gradient(window, qtbot):
    def f(x, y):
        return np.sin(x) + x * y**2 / 4

    view = show(window, qtbot, "sin(x) + x*y^2/4", point=[1.9, 1.9])
    assert not np.isfinite(view.adapters["field"].item.getData()[0]).any()
    before, after, changed = toggled_on(window, qtbot, view, "field")
    xs, ys = view.adapters["field"].item.getData()
    parts = pieces(xs, ys)
    shafts = [p for p in parts if len(p) == 2]
    heads = [p for p in parts if len(p) == 3]
    assert len(shafts) > 100 and len(heads) == len(shafts)
    assert {len(p) for p in parts} == {2, 3}  # nothing joins two arrows
    cell = max(b[1] - b[0] for b in window.session.box) / 10
    assert max(np.ptp(p, axis=0).max() for p in parts) < cell
    for (sx, sy), (tx, ty) in shafts:
        g = hand_gradient(f, (sx + tx) / 2, (sy + ty) / 2)
        d = np.array([tx - sx, ty - sy])
        assert d @ g / (np.linalg.norm(d) * np.linalg.norm(g)) > 0.999
    # drawn: pixels turned lighter at the arrows' midpoints, inside the domain
    lighter = changed & (after.astype(int).sum(axis=-1) > before.astype(int).sum(axis=-1))
    tl, br = map_to_widget(view, -1.9, 1.9), map_to_widget(view, 1.9, -1.9)
    assert lighter[tl.y() : br.y(), tl.x() : br.x()].sum() > 300
    mids = [map_to_widget(view, *shaft.mean(axis=0)) for shaft in shafts]
    assert (
        np.mean([lighter[p.y() - 1 : p.y() + 2, p.x() - 1 : p.x() + 2].any() for p in mids]) > 0.9
    )


@pytest.mark.parametrize("name, sign", [("gradient", 1), ("descent", -1)])
def test_arrows_point_up_and_down_the_slope(window, qtbot, name, sign):
    def f(x, y):
        return x**2 + 3 * y**2 + x * y

    point = np.array([0.8, -0.6])
    view = show(window, qtbot, "x^2 + 3y^2 + x*y", point=point)
    colour = style.GRADIENT if name == "gradient" else style.DESCENT
    _, img, changed = toggled_on(window, qtbot, view, name)
    g = hand_gradient(f, *point)
    xs, ys = view.adapters[name].item.getData()
    shaft = pieces(xs, ys)[0]
    np.testing.assert_allclose(shaft[0], point)
    d = shaft[1] - shaft[0]
    assert sign * (d @ g) / (np.linalg.norm(d) * np.linalg.norm(g)) > 0.9999
    # its pixels lie on that side of the point, along the line
    rows, cols = np.nonzero(changed & mask(img, colour, 30))
    assert len(rows) > 20
    pts = to_data(view, cols, rows) - point
    u = g / np.linalg.norm(g)
    along = pts @ u
    assert np.median(sign * along) > 0.1
    across = np.abs(pts @ np.array([-u[1], u[0]]))
    assert np.median(across) < 0.1


@pytest.mark.parametrize("sliced", [False, True])
def test_eigenvectors_follow_the_hessian_with_colour_by_sign(window, qtbot, sliced):
    """Two variables, or the (x, y) slice of a function of three at z = 1, where
    the plotted plane's Hessian is [[2, 3], [3, −6]]."""
    z = 1.0

    def f(x, y):
        return x**2 - 3 * y**2 + 2 * x * y + (z * x * y if sliced else 0)

    point = np.array([0.3, 0.2])
    text = SADDLE + (" + z*x*y" if sliced else "")
    view = show(window, qtbot, text, point=[*point, z] if sliced else point)
    _, img, changed = toggled_on(window, qtbot, view, "eigen")
    lam, vec = np.linalg.eigh(hand_hessian(f, *point))
    assert lam[0] < 0 < lam[1]
    for k, colour in ((0, style.EIGEN_NEG), (1, style.EIGEN_POS)):
        u = vec[:, k]
        # geometry: one of the two lines runs along u, in u's colour
        lines = view.adapters["eigen"].lines
        dirs = [np.diff(np.stack(line.getData(), 1), axis=0)[0] for line in lines]
        match = [
            line
            for line, d in zip(lines, dirs, strict=True)
            if abs(d @ u) / np.linalg.norm(d) > 0.9999
        ]
        assert len(match) == 1
        assert match[0].opts["pen"].color().getRgb()[:3] == colour
        mid = np.stack(match[0].getData(), 1).mean(axis=0)
        np.testing.assert_allclose(mid, point, atol=1e-12)
        # pixels: that colour lies along u through the point
        rows, cols = np.nonzero(changed & mask(img, colour, 35))
        assert len(rows) > 20
        pts = to_data(view, cols, rows) - point
        across = np.abs(pts @ np.array([-u[1], u[0]]))
        assert np.percentile(across, 90) < 0.06
        assert np.ptp(pts @ u) > 0.5  # a line, not a dot


def test_critical_points_are_coloured_by_kind_at_their_pixel(window, qtbot):
    """x³ + y³ − 3x − 3y: ∇f = (3x² − 3, 3y² − 3) vanishes at (±1, ±1); the Hessian
    diag(6x, 6y) makes (1, 1) a minimum, (−1, −1) a maximum, the others saddles."""
    expected = {
        (1, 1): "minimum",
        (-1, -1): "maximum",
        (1, -1): "saddle",
        (-1, 1): "saddle",
    }
    view = show(window, qtbot, "x^3 + y^3 - 3x - 3y", point=[0.0, 0.0])
    before = widget_pixels(view)
    window.session.set_overlay("critical", True)
    settle(qtbot)
    img = widget_pixels(view)
    for (x, y), kind in expected.items():
        want = np.array(style.CRITICAL[kind])
        got = pixel_at(img, view, x, y)
        assert np.abs(got - want).max() <= 30, (kind, got)
        for other, colour in style.CRITICAL.items():
            if other != kind:
                assert np.abs(got - np.array(colour)).max() > 30
        assert np.abs(pixel_at(before, view, x, y) - want).max() > 30  # not the heat map


def luma(rgb: np.ndarray) -> np.ndarray:
    """Brightness 0–1 (Rec. 601 weights)."""
    return rgb[..., :3].astype(float) @ np.array([0.299, 0.587, 0.114]) / 255


def line_contrasts(before, after, rows, cols) -> list[tuple[float, float]]:
    """Along each of `rows` (within `cols`), every run of pixels the contour lines
    changed: (the heat map's brightness beside the run, the largest brightness
    difference between the run and that heat map)."""
    found = []
    c0, c1 = cols
    for r in rows:
        changed = np.abs(after[r].astype(int) - before[r].astype(int)).sum(axis=-1) > 30
        k = c0 + 4
        while k < c1 - 4:
            if not changed[k]:
                k += 1
                continue
            end = k
            while end < c1 - 4 and changed[end]:
                end += 1
            beside = 0.5 * (luma(before[r, k - 2]) + luma(before[r, end + 1]))
            found.append((beside, float(np.abs(luma(after[r, k:end]) - beside).max())))
            k = end
    return found


@pytest.mark.parametrize("labels", [False, True], ids=["lines", "with_labels"])
def test_contour_lines_stand_out_on_both_ends_of_the_colour_map(window, qtbot, labels):
    """x² + y² on ±2: the dark end of viridis in the middle, the light end in the
    corners. Every line is much brighter or darker than the heat map beside it."""
    overlays = ("contour_labels",) if labels else ()
    view = show(window, qtbot, "x^2 + y^2", point=[0.0, 0.0], overlays=overlays)
    before = widget_pixels(view)
    window.session.set_overlay("contours", True)
    settle(qtbot)
    after = widget_pixels(view)
    left, right = map_to_widget(view, -1.95, 0).x(), map_to_widget(view, 1.95, 0).x()
    top, bottom = map_to_widget(view, 0, 1.95).y(), map_to_widget(view, 0, -1.95).y()
    rows = np.linspace(top, bottom, 25).astype(int)
    found = line_contrasts(before, after, rows, (left, right))
    dark = [c for b, c in found if b < 0.25]
    light = [c for b, c in found if b > 0.6]
    assert len(dark) > 20 and len(light) > 20, (len(dark), len(light))
    # a label's box may cover a line where the row crosses it: most, not all
    assert np.percentile(dark, 10) > 0.35, sorted(dark)[:10]
    assert np.percentile(light, 10) > 0.35, sorted(light)[:10]


def test_a_click_on_a_critical_marker_selects_that_critical_point(window, qtbot):
    """x³ + y³ − 3x − 3y: a click 3 px off each marker lands exactly on (±1, ±1)."""
    view = show(window, qtbot, "x^3 + y^3 - 3x - 3y", point=[0.0, 0.0], overlays=("critical",))
    for x, y in ((1, 1), (-1, -1), (1, -1), (-1, 1)):
        pos = map_to_widget(view, x, y) + QtCore.QPoint(3, -2)
        qtbot.mouseClick(view.viewport(), QtCore.Qt.MouseButton.LeftButton, pos=pos)
        np.testing.assert_allclose(window.session.point, [x, y], atol=1e-9)


def test_the_point_marker_follows_the_point(window, qtbot):
    view = show(window, qtbot, "x^2 + y^2", point=[-1.2, 0.9])
    img = widget_pixels(view)
    assert np.abs(pixel_at(img, view, -1.2, 0.9) - np.array(style.POINT)).max() <= 30
    window.session.set_point([1.0, -1.0])
    settle(qtbot)
    img = widget_pixels(view)
    assert np.abs(pixel_at(img, view, 1.0, -1.0) - np.array(style.POINT)).max() <= 30
    assert np.abs(pixel_at(img, view, -1.2, 0.9) - np.array(style.POINT)).max() > 30


def test_a_tiny_domain_still_draws_its_arrows(window, qtbot):
    """On ±1e−300 the arrows are ~1e−301 long: their length must not underflow
    to zero (a warning, an error here) but point along ∇f = (2x, 2y)."""
    view = show(window, qtbot, "x^2 + y^2", overlays=("gradient",))
    s = window.session
    s.set_domain(0, -1e-300, 1e-300)
    s.set_domain(1, -1e-300, 1e-300)
    s.set_point([5e-301, 0.0])
    settle(qtbot)
    xs, ys = view.adapters["gradient"].item.getData()
    assert np.isfinite(xs[0]) and xs[1] > xs[0] and ys[1] == ys[0]  # the shaft, along +x
