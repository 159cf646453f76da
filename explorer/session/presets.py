"""The functions a user can pick: the chapter's examples, its exercises, and the
usual optimization test functions, each with a domain that shows it well."""

from __future__ import annotations

from dataclasses import dataclass

CHAIN = "a = (w+x+y+z)^2; b = (w+x-y-z)^2; u = (a+b)^2; v = (a-b)^2; f = (u+v)^2"
# A network shaped like Fig. 18.4.2: y reaches f along three paths (u→a→f, u→f, v→b→f).
PATHS = "u = x*y; v = y + z; a = u^2; b = v^2; f = a + u + b"


@dataclass(frozen=True)
class Preset:
    group: str
    name: str
    text: str
    domain: tuple[tuple[float, float], ...]  # one interval per variable
    point: tuple[float, ...]
    note: str = ""
    overlays: tuple[str, ...] = ()  # what the note speaks of, turned on with the preset


_C, _E, _S, _O = "Chapter 18.4", "Exercises", "Saddle points", "Optimization test functions"
SQUARE2 = ((-2.0, 2.0), (-2.0, 2.0))

PRESETS: tuple[Preset, ...] = (
    Preset(
        _C,
        "Log-sum-exp (18.4.1)",
        "log(exp(x) + exp(y))",
        SQUARE2,
        (0.0, 0.6931471805599453),
        "The linear approximation at (0, log 2): ∇f = (1/3, 2/3).",
    ),
    Preset(
        _C,
        "Steepest descent on a bowl (18.4.2)",
        "x^2 + 3y^2",
        SQUARE2,
        (1.5, 1.0),
        "−∇f is the direction of steepest descent; it is not aimed at the minimum.",
        ("descent",),
    ),
    Preset(
        _C,
        "Quartic 3x⁴ − 4x³ − 12x² (18.4.3)",
        "3x^4 - 4x^3 - 12x^2",
        ((-2.0, 3.0),),
        (1.0,),
        "Critical points x = −1, 0, 2 with values −5, 0, −32; the minimum is at 2.",
        ("critical",),
    ),
    Preset(
        _C,
        "Chain of Fig. 18.4.1 (18.4.4–5)",
        CHAIN,
        ((-2.0, 2.0),) * 4,
        (-1.0, 0.0, -2.0, 1.0),
        "At (−1, 0, −2, 1): f = 1024 and every partial is −4096.",
    ),
    Preset(
        _C,
        "x·e^(−x²−y²) and its quadratic (18.4.6)",
        "x*exp(-x^2 - y^2)",
        SQUARE2,
        (-1.0, 0.0),
        "At (−1, 0) the quadratic model is e⁻¹(−1 − (x+1) + (x+1)² + y²).",
        ("quadratic",),
    ),
    Preset(
        _C,
        "Quadratic form xᵀAx, A = [[1,2],[3,4]] (18.4.7)",
        "x^2 + 5x*y + 4y^2",
        SQUARE2,
        (0.5, -0.5),
        "∇(xᵀAx) = (A + Aᵀ)x.",
    ),
    Preset(
        _E,
        "1. βx with β = (2, −1)",
        "2x - y",
        SQUARE2,
        (0.5, 0.5),
        "βx and xᵀβᵀ are the same scalar: both derivatives are βᵀ.",
    ),
    Preset(
        _E,
        "2. The norm ‖v‖₂",
        "sqrt(x^2 + y^2)",
        SQUARE2,
        (1.0, 0.5),
        "∂‖v‖/∂v = v/‖v‖, undefined at v = 0.",
    ),
    Preset(
        _E,
        "3. log(eˣ + eʸ): softmax gradient",
        "log(exp(x) + exp(y))",
        SQUARE2,
        (0.5, -0.5),
        "The gradient's components are softmax weights: they sum to 1.",
    ),
    Preset(
        _E,
        "4. x²y + xy²",
        "x^2*y + x*y^2",
        SQUARE2,
        (0.8, 0.4),
        "Only critical point (0, 0), with H = 0; f(x, x) = 2x³: neither max nor min.",
        ("critical",),
    ),
    Preset(
        _E,
        "5. g + h: opposite gradients",
        "g = (x-1)^2 + y^2; h = (x+1)^2 + 2(y-1)^2; f = g + h",
        SQUARE2,
        (0.0, 0.5),
        "At a critical point of g + h, ∇g = −∇h.",
    ),
    Preset(
        _O,
        "Rosenbrock",
        "(1 - x)^2 + 100(y - x^2)^2",
        ((-2.0, 2.0), (-1.0, 3.0)),
        (-1.5, 2.0),
        "Global minimum 0 at (1, 1), at the end of a curved valley.",
    ),
    Preset(
        _O,
        "Beale",
        "(1.5 - x + x*y)^2 + (2.25 - x + x*y^2)^2 + (2.625 - x + x*y^3)^2",
        ((-4.5, 4.5), (-4.5, 4.5)),
        (1.0, 1.0),
        "Global minimum 0 at (3, 0.5).",
    ),
    Preset(
        _O,
        "Himmelblau",
        "(x^2 + y - 11)^2 + (x + y^2 - 7)^2",
        ((-5.0, 5.0), (-5.0, 5.0)),
        (0.0, 0.0),
        "Four minima of value 0, one maximum, four saddles.",
    ),
    Preset(
        _O,
        "Booth",
        "(x + 2y - 7)^2 + (2x + y - 5)^2",
        ((-10.0, 10.0), (-10.0, 10.0)),
        (-5.0, 5.0),
        "Global minimum 0 at (1, 3).",
    ),
    Preset(
        _O,
        "Matyas",
        "0.26(x^2 + y^2) - 0.48x*y",
        ((-10.0, 10.0), (-10.0, 10.0)),
        (6.0, -4.0),
        "Global minimum 0 at (0, 0), in a flat valley.",
    ),
    Preset(
        _O,
        "Rastrigin",
        "20 + x^2 - 10cos(2pi x) + y^2 - 10cos(2pi y)",
        ((-5.12, 5.12), (-5.12, 5.12)),
        (2.2, -1.3),
        "Global minimum 0 at (0, 0) among 120 others.",
    ),
    Preset(
        _O,
        "Ackley",
        "-20exp(-0.2sqrt(0.5(x^2 + y^2))) - exp(0.5(cos(2pi x) + cos(2pi y))) + e + 20",
        ((-5.0, 5.0), (-5.0, 5.0)),
        (2.5, -1.5),
        "Global minimum 0 at (0, 0), a kink.",
    ),
    Preset(
        _O,
        "Six-hump camel",
        "(4 - 2.1x^2 + x^4/3)x^2 + x*y + (-4 + 4y^2)y^2",
        ((-2.0, 2.0), (-1.0, 1.0)),
        (-1.0, 0.5),
        "Two global minima −1.0316 at (±0.0898, ∓0.7126).",
    ),
    Preset(
        _O,
        "Three-hump camel",
        "2x^2 - 1.05x^4 + x^6/6 + x*y + y^2",
        SQUARE2,
        (1.5, -1.0),
        "Global minimum 0 at (0, 0), two local minima.",
    ),
    Preset(
        _O,
        "McCormick",
        "sin(x + y) + (x - y)^2 - 1.5x + 2.5y + 1",
        ((-1.5, 4.0), (-3.0, 4.0)),
        (2.0, 2.0),
        "Global minimum −1.9133 at (−0.547, −1.547).",
    ),
    Preset(
        _O,
        "Styblinski–Tang",
        "(x^4 - 16x^2 + 5x + y^4 - 16y^2 + 5y)/2",
        ((-5.0, 5.0), (-5.0, 5.0)),
        (0.5, 0.5),
        "Global minimum −78.33 at (−2.9035, −2.9035).",
    ),
    Preset(
        _S,
        "Saddle x² − y²",
        "x^2 - y^2",
        SQUARE2,
        (1.0, 0.5),
        "A saddle at the origin: the Hessian's eigenvalues have both signs.",
        ("critical", "eigen"),
    ),
    Preset(
        _S,
        "Monkey saddle x³ − 3xy²",
        "x^3 - 3x*y^2",
        SQUARE2,
        (0.8, 0.6),
        "A degenerate critical point with three valleys: H = 0 there.",
        ("critical",),
    ),
    Preset(
        _C,
        "Paths of Fig. 18.4.2 (18.4.4)",
        PATHS,
        ((-2.0, 2.0),) * 3,
        (1.0, 1.5, -0.5),
        "∂f/∂y is the sum over the 3 paths from y to f: "
        "∂f/∂a·∂a/∂u·∂u/∂y + ∂f/∂u·∂u/∂y + ∂f/∂b·∂b/∂v·∂v/∂y = 3 + 1 + 2 = 6.",
    ),
)
PATHS_PRESET = PRESETS[-1]  # the graph panel's one-click case

GROUPS: tuple[str, ...] = (_C, _E, _S, _O)
DEFAULT = PRESETS[4]  # x e^(−x²−y²): the chapter's surface with a visible quadratic


def find(name: str) -> Preset:
    for p in PRESETS:
        if p.name == name:
            return p
    raise KeyError(name)
