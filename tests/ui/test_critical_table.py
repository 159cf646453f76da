"""The critical-point table: exactly the points worked by hand, by kind, and a
selected row moves the point there."""

import numpy as np

from explorer.session import presets

from .conftest import settle


def _show(window, qtbot):
    window.docks["critical"].raise_()
    settle(qtbot)
    assert window.critical_table.shown
    return window.critical_table


def _rows(table):
    t = table.table
    return [tuple(t.item(r, c).text() for c in range(3)) for r in range(t.rowCount())]


def test_the_table_lists_each_critical_point_by_hand(window, qtbot):
    table = _show(window, qtbot)
    window.session.set_text("x^3 + y^3 - 3x - 3y")
    settle(qtbot)
    # ∇f = (3x² − 3, 3y² − 3) = 0 at x, y = ±1; H = diag(6x, 6y); f(±1, ±1) = ∓2 ∓ 2
    assert sorted(_rows(table)) == sorted(
        [
            ("minimum", "(1, 1)", "−4"),
            ("saddle", "(−1, 1)", "0"),
            ("saddle", "(1, −1)", "0"),
            ("maximum", "(−1, −1)", "4"),
        ]
    )
    row = next(r for r, (kind, *_) in enumerate(_rows(table)) if kind == "maximum")
    table.table.selectRow(row)
    np.testing.assert_array_equal(window.session.point, [-1.0, -1.0])
    assert window.session.info().kind == "maximum"


def test_the_chapter_quartic_and_a_corner(window, qtbot):
    table = _show(window, qtbot)
    quartic = next(p for p in presets.PRESETS if p.text.replace(" ", "") == "3x^4-4x^3-12x^2")
    window.session.load_preset(quartic)
    settle(qtbot)
    # f' = 12x(x − 2)(x + 1): minima at −1 (f = −5) and 2 (f = −32), a maximum at 0
    assert sorted(_rows(table)) == sorted(
        [("minimum", "(2)", "−32"), ("minimum", "(−1)", "−5"), ("maximum", "(0)", "0")]
    )
    window.session.set_text("abs(x) + abs(y - 0.5)")
    settle(qtbot)
    assert _rows(table) == [("minimum (corner)", "(0, 0.5)", "0")]
    assert "corners" in table.note.text()


def test_no_search_while_the_table_is_hidden(window, qtbot):
    window.docks["inspector"].raise_()
    settle(qtbot)
    window.session.set_text("x^3 + y^3 - 3x - 3y")
    settle(qtbot)
    assert "critical" not in window.session._cache  # the search has not run
    assert _show(window, qtbot).table.rowCount() == 4
