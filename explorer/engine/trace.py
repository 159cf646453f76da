"""The per-node record the backpropagation panel draws.

Forward values and single-step partials come from compiled code; adjoints,
forward-mode tangents and path sums are then computed from those numbers
exactly as the chapter does by hand, so the panel shows each step and the
tests can check the steps against the compiled gradient.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from .codegen import compile_program, needed
from .graph import CONST, VAR
from .ops import CONSTANTS, OPS

if TYPE_CHECKING:
    from .function import Function

MAX_PATHS = 10_000


@dataclass(frozen=True)
class TraceNode:
    """One node: `inputs` are positions in `Trace.nodes`, `partials[k]` is
    ∂node/∂inputs[k] (NaN on an edge from a constant, which needs none)."""

    id: int
    kind: str  # "input", "constant" or "operation"
    op: str
    label: str
    name: str | None
    inputs: tuple[int, ...]
    value: float
    partials: tuple[float, ...]
    adjoint: float


@dataclass(frozen=True)
class Trace:
    variables: tuple[str, ...]
    point: tuple[float, ...]
    nodes: tuple[TraceNode, ...]
    output: int  # position of the output node

    @property
    def value(self) -> float:
        return self.nodes[self.output].value

    @property
    def inputs(self) -> tuple[int, ...]:
        """Positions of the variables' nodes, in variable order."""
        found = {n.name: i for i, n in enumerate(self.nodes) if n.kind == "input"}
        return tuple(found[v] for v in self.variables if v in found)

    @property
    def gradient(self) -> np.ndarray:
        found = {n.name: n.adjoint for n in self.nodes if n.kind == "input"}
        return np.array([found.get(v, 0.0) for v in self.variables])

    def consumers(self) -> list[list[tuple[int, int]]]:
        """For each node, the (consumer, argument slot) pairs that use it."""
        uses: list[list[tuple[int, int]]] = [[] for _ in self.nodes]
        for i, node in enumerate(self.nodes):
            for k, j in enumerate(node.inputs):
                uses[j].append((i, k))
        return uses

    def tangents(self, variable: str) -> np.ndarray:
        """Forward mode: ∂node/∂variable for every node, one sweep."""
        out = [0.0] * len(self.nodes)
        for i, node in enumerate(self.nodes):
            if node.kind == "input":
                out[i] = 1.0 if node.name == variable else 0.0
            elif node.kind == "operation":
                out[i] = sum(
                    _times(p, out[j])
                    for j, p in zip(node.inputs, node.partials, strict=True)
                    if self.nodes[j].kind != "constant"
                )
        return np.array(out)

    def paths(self, start: int, limit: int = MAX_PATHS) -> list[tuple[tuple[int, ...], float]]:
        """Every path from node `start` to the output, with the product of the
        single-step partials along it; their sum is the adjoint of `start`."""
        return [(nodes, product) for nodes, _, product in self.edge_paths(start, limit)]

    def edge_paths(
        self, start: int, limit: int = MAX_PATHS
    ) -> list[tuple[tuple[int, ...], tuple[int, ...], float]]:
        """`paths`, each also with the argument slot through which each step enters
        its node: ``pow(x, x)`` reaches the power twice from x, through the base
        (slot 0) and through the exponent (slot 1), with different partials."""
        uses = self.consumers()
        found: list[tuple[tuple[int, ...], tuple[int, ...], float]] = []
        stack: list[tuple[tuple[int, ...], tuple[int, ...], float]] = [((start,), (), 1.0)]
        while stack:
            path, slots, product = stack.pop()
            last = path[-1]
            if last == self.output:
                found.append((path, slots, product))
                if len(found) > limit:
                    raise ValueError(f"more than {limit} paths")
                continue
            for consumer, slot in uses[last]:
                partial = self.nodes[consumer].partials[slot]
                stack.append(((*path, consumer), (*slots, slot), _times(product, partial)))
        found.sort(key=lambda item: (item[0], item[1]))
        return found


def _times(a: float, b: float) -> float:
    """A chain-rule product where zero wins (0·inf = 0): a node that does not
    depend on a variable contributes nothing, as in the compiled derivatives,
    which drop a zero factor's whole term."""
    return 0.0 if a == 0.0 or b == 0.0 else a * b


def const_label(value: float) -> str:
    for name, c in CONSTANTS.items():
        if value == c:
            return "π" if name == "pi" else name
    if math.isfinite(value) and value == int(value) and abs(value) < 1e15:  # not NaN (acos(2))
        return str(int(value))
    return f"{value:.6g}"


def build_trace(f: Function, point: Sequence[float]) -> Trace:
    if len(point) != f.dimension:
        raise ValueError(f"the point needs {f.dimension} coordinates, got {len(point)}")
    g = f.graph
    order, edges, program = f._trace_plan
    args = [np.float64(x) for x in point]
    with np.errstate(all="ignore"):
        values = program(*args)
    value_of = dict(zip(order, map(float, values[: len(order)]), strict=True))
    partial_of = {
        (n, k): v for (n, k, _), v in zip(edges, map(float, values[len(order) :]), strict=True)
    }

    position = {node: i for i, node in enumerate(order)}
    # Backpropagation from the numbers: adjoint[input] += adjoint[node] * partial.
    adjoint = dict.fromkeys(order, 0.0)
    adjoint[f.output] = 1.0
    for node in reversed(order):
        for k, arg in enumerate(g.args[node]):
            if g.ops[arg] != CONST:
                adjoint[arg] += _times(adjoint[node], partial_of.get((node, k), 0.0))

    nodes = []
    for node in order:
        op = g.ops[node]
        kind = {VAR: "input", CONST: "constant"}.get(op, "operation")
        name = f.names.get(node)
        if op == CONST:
            label = const_label(g.values[node])
        else:
            label = name or OPS[op].label
        partials = tuple(
            math.nan if g.ops[arg] == CONST else float(partial_of.get((node, k), 0.0))
            for k, arg in enumerate(g.args[node])
        )
        nodes.append(
            TraceNode(
                id=node,
                kind=kind,
                op=op,
                label=label,
                name=name if op != CONST else None,
                inputs=tuple(position[a] for a in g.args[node]),
                value=float(value_of[node]) if op != CONST else g.values[node],
                partials=partials,
                adjoint=float(adjoint[node]),
            )
        )
    return Trace(f.variables, tuple(float(x) for x in point), tuple(nodes), position[f.output])


def plan_trace(f: Function) -> tuple[list[int], list[tuple[int, int, int]], Callable]:
    """The nodes, the edges with a partial, and one program computing them all."""
    g = f.graph
    order = needed(g, [f.output])
    edges = [(n, k, p) for n in order for k, p in enumerate(g.partials(n)) if p is not None]
    outputs = [*order, *(p for _, _, p in edges)]
    return order, edges, compile_program(g, outputs, f.var_nodes, "np")
