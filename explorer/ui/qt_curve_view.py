"""The curve of a function of one variable, with its tangent line and Taylor
parabola at the point. The curve is broken where f has a pole or a jump."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PyQt6 import QtCore

from explorer.session.model import Session
from explorer.session.overlays import CURVE, drawn_in

from . import style
from .qt_plot_view import PlotAdapter, PlotView, critical_markers, show_critical

LINE = (40, 80, 160)  # the curve itself


class CurveView(PlotView):
    """A function of one variable: its curve, tangent line and Taylor parabola."""

    def __init__(self, session: Session, parent=None) -> None:
        super().__init__(session, parent)
        self.setToolTip("Click or drag to select x; arrow keys move it")
        self.showGrid(x=True, y=True, alpha=0.15)
        session.function_changed.connect(self._on_function_changed)
        session.surface_changed.connect(self._on_function_changed)
        self._on_function_changed()
        self.adapters = {"curve": GraphAdapter(self)}
        for name in drawn_in(CURVE):  # one adapter per overlay of the registry
            self.adapters[name] = _ADAPTERS[name](self, name)
        self.adapters["point"] = PointAdapter(self)

    def active(self) -> bool:
        return len(self.session.axes) == 1

    def home(self) -> None:
        s = self.session
        self.setXRange(*s.domain[0], padding=0.02)
        self.setYRange(*s.zrange(), padding=0.05)

    def _on_function_changed(self) -> None:
        """New function, domain or z-range: show the whole domain, sampled afresh."""
        if not self.active():
            return
        self.setLabel("bottom", self.session.function.variables[0])
        self.setLabel("left", self.session.function.output_name)
        self.home()
        self.resample(force=True)

    def _on_point(self, x: float, y: float) -> None:
        self.session.set_plotted(x)

    def close_adapters(self) -> None:
        if self.adapters:
            self.session.function_changed.disconnect(self._on_function_changed)
            self.session.surface_changed.disconnect(self._on_function_changed)
        super().close_adapters()


class GraphAdapter(PlotAdapter):
    """The curve over the visible x-range (sampled again on zoom and pan)."""

    view_signals = ("grid_changed",)

    def __init__(self, view: CurveView) -> None:
        self.item = pg.PlotCurveItem(pen=pg.mkPen(LINE, width=2.5), connect="finite")
        super().__init__(view, (self.item,), 0)

    def redraw(self) -> None:
        c = self.session.curve_in(self.view.region[0])
        self.item.setData(c.xs, c.ys, connect="finite")


class ModelAdapter(PlotAdapter):
    """The tangent line or the Taylor parabola around the point."""

    signals = ("function_changed", "surface_changed", "point_changed", "overlays_changed")
    PENS = {
        "tangent": {"color": style.TANGENT, "width": 2.5},
        "quadratic": {"color": style.QUADRATIC, "width": 2.5, "style": QtCore.Qt.PenStyle.DashLine},
    }

    def __init__(self, view: CurveView, name: str) -> None:
        self.name = name
        self.item = pg.PlotCurveItem(pen=pg.mkPen(**self.PENS[name]))
        super().__init__(view, (self.item,), 1)

    def redraw(self) -> None:
        s = self.session
        if not s.overlays[self.name]:
            self.item.setData([], [])
            return
        xs, lin, quad = s.curve_models()
        self.item.setData(xs, lin if self.name == "tangent" else quad)


class CriticalAdapter(PlotAdapter):
    signals = ("function_changed", "surface_changed", "overlays_changed", "critical_ready")

    def __init__(self, view: CurveView, name: str) -> None:
        self.item = critical_markers(view.session)
        super().__init__(view, (self.item,), 2)

    def redraw(self) -> None:
        s = self.session
        found = (s.critical_found() or []) if s.overlays["critical"] else []
        show_critical(self.item, found, [c.point[0] for c in found], [c.value for c in found])


class PointAdapter(PlotAdapter):
    signals = ("function_changed", "surface_changed", "point_changed")

    def __init__(self, view: CurveView) -> None:
        self.item = pg.ScatterPlotItem(
            size=11, brush=pg.mkBrush(style.POINT), pen=pg.mkPen("w", width=1.5)
        )
        super().__init__(view, (self.item,), 3)

    def redraw(self) -> None:
        s = self.session
        info = s.info()
        shown = bool(np.isfinite(info.value))  # no marker where f is undefined
        self.item.setData([s.point[0]] if shown else [], [info.value] if shown else [])


_ADAPTERS = {"tangent": ModelAdapter, "quadratic": ModelAdapter, "critical": CriticalAdapter}
