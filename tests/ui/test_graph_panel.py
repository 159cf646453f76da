"""The backpropagation graph panel in the real window: what its items say, how the
sweeps step, paths, forward mode, following the point, exports and pixels."""

import re
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from PyQt6 import QtCore, QtGui, QtWidgets
from PyQt6.QtTest import QTest

from explorer.engine import parse
from explorer.session import presets
from explorer.session.graph_view import NOT_YET
from explorer.ui import qt_graph_scene as scene
from explorer.ui.qt_graph_scene import PATH

from .conftest import map_to_widget, near, pixels, settle, widget_pixels

LEFT = QtCore.Qt.MouseButton.LeftButton
CHAIN = presets.find("Chain of Fig. 18.4.1 (18.4.4–5)")


def chapter_chain(w, x, y, z):
    """The chapter's hand-written forward pass (18.4.5)."""
    a, b = (w + x + y + z) ** 2, (w + x - y - z) ** 2
    u, v = (a + b) ** 2, (a - b) ** 2
    return (u + v) ** 2


def number(text: str) -> float:
    """The number at the end of a node's line, as the panel writes it."""
    return float(text.rsplit("= ", 1)[1].replace("−", "-"))


@pytest.fixture
def panel(window, qtbot):
    window.session.load_preset(CHAIN)
    window.actions_by_name["graph"].trigger()
    settle(qtbot)
    p = window.graph_panel
    assert window.docks["graph"].isVisible() and p.isVisible()
    return p


def focus(panel, qtbot):
    """Keys reach the panel's shortcuts only in the active window."""
    panel.window().activateWindow()
    qtbot.waitUntil(panel.window().isActiveWindow)
    panel.view.setFocus()


def items_by_title(panel):
    return {item.title: item for item in panel.scene.nodes.values()}


def edge_ends(panel):
    """(source item, target item) of each drawn edge, found from the geometry."""
    nodes = list(panel.scene.nodes.values())

    def at(point):
        found = [n for n in nodes if n.sceneBoundingRect().adjusted(-1, -1, 1, 1).contains(point)]
        assert len(found) == 1
        return found[0]

    ends = []
    for edge in panel.scene.edges:
        path = edge.path()
        ends.append((at(path.pointAtPercent(0)), at(path.pointAtPercent(1))))
    return ends


def test_chapter_example_values_and_adjoints_from_the_items(window, panel):
    items = items_by_title(panel)
    assert {"w", "x", "y", "z", "a", "b", "u", "v", "f"} <= set(items)
    assert items["f"].value_text == "= 1024"
    for name in "wxyz":
        assert items[name].lower_text == f"∂f/∂{name} = −4096"
    assert number(items["a"].value_text) == 4 and number(items["b"].value_text) == 0
    assert number(items["u"].value_text) == 16 and number(items["v"].value_text) == 16
    # the inputs' adjoints are the inspector's gradient
    plain = re.sub(r"<[^>]+>", "", window.inspector.summary.text())
    shown = re.search(r"∇f\s*=\s*\(([^)]*)\)", plain).group(1)
    gradient = [float(v) for v in shown.split(",")]
    assert [number(items[n].lower_text) for n in "wxyz"] == gradient
    # w + x is drawn once and feeds both a's and b's sums
    ends = edge_ends(panel)
    shared = [
        n for n in panel.scene.nodes.values() if {s.title for s, t in ends if t is n} == {"w", "x"}
    ]
    assert len(shared) == 1 and shared[0].title == "+"
    assert sum(s is shared[0] for s, _ in ends) == 2
    # every edge carries its single-step partial: ∂f/∂(u+v) = 2(u+v) = 64
    into_f = [e for e, (_, t) in zip(panel.scene.edges, ends, strict=True) if t is items["f"]]
    assert [e.label.text for e in into_f] == ["64"]


def test_stepping_forward_then_backward(panel, qtbot):
    panel.reset()
    nodes = list(panel.scene.nodes.values())
    assert all(n.value_text == NOT_YET and n.lower_text == NOT_YET for n in nodes)
    assert all(e.label.text == "?" for e in panel.scene.edges)
    ends = edge_ends(panel)
    inputs_of = {n: {s for s, t in ends if t is n} for n in nodes}
    users_of = {n: {t for s, t in ends if s is n} for n in nodes}
    focus(panel, qtbot)
    valued: list = []
    for k in range(len(nodes)):
        QTest.keyClick(panel.view, QtCore.Qt.Key.Key_Right)
        now = [n for n in nodes if n.value_text != NOT_YET]
        new = [n for n in now if n not in valued]
        assert len(now) == k + 1 and len(new) == 1
        assert inputs_of[new[0]] <= set(valued)  # topological order
        assert new[0].highlight == "active"
        assert all(n.lower_text == NOT_YET for n in nodes)
        valued.append(new[0])
    assert "forward sweep" in panel.step_line.text()
    known: list = []
    for k in range(len(nodes)):
        panel.buttons["step"].click()
        now = [n for n in nodes if n.lower_text != NOT_YET]
        new = [n for n in now if n not in known]
        assert len(now) == k + 1 and len(new) == 1
        assert users_of[new[0]] <= set(known)  # reverse order: consumers first
        known.append(new[0])
    assert known[0].title == "f" and known == valued[::-1]
    line = panel.step_line.text()
    assert "backward sweep" in line and line.endswith("= −4096")
    QTest.keyClick(panel.view, QtCore.Qt.Key.Key_Left)
    assert known[-1].lower_text == NOT_YET
    panel.buttons["end"].click()
    assert known[-1].lower_text != NOT_YET


def test_step_line_and_code_line_follow_the_active_node(panel):
    panel.reset()
    items = items_by_title(panel)
    while items["a"].value_text == NOT_YET:
        panel.step()
    assert panel.step_line.text().endswith("a = t6 ^ 2 = (−2) ^ 2 = 4;   ∂a/∂t6 = −4")
    selection = panel.code.extraSelections()
    assert len(selection) == 1
    assert selection[0].cursor.block().text().strip().startswith("a = t6 ** 2")
    while items["a"].lower_text == NOT_YET:
        panel.step()
    line = panel.step_line.text()
    assert "∂f/∂a = ∂f/∂t12·∂t12/∂a + ∂f/∂t14·∂t14/∂a = 512·1 + 512·1 = 1024" in line
    code_line = panel.code.extraSelections()[0].cursor.block().text().strip()
    assert code_line.startswith("df_da = ")


def test_play_runs_the_sweeps_at_the_chosen_speed(panel, qtbot):
    panel.reset()
    panel.speed.setCurrentIndex(panel.speed.count() - 1)
    assert panel.timer.interval() == int(1000 / panel.speed.currentData())
    focus(panel, qtbot)
    QTest.keyClick(panel.view, QtCore.Qt.Key.Key_Space)
    assert panel.timer.isActive() and panel.buttons["play"].text() == "Pause"
    qtbot.waitUntil(lambda: panel.done >= 3, timeout=5000)
    panel.buttons["play"].click()
    assert not panel.timer.isActive()
    stopped = panel.done
    settle(qtbot, 300)
    assert panel.done == stopped


def test_paths_from_an_input_sum_to_its_adjoint(panel, qtbot):
    items = items_by_title(panel)
    before = widget_pixels(panel.view)
    qtbot.mouseClick(
        panel.view.viewport(),
        LEFT,
        pos=panel.view.mapFromScene(items["w"].sceneBoundingRect().center()),
    )
    settle(qtbot)
    assert panel.path_source is not None and panel.source_box.currentText() == "w"
    rows = [panel.paths.item(k).text() for k in range(panel.paths.count())]
    assert len(rows) == 4 and all(r.startswith("w → ") and " → f:" in r for r in rows)
    products = [number(r) for r in rows]
    summary = panel.paths_sum.text()
    assert f"Sum of the products: {sum(products):g}".replace("-", "−") in summary
    assert "∂f/∂w = −4096" in summary and sum(products) == -4096
    # the highlighted paths change colour on screen: along every edge of a path
    after = widget_pixels(panel.view)
    assert near(after, PATH.getRgb(), 30) > near(before, PATH.getRgb(), 30) + 300
    on_path = [e for e in panel.scene.edges if e.highlight == "path"]
    assert len(on_path) == 15  # the 16 edges from w to f, less w → w+x (the active step's)

    def red_near(image, edge):
        p = panel.view.mapFromScene(edge.path().pointAtPercent(0.3))
        patch = image[p.y() - 2 : p.y() + 3, p.x() - 2 : p.x() + 3]
        return near(patch, PATH.getRgb(), 40)

    assert all(red_near(after, e) > 0 and red_near(before, e) == 0 for e in on_path)


def test_figure_18_4_2_in_one_click(window, panel, qtbot):
    qtbot.mouseClick(panel.findChild(QtWidgets.QPushButton, "graph_figure"), LEFT)
    settle(qtbot)
    assert window.session.preset == presets.PATHS_PRESET.name
    assert panel.source_box.currentText() == "y"
    assert panel.paths.count() == 3
    x, y, z = window.session.point
    u, v = x * y, y + z
    assert f"∂f/∂y = {2 * u * x + x + 2 * v:g}" in panel.paths_sum.text()


def test_forward_mode_tangents_equal_the_gradient(window, panel):
    grad = parse(CHAIN.text).gradient(*CHAIN.point)
    items = items_by_title(panel)
    for k, v in enumerate("wxyz"):
        panel.mode.setCurrentIndex(k + 1)
        panel.mode.activated.emit(k + 1)
        assert panel.variable == v and items["f"].lower_text == NOT_YET
        panel.finish()
        assert items["f"].lower_text == f"∂f/∂{v} = −4096"
        assert number(items["f"].lower_text) == grad[k]
        assert items[v].lower_text == f"∂{v}/∂{v} = 1"
    assert "forward mode needs 4 sweeps × 21 = 84" in panel.counts.text()
    assert "reverse mode one backward sweep × 21 = 21" in panel.counts.text()


def test_dragging_the_point_on_the_map_updates_the_panel(window, panel, qtbot):
    items = items_by_title(panel)
    layout = dict(panel.model.layout().centers)
    view = window.map_view
    start = map_to_widget(view, -1.0, 0.0)
    end = map_to_widget(view, 0.5, 0.75)
    qtbot.mousePress(view.viewport(), LEFT, pos=start)
    for t in np.linspace(0, 1, 6)[1:]:
        p = QtCore.QPoint(
            int(start.x() + t * (end.x() - start.x())), int(start.y() + t * (end.y() - start.y()))
        )
        QTest.mouseMove(view.viewport(), p)
        settle(qtbot, 5)
    qtbot.mouseRelease(view.viewport(), LEFT, pos=end)
    settle(qtbot)
    w, x, y, z = window.session.point
    assert abs(w - 0.5) < 0.05 and abs(x - 0.75) < 0.05
    assert number(items["w"].value_text) == pytest.approx(w, rel=1e-3, abs=1e-3)
    assert number(items["x"].value_text) == pytest.approx(x, rel=1e-3, abs=1e-3)
    assert number(items["f"].value_text) == pytest.approx(chapter_chain(w, x, y, z), rel=1e-3)
    grad = window.session.info().gradient
    for k, name in enumerate("wxyz"):
        assert number(items[name].lower_text) == pytest.approx(grad[k], rel=1e-3, abs=1e-3)
    assert panel.model.layout().centers == layout  # no new layout on a point move


def test_moving_a_slice_variable_updates_the_whole_function(window, panel, qtbot):
    s = window.session
    s.set_point([-1.0, 0.0, 0.5, 1.0])  # y is off the plotted axes: the slice moves
    settle(qtbot)
    items = items_by_title(panel)
    assert number(items["y"].value_text) == 0.5
    assert number(items["f"].value_text) == pytest.approx(
        chapter_chain(-1.0, 0.0, 0.5, 1.0), rel=1e-3
    )


def test_export_svg_names_the_nodes_and_png_has_the_graph(panel, tmp_path):
    svg = tmp_path / "graph.svg"
    panel.write_svg(str(svg))
    root = ET.parse(svg).getroot()
    texts = {"".join(t.itertext()).strip() for t in root.iter() if t.tag.endswith("text")}
    assert {"w", "x", "y", "z", "a", "b", "u", "v", "f", "= 1024"} <= texts
    png = tmp_path / "graph.png"
    panel.write_png(str(png))
    image = QtGui.QImage(str(png))
    assert image.width() > 500 and image.height() > 100
    with pytest.raises(OSError):
        panel.write_png(str(tmp_path / "missing" / "graph.png"))


def test_a_huge_named_function_collapses_and_says_so(window, panel, qtbot):
    lines = [f"d{k} = sin({k + 1}x + y) * exp(-{k + 1}y) + cos(x - {k}y)" for k in range(20)]
    text = "; ".join([*lines, "f = " + " + ".join(f"d{k}" for k in range(20))])
    assert window.session.set_text(text) is None
    settle(qtbot)
    assert panel.note.isVisible() and "one node per named definition" in panel.note.text()
    titles = set(items_by_title(panel))
    assert titles == {"x", "y", "f", *(f"d{k}" for k in range(20))}
    grad = window.session.info().gradient
    assert number(items_by_title(panel)["x"].lower_text) == pytest.approx(grad[0], rel=1e-3)


def test_hidden_panel_waits_and_catches_up_when_shown(window, qtbot):
    dock = window.docks["graph"]
    assert not dock.isVisible() and window.graph_panel.model is None
    window.session.load_preset(CHAIN)
    window.session.set_point([0.0, 0.0, 0.0, 1.0])
    assert window.graph_panel.model is None  # nothing built while hidden
    window.show_graph()
    settle(qtbot)
    items = items_by_title(window.graph_panel)
    assert number(items["f"].value_text) == chapter_chain(0.0, 0.0, 0.0, 1.0)


def test_a_graph_too_large_to_draw_says_so_and_stays_alive(window, panel, qtbot, tmp_path):
    text = " + ".join(f"sin({k}x + y)*exp(-{k}y*x)*cos(x - {k}y)" for k in range(1, 70))
    assert window.session.set_text(text) is None
    settle(qtbot)
    assert not panel.scene.nodes and "too many to draw" in panel.note.text()
    panel.step()
    panel.set_mode("x")
    panel.write_png(str(tmp_path / "big.png"))
    window.session.set_point([0.1, 0.2])  # still follows the point, quietly
    window.session.load_preset(CHAIN)
    settle(qtbot)
    assert items_by_title(panel)["f"].value_text == "= 1024" and not panel.note.isVisible()


def test_x_times_x_draws_both_edges_with_their_partials(window, panel, qtbot):
    assert window.session.set_text("x*x + y") is None
    window.session.set_point([1.5, 0.25])
    settle(qtbot)
    ends = edge_ends(panel)
    items = items_by_title(panel)
    twins = [e for e, (s, _) in zip(panel.scene.edges, ends, strict=True) if s is items["x"]]
    assert len(twins) == 2 and [e.label.text for e in twins] == ["1.5", "1.5"]
    assert twins[0].path().pointAtPercent(0.5) != twins[1].path().pointAtPercent(0.5)
    assert items["x"].lower_text == "∂f/∂x = 3"


def test_render_graph_from_the_command_line(tmp_path):
    from .test_files_and_failures import run

    out = tmp_path / "graph.png"
    r = run(
        "render", CHAIN.text, "--at=-1,0,-2,1", "--view=graph", "--size=900x400", f"--out={out}"
    )
    assert r.returncode == 0, r.stderr
    image = QtGui.QImage(str(out))
    assert (image.width(), image.height()) == (900, 400)
    arr = pixels(image)
    assert near(arr, (223, 244, 226), 3) > 200  # the output node's green fill
    assert near(arr, (222, 235, 250), 3) > 4 * 200  # four input nodes


def test_no_node_line_is_cut_at_an_awkward_point(window, panel, qtbot):
    """Long adjoints (−0.3612, 1.235e+12) and long names fit their box, in the
    normal type and the zoomed-out one."""
    assert (
        window.session.set_text("hidden = exp(-x^2 - y^2) * sin(3x); f = hidden * cosh(9y)") is None
    )
    window.session.set_point([0.123456, -3.21])
    settle(qtbot)
    nodes = list(panel.scene.nodes.values())
    assert any("e+" in n.value_text for n in nodes)  # a number at its longest
    for node in nodes:
        inner = node.boundingRect().width() - 4 - 8
        lines = [
            (scene.LINE_FONT, node.value_text),
            (scene.LINE_FONT, node.lower_text),
            (scene.COMPACT_FONT, node.lower_text.replace(f"∂{node.name}", "∂·", 1)),
            (scene.TITLE_FONT, node.title),
        ]
        for font, text in lines:
            assert text != NOT_YET
            metrics = QtGui.QFontMetricsF(font)
            assert metrics.elidedText(text, QtCore.Qt.TextElideMode.ElideRight, inner) == text
