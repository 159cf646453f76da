"""A hash-consed expression DAG.

Nodes are integers; a node's arguments always have smaller ids, so id order is
a topological order. Identical subexpressions are one node (the picture of
Fig. 18.4.1: a node feeding two others is drawn once and its adjoint sums over
its uses). The builder folds constants and drops the trivial identities that
differentiation produces (x*1, x+0, 0*x, --x), which keeps generated code lean.
While it builds derivatives it also moves exact constant factors (±2^k) and
signs out of products, so that those of a sum's terms merge: the chain rule
writes the adjoint of a in the chapter's chain as 2(u+v)·2(a+b) + 2(u+v)·2(a−b),
hoisted it is 4·((u+v)(a+b) + (u+v)(a−b)), and the gradient needs three array
operations fewer. The user's own nodes keep the shape they were typed in, as
the graph panel draws them.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import numpy as np

from .ops import OPS

VAR = "var"
CONST = "const"


class GraphTooLarge(ValueError):
    """The graph grew past its node limit."""


class Graph:
    """Owns the nodes of one function: its expression and all its derivatives."""

    def __init__(self, max_nodes: int = 200_000) -> None:
        self.ops: list[str] = []
        self.args: list[tuple[int, ...]] = []
        self.values: list[float] = []  # constant value, or variable index for VAR
        self.max_nodes = max_nodes
        self._index: dict[tuple, int] = {}
        self._partials: dict[int, tuple[int | None, ...]] = {}
        self._deriving = False  # building derivative nodes: constants are hoisted

    def __len__(self) -> int:
        return len(self.ops)

    def _node(self, op: str, args: tuple[int, ...], value: float, key: tuple) -> int:
        found = self._index.get(key)
        if found is not None:
            return found
        if len(self.ops) >= self.max_nodes:
            raise GraphTooLarge(f"the expression needs more than {self.max_nodes} nodes")
        self.ops.append(op)
        self.args.append(args)
        self.values.append(value)
        self._index[key] = len(self.ops) - 1
        return len(self.ops) - 1

    def var(self, index: int) -> int:
        return self._node(VAR, (), float(index), (VAR, index))

    def const(self, value: float) -> int:
        value = float(value)
        return self._node(CONST, (), value, (CONST, value.hex()))

    def is_const(self, node: int, value: float | None = None) -> bool:
        if self.ops[node] != CONST:
            return False
        return value is None or self.values[node] == value

    def apply(self, name: str, *args: int) -> int:
        op = OPS[name]
        if all(self.ops[a] == CONST for a in args):
            with np.errstate(all="ignore"):
                return self.const(op.fold(*(self.values[a] for a in args)))
        for table in (_SIMPLIFY, _HOIST) if self._deriving else (_SIMPLIFY,):
            simpler = table.get(name)
            if simpler is not None:
                found = simpler(self, *args)
                if found is not None:
                    return found
        return self._node(name, args, 0.0, (name, args))

    @contextmanager
    def _derivatives(self, hoist: bool = True) -> Iterator[None]:
        before, self._deriving = self._deriving, hoist
        try:
            yield
        finally:
            self._deriving = before

    # The arithmetic that derivative rules are written in.
    def add(self, a: int, b: int) -> int:
        return self.apply("add", a, b)

    def sub(self, a: int, b: int) -> int:
        return self.apply("sub", a, b)

    def mul(self, a: int, b: int) -> int:
        return self.apply("mul", a, b)

    def div(self, a: int, b: int) -> int:
        return self.apply("div", a, b)

    def pow(self, a: int, b: int) -> int:
        return self.apply("pow", a, b)

    def neg(self, a: int) -> int:
        return self.apply("neg", a)

    def partials(self, node: int) -> tuple[int | None, ...]:
        """Local partial derivatives of `node` with respect to each argument (cached)."""
        found = self._partials.get(node)
        if found is None:
            op = self.ops[node]
            with self._derivatives():
                found = () if op in (VAR, CONST) else OPS[op].partials(self, self.args[node], node)
            found = tuple(None if p is not None and self.is_const(p, 0.0) else p for p in found)
            self._partials[node] = found
        return found

    def reverse(
        self, output: int, wrt: list[int], hoist: bool = True
    ) -> tuple[list[int], dict[int, int]]:
        """Reverse mode, symbolically: the adjoint node d output / d node of every node.

        Iterative over ids (a topological order), so deep graphs cannot overflow
        the stack; each use of a node adds one term to its adjoint. `hoist`
        False keeps each adjoint as the chain rule writes it (to be read, as
        the chapter's listing: constants hoisted out of a named node's adjoint
        leave it unused by the gradient); True also regroups the gradient's
        products where that shares work (`share_factors`).
        """
        adjoint: dict[int, int] = {output: self.const(1.0)}
        with self._derivatives(hoist):
            for node in range(output, -1, -1):
                bar = adjoint.get(node)
                if bar is None or self.ops[node] in (VAR, CONST):
                    continue
                for arg, partial in zip(self.args[node], self.partials(node), strict=True):
                    if partial is None or self.ops[arg] == CONST:
                        continue
                    term = self.mul(bar, partial)
                    adjoint[arg] = term if arg not in adjoint else self.add(adjoint[arg], term)
        zero = self.const(0.0)
        grad = [adjoint.get(w, zero) for w in wrt]
        return (self.share_factors(grad) if hoist else grad), adjoint

    def share_factors(self, outputs: list[int]) -> list[int]:
        """`outputs` with the exact factor of products regrouped where that saves work.

        Hoisting leaves c·(p·q) and c·(p'·q) side by side: the gradient of
        x·exp(−x²−y²) is e − 2·(x·(x·e)) and −2·(y·(x·e)). As p·(c·q) and
        p'·(c·q) they share c·q, one array operation fewer for each further use
        (and the same rounding: c = ±2^k). A product p·q needed elsewhere too is
        left alone, since it is computed anyway.
        """
        order = sorted(self._ancestors(outputs))
        uses = dict.fromkeys(order, 0)
        for node in order:
            for a in self.args[node]:
                uses[a] += 1
        for node in outputs:
            uses[node] += 1
        products: dict[int, tuple[int, int, int]] = {}  # node: (c, a, b) of c·(a·b)
        pairs: dict[tuple[int, int], int] = {}  # (c, q): how many products c·(p·q)
        for node in order:
            scaled = _scaled(self, node)
            if scaled is None or self.ops[scaled[1]] != "mul" or uses[scaled[1]] != 1:
                continue
            a, b = self.args[scaled[1]]
            products[node] = (self.args[node][0], a, b)
            for q in {a, b}:
                pairs[self.args[node][0], q] = pairs.get((self.args[node][0], q), 0) + 1
        new: dict[int, int] = {}
        for node in order:
            if node in products:
                c, a, b = products[node]
                p, q = max((b, a), (a, b), key=lambda pq: pairs[c, pq[1]])
                if pairs[c, q] >= 2:
                    new[node] = self.mul(new.get(p, p), self.mul(c, new.get(q, q)))
                    continue
            args = tuple(new.get(a, a) for a in self.args[node])
            if args != self.args[node]:
                new[node] = self.apply(self.ops[node], *args)
        return [new.get(o, o) for o in outputs]

    def _ancestors(self, outputs: list[int]) -> set[int]:
        seen: set[int] = set()
        stack = list(outputs)
        while stack:
            node = stack.pop()
            if node not in seen:
                seen.add(node)
                stack.extend(self.args[node])
        return seen


def _simplify_add(g: Graph, a: int, b: int) -> int | None:
    if g.is_const(a, 0.0):
        return b
    if g.is_const(b, 0.0):
        return a
    if g.ops[b] == "neg":
        return g.sub(a, g.args[b][0])
    if g.ops[a] == "neg":
        return g.sub(b, g.args[a][0])
    return None


def _simplify_sub(g: Graph, a: int, b: int) -> int | None:
    if g.is_const(b, 0.0):
        return a
    if g.is_const(a, 0.0):
        return g.neg(b)
    if g.ops[b] == "neg":
        return g.add(a, g.args[b][0])
    return None


def _simplify_mul(g: Graph, a: int, b: int) -> int | None:
    for x, y in ((a, b), (b, a)):
        if g.is_const(x, 0.0):
            return x
        if g.is_const(x, 1.0):
            return y
        if g.is_const(x, -1.0):
            return g.neg(y)
    if g.ops[a] == "neg" and g.ops[b] == "neg":
        return g.mul(g.args[a][0], g.args[b][0])
    return None


def _simplify_div(g: Graph, a: int, b: int) -> int | None:
    if g.is_const(b, 1.0):
        return a
    if g.is_const(a, 0.0):
        return a
    return None


def _simplify_pow(g: Graph, a: int, b: int) -> int | None:
    if g.is_const(b, 1.0):
        return a
    if g.is_const(b, 0.0):
        return g.const(1.0)
    return None


def _simplify_neg(g: Graph, a: int) -> int | None:
    return g.args[a][0] if g.ops[a] == "neg" else None


# Exact rewrites for derivative nodes: a factor ±2^k only shifts the exponent,
# so moving it across other products and sums changes no rounding (short of
# overflow or underflow), and a sign never does.
def _exact_factor(value: float) -> bool:
    return value != 0 and math.isfinite(value) and math.frexp(abs(value))[0] == 0.5


def _scaled(g: Graph, node: int) -> tuple[float, int] | None:
    """``(c, y)`` where `node` is ``c·y`` with an exact factor c."""
    if g.ops[node] == "mul":
        c, y = g.args[node]
        if g.ops[c] == CONST and _exact_factor(g.values[c]):
            return g.values[c], y
    return None


def _hoist_mul(g: Graph, a: int, b: int) -> int | None:
    """y·c = c·y, c·(−y) = (−c)·y, c·(d·y) = (cd)·y, x·(d·y) = d·(x·y), (−x)·y = −(x·y)."""
    if g.ops[b] == CONST and g.ops[a] != CONST:
        return g.mul(b, a)
    if g.ops[a] == CONST:
        if g.ops[b] == "neg":
            return g.mul(g.const(-g.values[a]), g.args[b][0])
        inner = _scaled(g, b)
        return None if inner is None else g.mul(g.const(g.values[a] * inner[0]), inner[1])
    for x, y in ((a, b), (b, a)):
        if g.ops[x] == "neg":
            return g.neg(g.mul(g.args[x][0], y))
        scaled = _scaled(g, x)
        if scaled is not None:
            return g.mul(g.const(scaled[0]), g.mul(scaled[1], y))
    return None


def _hoist_sum(g: Graph, name: str, a: int, b: int) -> int | None:
    """c·x ± c·y = c·(x ± y) and c·x ± (−c)·y = c·(x ∓ y)."""
    sa, sb = _scaled(g, a), _scaled(g, b)
    if sa is None or sb is None or abs(sa[0]) != abs(sb[0]):
        return None
    if sa[0] != sb[0]:
        name = "sub" if name == "add" else "add"
    return g.mul(g.const(sa[0]), g.apply(name, sa[1], sb[1]))


def _hoist_neg(g: Graph, a: int) -> int | None:
    """−(c·y) = (−c)·y."""
    scaled = _scaled(g, a)
    return None if scaled is None else g.mul(g.const(-scaled[0]), scaled[1])


_HOIST: dict[str, Callable[..., int | None]] = {
    "mul": _hoist_mul,
    "add": lambda g, a, b: _hoist_sum(g, "add", a, b),
    "sub": lambda g, a, b: _hoist_sum(g, "sub", a, b),
    "neg": _hoist_neg,
}

_SIMPLIFY: dict[str, Callable[..., int | None]] = {
    "add": _simplify_add,
    "sub": _simplify_sub,
    "mul": _simplify_mul,
    "div": _simplify_div,
    "pow": _simplify_pow,
    "neg": _simplify_neg,
}
