"""Products regrouped so that a gradient's terms share their scaled factor:
fewer array operations for the same bits."""

import re

import numpy as np

from explorer.engine import parse
from explorer.engine.codegen import emit_buffers
from explorer.engine.graph import Graph


def _array_ops(f) -> int:
    """How many numpy calls the grid code of f's gradient makes."""
    grad = f._reverse[0]
    slots = [f"_out[{k}, ...]" for k in range(len(grad))]
    return len(re.findall(r"np\.\w+\(", emit_buffers(f.graph, grad, f.var_nodes, slots=slots)))


def test_the_gaussian_bumps_gradient_shares_its_scaled_factor():
    # ∂/∂x = e − 2x·(x e), ∂/∂y = −2y·(x e) with e = exp(−x²−y²): −2·(x e) is computed
    # once. By hand: x², −x², y², −x²−y², e (5); x e, −2·x e (2); y·, x·, e + (3)
    f = parse("x*exp(-x^2-y^2)")
    assert _array_ops(f) == 10
    rng = np.random.default_rng(3)
    x, y = rng.uniform(-2, 2, (2, 64, 64))
    e = np.exp(-x * x - y * y)
    np.testing.assert_allclose(
        f.gradient(x, y), [e * (1 - 2 * x * x), -2 * x * y * e], rtol=1e-12, atol=1e-15
    )


def test_a_product_needed_elsewhere_is_not_regrouped():
    g = Graph()
    x, y, t = g.var(0), g.var(1), g.var(2)
    two = g.const(-2.0)
    xt, yt = g.mul(x, t), g.mul(y, t)
    a, b = g.mul(two, xt), g.mul(two, yt)
    sa, sb = g.share_factors([a, b])
    shared = g.mul(two, t)
    assert (sa, sb) == (g.mul(x, shared), g.mul(y, shared))  # x·(−2t), y·(−2t)
    # x·t is an output too: computed anyway, so −2·(x·t) costs one operation as it is;
    # y·t alone has nothing to share with
    assert g.share_factors([a, b, xt]) == [a, b, xt]
