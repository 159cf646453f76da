"""The trace the graph panel draws, checked node by node against hand computation."""

import math

import pytest

from explorer.engine import parse
from explorer.engine.trace import const_label


@pytest.mark.parametrize(
    ("value", "label"),
    [
        (math.pi, "π"),
        (math.e, "e"),
        (3.0, "3"),
        (-2.0, "-2"),
        (0.5, "0.5"),
        (999_999_999_999_999.0, "999999999999999"),
        (1e15, "1e+15"),
        (math.nan, "nan"),
        (math.inf, "inf"),
    ],
)
def test_constant_labels(value, label):
    assert const_label(value) == label


def test_every_node_of_a_small_trace_by_hand():
    # a = π·x; f = a·y + sign(x) + c with c = 3, at (x, y) = (2, 5)
    t = parse("c = 3; a = pi*x; f = a*y + sign(x) + c").trace((2, 5))
    assert t.point == (2.0, 5.0) and t.variables == ("x", "y")
    by_label = {n.label: n for n in t.nodes}
    pi, three, a, sign = by_label["π"], by_label["3"], by_label["a"], by_label["sign"]
    assert (pi.kind, pi.name, pi.value) == ("constant", None, math.pi)
    assert (three.kind, three.name, three.value) == ("constant", None, 3.0)
    assert (a.kind, a.op, a.value) == ("operation", "mul", 2 * math.pi)
    assert math.isnan(a.partials[0]) and a.partials[1] == math.pi  # ∂(π·x)/∂x = π
    assert sign.op == "sign" and sign.partials == (0.0,) and sign.value == 1.0
    assert t.value == 10 * math.pi + 1 + 3
    assert t.gradient.tolist() == [5 * math.pi, 2 * math.pi]  # (π·y + 0, π·x)
    assert sorted(n.id for n in t.nodes) == sorted({n.id for n in t.nodes})
    assert all(isinstance(n.id, int) for n in t.nodes)
    x = t.nodes[t.inputs[0]]
    assert (x.name, x.kind, x.adjoint) == ("x", "input", 5 * math.pi)


def test_a_trace_needs_one_coordinate_per_variable():
    with pytest.raises(ValueError, match="needs 2 coordinates, got 1"):
        parse("x*y").trace((1.0,))


def test_a_trace_outside_the_domain_is_nan_without_warnings():
    t = parse("log(x)").trace((-1.0,))
    assert math.isnan(t.value)


def test_paths_sorted_counted_and_limited():
    # x·x + x: three paths from x (two through the product, one straight)
    t = parse("x*x + x").trace((3.0,))
    x = t.inputs[0]
    paths = t.paths(x, limit=3)
    assert [p for p, _ in paths] == sorted(p for p, _ in paths)
    assert sorted(product for _, product in paths) == [1.0, 3.0, 3.0]
    assert sum(product for _, product in paths) == t.gradient[0] == 7.0
    with pytest.raises(ValueError, match="more than 2 paths"):
        t.paths(x, limit=2)
