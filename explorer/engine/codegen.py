"""Straight-line code from graph nodes.

One line per needed node, in id order (a topological order), each from the
op's template. Two flavours: numpy (arrays, float64, any broadcast shape) and
Python floats with `math` (a gradient-descent step in microseconds; a domain
error raises and the caller falls back to numpy). Only our own templates,
float literals and generated names reach the compiler, never user text.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence

from .graph import CONST, VAR, Graph
from .ops import NAMESPACE, OPS


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
) -> str:
    """Source of a function of `inputs` returning `outputs`.

    `flavor` is "np" or "py"; `sections` inserts comment lines before the first
    node at or above an id; `single` returns the one output bare, not a tuple;
    `tail`, given the name of each node, writes the closing lines instead.
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

    lines = [f"def {fname}({', '.join(arg_names)}):"]
    pending = sorted(sections)
    for node in needed(graph, outputs):
        op = graph.ops[node]
        if op in (VAR, CONST):
            continue
        while pending and pending[0][0] <= node:
            lines.append(f"    # {pending.pop(0)[1]}")
        template = OPS[op].np_code if flavor == "np" else OPS[op].py_code
        names[node] = node_names.get(node) or f"{prefix}{node}"
        code = template.format(*(ref(a) for a in graph.args[node]))
        lines.append(f"    {names[node]} = {code}")
    if tail is not None:
        lines.extend(f"    {line}" for line in tail(ref))
    elif single:
        lines.append(f"    return {ref(outputs[0])}")
    else:
        lines.append(f"    return ({', '.join(ref(o) for o in outputs)},)")
    return "\n".join(lines) + "\n"


def compile_program(graph: Graph, outputs: Sequence[int], inputs: Sequence[int], flavor: str,
                    single: bool = False) -> Callable:
    """Compile the straight-line code for `outputs` into a Python function."""
    source = emit(graph, outputs, inputs, flavor, single=single)
    namespace = dict(NAMESPACE)
    exec(compile(source, f"<explorer-{flavor}>", "exec"), namespace)  # noqa: S102 (our code)
    return namespace["_f"]  # type: ignore[return-value]
