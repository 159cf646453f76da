"""The chapter's algorithms on top of the engine. No Qt here."""

from .batch import BatchRun
from .critical import KINDS, CriticalPoint, CriticalPoints, classify, critical_points
from .directions import (
    angle_to_gradient,
    directional_derivative,
    slopes_by_angle,
    steepest_descent,
)
from .methods import METHODS, RUN_PARAMS, SCHEDULES, STOP_REASONS, Method, Param
from .optimize import Run, optimizer
from .points import NOT_DIFFERENTIABLE, point_kind
from .slices import Restriction, restrict
from .taylor import TaylorModel, describe, linear_model, quadratic_model

__all__ = [
    "KINDS",
    "METHODS",
    "NOT_DIFFERENTIABLE",
    "RUN_PARAMS",
    "SCHEDULES",
    "STOP_REASONS",
    "BatchRun",
    "CriticalPoint",
    "CriticalPoints",
    "Method",
    "Param",
    "Restriction",
    "Run",
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
    "slopes_by_angle",
    "steepest_descent",
]
