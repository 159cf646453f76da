"""A seeded random walk of a few thousand user actions: no exception, a
consistent model at the end, and bounded memory growth."""

import numpy as np
from PyQt6 import QtCore, QtWidgets

from explorer.engine import parse
from explorer.session import presets
from explorer.session.model import RESOLUTIONS
from explorer.session.overlays import OVERLAYS

from .conftest import expected_faces, map_to_widget, settle

TEXTS = [
    "x^2 + y^2",
    "sin(x)*cos(y)",
    "x +",
    "log(x*y)",
    "1/(x^2+y^2)",
    "foo(x)",
    "a = x+y; b = x-y; f = a*b",
    "sqrt(1 - x^2 - y^2)",
    "x*y*z",
    "(x",
    "tanh(3x) - y^3",
    "exp(x)",
]


def rss_mb() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * 4096 / 2**20


def test_random_actions(window, qtbot):
    rng = np.random.default_rng(20261126)
    s = window.session
    panel = window.function_panel

    def act(step: int) -> None:
        r = rng.random()
        lo = np.array([d[0] for d in s.domain])
        hi = np.array([d[1] for d in s.domain])
        if r < 0.35:
            s.set_point(lo + rng.random(s.dimension) * (hi - lo))
        elif r < 0.45:
            s.nudge(int(rng.integers(-1, 2)), int(rng.integers(-1, 2)), fine=rng.random() < 0.5)
        elif r < 0.60:
            name = str(rng.choice(list(OVERLAYS)))
            action = window.actions_by_name[name]
            if action.isEnabled():
                action.trigger()
        elif r < 0.68:
            text = str(rng.choice(TEXTS))
            panel.editor.setText(text)
            panel.editor.returnPressed.emit()  # Enter: applied once its derivatives are built
            qtbot.waitUntil(lambda: not panel.busy)
        elif r < 0.72:
            p = presets.PRESETS[int(rng.integers(len(presets.PRESETS)))]
            index = panel.presets.findData(p.name, QtCore.Qt.ItemDataRole.UserRole)
            panel.presets.setCurrentIndex(index)
            panel.presets.activated.emit(index)
        elif r < 0.76:
            _, lo_box, hi_box = panel.domain_rows[0]
            a, b = sorted(rng.uniform(-5, 5, 2))
            lo_box.setValue(a)
            hi_box.setValue(b if rng.random() < 0.9 else a - 1)  # sometimes invalid
            hi_box.valueEdited.emit(hi_box.value())
        elif r < 0.80:
            for box in window.inspector.eps_boxes:
                box.setValue(float(rng.uniform(-0.5, 0.5)))
                box.valueEdited.emit(box.value())
        elif r < 0.82:
            i = int(rng.integers(len(RESOLUTIONS) - 1))  # up to 201²
            panel.resolution.setCurrentIndex(i)
            panel.resolution.activated.emit(i)
        elif r < 0.84:
            window.actions_by_name["wireframe"].trigger()
        elif r < 0.90 and s.dimension == 2:
            view = window.map_view
            x = rng.uniform(*s.domain[s.axes[0]])
            y = rng.uniform(*s.domain[s.axes[1]])
            QtWidgets.QApplication.processEvents()
            from PyQt6.QtTest import QTest

            QTest.mouseClick(
                view.viewport(), QtCore.Qt.MouseButton.LeftButton, pos=map_to_widget(view, x, y)
            )
        elif s.dimension > 2 and panel.sliders:
            slider = next(iter(panel.sliders.values()))[0]
            slider.setValue(int(rng.integers(0, 1001)))
        if step % 40 == 0:
            settle(qtbot, 1)

    for step in range(300):
        act(step)
    settle(qtbot)
    base = rss_mb()
    for step in range(300, 2500):
        act(step)
    settle(qtbot)
    growth = rss_mb() - base

    # the model is consistent, and the views show what it holds
    f = parse(s.text)
    assert f.variables == s.function.variables
    assert s.point.shape == (s.dimension,) and len(s.domain) == s.dimension
    for (lo, hi), x in zip(s.domain, s.point, strict=True):
        assert lo < hi and lo <= x <= hi
    if s.dimension >= 2:
        a, b = s.axes
        np.testing.assert_allclose(
            np.ravel(window.map_view.adapters["point"].item.getData()), s.point[[a, b]]
        )
        assert window.surface_view.adapters["surface"].item.face_count == expected_faces(s)
    for name, on in s.overlays.items():
        assert window.actions_by_name[name].isChecked() == on
    print(f"soak: memory grew by {growth:.1f} MB")
    assert growth < 80, f"memory grew by {growth:.0f} MB"
