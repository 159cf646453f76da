"""The graph panel's view model against hand computations (the chapter's numbers)
and against the compiled gradient, which never looks at the trace's adjoints."""

import math

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from explorer.engine import parse
from explorer.session.graph_view import COLLAPSE_AT, NOT_YET, GraphModel, fmt
from explorer.session.presets import CHAIN, PATHS_PRESET
from tests.engine.test_oracle import _tame, expressions, oracle_settings, points

POINT = (-1.0, 0.0, -2.0, 1.0)


@pytest.fixture
def chain():
    return GraphModel(parse(CHAIN), POINT)


def test_chain_nodes_names_and_the_shared_sum(chain):
    names = {chain.names[i] for i in chain.nodes}
    assert {"w", "x", "y", "z", "a", "b", "u", "v", "f"} <= names
    # w + x feeds both a and b: one node with two consumers
    t = chain.trace
    w, x = (t.inputs[k] for k in (0, 1))
    shared = [i for i in chain.nodes if set(t.nodes[i].inputs) == {w, x}]
    assert len(shared) == 1
    assert sum(e.source == shared[0] for e in chain.edges) == 2
    assert chain.symbols[shared[0]] == "+"
    assert chain.symbols[t.output] == "^2"  # the constant written into its operation
    assert not chain.collapsed and chain.note == ""


def test_steps_forward_in_topological_order_then_backward(chain):
    steps = chain.steps()
    n = len(chain.nodes)
    assert [s.sweep for s in steps] == ["forward"] * n + ["backward"] * n
    seen: set[int] = set()
    for s in steps[:n]:  # every argument is computed before its node
        assert all(j in seen for e in chain.edges if e.target == s.node for j in [e.source])
        seen.add(s.node)
    done: set[int] = set()
    for s in steps[n:]:  # every consumer's adjoint is known before its argument's
        assert all(e.target in done for e in chain.edges if e.source == s.node)
        done.add(s.node)
    assert steps[n].node == chain.output and steps[-1].node in chain.trace.inputs


def test_not_yet_computed_until_the_sweep_arrives(chain):
    steps = chain.steps()
    n = len(chain.nodes)
    for k in range(len(steps) + 1):
        texts = chain.node_texts(k)
        for position, i in enumerate(chain.nodes):
            assert (texts[i].value == NOT_YET) == (position >= k)
            adjoint_done = k > n and i in {s.node for s in steps[n:k]}
            assert (texts[i].lower == NOT_YET) == (not adjoint_done)
            assert "0" != texts[i].value and "0" != texts[i].lower
    final = chain.node_texts(len(steps))
    assert final[chain.output].value == "= 1024"
    for i in chain.trace.inputs:
        assert final[i].lower == f"∂f/∂{chain.names[i]} = −4096"
    edges = chain.edge_texts(0)
    assert set(edges) == {"?"}
    assert "?" not in chain.edge_texts(n)


def test_step_lines_in_the_chapters_notation(chain):
    steps = chain.steps()
    by_name = {chain.names[s.node]: s for s in steps if s.sweep == "backward"}
    # ∂f/∂a = ∂f/∂(a+b)·1 + ∂f/∂(a−b)·1 = 512 + 512 (both uses of a summed)
    line = chain.step_text(by_name["a"])
    assert line.startswith("∂f/∂a = ∂f/∂t12·∂t12/∂a + ∂f/∂t14·∂t14/∂a = ")
    assert line.endswith("512·1 + 512·1 = 1024")
    fwd = {chain.names[s.node]: s for s in steps if s.sweep == "forward"}
    assert chain.step_text(fwd["u"]).startswith("u = t12 ^ 2 = 4 ^ 2 = 16;")
    assert "∂u/∂t12 = 8" in chain.step_text(fwd["u"])


def test_paths_of_figure_18_4_2():
    m = GraphModel(parse(PATHS_PRESET.text), PATHS_PRESET.point)
    x, y, z = PATHS_PRESET.point
    listed, count, total = m.paths(m.trace.inputs[1])
    assert count == 3 and [p.names[-1] for p in listed] == ["f"] * 3
    u, v = x * y, y + z
    by_hand = (2 * u) * x + x + (2 * v)  # a = u², b = v², f = a + u + b
    assert total == pytest.approx(by_hand)
    assert sorted(p.product for p in listed) == pytest.approx(sorted([2 * u * x, x, 2 * v]))
    for p in listed:
        assert math.prod(p.factors) == pytest.approx(p.product)


@oracle_settings(60)
@given(expressions, points)
def test_path_products_sum_to_the_gradient(expr, at):
    # outside the function's domain (sympy says so, at every node) partials are
    # NaN along some paths while the compiled gradient may have folded them away
    assume(_tame(expr, at))
    f = parse(expr.text, variables=("x", "y"))
    with np.errstate(all="ignore"):
        grad = f.gradient(*at)
    assume(np.all(np.isfinite(grad)) and np.all(np.abs(grad) < 1e8))
    m = GraphModel(f, at)
    for k, v in enumerate(f.variables):
        start = [i for i in m.trace.inputs if m.names[i] == v]
        if not start:  # the variable does not occur: no path, a zero partial
            assert grad[k] == 0
            continue
        try:
            _, _, total = m.paths(start[0])
        except ValueError:  # past the engine's path limit
            continue
        assert total == pytest.approx(grad[k], rel=1e-9, abs=1e-9)
        tangent = m.tangents(v)[m.output]  # forward mode: one sweep for this input
        assert tangent == pytest.approx(grad[k], rel=1e-9, abs=1e-9)


def test_forward_mode_tangents_give_each_gradient_component(chain):
    grad = parse(CHAIN).gradient(*POINT)
    for v, g in zip(chain.function.variables, grad, strict=True):
        steps = chain.steps(v)
        assert [s.node for s in steps] == list(chain.nodes)
        texts = chain.node_texts(len(steps), v)
        assert texts[chain.output].lower == f"∂f/∂{v} = {fmt(g)}"
        assert chain.node_texts(0, v)[chain.output].lower == NOT_YET
    n, per_sweep, _ = chain.operation_counts()
    assert (n, per_sweep) == (4, 21)  # 21 edges between non-constant nodes


def test_point_move_keeps_the_layout(chain):
    layout = chain.layout()
    chain.set_point((0.5, 0.25, -0.5, 1.0))
    assert chain.layout() is layout
    w, x, y, z = 0.5, 0.25, -0.5, 1.0
    a, b = (w + x + y + z) ** 2, (w + x - y - z) ** 2
    assert chain.trace.value == pytest.approx(((a + b) ** 2 + (a - b) ** 2) ** 2)


def test_layout_runs_left_to_right_without_overlaps(chain):
    layout = chain.layout((100.0, 50.0), 60.0)
    for e, route in zip(chain.edges, layout.routes, strict=True):
        assert layout.centers[e.source][0] < layout.centers[e.target][0]
        xs = [p[0] for p in route]
        assert xs == sorted(xs)
    boxes = list(layout.centers.values())
    for k, (x1, y1) in enumerate(boxes):
        for x2, y2 in boxes[k + 1 :]:
            assert abs(x1 - x2) >= 100 or abs(y1 - y2) >= 50
    assert all(0 <= x <= layout.width and 0 <= y <= layout.height for x, y in boxes)


def _big_named(definitions: int) -> str:
    lines = [
        f"d{k} = sin({k + 1}x + y) * exp(-{k + 1}y) + cos(x - {k}y)" for k in range(definitions)
    ]
    return "; ".join([*lines, "f = " + " + ".join(f"d{k}" for k in range(definitions))])


def test_huge_graphs_collapse_by_named_definitions():
    f = parse(_big_named(20))
    m = GraphModel(f, (0.3, 0.2))
    assert len([n for n in m.trace.nodes if n.kind != "constant"]) > COLLAPSE_AT
    assert m.collapsed and "one node per named definition" in m.note
    assert {m.names[i] for i in m.nodes} == {"x", "y", "f", *(f"d{k}" for k in range(20))}
    assert {(m.names[e.source], m.names[e.target]) for e in m.edges} >= {("x", "d0"), ("d0", "f")}
    texts = m.node_texts(2 * len(m.nodes))
    assert texts[m.trace.inputs[0]].lower == f"∂f/∂x = {fmt(f.gradient(0.3, 0.2)[0])}"
    layout = m.layout()
    assert set(layout.centers) == set(m.nodes)
    # without names it draws everything and says so
    big = parse(" + ".join(f"sin({k}x + y)*exp(-{k}y*x)" for k in range(1, 25)))
    m = GraphModel(big, (0.1, 0.2))
    assert not m.collapsed and "zoom in" in m.note


def test_a_large_layout_keeps_every_edge_left_to_right():
    text = " + ".join(
        f"sin({k}x + y^{k % 3 + 2})*exp(-{k}y*x) + log(1+x^2*{k}+y)/(2+cos(x*y+{k}))"
        for k in range(1, 21)
    )
    m = GraphModel(parse(text), (0.3, 0.4))
    layout = m.layout()
    assert len(layout.centers) == len(m.nodes) > 200
    for e in m.edges:
        assert layout.centers[e.source][0] < layout.centers[e.target][0]


@given(st.floats(-1e300, 1e300) | st.sampled_from([0.0, -0.0, math.inf, -math.inf, math.nan]))
def test_fmt_is_total(x):
    text = fmt(x)
    assert text and "-" not in text


def test_paths_through_both_arguments_of_a_power_list_their_own_factors():
    """x^x at x = 2 reaches the power twice: through the base, ∂(b^e)/∂b = e·b^(e−1)
    = 4, and through the exponent, ∂(b^e)/∂e = b^e·ln b = 4 ln 2. Each listed path
    shows its own partial, says which argument it enters, and its product."""
    m = GraphModel(parse("x^x"), (2.0,))
    listed, count, total = m.paths(m.trace.inputs[0])
    assert count == 2
    by_text = {p.text(): p for p in listed}
    assert set(by_text) == {
        "x → f (argument 1):  4 = 4",
        f"x → f (argument 2):  {fmt(4 * math.log(2))} = {fmt(4 * math.log(2))}",
    }
    assert total == pytest.approx(4 * (math.log(2) + 1))  # d/dx x^x = x^x (ln x + 1)


def test_paths_through_two_doubled_steps_pair_each_factor_with_its_argument():
    """p = x^x, f = p^p at x = 1.5: four paths x → p → f, one per pair of arguments,
    each product the chapter's ∂f/∂p·∂p/∂x for that pair."""
    x = 1.5
    p = x**x
    dp = {1: p, 2: p * math.log(x)}  # ∂p/∂x through the base, through the exponent
    df = {1: p**p, 2: p**p * math.log(p)}  # ∂f/∂p likewise
    m = GraphModel(parse("p = x^x; f = p^p"), (x,))
    listed, count, total = m.paths(m.trace.inputs[0])
    assert count == 4
    seen = set()
    for path in listed:
        assert path.names[0] == "x"
        i = int(path.names[1].removeprefix("p (argument ").removesuffix(")"))
        j = int(path.names[2].removeprefix("f (argument ").removesuffix(")"))
        assert path.factors == pytest.approx((dp[i], df[j]), rel=1e-12)
        assert path.product == pytest.approx(dp[i] * df[j], rel=1e-12)
        seen.add((i, j))
    assert seen == {(1, 1), (1, 2), (2, 1), (2, 2)}
    assert total == pytest.approx(sum(dp.values()) * sum(df.values()), rel=1e-12)
