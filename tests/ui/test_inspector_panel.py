"""The inspector's numbers, read from the real widgets and checked against hand
computations: no "-0", no rounding noise, one word for undefined, the Taylor
models' formulas, the eigen table, and both error curves visible."""

import html
import math
import re

import numpy as np
import pytest
from PyQt6 import QtCore

from explorer.ui import style
from explorer.ui.qt_inspector import PAD, TABLE, hex_color

from .conftest import near, settle, widget_pixels


def choose(window, name):
    box = window.function_panel.presets
    index = box.findData(name, QtCore.Qt.ItemDataRole.UserRole)
    box.setCurrentIndex(index)
    box.activated.emit(index)


def cells(text: str) -> list[list[str]]:
    """The cells of each line of the first table: monospace lines whose columns
    are separated by spaces (matrix bars dropped)."""
    block = text.split(TABLE.split("{}")[0], 1)[1].split("</div>", 1)[0]
    lines = [html.unescape(re.sub(r"<[^>]+>", "", line)) for line in block.split("<br>")]
    return [line.strip(" │").split() for line in lines]


def eigen_table(window) -> list[list[str]]:
    text = window.inspector.matrices.text()
    return cells(text[text.index("eigenvectors") :])


def test_the_taylor_models_of_18_4_6_as_formulas(window):
    choose(window, "x·e^(−x²−y²) and its quadratic (18.4.6)")
    e = f"{math.exp(-1):.6g}"  # the chapter: e⁻¹(−1 − (x+1) + (x+1)² + y²)
    models = window.inspector.models.text()
    assert f"<b>linear</b> -{e} - {e} (x + 1)<br>" in models
    assert models.endswith(f"<b>quadratic</b> -{e} - {e} (x + 1) + {e} (x + 1)^2 + {e} y^2")


def test_eigenvalues_head_a_table_of_their_eigenvectors(window):
    choose(window, "Saddle x² − y²")  # H = diag(2, −2)
    rows = eigen_table(window)
    assert rows[0] == ["-2", "2"]
    x_row, y_row = rows[1], rows[2]
    assert x_row[0] == "x" and y_row[0] == "y"
    # the eigenvector of −2 is ±(0, 1), of 2 is ±(1, 0)
    assert [abs(float(v)) for v in x_row[1:]] == [0, 1]
    assert [abs(float(v)) for v in y_row[1:]] == [1, 0]
    assert "-0" not in "".join(x_row + y_row)
    text = window.inspector.matrices.text()
    neg, pos = (hex_color(c) for c in (style.EIGEN_NEG, style.EIGEN_POS))
    assert f"color:{neg}'><b>-2</b>" in text and f"color:{pos}'><b>2</b>" in text


def test_a_zero_eigenvalue_is_neutral(window):
    choose(window, "Log-sum-exp (18.4.1)")  # H = [[2, −2], [−2, 2]]/9: eigenvalues 0, 4/9
    rows = eigen_table(window)
    assert rows[0] == ["0", "0.44444"]
    assert f"color:{hex_color(style.EIGEN_ZERO)}'><b>0</b>" in window.inspector.matrices.text()


def test_no_minus_zero_and_no_rounding_noise(window):
    s = window.session
    s.set_text("sqrt(x^2 + y^2)")
    s.set_point([0.9, 0.0])  # H = [[y², −xy], [−xy, x²]]/r³ = [[0, 0], [0, 1/0.9]]
    h = s.info().hessian
    assert h[0, 0] != 0 or np.signbit(h[0, 1])  # the engine's noise or -0 is there…
    rows = cells(window.inspector.matrices.text())
    assert rows == [["0", "0"], ["0", f"{1 / 0.9:.6g}"]]  # …and is not shown
    summary = window.inspector.summary.text()
    assert "∇f</b> = (1, 0)" in summary  # ∂f/∂y = y/r = +0 or -0
    s.set_text("x*exp(-x^2 - y^2)")
    s.set_point([1.0, 0.0])  # ∂f/∂y = −2xy e^(…) = −0.0
    assert np.signbit(s.info().gradient[1])
    assert f"∇f</b> = ({-math.exp(-1):.6g}, 0)" in window.inspector.summary.text()


def test_one_word_for_an_undefined_value(window, qtbot):
    s = window.session
    s.set_text("log(x*y)")
    s.set_point([-1.0, 1.0])
    for label in (window.inspector.summary, window.inspector.matrices, window.inspector.models):
        text = label.text().lower()
        assert "nan" not in text and "inf" not in text
    assert "<b>f</b> = undefined" in window.inspector.summary.text()
    s.set_text("1/(x^2 + y^2)")
    s.set_point([0.0, 0.0])
    status = window.status_point.text()
    assert "f = undefined" in status and "inf" not in status and "nan" not in status


def test_the_status_bar_uses_the_same_formatter(window):
    window.session.set_text("x*exp(-x^2 - y^2)")
    window.session.set_point([1.0, 0.0])
    assert window.status_point.text() == (
        f"x = 1, y = 0    f = {math.exp(-1):.6g}    |∇f| = {math.exp(-1):.4g}"
    )


def test_both_error_curves_show_where_they_coincide(window, qtbot):
    s = window.session
    s.set_text("x^3 + y^3")
    s.set_point([0.0, 0.0])  # H = 0: the quadratic model is the linear one
    ex = s.experiment()
    np.testing.assert_array_equal(ex.linear_errors, ex.quadratic_errors)
    inspector = window.inspector
    inspector.plot.plotItem.legend.hide()  # its samples would show both colours anyway
    settle(qtbot)
    img = widget_pixels(inspector.plot)
    assert near(img, style.TANGENT, 30) > 40
    assert near(img, style.QUADRATIC, 30) > 40
    inspector.plot.plotItem.legend.show()


def test_epsilon_fields_hold_small_and_large_values(window, qtbot):
    from .conftest import type_into

    field = window.inspector.eps_boxes[0]
    type_into(qtbot, field, "1e-7")
    assert window.session.epsilon[0] == 1e-7 and field.text() == "1e-07"
    type_into(qtbot, field, "750")
    assert window.session.epsilon[0] == 750.0
    type_into(qtbot, field, "2500")  # beyond what a session file holds: put back
    assert window.session.epsilon[0] == 750.0 and field.text() == "750"


@pytest.mark.parametrize("name", ["Chain of Fig. 18.4.1 (18.4.4–5)"])
def test_chain_numbers_of_the_chapter(window, name):
    choose(window, name)  # at (−1, 0, −2, 1): f = 1024, every partial −4096
    summary = window.inspector.summary.text()
    assert "<b>f</b> = 1024" in summary
    assert "(-4096, -4096, -4096, -4096)" in summary
    rows = cells(window.inspector.matrices.text())
    assert rows == [["14336"] * 4] * 4


def test_at_a_kink_the_inspector_shows_no_taylor_models(window):
    s = window.session
    s.set_text("abs(x) + y^2")
    s.set_point([0.0, 0.5])
    summary = window.inspector.summary.text()
    assert "not differentiable here (abs)" in summary
    assert "none" in window.inspector.models.text()
    assert "(x)" not in window.inspector.models.text()
    s.set_point([0.5, 0.5])
    assert "<b>linear</b> 0.75 + (x - 0.5) + (y - 0.5)<br>" in window.inspector.models.text()


def test_the_error_plot_shows_every_curve_in_whole_decades(window):
    inspector, s = window.inspector, window.session
    curves = (inspector.lin_curve, inspector.quad_curve, inspector.ref2, inspector.ref3)
    for point in ([-1.0, 0.0], [-0.99, 0.01], [0.3, 1.2]):
        s.set_point(point)
        data = [c.getOriginalDataset() for c in curves]
        ys = np.log10(np.concatenate([y[y > 0] for _, y in data]))
        xs = np.log10(np.concatenate([x for x, _ in data]))
        low, high = math.floor(ys.min()), math.ceil(ys.max())
        (x0, x1), (y0, y1) = inspector.plot.getViewBox().viewRange()
        pad = PAD * (high - low)
        assert (y0, y1) == pytest.approx((low - pad, high + pad))
        assert x0 <= xs.min() and xs.max() <= x1
