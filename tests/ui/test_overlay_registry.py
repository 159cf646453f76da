"""The overlay registry is the one list the menus, shortcuts, the session and
`render` read: every entry reaches each of them."""

import subprocess
import sys

import numpy as np
from PyQt6 import QtGui

from explorer.session.overlays import CURVE, OVERLAYS, drawn_in
from explorer.ui import style

from .conftest import near, pixels, settle


def test_every_overlay_has_a_checkable_action_with_its_shortcut(window, qtbot):
    shortcuts = set()
    for name, overlay in OVERLAYS.items():
        action = window.actions_by_name[name]
        assert action.isCheckable()
        assert action.shortcut().toString() == (overlay.shortcut or "")
        if overlay.shortcut:
            assert overlay.shortcut not in shortcuts
            shortcuts.add(overlay.shortcut)
        assert window.session.overlays[name] is overlay.default
        action.toggle()  # the action drives the session …
        assert window.session.overlays[name] is not overlay.default
        window.session.set_overlay(name, overlay.default)  # … and the session the action
        assert action.isChecked() is overlay.default


def test_one_variable_functions_enable_only_what_the_curve_draws(window, qtbot):
    window.session.set_text("x^3 - x")
    settle(qtbot)
    enabled = {n for n in OVERLAYS if window.actions_by_name[n].isEnabled()}
    assert enabled == set(drawn_in(CURVE)) == {"tangent", "quadratic", "critical"}
    window.session.set_text("x*y")
    assert all(window.actions_by_name[n].isEnabled() for n in OVERLAYS)


def _render(tmp_path, *args):
    out = tmp_path / "r.png"
    r = subprocess.run(
        [sys.executable, "-m", "explorer", "render", *args, f"--out={out}"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 0, r.stderr
    return pixels(QtGui.QImage(str(out)))


def test_render_accepts_every_overlay_and_draws_only_the_surface_of_a_slice(tmp_path):
    every = [f"--overlay={name}" for name in OVERLAYS]
    arr = _render(
        tmp_path, "x*exp(-x^2-y^2)", "--at=-1,0", "--view=contour", "--size=400x400", *every
    )
    assert near(arr, style.EIGEN_POS, 30) + near(arr, style.EIGEN_NEG, 30) > 20  # eigen drawn
    # four variables, the surface view alone: no map beside it (its right edge is
    # the 3D view's background, not a heat map)
    chain = "a = (w+x+y+z)^2; b = (w+x-y-z)^2; u = (a+b)^2; v = (a-b)^2; f = (u+v)^2"
    arr = _render(tmp_path, chain, "--view=surface", "--size=600x400")
    right = arr[:, -60:]
    background = np.all(np.abs(right.astype(int) - np.array(style.BACKGROUND)) <= 3, axis=-1)
    assert background.mean() > 0.9
