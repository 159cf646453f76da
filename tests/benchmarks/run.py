"""`make bench`: the engine against hand-written numpy, sympy and autograd.

Ratios measured in one run, each the best of several interleaved rounds, so a
noisy shared machine affects both sides alike. Prints a table; exits 1 when a
target is missed.
"""

from __future__ import annotations

import math
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from explorer.calculus import critical_points
from explorer.engine import parse
from explorer.memory import keep_large_arrays_on_heap

HERE = Path(__file__).parent
sys.path[:0] = [str(HERE), str(HERE.parent.parent)]  # this folder (report) and the repo (tests)
from report import Report  # noqa: E402

ROUNDS = 7


def best(fns: dict[str, Callable[[], object]], number: int, rounds: int = ROUNDS) -> dict:
    """Best time per call of each function, rounds interleaved."""
    times = {k: math.inf for k in fns}
    for _ in range(rounds):
        for k, fn in fns.items():
            start = time.perf_counter()
            for _ in range(number):
                fn()
            times[k] = min(times[k], (time.perf_counter() - start) / number)
    return times


# Hand-written numpy: the baseline a careful person would write.
def hand_gauss(x, y):
    return x * np.exp(-x * x - y * y)


def hand_gauss_grad(x, y):
    e = np.exp(-x * x - y * y)
    return e * (1 - 2 * x * x), -2 * x * y * e


def hand_lse(x, y):
    return np.log(np.exp(x) + np.exp(y))


def hand_lse_grad(x, y):
    ex, ey = np.exp(x), np.exp(y)
    s = ex + ey
    return ex / s, ey / s


def hand_chain(w, x, y, z):
    a = (w + x + y + z) ** 2
    b = (w + x - y - z) ** 2
    u = (a + b) ** 2
    v = (a - b) ** 2
    return (u + v) ** 2


def hand_chain_grad(w, x, y, z):
    s, d = w + x + y + z, w + x - y - z
    a, b = s * s, d * d
    u, v = (a + b) ** 2, (a - b) ** 2
    df = 2 * (u + v)
    da = df * (2 * (a + b) + 2 * (a - b))
    db = df * (2 * (a + b) - 2 * (a - b))
    gs, gd = da * 2 * s, db * 2 * d
    return gs + gd, gs + gd, gs - gd, gs - gd


GRID_CASES = [
    ("x*exp(-x^2-y^2)", hand_gauss, hand_gauss_grad, 2),
    ("log(exp(x)+exp(y))", hand_lse, hand_lse_grad, 2),
    (
        "a = (w+x+y+z)^2; b = (w+x-y-z)^2; u = (a+b)^2; v = (a-b)^2; f = (u+v)^2",
        hand_chain,
        hand_chain_grad,
        4,
    ),
]


def math_gauss_vg(x, y):
    e = math.exp(-x * x - y * y)
    return x * e, (e * (1 - 2 * x * x), -2 * x * y * e)


def sympy_funcs(text: str, n: int):
    import sympy as sp

    names = "x y" if n == 2 else "w x y z"
    syms = sp.symbols(names)
    exprs = {
        "x*exp(-x^2-y^2)": lambda x, y: x * sp.exp(-(x**2) - y**2),
        "log(exp(x)+exp(y))": lambda x, y: sp.log(sp.exp(x) + sp.exp(y)),
    }
    if n == 2:
        expr = exprs[text](*syms)
    else:
        w, x, y, z = syms
        a, b = (w + x + y + z) ** 2, (w + x - y - z) ** 2
        expr = ((a + b) ** 2 + (a - b) ** 2) ** 2
    hess = sp.hessian(expr, syms)
    # cse=True: the fair baseline shares common subexpressions, as the engine does
    return sp.lambdify(syms, hess, "numpy", cse=True), sp.lambdify(
        syms, [expr, *[sp.diff(expr, s) for s in syms]], "math"
    )


def main() -> int:
    # Both sides run with the allocator setting the application uses (see
    # explorer/memory.py); without it, page faults on fresh arrays dominate
    # and vary from run to run. `--default-malloc` measures without it.
    if "--default-malloc" not in sys.argv:
        keep_large_arrays_on_heap()
    report = Report("engine (make bench)")

    rng = np.random.default_rng(0)
    for text, hand, hand_grad, n in GRID_CASES:
        f = parse(text)
        args = [rng.uniform(-1, 1, (512, 512)) for _ in range(n)]
        h_sym, _ = sympy_funcs(text, n)
        t = best(
            {
                "engine": lambda: f(*args),
                "numpy": lambda: hand(*args),
                "engine_g": lambda: f.gradient(*args),
                "numpy_g": lambda: hand_grad(*args),
            },
            number=5,
        )
        th = best(
            {"engine_h": lambda: f.hessian(*args), "sympy_h": lambda: h_sym(*args)},
            number=2,
            rounds=3,
        )
        short = text if len(text) < 24 else "4-variable chain"
        add = report.add
        add(f"grid 512² value   {short}", t["engine"] / t["numpy"], at_most=1.2, unit="× numpy")
        add(f"grid 512² grad    {short}", t["engine_g"] / t["numpy_g"], at_most=1.3, unit="× numpy")
        add(
            f"grid 512² Hessian {short}",
            th["engine_h"] / th["sympy_h"],
            at_most=1,
            unit="× sympy lambdify(cse=True)",
        )

    f = parse("x*exp(-x^2-y^2)")
    _, sym_vg = sympy_funcs("x*exp(-x^2-y^2)", 2)
    contenders = {
        "engine": lambda: f.value_and_gradient(0.3, -0.4),
        "math": lambda: math_gauss_vg(0.3, -0.4),
        "sympy": lambda: sym_vg(0.3, -0.4),
    }
    try:
        import autograd
        import autograd.numpy as anp

        ag = autograd.value_and_grad(lambda p: p[0] * anp.exp(-(p[0] ** 2) - p[1] ** 2))
        point = np.array([0.3, -0.4])
        contenders["autograd"] = lambda: ag(point)
    except ImportError:  # the bench extra is optional
        pass
    t = best(contenders, number=20_000)
    report.add(
        "one point value+gradient",
        t["engine"] / t["math"],
        at_most=5,
        unit="× Python math",
        detail=f"({t['engine'] * 1e6:.2f} µs; sympy {t['sympy'] / t['math']:.1f}×"
        + (f", autograd {t['autograd'] / t['math']:.0f}×)" if "autograd" in t else ")"),
    )

    typical = "x*exp(-x^2-y^2) + sin(x*y)/(1 + y^2)"
    big = " + ".join(f"sin({i + 1}*x + y^{i % 3 + 1})*exp(-{i}e-3*y)" for i in range(100))

    def compile_all(text: str) -> None:
        g = parse(text)
        g.value_and_gradient(0.1, 0.2)

    t = best({"typical": lambda: compile_all(typical)}, number=20)
    report.add("parse+compile typical (ms)", t["typical"] * 1e3, at_most=5, unit=" ms")
    nodes = len(parse(big).graph)
    t = best({"big": lambda: compile_all(big)}, number=2, rounds=3)
    report.add(f"parse+compile {nodes}-node (ms)", t["big"] * 1e3, at_most=100, unit=" ms")

    # hostile input ends quickly (tests/engine/test_security.py says that it ends in an error)
    from tests.engine.test_security import ATTACKS

    def refuse(text: str) -> None:
        try:
            g = parse(text)
            g.gradient(*([1.0] * g.dimension))
        except ValueError:
            pass

    slowest = max(
        best({"a": lambda: refuse(text)}, number=1, rounds=3)["a"] for text in [*ATTACKS, "9^9^9^9"]
    )
    report.add("hostile input, slowest (ms)", slowest * 1e3, at_most=50, unit=" ms")

    cases = {
        "quartic": ("3x^4-4x^3-12x^2", [(-3, 3)]),
        "x e^(-x²-y²)": ("x*exp(-x^2-y^2)", [(-2, 2), (-2, 2)]),
        "exercise 4": ("x^2*y + x*y^2", [(-2, 2), (-2, 2)]),
        "Himmelblau": ("(x^2+y-11)^2 + (x+y^2-7)^2", [(-5, 5), (-5, 5)]),
    }
    for label, (text, box) in cases.items():
        g = parse(text)
        t = best({"c": lambda g=g, box=box: critical_points(g, box)}, number=1, rounds=5)
        report.add(f"critical_points {label} (ms)", t["c"] * 1e3, at_most=50, unit=" ms")

    return report.finish()


if __name__ == "__main__":
    sys.exit(main())
