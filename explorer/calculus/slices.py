"""A function restricted to a 2D (or 1D) slice: the other variables held fixed.

This is what a view of a function of more than two variables shows, and it has
the same evaluation interface as `Function`, so that `critical_points` and the
Taylor models work on the slice unchanged."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from explorer.engine import Function


class Restriction:
    """``f`` with every variable but `axes` fixed at the values in `point`."""

    def __init__(self, f: Function, axes: Sequence[int], point: Sequence[float]) -> None:
        self.function = f
        self.axes = list(axes)
        self.point = np.asarray(point, dtype=np.float64).copy()
        if self.point.shape != (f.dimension,):
            raise ValueError(f"the point needs {f.dimension} coordinates")
        self.variables = tuple(f.variables[a] for a in self.axes)

    @property
    def dimension(self) -> int:
        return len(self.axes)

    def _args(self, xs: tuple) -> list:
        if len(xs) != len(self.axes):
            raise TypeError(f"the slice takes {len(self.axes)} arguments, got {len(xs)}")
        args: list = [float(v) for v in self.point]
        for a, x in zip(self.axes, xs, strict=True):
            args[a] = x
        return args

    def embed(self, coords: Sequence[float]) -> np.ndarray:
        """The full point whose plotted coordinates are `coords`."""
        full = self.point.copy()
        full[self.axes] = coords
        return full

    def __call__(self, *xs):
        return self.function(*self._args(xs))

    def value_and_gradient(self, *xs):
        value, grad = self.function.value_and_gradient(*self._args(xs))
        return value, grad[self.axes]

    def gradient(self, *xs) -> np.ndarray:
        return self.function.gradient(*self._args(xs))[self.axes]

    def hessian(self, *xs) -> np.ndarray:
        return self.function.hessian(*self._args(xs))[self.axes][:, self.axes]

    def kink_distance(self, *xs) -> np.ndarray:
        return self.function.kink_distance(*self._args(xs))

    def kinks_at(self, coords: Sequence[float]) -> list[str]:
        return self.function.kinks_at(self.embed(coords))


def restrict(f: Function, axes: Sequence[int], point: Sequence[float]) -> Restriction:
    """The slice of `f` through `point` spanned by the variables `axes`."""
    return Restriction(f, axes, point)
