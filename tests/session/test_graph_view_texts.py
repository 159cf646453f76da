"""The graph panel's texts and layout on a small function worked by hand:
f(x, y) = −x·y + |y| at (2, −3), whose nodes are x, y, t2 = −x, t3 = t2·y,
t4 = |y| and f = t3 + t4 (so f = 6 + 3 = 9, ∂f/∂x = 3, ∂f/∂y = −2 − 1 = −3)."""

import math

import pytest

from explorer.engine import parse
from explorer.session.graph_view import MAX_DRAWN, GraphModel, Step, fmt


@pytest.fixture
def model():
    return GraphModel(parse("f(x, y) = -x*y + abs(y)"), [2.0, -3.0])


def test_names_and_symbols(model):
    assert model.names == ("x", "y", "t2", "t3", "t4", "f")
    assert model.symbols == ("input", "input", "−", "×", "|·|", "+")
    sq = GraphModel(parse("f(x) = 3*x^2"), [1.0])
    assert sq.symbols == ("input", "3", "2", "^2", "3×")  # constants by their value


def test_the_forward_sweep_in_the_chapters_notation(model):
    texts = [model.step_text(Step("forward", i)) for i in model.nodes]
    assert texts == [
        "x = 2   (an input)",
        "y = −3   (an input)",
        "t2 = −x = −2 = −2;   ∂t2/∂x = −1",
        "t3 = t2 × y = (−2) × (−3) = 6;   ∂t3/∂t2 = −3, ∂t3/∂y = −2",
        "t4 = |y| = |(−3)| = 3;   ∂t4/∂y = −1",
        "f = t3 + t4 = 6 + 3 = 9;   ∂f/∂t3 = 1, ∂f/∂t4 = 1",
    ]


def test_forward_mode_from_the_seed(model):
    texts = [model.step_text(s, "x") for s in model.steps("x")]
    assert texts == [
        "x = 2,   ∂x/∂x = 1   (the seed)",
        "y = −3,   ∂y/∂x = 0   (the seed)",
        "t2 = −2,   ∂t2/∂x = ∂t2/∂x·∂x/∂x = (−1)·1 = −1",
        "t3 = 6,   ∂t3/∂x = ∂t3/∂t2·∂t2/∂x + ∂t3/∂y·∂y/∂x = (−3)·(−1) + (−2)·0 = 3",
        "t4 = 3,   ∂t4/∂x = ∂t4/∂y·∂y/∂x = (−1)·0 = 0",
        "f = 9,   ∂f/∂x = ∂f/∂t3·∂t3/∂x + ∂f/∂t4·∂t4/∂x = 1·3 + 1·0 = 3",
    ]
    assert model.step_text(Step("tangent", 1), "y") == "y = −3,   ∂y/∂y = 1   (the seed)"


def test_an_edge_shows_its_partial_once_its_targets_step_ran(model):
    # edges: x→t2, t2→t3, y→t3, y→t4, t3→f, t4→f; targets at positions 2, 3, 3, 4, 5, 5
    assert model.edge_texts(2) == ["?"] * 6
    assert model.edge_texts(3) == ["−1", "?", "?", "?", "?", "?"]
    assert model.edge_texts(4) == ["−1", "−3", "−2", "?", "?", "?"]
    assert model.edge_texts(6) == ["−1", "−3", "−2", "−1", "1", "1"]


def test_the_edges_on_the_paths_from_a_node_to_the_output(model):
    assert model.path_edges(0) == {0, 1, 4}  # x → t2 → t3 → f
    assert model.path_edges(1) == {2, 3, 4, 5}  # y → t3 → f and y → t4 → f
    assert model.path_edges(4) == {5}
    assert model.path_edges(5) == set()


def test_a_graph_too_large_to_draw_says_how_to_collapse_it():
    text = " + ".join(f"sin({k}*x)" for k in range(1, 400))
    m = GraphModel(parse(text), [0.5])  # no definition named: nothing to collapse by
    assert not m.collapsed and not m.drawable and len(m.nodes) > MAX_DRAWN
    assert m.note == (
        f"{len(m.nodes)} nodes: too many to draw (name intermediate definitions to collapse them)"
    )


def test_the_layout_runs_from_the_borders_with_bends_on_every_layer():
    m = GraphModel(parse("f(x) = x*x + sin(sin(sin(x)))"), [1.0])
    w, h = 100.0, 42.0
    lay = m.layout((w, h), 50.0)
    xs = sorted({x for x, _ in lay.centers.values()})
    # layers w + gap apart, the first half a box from the left edge; the top box at 0
    assert xs == [w + k * (w + 50.0) for k in range(len(xs))]
    assert min(y for _, y in lay.centers.values()) == h / 2
    assert lay.width == xs[-1] + w / 2
    for e, route in zip(m.edges, lay.routes, strict=True):
        sx, tx = lay.centers[e.source][0], lay.centers[e.target][0]
        assert route[0][0] == sx + w / 2 and route[-1][0] == tx - w / 2
        # a long edge bends on each layer it crosses
        assert [x for x, _ in route[1:-1]] == [x for x in xs if sx < x < tx]
    # x·x: two edges between the same two boxes, 6 either side of the line between them
    (a, b) = [r for e, r in zip(m.edges, lay.routes, strict=True) if (e.source, e.target) == (0, 1)]
    sy = lay.centers[0][1]
    assert (a[0][1] - sy, b[0][1] - sy) == (-6.0, 6.0)


def _named(definitions: int) -> str:
    lines = [
        f"d{k} = sin({k + 1}x + y) * exp(-{k + 1}y) + cos(x - {k}y)" for k in range(definitions)
    ]
    return "; ".join([*lines, "f = " + " + ".join(f"d{k}" for k in range(definitions))])


def test_a_collapsed_graph_in_forward_mode_and_its_paths():
    m = GraphModel(parse(_named(20)), (0.3, 0.2))
    assert m.collapsed
    x, d0, f = m.names.index("x"), m.names.index("d0"), m.output
    assert m.step_text(Step("tangent", x), "x") == "x = 0.3,   ∂x/∂x = 1   (the seed)"
    # d0 = sin(x + y)·e^(−y) + cos(x): ∂d0/∂x = cos(x + y)·e^(−y) − sin(x)
    value = math.sin(0.5) * math.exp(-0.2) + math.cos(0.3)
    slope = math.cos(0.5) * math.exp(-0.2) - math.sin(0.3)
    assert m.step_text(Step("tangent", d0), "x") == (f"d0 = {fmt(value)},   ∂d0/∂x = {fmt(slope)}")
    # x feeds every definition, each definition only f
    on = {(m.names[m.edges[k].source], m.names[m.edges[k].target]) for k in m.path_edges(x)}
    assert on == {("x", f"d{k}") for k in range(20)} | {(f"d{k}", "f") for k in range(20)}
    assert {(m.edges[k].source, m.edges[k].target) for k in m.path_edges(d0)} == {(d0, f)}


def test_a_collapsed_graph_too_large_to_draw_says_so_without_the_hint():
    text = "; ".join(
        [
            *(f"d{k} = x*{k + 2}" for k in range(601)),
            "f = " + " + ".join(f"d{k}" for k in range(601)),
        ]
    )
    m = GraphModel(parse(text), [1.0])
    assert m.collapsed and not m.drawable
    assert m.note == "603 nodes: too many to draw"
