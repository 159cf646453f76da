"""Every view stays usable from a small window up: the side panels share one
tabbed column below 1300 px, and nothing in the panels is cut off."""

import pytest
from PyQt6 import QtCore, QtWidgets

from explorer.ui.qt_number_field import NumberField

from .conftest import settle

CHAIN = "Chain of Fig. 18.4.1 (18.4.4–5)"  # four variables: the widest tables
Area = QtCore.Qt.DockWidgetArea


def choose(window, name):
    box = window.function_panel.presets
    index = box.findData(name, QtCore.Qt.ItemDataRole.UserRole)
    box.setCurrentIndex(index)
    box.activated.emit(index)


def resize(window, qtbot, w, h):
    window.resize(w, h)
    settle(qtbot, 80)
    assert (window.width(), window.height()) == (w, h)


def clipped_widgets(panel: QtWidgets.QWidget) -> list[str]:
    """Visible widgets of `panel` that reach beyond the left or right edge of the
    scroll area's viewport showing it (scrolling down is fine; sideways is not)."""
    viewport = panel.parentWidget()
    assert isinstance(viewport.parentWidget(), QtWidgets.QScrollArea)
    out = []
    for child in panel.findChildren(QtWidgets.QWidget):
        if not child.isVisible() or child.width() == 0:
            continue
        left = child.mapTo(viewport, QtCore.QPoint(0, 0)).x()
        right = child.mapTo(viewport, QtCore.QPoint(child.width() - 1, 0)).x()
        if left < 0 or right >= viewport.width():
            out.append(f"{type(child).__name__} {child.objectName()} {left}..{right}")
    return out


def test_a_small_window_tabs_the_panels_and_keeps_both_views_usable(window, qtbot):
    choose(window, CHAIN)
    resize(window, qtbot, 1024, 700)
    function, inspector = window.docks["function"], window.docks["inspector"]
    assert inspector in window.tabifiedDockWidgets(function)
    assert window.surface_view.width() >= 300 and window.map_view.width() >= 300
    for dock in (function, inspector):
        dock.raise_()
        settle(qtbot)
        panel = dock.widget().widget()
        assert panel.isVisible()
        assert clipped_widgets(panel) == []
    # wide again: the two columns come back
    resize(window, qtbot, 1400, 860)
    assert window.dockWidgetArea(function) == Area.LeftDockWidgetArea
    assert window.dockWidgetArea(inspector) == Area.RightDockWidgetArea
    assert inspector not in window.tabifiedDockWidgets(function)
    assert window.surface_view.width() >= 300 and window.map_view.width() >= 300


@pytest.mark.parametrize("name", [CHAIN, "x·e^(−x²−y²) and its quadratic (18.4.6)"])
def test_nothing_is_cut_off_at_the_default_size(window, qtbot, name):
    choose(window, name)
    resize(window, qtbot, 1400, 860)
    for panel in (window.function_panel, window.inspector):
        assert clipped_widgets(panel) == []
    assert len(window.inspector.eps_boxes) == window.session.dimension
    fields = [
        *window.inspector.eps_boxes,
        *window.function_panel.findChildren(NumberField),
    ]
    for field in fields:
        if field.isVisible():  # and its text is not cut inside it
            room = field.contentsRect().width() - 8  # the frame's text margins
            assert field.fontMetrics().horizontalAdvance(field.text()) <= room, field.text()


def test_the_epsilon_fields_reflow_with_the_width(window, qtbot):
    choose(window, CHAIN)
    inspector = window.inspector
    grid = inspector.eps_grid

    def rows() -> int:
        return len({grid.getItemPosition(grid.indexOf(f))[0] for f in inspector.eps_boxes})

    window.resizeDocks([window.docks["inspector"]], [600], QtCore.Qt.Orientation.Horizontal)
    settle(qtbot, 80)
    wide = rows()
    window.resizeDocks([window.docks["inspector"]], [280], QtCore.Qt.Orientation.Horizontal)
    settle(qtbot, 80)
    assert rows() > wide
    assert clipped_widgets(inspector) == []


def test_a_window_closed_small_reopens_wide_with_two_columns(window, qtbot, tmp_path):
    from explorer.ui.main_window import MainWindow

    settings = QtCore.QSettings(str(tmp_path / "s.ini"), QtCore.QSettings.Format.IniFormat)
    small = MainWindow(settings=settings)
    qtbot.addWidget(small)
    small.show()
    resize(small, qtbot, 1024, 700)
    assert small.dock_layout.compact
    small.close()
    again = MainWindow(settings=settings)
    qtbot.addWidget(again)
    again.show()
    resize(again, qtbot, 1500, 900)
    assert again.docks["inspector"] not in again.tabifiedDockWidgets(again.docks["function"])
    again.close()
