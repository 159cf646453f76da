"""The chapter's algorithms on top of the engine. No Qt here."""

from .critical import KINDS, CriticalPoint, CriticalPoints, classify, critical_points
from .directions import angle_to_gradient, directional_derivative, steepest_descent
from .optimize import NAMES, PARAMS, STOP_REASONS, Optimizer, optimizer
from .points import NOT_DIFFERENTIABLE, point_kind
from .slices import Restriction, restrict
from .taylor import TaylorModel, describe, linear_model, quadratic_model

__all__ = [
    "KINDS",
    "NOT_DIFFERENTIABLE",
    "NAMES",
    "PARAMS",
    "STOP_REASONS",
    "CriticalPoint",
    "CriticalPoints",
    "Optimizer",
    "Restriction",
    "TaylorModel",
    "angle_to_gradient",
    "classify",
    "critical_points",
    "describe",
    "directional_derivative",
    "linear_model",
    "optimizer",
    "point_kind",
    "quadratic_model",
    "restrict",
    "steepest_descent",
]
