"""Where f is not differentiable the window says so and draws no tangent plane,
quadratic or arrow as if they existed; notes about critical points belong to
the function they were made for."""

from PyQt6 import QtWidgets

from explorer.ui import style
from explorer.ui.qt_rich_text import RichText

from .conftest import gl_pixels, near, settle, widget_pixels


def _texts(widget) -> str:
    """The text of every label and rich-text block in `widget`."""
    blocks = widget.findChildren(QtWidgets.QLabel) + widget.findChildren(RichText)
    return " ".join(block.text() for block in blocks)


def test_at_a_corner_no_tangent_plane_or_arrow_is_drawn(window, qtbot):
    s = window.session
    for name in ("tangent", "gradient", "descent"):
        s.set_overlay(name, True)
    s.set_text("abs(x) + y^2")
    s.set_point([0.3, 0.5])  # smooth here: plane and arrows drawn
    settle(qtbot)
    smooth = gl_pixels(window.surface_view, qtbot)
    assert near(smooth, style.TANGENT, 30) > 40  # its outline at least
    assert near(smooth, style.GRADIENT, 40) > 20 and near(smooth, style.DESCENT, 40) > 20
    assert "not differentiable" not in _texts(window.inspector)

    s.set_point([0.0, 0.5])  # on the crease x = 0
    settle(qtbot)
    kink = gl_pixels(window.surface_view, qtbot)
    assert s.info().kind == "not differentiable here" and s.info().kinks == ("abs",)
    assert near(kink, style.TANGENT, 30) == 0
    assert near(kink, style.GRADIENT, 40) == 0 and near(kink, style.DESCENT, 40) == 0
    assert "not differentiable here" in _texts(window.inspector)


def test_a_one_variable_corner_has_no_tangent_line(window, qtbot):
    s = window.session
    s.set_overlay("tangent", True)
    s.set_overlay("quadratic", True)
    s.set_text("abs(x - 0.5) + x^2")
    s.set_point([0.0])
    settle(qtbot)
    assert near(widget_pixels(window.curve_view), style.TANGENT, 30) > 50
    s.set_point([0.5])
    settle(qtbot)
    arr = widget_pixels(window.curve_view)
    assert near(arr, style.TANGENT, 30) == 0 and near(arr, style.QUADRATIC, 30) == 0


def test_a_note_about_critical_points_leaves_with_its_function(window, qtbot):
    s, bar = window.session, window.statusBar()
    s.set_overlay("critical", True)
    s.set_text("exp(10x*y)")  # one isolated saddle: nothing to say
    settle(qtbot)
    assert "not isolated" not in bar.currentMessage()
    s.set_text("relu(x) + y^2")  # a half-line of minima
    settle(qtbot)
    assert "not isolated" in bar.currentMessage()
    s.set_text("x^2 + y^2")
    settle(qtbot)
    assert bar.currentMessage() == ""
    s.set_text("abs(x) + abs(y - 0.5)")  # a minimum at a corner
    settle(qtbot)
    assert "not differentiable" in bar.currentMessage()


def test_the_automatic_range_keeps_a_saddle_readable(window, qtbot):
    s = window.session
    s.set_text("exp(10x*y)")
    s.set_point([0.0, 0.0])
    s.set_domain(0, -2, 2)
    s.set_domain(1, -2, 2)
    lo, hi = s.zrange()
    # f spans 4e-18 … 2e17 on the box; near the saddle it spans 0.005 … 178
    assert lo <= 0.006 and 178 <= hi < 1000
    assert s.clipped()  # and the panel says what is cut
    assert "cut off" in _texts(window.function_panel)
