"""The status bar says when the critical-point markers may not be all of them."""

from .conftest import settle

BOHACHEVSKY = "x^2 + 2y^2 - 0.3cos(3pi x) - 0.4cos(4pi y) + 0.7"


def test_an_incomplete_search_is_said_in_the_status_bar(window, qtbot):
    s, bar = window.session, window.statusBar()
    s.set_overlay("critical", True)
    s.set_text(BOHACHEVSKY)
    settle(qtbot)
    assert "Not every critical point" not in bar.currentMessage()  # [-2, 2]²: all 81 found
    s.set_domain(0, -100, 100)
    s.set_domain(1, -100, 100)
    settle(qtbot)
    assert "Not every critical point could be found" in bar.currentMessage()
    assert s.critical()[0].value == 0.0  # the global minimum, listed first
    s.set_text("x^2 + y^2")
    settle(qtbot)
    assert bar.currentMessage() == ""
