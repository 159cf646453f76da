"""Text to graph: a tokenizer and a recursive-descent parser over a whitelist.

Nothing here evaluates user text. The parser builds only nodes the op table
allows; every other construct is a `ParseError` naming the column it points
at. Limits on length, nesting and node count bound the work any text can cause.
"""

from __future__ import annotations

import keyword
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from .graph import Graph, GraphTooLarge
from .ops import CONSTANTS, FUNCTIONS

MAX_TEXT = 20_000
MAX_DEPTH = 120
MAX_NODES = 5_000
MAX_VARIABLES = 32


class ParseError(ValueError):
    """User text that is not a function; `position` is the 0-based offset it points at."""

    def __init__(self, message: str, position: int = 0, text: str = "") -> None:
        self.message = message
        self.position = position
        self.line, self.column = _line_column(text, position)
        where = (
            f"column {self.column}"
            if "\n" not in text
            else (f"line {self.line}, column {self.column}")
        )
        super().__init__(f"{message} (at {where})" if text else message)


def _line_column(text: str, position: int) -> tuple[int, int]:
    """1-based line and column of the 0-based `position` in `text`."""
    before = text[:position]
    return before.count("\n") + 1, position - (before.rfind("\n") + 1) + 1


@dataclass(frozen=True)
class Token:
    kind: str  # "num", "name", "op", "sep", "end"
    text: str
    pos: int


_TOKEN = re.compile(
    r"(?P<space>[ \t\r]+)"
    r"|(?P<num>(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)"
    r"|(?P<name>[A-Za-z][A-Za-z0-9_]*)"
    r"|(?P<op>\*\*|[-+*/^(),=])"
    r"|(?P<sep>[;\n])"
)
# Characters people paste from typeset text, read as what they mean.
_FRIENDLY = str.maketrans({"−": "-", "×": "*", "·": "*"})


def tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    src = text.translate(_FRIENDLY)  # one character for one: positions stay true
    pos = 0
    while pos < len(src):
        ch = src[pos]
        if ch == "π":
            tokens.append(Token("name", "pi", pos))
            pos += 1
            continue
        m = _TOKEN.match(src, pos)
        if m is None:
            raise ParseError(_unexpected(ch), pos, text)
        kind = m.lastgroup or ""
        if kind != "space":
            tokens.append(Token(kind, m.group(), pos))
        pos = m.end()
    tokens.append(Token("end", "", len(text)))
    return tokens


def _unexpected(ch: str) -> str:
    hints = {
        ".": "'.' may only appear inside a number",
        "_": "names must start with a letter",
        "[": "brackets are not part of the language; use ( )",
        "{": "braces are not part of the language; use ( )",
        "'": "text in quotes is not part of the language",
        '"': "text in quotes is not part of the language",
        "!": "factorial is not supported",
        "%": "'%' is not supported",
        ":": "':' is not part of the language",
        "<": "comparisons are not supported",
        ">": "comparisons are not supported",
    }
    if ch in hints:
        return hints[ch]
    return f"unexpected character {ch!r}"


@dataclass
class Parsed:
    graph: Graph
    output: int
    variables: tuple[str, ...]
    var_nodes: tuple[int, ...]
    output_name: str | None
    names: dict[int, str] = field(default_factory=dict)  # node -> user's name


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.graph = Graph(max_nodes=MAX_NODES)
        self.free: dict[str, int] = {}  # variable name -> first position
        self.var_index: dict[str, int] = {}
        self.defs: dict[str, int] = {}  # defined name -> node
        self.names: dict[int, str] = {}
        self.pending_defs: set[str] = set()
        self.depth = 0

    def error(self, message: str, tok: Token) -> ParseError:
        return ParseError(message, tok.pos, self.text)

    # statements -------------------------------------------------------------
    def program(self, tokens: list[Token]) -> tuple[int, str | None, list[str] | None]:
        statements: list[list[Token]] = [[]]
        for tok in tokens[:-1]:
            if tok.kind == "sep":
                statements.append([])
            else:
                statements[-1].append(tok)
        statements = [s for s in statements if s]
        if not statements:
            raise ParseError("the expression is empty")  # nowhere in particular
        heads = [self._split(s) for s in statements]
        for head, _ in heads:
            if head and head[0].text in self.pending_defs:
                raise self.error(f"'{head[0].text}' is defined twice", head[0])
            if head:
                self.pending_defs.add(head[0].text)
        header_vars: list[str] | None = None
        output = -1
        output_name: str | None = None
        for i, (head, body) in enumerate(heads):
            last = i == len(heads) - 1
            if not head and not last:
                raise self.error(
                    "only the last line may be a bare expression; name this one, e.g. 'a = …'",
                    body[0],
                )
            if head and len(head) > 1:
                if header_vars is not None:
                    raise self.error("only one line may declare the variables", head[0])
                header_vars = self._header(head)
            node = self.expression(body + [Token("end", "", _end_pos(body))])
            if head:
                name = head[0].text
                self.pending_defs.discard(name)
                self.defs[name] = node
                self.names.setdefault(node, name)
                output_name = name
            else:
                output_name = None
            output = node
        return output, output_name, header_vars

    def _split(self, tokens: list[Token]) -> tuple[list[Token], list[Token]]:
        eq = [i for i, t in enumerate(tokens) if t.text == "="]
        if not eq:
            return [], tokens
        if len(eq) > 1:
            raise self.error("one '=' per line", tokens[eq[1]])
        head, body = tokens[: eq[0]], tokens[eq[0] + 1 :]
        if not body:
            raise self.error("nothing after '='", tokens[eq[0]])
        if not head or head[0].kind != "name":
            raise self.error(
                "a definition needs a name before '=', e.g. 'a = x + y'",
                head[0] if head else tokens[0],
            )
        name = head[0]
        self._check_name(name, "defined")
        if len(head) > 1:
            shape_ok = (
                head[1].text == "("
                and head[-1].text == ")"
                and len(head) >= 4
                and all(t.kind == "name" for t in head[2:-1:2])
                and all(t.text == "," for t in head[3:-1:2])
                and len(head) % 2 == 0
            )
            if not shape_ok:
                raise self.error("a header looks like f(x, y) = …", head[1])
        return head, body

    def _header(self, head: list[Token]) -> list[str]:
        names = [t for t in head[2:-1:2]]
        seen: list[str] = []
        for t in names:
            self._check_name(t, "used as a variable")
            if t.text in seen:
                raise self.error(f"variable '{t.text}' is listed twice", t)
            if t.text in self.pending_defs or t.text in self.defs:
                raise self.error(f"'{t.text}' names a definition, so it cannot be a variable", t)
            seen.append(t.text)
        if len(seen) > MAX_VARIABLES:
            raise self.error(f"at most {MAX_VARIABLES} variables", names[MAX_VARIABLES])
        for name in seen:
            self._variable(name)
        return seen

    def _check_name(self, tok: Token, what: str) -> None:
        if _reserved(tok.text):
            raise self.error(f"'{tok.text}' is a reserved word", tok)
        if tok.text in FUNCTIONS:
            raise self.error(f"'{tok.text}' is a function; it cannot be {what}", tok)
        if tok.text in CONSTANTS:
            raise self.error(f"'{tok.text}' is a constant; it cannot be {what}", tok)

    # expressions ------------------------------------------------------------
    def expression(self, tokens: list[Token]) -> int:
        self.toks = tokens
        self.i = 0
        node = self.sum()
        tok = self.peek()
        if tok.kind != "end":
            raise self.error(_leftover(tok), tok)
        return node

    def peek(self) -> Token:
        return self.toks[self.i]

    def take(self) -> Token:
        tok = self.toks[self.i]
        self.i += 1
        return tok

    def expect(self, text: str, what: str) -> Token:
        tok = self.peek()
        if tok.text != text:
            raise self.error(f"expected {what}", tok)
        return self.take()

    def enter(self, tok: Token) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise self.error(f"nested more than {MAX_DEPTH} levels deep", tok)

    def sum(self) -> int:
        node = self.term()
        while self.peek().text in ("+", "-"):
            op = self.take()
            right = self.term()
            node = self.graph.apply("add" if op.text == "+" else "sub", node, right)
        return node

    def term(self) -> int:
        node = self.unary()
        while True:
            tok = self.peek()
            if tok.text in ("*", "/"):
                self.take()
                node = self.graph.apply("mul" if tok.text == "*" else "div", node, self.unary())
            elif self._implicit(tok):
                node = self.graph.apply("mul", node, self.unary())
            else:
                return node

    def _implicit(self, tok: Token) -> bool:
        # '2x', '3(x+1)', '2 sin(x)', '2pi x', '(x+1)(x-1)', '(x+1) y'
        prev = self.toks[self.i - 1]
        if tok.kind != "name" and tok.text != "(":
            return False
        return prev.kind == "num" or prev.text == ")" or prev.text in CONSTANTS

    def unary(self) -> int:
        tok = self.peek()
        if tok.text in ("-", "+"):
            self.take()
            self.enter(tok)
            operand = self.unary()
            self.depth -= 1
            return self.graph.apply("neg", operand) if tok.text == "-" else operand
        return self.power()

    def power(self) -> int:
        base = self.primary()
        tok = self.peek()
        if tok.text in ("^", "**"):
            self.take()
            self.enter(tok)
            exponent = self.unary()  # right-associative; allows 2^-x
            self.depth -= 1
            return self.graph.apply("pow", base, exponent)
        return base

    def primary(self) -> int:
        tok = self.take()
        if tok.kind == "num":
            value = float(tok.text)
            if math.isinf(value):
                raise self.error("number too large", tok)
            return self.graph.const(value)
        if tok.text == "(":
            self.enter(tok)
            node = self.sum()
            self.depth -= 1
            self.expect(
                ")", f"')' to close the '(' at column {_line_column(self.text, tok.pos)[1]}"
            )
            return node
        if tok.kind == "name":
            return self.name(tok)
        if tok.kind == "end":
            raise self.error("the expression ends too early", tok)
        raise self.error(f"unexpected '{tok.text}'", tok)

    def name(self, tok: Token) -> int:
        text = tok.text
        if text in CONSTANTS:  # 'pi(x + 1)' is pi*(x + 1): term() multiplies
            return self.graph.const(CONSTANTS[text])
        if self.peek().text == "(":
            if text not in FUNCTIONS:
                if text in self.defs or text in self.free or text in self.pending_defs:
                    raise self.error(f"'{text}' is not a function; write {text}*(…)", tok)
                raise self.error(f"unknown function '{text}'", tok)
            return self.call(tok)
        if text in FUNCTIONS:
            raise self.error(f"{text} needs parentheses: {text}(…)", tok)
        if text in self.defs:
            return self.defs[text]
        if text in self.pending_defs:
            raise self.error(f"'{text}' is used before its definition", tok)
        self._check_name(tok, "used as a variable")
        self.free.setdefault(text, tok.pos)
        return self._variable(text)

    def _variable(self, text: str) -> int:
        if text not in self.var_index:
            self.var_index[text] = len(self.var_index)
        node = self.graph.var(self.var_index[text])
        self.names.setdefault(node, text)
        return node

    def call(self, tok: Token) -> int:
        op = FUNCTIONS[tok.text]
        open_ = self.take()
        self.enter(open_)
        args = [self.sum()]
        while self.peek().text == ",":
            self.take()
            args.append(self.sum())
        self.depth -= 1
        self.expect(")", f"')' to close {tok.text}(")
        if len(args) != op.arity:
            plural = "s" if op.arity > 1 else ""
            raise self.error(f"{tok.text} takes {op.arity} argument{plural}, got {len(args)}", tok)
        return self.graph.apply(op.name, *args)


def _reserved(name: str) -> bool:
    """Python's words, soft ones included: kept out so names read as they would in Python."""
    return keyword.iskeyword(name) or keyword.issoftkeyword(name)


def _end_pos(body: list[Token]) -> int:
    last = body[-1]
    return last.pos + len(last.text)


def _leftover(tok: Token) -> str:
    if tok.text == ")":
        return "unmatched ')'"
    if tok.text == ",":
        return "',' only separates a function's arguments"
    if tok.kind in ("name", "num"):
        return f"missing operator before '{tok.text}'"
    return f"unexpected '{tok.text}'"


def parse_text(
    text: str, variables: Sequence[str] | None = None, *, constant: bool = False
) -> Parsed:
    """Parse `text` into a graph; raise `ParseError` on anything else.

    A function has at least one variable; with `constant`, `text` must have none.
    """
    if not isinstance(text, str):
        raise ParseError("the expression must be text")
    if len(text) > MAX_TEXT:
        raise ParseError(f"the expression is longer than {MAX_TEXT} characters", MAX_TEXT, text)
    parser = _Parser(text)
    try:
        output, output_name, header = parser.program(tokenize(text))
    except GraphTooLarge:
        raise ParseError(f"the expression has more than {MAX_NODES} operations", 0, text) from None
    except RecursionError:
        raise ParseError("the expression is nested too deeply", 0, text) from None
    if constant:
        used = list(parser.free.items()) or [(name, 0) for name in header or ()]
        if used:
            raise ParseError(f"a number cannot use the variable '{used[0][0]}'", used[0][1], text)
        return Parsed(parser.graph, output, (), (), output_name, parser.names)
    order = _order(parser, header, variables, text)
    g = parser.graph
    # Renumber variables to the chosen order: var nodes carry their index.
    var_nodes = tuple(
        g.var(parser.var_index[name]) if name in parser.var_index else -1 for name in order
    )
    missing = [i for i, n in enumerate(var_nodes) if n < 0]
    var_list = list(var_nodes)
    for i in missing:  # declared but unused: still a coordinate of the domain
        var_list[i] = g.var(len(parser.var_index) + i)
        parser.names.setdefault(var_list[i], order[i])
    return Parsed(g, output, order, tuple(var_list), output_name, parser.names)


def _order(parser: _Parser, header, variables, text: str) -> tuple[str, ...]:
    used = set(parser.free)
    if variables is not None:
        order = tuple(str(v) for v in variables)
        bad = [
            v
            for v in order
            if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", v)
            or v in FUNCTIONS
            or v in CONSTANTS
            or _reserved(v)
        ]
        if bad:
            raise ParseError(f"'{bad[0]}' cannot be a variable name")
        if len(set(order)) != len(order):
            raise ParseError("a variable is listed twice")
        if header is not None and list(order) != list(header):
            raise ParseError("the variables given differ from the header's")
    elif header is not None:
        order = tuple(header)
    else:
        order = tuple(sorted(used))
    unknown = sorted(used - set(order), key=lambda n: parser.free[n])
    if unknown:
        name = unknown[0]
        raise ParseError(
            f"'{name}' is not among the variables ({', '.join(order)})", parser.free[name], text
        )
    if len(order) > MAX_VARIABLES:
        raise ParseError(f"at most {MAX_VARIABLES} variables")
    if not order:  # one rule for every entry point: a function has a variable
        raise ParseError("the function has no variable; declare one, e.g. f(x) = …", 0, text)
    return order
