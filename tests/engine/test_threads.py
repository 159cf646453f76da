"""A Function may be shared with worker threads: its lazy parts are built once."""

import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import numpy as np

import explorer.engine.function as function
from explorer.engine import parse

TEXT = "a = x*exp(-x^2 - y^2); b = sin(x*y)/(1 + y^2); f = a + b*z"
POINT = (0.3, -0.7, 1.1)


def everything(f):
    """Every lazily built part of a Function, used once."""
    grid = [np.linspace(-1, 1, 5)] * 3
    big = [np.linspace(-1, 1, function.BUFFERS_MIN_SIZE)] * 3  # the code reusing buffers
    return (
        f(*POINT),
        f.gradient(*POINT),
        f.hessian(*POINT),
        f.value_and_gradient(*grid)[1],
        f.hessian(*grid),
        f(*big),
        f.gradient(*big),
        f.value_and_gradient(*big)[1],
        f.hessian(*big),
        f.trace(POINT).gradient,
        f.source(),
    )


def test_threads_sharing_a_fresh_function_build_each_part_once(monkeypatch):
    compiled = Counter()

    def counting(build):
        def slow_build(*args, **kwargs):
            compiled[build.__name__] += 1
            time.sleep(0.02)  # hold the door open for a second builder
            return build(*args, **kwargs)

        return slow_build

    for name in ("compile_program", "compile_scalar"):
        monkeypatch.setattr(function, name, counting(getattr(function, name)))

    alone = parse(TEXT)
    expected = everything(alone)
    once = dict(compiled)
    assert once  # the counter sees the builds

    compiled.clear()
    shared = parse(TEXT)
    start = threading.Barrier(12)

    def work(_):
        start.wait()
        return everything(shared)

    with ThreadPoolExecutor(12) as pool:
        results = list(pool.map(work, range(12)))

    assert dict(compiled) == once
    assert len(shared.graph) == len(alone.graph)
    for result in results:
        for got, want in zip(result, expected, strict=True):
            if isinstance(want, str):
                assert got == want
            else:
                np.testing.assert_array_equal(got, want)
