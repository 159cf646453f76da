"""A compiled function of n variables with exact first and second derivatives."""

from __future__ import annotations

import math
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Generic, TypeVar

import numpy as np

from .codegen import compile_program, compile_scalar, emit, needed
from .graph import CONST, GraphTooLarge
from .ops import OPS, SCALAR_TYPES
from .parser import Parsed, ParseError, parse_text
from .trace import Trace, build_trace, plan_trace

_FALLBACK = (ArithmeticError, ValueError)  # math's domain and overflow errors
MAX_DERIVATIVE_NODES = 400_000
# From this many points on, inputs of one shape run the code that writes into
# reused buffers (codegen.emit_buffers); below, its ``out=`` calls cost more, and
# a few calls do not repay compiling a second program (~0.3 ms): the critical-point
# search's 1024 seeds, on every function switch, run the general code.
BUFFERS_MIN_SIZE = 2048


def parse(text: str, variables: Sequence[str] | None = None) -> Function:
    """Parse `text` into a compiled `Function`.

    Parameters
    ----------
    text : str
        An expression such as ``"x*exp(-x^2-y^2)"``, optionally with a header
        ``f(x, y) = …`` and named definitions separated by ``;`` or newlines.
    variables : sequence of str, optional
        The variable order; by default the header's, else alphabetical.

    Raises
    ------
    ParseError
        For anything that is not a function in the language.
    """
    return Function(parse_text(text, variables), text)


T = TypeVar("T")


class _built_once(Generic[T]):
    """A cached property built under its Function's lock.

    Derivative graphs grow the shared graph and programs are compiled from it,
    so two threads must not build at once; once built, the value sits in the
    instance's ``__dict__`` and is read without the lock.
    """

    def __init__(self, build: Callable[[Any], T]) -> None:
        self.build = build
        self.name = build.__name__
        self.__doc__ = build.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, obj: Any, owner: type | None = None) -> T:
        if obj is None:
            return self  # type: ignore[return-value]
        with obj._lock:
            if self.name not in obj.__dict__:
                obj.__dict__[self.name] = self.build(obj)
        return obj.__dict__[self.name]


def constant(text: str) -> float:
    """The value of a variable-free expression such as ``-pi/2`` or ``log(2)``.

    Raises
    ------
    ParseError
        For anything else, a function of a variable included.
    """
    return float(Function(parse_text(text, constant=True), text)())


class Function:
    """``f(*xs)``, ``f.gradient(*xs)`` and ``f.hessian(*xs)``, broadcasting like numpy."""

    def __init__(self, parsed: Parsed, text: str) -> None:
        self.text = text
        self.graph = parsed.graph
        self.graph.max_nodes = MAX_DERIVATIVE_NODES
        self.output = parsed.output
        self.variables: tuple[str, ...] = parsed.variables
        self.var_nodes = parsed.var_nodes
        self.output_name = parsed.output_name or "f"
        self.names = dict(parsed.names)
        self._lock = threading.RLock()  # re-entrant: one lazy part builds on another

    def __repr__(self) -> str:
        return f"<Function {self.output_name}({', '.join(self.variables)}) = {self.text!r}>"

    @property
    def dimension(self) -> int:
        return len(self.variables)

    def _compile(
        self,
        outputs: list[int],
        flavor: str,
        single: bool = False,
        slots: list[str] | None = None,
        buffers: bool = False,
    ) -> Callable:
        return compile_program(self.graph, outputs, self.var_nodes, flavor, single, slots, buffers)

    def _compile_into(self, outputs: list[int], buffers: bool = False) -> Callable:
        """numpy code writing output k into ``_out[k]`` of a stacked array."""
        slots = [f"_out[{k}, ...]" for k in range(len(outputs))]
        return self._compile(outputs, "np", slots=slots, buffers=buffers)

    # derivative graphs, built on first use ---------------------------------
    @_built_once
    def _reverse(self) -> tuple[list[int], dict[int, int]]:
        with _bounded("differentiate"):
            return self.graph.reverse(self.output, list(self.var_nodes))

    @_built_once
    def _readable_reverse(self) -> tuple[list[int], dict[int, int]]:
        with _bounded("differentiate"):
            return self.graph.reverse(self.output, list(self.var_nodes), hoist=False)

    @_built_once
    def _hessian_nodes(self) -> list[int]:
        grad = self._reverse[0]
        n = self.dimension
        upper: list[int] = []
        with _bounded("differentiate twice"):
            for i in range(n):
                row, _ = self.graph.reverse(grad[i], list(self.var_nodes))
                upper.extend(row[i:])
        return upper

    @_built_once
    def _value_scalar(self) -> Callable:
        return compile_scalar(self.graph, self.output, None, self.var_nodes)

    @_built_once
    def _value_array(self) -> Callable:
        return self._compile([self.output], "np", single=True)

    @_built_once
    def _value_buffers(self) -> Callable:
        return self._compile([self.output], "np", single=True, buffers=True)

    @_built_once
    def _vg_scalar(self) -> Callable:
        return compile_scalar(self.graph, self.output, self._reverse[0], self.var_nodes)

    @_built_once
    def _vg_array(self) -> Callable:
        return self._compile_into([self.output, *self._reverse[0]])

    @_built_once
    def _vg_buffers(self) -> Callable:
        return self._compile_into([self.output, *self._reverse[0]], buffers=True)

    @_built_once
    def _gradient_buffers(self) -> Callable:
        return self._compile_into(self._reverse[0], buffers=True)

    @property
    def _hessian_slots(self) -> list[str]:
        n = self.dimension
        return [f"_out[{i}, {j}, ...]" for i in range(n) for j in range(i, n)]

    @_built_once
    def _hessian_programs(self) -> tuple[Callable, Callable]:
        nodes = self._hessian_nodes
        return self._compile(nodes, "py"), self._compile(nodes, "np", slots=self._hessian_slots)

    @_built_once
    def _hessian_buffers(self) -> Callable:
        return self._compile(self._hessian_nodes, "np", slots=self._hessian_slots, buffers=True)

    @_built_once
    def _trace_plan(self):
        return plan_trace(self)

    @_built_once
    def _kink_plan(self) -> tuple[list[tuple[str, list[int]]], Callable | None]:
        """The ops with a kink as (name, argument positions), and one program
        computing the arguments they need."""
        g = self.graph
        nodes = [n for n in needed(g, [self.output]) if g.ops[n] in OPS and OPS[g.ops[n]].kink]
        args = sorted({a for n in nodes for a in g.args[n]})
        slot = {a: i for i, a in enumerate(args)}
        plan = [(g.ops[n], [slot[a] for a in g.args[n]]) for n in nodes]
        return plan, compile_program(g, args, self.var_nodes, "np") if args else None

    # evaluation -------------------------------------------------------------
    def _arrays(self, xs: tuple) -> tuple[list[np.ndarray], tuple[int, ...]]:
        if len(xs) != len(self.variables):
            raise TypeError(
                f"{self.output_name}({', '.join(self.variables)}) takes "
                f"{len(self.variables)} arguments, got {len(xs)}"
            )
        arrays = [np.asarray(x, dtype=np.float64) for x in xs]
        return arrays, np.broadcast_shapes(*(a.shape for a in arrays))

    def _scalar(self, program: Callable, xs: tuple):
        """The Python-float fast path; None for arrays or where math raises."""
        try:
            return program(*xs)
        except (*_FALLBACK, TypeError):  # TypeError: wrong count, reported by _arrays
            return None

    def __call__(self, *xs):
        """The value, broadcast over the arguments (float64; NaN outside the domain)."""
        found = self._scalar(self._value_scalar, xs)
        if found is not None:
            return found
        arrays, shape = self._arrays(xs)
        program = self._value_buffers if _fills(arrays, shape) else self._value_array
        with np.errstate(all="ignore"):
            value = program(*arrays)
        if shape == ():
            return np.float64(value)
        value = np.asarray(value)
        if value.shape != shape:
            return np.broadcast_to(value, shape).copy()
        # f = x hands back its input: the caller gets an array of its own
        return value.copy() if any(np.may_share_memory(value, a) for a in arrays) else value

    def value_and_gradient(
        self, *xs, out: np.ndarray | None = None
    ) -> tuple[np.floating | np.ndarray, np.ndarray]:
        """``(f(*xs), gradient)`` in one pass; gradient has shape ``(n, *broadcast)``.

        With `out` (float64, shape ``(n + 1, *shape)``, the arguments broadcasting
        to `shape`) f goes into ``out[0]`` and the gradient into ``out[1:]``, both
        returned as views of it: a hot loop over a large batch then allocates
        nothing per call and skips the shape bookkeeping.
        """
        if out is not None:
            if len(xs) != self.dimension or out.shape[:1] != (self.dimension + 1,):
                raise ValueError(f"out must have shape ({self.dimension + 1}, …) for {self!r}")
            # an input held in `out` itself would be overwritten while still needed
            arrays = [_apart(np.asarray(x, dtype=np.float64), out) for x in xs]
            fills = _fills(arrays, out.shape[1:])
            with np.errstate(all="ignore"):
                (self._vg_buffers if fills else self._vg_array)(*arrays, out)
            return out[0], out[1:]
        found = self._scalar(self._vg_scalar, xs)
        if found is not None:
            return found
        arrays, shape = self._arrays(xs)
        out = np.empty((self.dimension + 1, *shape))
        program = self._vg_buffers if _fills(arrays, shape) else self._vg_array
        with np.errstate(all="ignore"):
            program(*arrays, out)
        return (np.float64(out[0]) if shape == () else out[0]), out[1:]

    def gradient(self, *xs) -> np.ndarray:
        """The gradient, shape ``(n, *broadcast)``."""
        found = self._scalar(self._vg_scalar, xs)
        if found is not None:
            return found[1]
        arrays, shape = self._arrays(xs)
        with np.errstate(all="ignore"):
            if _fills(arrays, shape):
                return self._gradient_buffers(*arrays, np.empty((self.dimension, *shape)))
            # the value's program, which computes the value anyway: one program less
            # to compile for each function (the buffers' saves the value's writes)
            out = np.empty((self.dimension + 1, *shape))
            self._vg_array(*arrays, out)
            return out[1:]

    def hessian(self, *xs) -> np.ndarray:
        """The Hessian, shape ``(n, n, *broadcast)``, symmetric."""
        py, np_ = self._hessian_programs
        n = self.dimension
        if SCALAR_TYPES.issuperset(map(type, xs)) and n == len(xs):
            try:
                upper = py(*map(float, xs))
            except _FALLBACK:
                pass
            else:
                out = np.empty((n, n))
                out[np.triu_indices(n)] = upper
                return _mirror(out)
        arrays, shape = self._arrays(xs)
        out = np.empty((n, n, *shape))
        program = self._hessian_buffers if _fills(arrays, shape) else np_
        with np.errstate(all="ignore"):
            program(*arrays, out)  # fills the upper triangle
        return _mirror(out)

    def kink_distance(self, *xs) -> np.ndarray:
        """How far the point is, in each op's own argument, from where an op of `f`
        is not differentiable (the op table's kinks: a corner, a jump, a vertical
        tangent): 0 exactly there, inf for a function without kinks. Broadcasts."""
        distances = self._kinks(xs)
        shape = np.broadcast_shapes(*(np.shape(x) for x in xs))
        if not distances:
            return np.full(shape, np.inf)
        # (an op whose argument depends only on scalar inputs gives a scalar distance)
        pieces = np.broadcast_arrays(*(d for _, d in distances))
        return np.broadcast_to(np.minimum.reduce(pieces), shape)

    def kinks_at(self, point: Sequence[float] | np.ndarray) -> list[str]:
        """The ops of `f` that are not differentiable at `point` (empty: none)."""
        found = self._kinks(tuple(np.float64(x) for x in point))
        return sorted({name for name, d in found if d == 0})

    def _kinks(self, xs: tuple) -> list[tuple[str, np.ndarray]]:
        plan, program = self._kink_plan
        if program is None:
            return []
        arrays, _ = self._arrays(xs)
        with np.errstate(all="ignore"):
            values = program(*arrays)
            return [
                (name, np.abs(OPS[name].kink(*(values[i] for i in slots))))  # type: ignore[misc]
                for name, slots in plan
            ]

    # inspection -------------------------------------------------------------
    def trace(self, point: Sequence[float]) -> Trace:
        """Forward values, single-step partials and adjoints of every node at `point`."""
        return build_trace(self, point)

    def source(self) -> str:
        """The forward and backward pass as readable numpy code with the user's names."""
        grad, adjoint = self._readable_reverse
        out = self.output_name
        node_names = {
            n: name
            for n, name in self.names.items()
            if n not in self.var_nodes and self.graph.ops[n] != CONST
        }
        node_names[self.output] = out
        for node, bar in adjoint.items():
            name = self.names.get(node)
            if name and self.graph.ops[bar] != CONST and bar not in node_names:
                node_names[bar] = f"d{out}_d{name}"
        grads = [f"d{out}_d{v}" for v in self.variables]

        def tail(ref: Callable[[int], str]) -> list[str]:
            pairs = [(out, self.output), *zip(grads, grad, strict=True)]
            aliases = [f"{name} = {ref(node)}" for name, node in pairs if ref(node) != name]
            return [*aliases, f"return {out}, ({', '.join(grads)}{',' if len(grads) == 1 else ''})"]

        backward = min((n for n in needed(self.graph, grad) if n > self.output), default=None)
        sections = [(0, "forward pass")]
        if backward is not None:
            sections.append((backward, "backward pass (reverse mode)"))
        text = emit(
            self.graph,
            [self.output, *grad],
            self.var_nodes,
            "np",
            arg_names=self.variables,
            node_names=node_names,
            fname=out,
            sections=sections,
            tail=tail,
        )
        doc = (
            f'    """Return {out} and its gradient ({", ".join(grads)}).\n\n'
            f'    Generated from: {" ".join(self.text.split())}\n    """\n'
        )
        head, body = text.split("\n", 1)
        return f"import numpy as np\n\n\n{head}\n{doc}{body}"


def _fills(arrays: list[np.ndarray], shape: tuple[int, ...]) -> bool:
    """Whether every input fills the whole broadcast shape, and it is large
    enough for the code that reuses buffers."""
    return math.prod(shape) >= BUFFERS_MIN_SIZE and all(a.shape == shape for a in arrays)


def _apart(a: np.ndarray, out: np.ndarray) -> np.ndarray:
    """`a`, or a copy of it where it may overlap `out`."""
    return a.copy() if np.may_share_memory(a, out) else a


def _mirror(h: np.ndarray) -> np.ndarray:
    """Copy the upper triangle of a stack of Hessians onto the lower one."""
    n = h.shape[0]
    for i in range(n):
        for j in range(i + 1, n):
            h[j, i] = h[i, j]
    return h


@contextmanager
def _bounded(what: str) -> Iterator[None]:
    """Turn a derivative graph outgrowing its limit into a ParseError the user reads."""
    try:
        yield
    except GraphTooLarge:
        raise ParseError(
            f"the function is too large to {what} (more than {MAX_DERIVATIVE_NODES:,} nodes)"
        ) from None
