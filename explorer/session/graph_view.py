"""What the backpropagation graph panel shows, without widgets.

`GraphModel` turns one function's `Trace` into the panel's content: which nodes
and edges are drawn (the whole DAG, or one node per named definition when it is
too large to read), where they go (a layered layout by grandalf, computed once
per function), the sweeps as a sequence of steps, and for every step the text of
each node and edge and one line in the chapter's notation with the numbers
filled in. A point move only rebuilds the trace; the layout stays.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from explorer.engine import Function
from explorer.engine.ops import OPS
from explorer.engine.trace import Trace

COLLAPSE_AT = 150  # more drawn nodes than this: one node per named definition
MAX_DRAWN = 600  # past this a layout takes seconds and no one could read it
MAX_LISTED_PATHS = 200
NOT_YET = "not yet computed"


def fmt(x: float) -> str:
    """A number as the panel writes it: 4 significant digits, a real minus sign."""
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "∞" if x > 0 else "−∞"
    text = f"{x:.4g}"
    if text == "-0":
        text = "0"
    return text.replace("-", "−")


def _factor(x: float) -> str:
    """A number inside a product or sum: negative ones in parentheses."""
    text = fmt(x)
    return f"({text})" if text.startswith("−") else text


@dataclass(frozen=True)
class Step:
    sweep: str  # "forward", "backward" or "tangent"
    node: int  # position in the trace


@dataclass(frozen=True)
class Edge:
    source: int
    target: int
    slot: int | None  # argument slot of `target` (None: an edge between collapsed definitions)


@dataclass(frozen=True)
class Layout:
    centers: dict[int, tuple[float, float]]  # node -> centre of its box
    routes: tuple[tuple[tuple[float, float], ...], ...]  # per edge, box border to box border
    size: tuple[float, float]  # node box (width, height)
    width: float
    height: float


@dataclass(frozen=True)
class PathInfo:
    names: tuple[str, ...]
    factors: tuple[float, ...]
    product: float

    def text(self) -> str:
        chain = " → ".join(self.names)
        product = "·".join(_factor(p) for p in self.factors) or "1"
        return f"{chain}:  {product} = {fmt(self.product)}"


@dataclass(frozen=True)
class NodeText:
    value: str
    lower: str  # the adjoint, a tangent, or NOT_YET
    lower_known: bool
    value_known: bool


class GraphModel:
    """The panel's content for one function; `set_point` follows the session."""

    def __init__(self, function: Function, point: Sequence[float]) -> None:
        self.function = function
        self.trace: Trace = function.trace(point)
        t = self.trace
        self.output = t.output
        self.names = tuple(self._name(i) for i in range(len(t.nodes)))
        self.symbols = tuple(self._symbol(i) for i in range(len(t.nodes)))
        shown = [i for i, n in enumerate(t.nodes) if n.kind != "constant"]
        named = [i for i in shown if t.nodes[i].kind == "operation" and t.nodes[i].name]
        self.collapsed = len(shown) > COLLAPSE_AT and bool(named)
        if self.collapsed:
            self.nodes, self.edges = self._collapse(shown)
            self.note = (
                f"{len(shown)} nodes: drawn as one node per named definition "
                f"({len(self.nodes)} nodes); partials inside a definition are not drawn"
            )
        else:
            self.nodes = tuple(shown)
            self.edges = tuple(
                Edge(j, i, k)
                for i in shown
                for k, j in enumerate(t.nodes[i].inputs)
                if t.nodes[j].kind != "constant"
            )
            self.note = (
                f"{len(shown)} nodes: zoom in to read (name definitions to collapse them)"
                if len(shown) > COLLAPSE_AT
                else ""
            )
        self.drawable = len(self.nodes) <= MAX_DRAWN
        if not self.drawable:
            self.note = f"{len(self.nodes)} nodes: too many to draw" + (
                "" if self.collapsed else " (name intermediate definitions to collapse them)"
            )
        self._layout: Layout | None = None
        self._tangents: dict[str, list[float]] = {}

    # names and symbols ---------------------------------------------------------
    def _name(self, i: int) -> str:
        node = self.trace.nodes[i]
        if i == self.trace.output:
            return node.name or self.function.output_name
        if node.kind == "constant":
            return node.label
        return node.name or f"t{node.id}"  # the names of `Function.source()`

    def _symbol(self, i: int) -> str:
        """The operation, with a constant argument written into it (``^2``, ``3×``)."""
        node = self.trace.nodes[i]
        if node.kind != "operation":
            return node.label if node.kind == "constant" else "input"
        op = OPS[node.op]
        consts = [k for k, j in enumerate(node.inputs) if self.trace.nodes[j].kind == "constant"]
        if op.infix and consts:
            c = self.trace.nodes[node.inputs[consts[0]]].label
            return f"{op.label}{c}" if consts[0] == 1 else f"{c}{op.label}"
        return op.label

    def formula(self, i: int, args: Sequence[str]) -> str:
        """Node `i` written over `args` (names or numbers) in the language's notation."""
        node = self.trace.nodes[i]
        op = OPS[node.op]
        if op.infix:
            return f"{args[0]} {op.label} {args[1]}"
        if node.op == "neg":
            return f"−{args[0]}"
        if node.op == "abs":
            return f"|{args[0]}|"
        return f"{op.label}({', '.join(args)})"

    # structure -----------------------------------------------------------------
    def _collapse(self, shown: list[int]) -> tuple[tuple[int, ...], tuple[Edge, ...]]:
        """Keep inputs, named definitions and the output; every other node belongs
        to the earliest definition that uses it."""
        t = self.trace
        kept = {i for i in shown if t.nodes[i].kind == "input" or t.nodes[i].name}
        kept.add(t.output)
        owner: dict[int, int] = {}
        uses = t.consumers()
        for i in reversed(shown):
            if i in kept:
                owner[i] = i
            else:
                owner[i] = min((owner[c] for c, _ in uses[i] if c in owner), default=t.output)
        pairs = {
            (owner[j], owner[i])
            for i in shown
            for j in t.nodes[i].inputs
            if t.nodes[j].kind != "constant" and owner[j] != owner[i]
        }
        nodes = tuple(i for i in shown if i in kept)
        return nodes, tuple(Edge(a, b, None) for a, b in sorted(pairs))

    def layout(self, size: tuple[float, float] = (100.0, 42.0), gap: float = 50.0) -> Layout:
        """Layers from the inputs (left) to the output (right); computed once."""
        if self._layout is None or self._layout.size != size:
            self._layout = layered(self.nodes, self.edges, size, gap)
        return self._layout

    # following the point ---------------------------------------------------------
    def set_point(self, point: Sequence[float]) -> None:
        self.trace = self.function.trace(point)
        self._tangents.clear()

    def tangents(self, variable: str) -> list[float]:
        """Forward mode: ∂node/∂variable for every node of the trace."""
        if variable not in self._tangents:
            self._tangents[variable] = self.trace.tangents(variable).tolist()
        return self._tangents[variable]

    # sweeps ----------------------------------------------------------------------
    def steps(self, variable: str | None = None) -> tuple[Step, ...]:
        """Reverse mode (`variable` None): the forward sweep then the backward
        sweep; forward mode: one sweep carrying values and ∂node/∂variable."""
        if variable is not None:
            return tuple(Step("tangent", i) for i in self.nodes)
        forward = [Step("forward", i) for i in self.nodes]
        backward = [Step("backward", i) for i in reversed(self.nodes)]
        return (*forward, *backward)

    def node_texts(self, done: int, variable: str | None = None) -> dict[int, NodeText]:
        """What each drawn node says after the first `done` steps."""
        t = self.trace.nodes
        n = len(self.nodes)
        tangent = self.tangents(variable) if variable is not None else None
        out = {}
        for k, i in enumerate(self.nodes):
            value_known = done > k
            if tangent is not None:
                lower_known = value_known
                lower = f"∂{self.names[i]}/∂{variable} = {fmt(tangent[i])}"
            else:
                lower_known = done >= 2 * n - k
                lower = f"∂{self.names[self.output]}/∂{self.names[i]} = {fmt(t[i].adjoint)}"
            out[i] = NodeText(
                f"= {fmt(t[i].value)}" if value_known else NOT_YET,
                lower if lower_known else NOT_YET,
                lower_known,
                value_known,
            )
        return out

    def edge_texts(self, done: int) -> list[str | None]:
        """The single-step partial on each edge once its target's forward step ran."""
        position = {i: k for k, i in enumerate(self.nodes)}
        texts: list[str | None] = []
        for e in self.edges:
            if e.slot is None:
                texts.append(None)
            elif done > position[e.target]:
                texts.append(fmt(self.trace.nodes[e.target].partials[e.slot]))
            else:
                texts.append("?")
        return texts

    def step_text(self, step: Step, variable: str | None = None) -> str:
        """One line in the chapter's notation with the numbers filled in."""
        if step.sweep == "forward":
            return self._forward_text(step.node)
        if step.sweep == "backward":
            return self._backward_text(step.node)
        return self._tangent_text(step.node, variable or "")

    def _forward_text(self, i: int) -> str:
        node = self.trace.nodes[i]
        name = self.names[i]
        if node.kind == "input":
            return f"{name} = {fmt(node.value)}   (an input)"
        if self.collapsed:
            return f"{name} = {fmt(node.value)}"
        args = [self.names[j] for j in node.inputs]
        numbers = [_factor(self.trace.nodes[j].value) for j in node.inputs]
        partials = ", ".join(
            f"∂{name}/∂{self.names[j]} = {fmt(p)}"
            for j, p in zip(node.inputs, node.partials, strict=True)
            if self.trace.nodes[j].kind != "constant"
        )
        return (
            f"{name} = {self.formula(i, args)} = {self.formula(i, numbers)} = {fmt(node.value)}"
            f";   {partials}"
        )

    def _backward_text(self, i: int) -> str:
        out = self.names[self.output]
        name = self.names[i]
        adjoint = fmt(self.trace.nodes[i].adjoint)
        if i == self.output:
            return f"∂{out}/∂{out} = 1   (the backward sweep starts at the output)"
        if self.collapsed:
            return f"∂{out}/∂{name} = {adjoint}   (summed over its uses)"
        uses = self.trace.consumers()[i]
        symbols = " + ".join(f"∂{out}/∂{self.names[c]}·∂{self.names[c]}/∂{name}" for c, _ in uses)
        numbers = " + ".join(
            f"{_factor(self.trace.nodes[c].adjoint)}·{_factor(self.trace.nodes[c].partials[k])}"
            for c, k in uses
        )
        return f"∂{out}/∂{name} = {symbols} = {numbers} = {adjoint}"

    def _tangent_text(self, i: int, variable: str) -> str:
        node = self.trace.nodes[i]
        name = self.names[i]
        tangent = self.tangents(variable)
        if node.kind == "input":
            seed = "1" if node.name == variable else "0"
            return f"{name} = {fmt(node.value)},   ∂{name}/∂{variable} = {seed}   (the seed)"
        if self.collapsed:
            return f"{name} = {fmt(node.value)},   ∂{name}/∂{variable} = {fmt(tangent[i])}"
        live = [
            (j, p)
            for j, p in zip(node.inputs, node.partials, strict=True)
            if self.trace.nodes[j].kind != "constant"
        ]
        symbols = " + ".join(
            f"∂{name}/∂{self.names[j]}·∂{self.names[j]}/∂{variable}" for j, _ in live
        )
        numbers = " + ".join(f"{_factor(p)}·{_factor(tangent[j])}" for j, p in live)
        return (
            f"{name} = {fmt(node.value)},   ∂{name}/∂{variable} = {symbols} = {numbers}"
            f" = {fmt(tangent[i])}"
        )

    # chain rule as a sum over paths ----------------------------------------------
    def paths(self, start: int) -> tuple[list[PathInfo], int, float]:
        """Up to MAX_LISTED_PATHS paths from `start` to the output, how many there
        are, and the sum of all their products (raises ValueError past the
        engine's limit)."""
        found = self.trace.edge_paths(start)
        nodes = self.trace.nodes
        listed: list[PathInfo] = []
        for path, slots, product in found[:MAX_LISTED_PATHS]:
            steps = tuple(zip(path[:-1], path[1:], slots, strict=True))
            names = [self.names[start]]
            for a, b, k in steps:  # x*x, pow(x, x): say which argument the step enters
                twice = nodes[b].inputs.count(a) > 1
                names.append(f"{self.names[b]} (argument {k + 1})" if twice else self.names[b])
            factors = tuple(nodes[b].partials[k] for _, b, k in steps)
            listed.append(PathInfo(tuple(names), factors, product))
        return listed, len(found), math.fsum(p for _, _, p in found)

    def path_edges(self, start: int) -> set[int]:
        """Indices of the drawn edges lying on some path from `start` to the output."""
        t = self.trace
        uses = t.consumers()
        reaches = [False] * len(t.nodes)  # reaches the output
        reaches[t.output] = True
        for i in reversed(range(len(t.nodes))):
            if reaches[i]:
                continue
            reaches[i] = any(reaches[c] for c, _ in uses[i])
        from_start = [False] * len(t.nodes)
        from_start[start] = True
        for i, node in enumerate(t.nodes):
            if any(from_start[j] for j in node.inputs):
                from_start[i] = True
        on = {i for i in range(len(t.nodes)) if from_start[i] and reaches[i]}
        if self.collapsed:
            return {k for k, e in enumerate(self.edges) if e.source in on and e.target in on}
        return {
            k
            for k, e in enumerate(self.edges)
            if e.source in on and e.target in on and from_start[e.source]
        }

    def operation_counts(self) -> tuple[int, int, int]:
        """(inputs n, multiply-adds of one sweep, edges with a partial): the whole
        gradient costs n forward-mode sweeps or one reverse-mode sweep."""
        edges = sum(
            1
            for node in self.trace.nodes
            for j in node.inputs
            if self.trace.nodes[j].kind != "constant"
        )
        return len(self.trace.inputs), edges, edges


def layered(
    nodes: Sequence[int], edges: Sequence[Edge], size: tuple[float, float], gap: float
) -> Layout:
    """grandalf's Sugiyama layout, turned so that layers run left to right."""
    from grandalf.graphs import Edge as GEdge
    from grandalf.graphs import Vertex, graph_core
    from grandalf.layouts import SugiyamaLayout

    w, h = size

    class _View:
        def __init__(self, vw: float, vh: float) -> None:
            self.w, self.h = vw, vh  # grandalf's frame: ranks go down its y axis
            self.xy = (0.0, 0.0)

    class _Route:
        def __init__(self) -> None:
            self.points: list[tuple[float, float]] = []

        def setpath(self, points) -> None:
            self.points = list(points)

    vertices = {i: Vertex(i) for i in nodes}
    for v in vertices.values():
        v.view = _View(h, w)
    pairs = sorted({(e.source, e.target) for e in edges})
    gedges = {p: GEdge(vertices[p[0]], vertices[p[1]]) for p in pairs}
    for e in gedges.values():
        e.view = _Route()
    # Every drawn node reaches the output, so the graph is one connected piece:
    # graph_core takes it as it is (grandalf's Graph would search for components,
    # a third of the layout's time at 300 nodes).
    graph = graph_core(list(vertices.values()), list(gedges.values()))
    sugiyama = SugiyamaLayout(graph)
    sugiyama.xspace = 8  # between nodes of one layer
    sugiyama.yspace = gap  # between layers: room for the partials on the edges
    sugiyama.init_all(roots=[v for v in graph.sV if not v.e_in()])  # inputs on the left
    sugiyama.draw(3 if len(nodes) <= COLLAPSE_AT else 1.5)  # fewer sweeps on big graphs
    low = min(v.view.xy[0] for v in graph.sV) - h / 2
    top = max(v.view.xy[0] for v in graph.sV) - low + h / 2

    def place(gx: float, gy: float) -> tuple[float, float]:
        return gy + w / 2, gx - low

    centers = {i: place(*v.view.xy) for i, v in vertices.items()}
    routes = []
    count = Counter((e.source, e.target) for e in edges)
    seen: Counter = Counter()
    for e in edges:
        pair = (e.source, e.target)
        # x*x: two edges between the same nodes, drawn side by side
        dy = 12.0 * (seen[pair] - (count[pair] - 1) / 2)
        seen[pair] += 1
        bends = [place(gx, gy) for gx, gy in gedges[pair].view.points[1:-1]]
        (sx, sy), (tx, ty) = centers[e.source], centers[e.target]
        points = [(sx + w / 2, sy), *bends, (tx - w / 2, ty)]
        routes.append(tuple((x, y + dy) for x, y in points))
    width = max(x for x, _ in centers.values()) + w / 2
    return Layout(centers, tuple(routes), size, width, top)
