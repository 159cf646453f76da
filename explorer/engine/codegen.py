"""Straight-line code from graph nodes.

One line per needed node, in id order (a topological order), each from the
op's template. Two flavours: numpy (arrays, float64, any broadcast shape) and
Python floats with `math` (a gradient-descent step in microseconds; a domain
error raises and the caller falls back to numpy). For a grid, whose inputs all
have one shape, `emit_buffers` writes the same numpy ops into a few reused
buffers. Only our own templates, float literals and generated names reach the
compiler, never user text.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence

import numpy as np

from .graph import CONST, VAR, Graph
from .ops import NAMESPACE, OPS

MAX_INLINE_DEPTH = 40  # well below the Python parser's nesting limit


def needed(graph: Graph, outputs: Sequence[int]) -> list[int]:
    """Every node the outputs depend on, in topological order."""
    seen: set[int] = set()
    stack = list(outputs)
    while stack:
        node = stack.pop()
        if node not in seen:
            seen.add(node)
            stack.extend(graph.args[node])
    return sorted(seen)


def literal(value: float) -> str:
    if math.isnan(value):
        return "nan"
    if math.isinf(value):
        return "inf" if value > 0 else "(-inf)"
    text = repr(value)
    return f"({text})" if text.startswith("-") else text


def emit(
    graph: Graph,
    outputs: Sequence[int],
    inputs: Sequence[int],
    flavor: str,
    *,
    arg_names: Sequence[str] | None = None,
    node_names: dict[int, str] | None = None,
    fname: str = "_f",
    sections: Sequence[tuple[int, str]] = (),
    single: bool = False,
    tail: Callable[[Callable[[int], str]], list[str]] | None = None,
    inline: bool = False,
    prologue: Sequence[str] = (),
    slots: Sequence[str] | None = None,
) -> str:
    """Source of a function of `inputs` returning `outputs`.

    `flavor` is "np" or "py"; `sections` inserts comment lines before the first
    node at or above an id; `single` returns the one output bare, not a tuple;
    `tail`, given the name of each node, writes the closing lines instead.
    `inline` nests each node used once into its user's expression: numpy then
    reuses the temporaries in place (temporary elision), which named
    intermediates prevent; on a large grid that halves the time.
    `slots` (numpy) writes output k into the array element named by slots[k]
    of an extra argument ``_out``, with the ufunc's ``out=`` where it has one,
    so the caller gets one stacked array without copying each output into it.
    """
    arg_names = list(arg_names or (f"x{i}" for i in range(len(inputs))))
    node_names = dict(node_names or {})
    used = set(arg_names) | set(node_names.values())
    prefix = "t" if not any(re.fullmatch(r"_?t\d+", n) for n in used) else "_t"
    names: dict[int, str] = dict(zip(inputs, arg_names, strict=True))

    def ref(node: int) -> str:
        if graph.ops[node] == CONST:
            return literal(graph.values[node])
        return names[node]

    order = needed(graph, outputs)
    uses = dict.fromkeys(order, 0)
    for node in order:
        for a in graph.args[node]:
            uses[a] += 1
    for node in outputs:
        uses[node] += 2
    depth = dict.fromkeys(order, 0)
    # which temporaries each node's text mentions, to free them after their last line
    mentions: dict[int, frozenset[str]] = dict.fromkeys(order, frozenset())
    line_mentions: dict[int, frozenset[str]] = {}
    params = [*arg_names, "_out"] if slots is not None else arg_names
    lines = [f"def {fname}({', '.join(params)}):", *(f"    {p}" for p in prologue)]
    slot_of: dict[int, str] = {}
    for node, slot in zip(outputs, slots or (), strict=False):
        slot_of.setdefault(node, slot)
    written: dict[int, str] = {}  # outputs computed straight into their slot
    pending = sorted(sections)
    for node in order:
        op = graph.ops[node]
        if op in (VAR, CONST):
            continue
        while pending and pending[0][0] <= node:
            lines.append(f"    # {pending.pop(0)[1]}")
        template = OPS[op].np_code if flavor == "np" else OPS[op].py_code
        code = template.format(*(ref(a) for a in graph.args[node]))
        depth[node] = 1 + max((depth[a] for a in graph.args[node]), default=0)
        inner = frozenset().union(*(mentions[a] for a in graph.args[node]))
        if inline and uses[node] == 1 and depth[node] < MAX_INLINE_DEPTH:
            names[node] = f"({code})"
            mentions[node] = inner
            continue
        depth[node] = 0
        names[node] = node_names.get(node) or f"{prefix}{node}"
        into = None
        if node in slot_of and flavor == "np":
            into = _ufunc_call(OPS[op], [ref(a) for a in graph.args[node]], slot_of[node])
        if into is not None:
            code = into
            written[node] = slot_of[node]
        lines.append(f"    {names[node]} = {code}")
        line_mentions[len(lines) - 1] = inner
        mentions[node] = frozenset({names[node]})
    if inline and flavor == "np":  # free big temporaries after their last use
        last = {name: i for i, used in line_mentions.items() for name in used}
        outs = {ref(o) for o in outputs}
        for i in sorted({i for n, i in last.items() if n not in outs}, reverse=True):
            done = sorted(n for n, j in last.items() if j == i and n not in outs)
            lines.insert(i + 1, f"    del {', '.join(done)}")
    if slots is not None:
        lines.extend(
            f"    {slot} = {ref(node)}"
            for node, slot in zip(outputs, slots, strict=True)
            if written.get(node) != slot
        )
        lines.append("    return _out")
    elif tail is not None:
        lines.extend(f"    {line}" for line in tail(ref))
    elif single:
        lines.append(f"    return {ref(outputs[0])}")
    else:
        lines.append(f"    return ({', '.join(ref(o) for o in outputs)},)")
    return "\n".join(lines) + "\n"


def _ufunc_call(op, args: list[str], out: str | None = None) -> str | None:
    """The op as a call of its ufunc, writing into `out` if given; None where it
    has no ufunc."""
    tail = _tail(out)
    if op.ufunc is not None:
        return f"np.{op.ufunc}({', '.join(args)}{tail}"
    m = re.fullmatch(r"np\.(\w+)\(.*\)", op.np_code)
    if m and isinstance(getattr(np, m.group(1), None), np.ufunc):
        return op.np_code.format(*args)[:-1] + tail
    return None


def _tail(out: str | None) -> str:
    return f", out={out})" if out else ")"


def _new(owned: list[str]) -> str:
    owned.append(f"b{len(owned)}")
    return owned[-1]


def emit_buffers(
    graph: Graph,
    outputs: Sequence[int],
    inputs: Sequence[int],
    *,
    single: bool = False,
    slots: Sequence[str] | None = None,
) -> str:
    """numpy source for inputs that all have one and the same shape.

    Every node is then an array of that shape, so each op writes with ``out=``
    into its output slot, into the buffer of an argument used for the last
    time, or into a buffer freed earlier (the latest first: still in cache); a
    new array is made only when none is free. On a large grid the few buffers
    stay in cache, about a third faster than the fresh array per op that
    `emit` leaves to numpy (whose temporary elision covers binary operators
    only). The ops are those of `emit`, except ``a ** 2.0`` as ``np.square(a)``
    (the same numbers). `single` and `slots` are as in `emit`.
    """
    args = [f"x{i}" for i in range(len(inputs))]
    names: dict[int, str] = dict(zip(inputs, args, strict=True))

    def ref(node: int) -> str:
        return literal(graph.values[node]) if graph.ops[node] == CONST else names[node]

    order = [n for n in needed(graph, outputs) if graph.ops[n] not in (VAR, CONST)]
    last = {a: i for i, node in enumerate(order) for a in graph.args[node]}
    last.update(dict.fromkeys(outputs, len(order)))  # outputs live to the end
    slot_of: dict[int, str] = {}
    for node, slot in zip(outputs, slots or (), strict=False):
        slot_of.setdefault(node, slot)
    lines = [f"def _f({', '.join([*args, '_out'] if slots is not None else args)}):"]
    owned: list[str] = []  # the buffers this code made: free to overwrite once dead
    free: list[str] = []
    for i, node in enumerate(order):
        op = OPS[graph.ops[node]]
        refs = [ref(a) for a in graph.args[node]]
        dying = [
            names[a]
            for a in dict.fromkeys(graph.args[node])
            if last[a] == i and names.get(a) in owned
        ]
        into = slot_of.get(node) or (dying.pop(0) if dying else free.pop() if free else None)
        call: str | None = None
        if op.name == "pow" and graph.is_const(graph.args[node][1], 2.0):
            call = f"np.square({refs[0]}{_tail(into)}"
        else:
            call = _ufunc_call(op, refs, into)
        if call is None:  # no ufunc: a fresh array from the template
            into = into or _new(owned)
            call = f"{into} = {op.np_code.format(*refs)}"
        elif into is None:
            into = _new(owned)
            call = f"{into} = {call}"
        lines.append(f"    {call}")
        names[node] = into
        free.extend(dying)
    if slots is not None:
        lines.extend(
            f"    {slot} = {ref(node)}"
            for node, slot in zip(outputs, slots, strict=True)
            if slot_of[node] != slot or node not in order
        )
        lines.append("    return _out")
    elif single:
        lines.append(f"    return {ref(outputs[0])}")
    else:
        lines.append(f"    return ({', '.join(ref(o) for o in outputs)},)")
    return "\n".join(lines) + "\n"


def compile_program(
    graph: Graph,
    outputs: Sequence[int],
    inputs: Sequence[int],
    flavor: str,
    single: bool = False,
    slots: Sequence[str] | None = None,
    buffers: bool = False,
) -> Callable:
    """Compile the straight-line code for `outputs` into a Python function;
    `buffers` (numpy): the code of `emit_buffers`, for inputs of one shape."""
    if buffers:
        source = emit_buffers(graph, outputs, inputs, single=single, slots=slots)
    else:
        source = emit(graph, outputs, inputs, flavor, single=single, inline=True, slots=slots)
    namespace = dict(NAMESPACE)
    exec(compile(source, f"<explorer-{flavor}>", "exec"), namespace)  # noqa: S102 (our code)
    return namespace["_f"]  # type: ignore[return-value]


def compile_scalar(
    graph: Graph, value: int, gradient: Sequence[int] | None, inputs: Sequence[int]
) -> Callable:
    """A Python-float entry point: ``None`` unless every argument is a real scalar,
    else ``float64`` (and the gradient array). A domain error raises
    ArithmeticError or ValueError, and the caller falls back to numpy."""
    args = [f"x{i}" for i in range(len(inputs))]
    prologue = (
        [
            f"if {' or '.join(f'type({a}) not in _SCALARS' for a in args)}: return None",
            *(f"{a} = float({a})" for a in args),
        ]
        if args
        else []
    )
    outputs = [value, *(gradient or ())]

    def tail(ref: Callable[[int], str]) -> list[str]:
        if gradient is None:
            return [f"return _f64({ref(value)})"]
        comps = ", ".join(ref(g) for g in gradient) + ("," if len(gradient) == 1 else "")
        return [f"return _f64({ref(value)}), _array(({comps}))"]

    source = emit(
        graph, outputs, inputs, "py", arg_names=args, tail=tail, inline=True, prologue=prologue
    )
    namespace = dict(NAMESPACE)
    exec(compile(source, "<explorer-scalar>", "exec"), namespace)  # noqa: S102 (our code)
    return namespace["_f"]  # type: ignore[return-value]
