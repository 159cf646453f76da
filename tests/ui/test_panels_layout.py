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


def dock_tab_bars(window) -> list[QtWidgets.QTabBar]:
    return [
        b
        for b in window.findChildren(QtWidgets.QTabBar)
        if b.parentWidget() is window and b.isVisible()
    ]


def cut_titles(bar: QtWidgets.QTabBar) -> list[str]:
    """Titles that do not show whole: elided, or (partly) scrolled out of the bar."""
    out = []
    upright = bar.shape() in (
        QtWidgets.QTabBar.Shape.RoundedNorth,
        QtWidgets.QTabBar.Shape.RoundedSouth,
    )
    for i in range(bar.count()):
        text, rect = bar.tabText(i), bar.tabRect(i)
        room = rect.width() if upright else rect.height()
        whole = bar.elideMode() == QtCore.Qt.TextElideMode.ElideNone
        if not whole or room < bar.fontMetrics().horizontalAdvance(text) + 8:
            out.append(f"{text} ({room} px)")
        elif not bar.rect().contains(rect):
            out.append(f"{text} (outside the bar)")
    return out


@pytest.mark.parametrize(
    "size", [(1024, 700), (1280, 800), (1400, 860), (1920, 1080), (2560, 1440)]
)
def test_tab_titles_show_whole_and_the_toolbar_fits(window, qtbot, size):
    resize(window, qtbot, *size)
    bars = dock_tab_bars(window)
    titles = {b.tabText(i) for b in bars for i in range(b.count())}
    assert {"Inspector", "Critical", "Dial", "Sections", "Descent"} <= titles
    if size[0] < 1300:  # all six side panels share one column
        assert "Function" in titles
    for bar in bars:
        assert cut_titles(bar) == [], size
    (toolbar,) = window.findChildren(QtWidgets.QToolBar)
    overflow = toolbar.findChild(QtWidgets.QToolButton, "qt_toolbar_ext_button")
    assert overflow is None or not overflow.isVisible()
    for action in toolbar.actions():
        button = toolbar.widgetForAction(action)
        assert button.isVisible() and toolbar.rect().contains(button.geometry()), action.text()
    assert window.surface_view.width() >= 300 and window.map_view.width() >= 300


def test_the_toolbar_more_menu_switches_the_rarer_overlays(window, qtbot):
    button = window.findChild(QtWidgets.QToolButton, "toolbar_more")
    menu = button.menu()
    names = [a.objectName() for a in menu.actions()]
    assert names == [
        "action_contour_labels",
        "action_colorbar",
        "action_sections",
        "action_wireframe",
    ]
    on_toolbar = [a.objectName() for a in window.findChild(QtWidgets.QToolBar).actions()]
    assert not set(names) & set(on_toolbar)
    s = window.session
    sections = menu.actions()[2]
    assert sections.isCheckable() and not s.overlays["sections"]
    sections.trigger()
    assert s.overlays["sections"] and sections.isChecked()
    s.set_overlay("sections", False)  # and back from the model
    assert not sections.isChecked()
