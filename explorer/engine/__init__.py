"""The engine: text in, a compiled function with exact derivatives out. No Qt here."""

from .function import Function, constant, parse
from .ops import CONSTANTS, FUNCTIONS, OPS
from .parser import ParseError
from .trace import Trace, TraceNode

__all__ = [
    "CONSTANTS",
    "FUNCTIONS",
    "OPS",
    "Function",
    "ParseError",
    "Trace",
    "TraceNode",
    "constant",
    "parse",
]
