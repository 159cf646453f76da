"""Files (PNG, Python, sessions, settings), bad files, the error handler, the
render command and the missing-display message."""

import json
import os
import subprocess
import sys

import numpy as np
from PyQt6 import QtCore, QtGui, QtWidgets

from explorer.session import presets
from explorer.ui import errors

from .conftest import answer_save_changes, pixels, settle

Button = QtWidgets.QMessageBox.StandardButton


def test_export_pngs_and_python(window, qtbot, tmp_path):
    assert window.export_png("surface", str(tmp_path / "s.png"))
    assert window.export_png("map", str(tmp_path / "m.png"))
    for name in ("s.png", "m.png"):
        img = QtGui.QImage(str(tmp_path / name))
        assert not img.isNull() and img.width() > 100
        arr = pixels(img)
        assert int((arr.max(axis=-1).astype(int) - arr.min(axis=-1) > 60).sum()) > 1000
    assert window.export_code(str(tmp_path / "f.py"))
    code = (tmp_path / "f.py").read_text()
    run_it = "\nv, g = f(-1.0, 0.0)\nprint(float(v), *(float(c) for c in g))"
    out = subprocess.run(
        [sys.executable, "-c", code + run_it], capture_output=True, text=True, check=True
    ).stdout
    value, *grad = (float(t) for t in out.split())
    assert value == window.session.function(-1.0, 0.0)
    np.testing.assert_allclose(grad, window.session.function.gradient(-1.0, 0.0))
    # a folder that does not exist: a message, no crash
    assert not window.export_png("surface", str(tmp_path / "no" / "such" / "dir.png"))
    close_warning(window, qtbot, "Could not write")


def close_warning(window, qtbot, fragment: str) -> None:
    boxes = [b for b in window.findChildren(QtWidgets.QMessageBox, "warning") if b.isVisible()]
    assert boxes and fragment in boxes[-1].text()
    for box in boxes:
        box.close()
    settle(qtbot)


def test_session_round_trip_and_broken_files(window, qtbot, tmp_path):
    s = window.session
    s.load_preset(presets.find("Chain of Fig. 18.4.1 (18.4.4–5)"))
    s.set_axes(1, 3)
    s.set_point([-1.0, 0.5, -2.0, 1.5])
    s.set_overlay("quadratic", True)
    s.set_epsilon([0.1, 0.2, 0.3, 0.4])
    path = tmp_path / "chain.json"
    assert window.save_session(str(path))
    saved = s.to_dict()
    s.load_preset(presets.DEFAULT)
    QtCore.QTimer.singleShot(0, lambda: answer_save_changes(Button.Discard))
    assert window.open_session(str(path))
    assert s.to_dict() == saved
    assert window.actions_by_name["quadratic"].isChecked()
    assert set(window.function_panel.sliders) == {0, 2}
    before = s.to_dict()
    broken = {
        "bad.json": "{not json",
        "wrong.json": json.dumps({"schema": 99}),
        "text.json": json.dumps({**saved, "text": "x +"}),
        "shape.json": json.dumps({**saved, "point": [1, 2]}),
        "nan.json": json.dumps({**saved, "domain": [[1, 0]] * 4}),
        "binary.json": None,
    }
    for name, content in broken.items():
        p = tmp_path / name
        if content is None:
            p.write_bytes(b"\xff\xfe\x00\x81")
        else:
            p.write_text(content)
        assert not window.open_session(str(p))
        close_warning(window, qtbot, "Nothing was changed")
        assert s.to_dict() == before
    assert not window.open_session(str(tmp_path / "missing.json"))
    close_warning(window, qtbot, "Could not open")


def test_window_state_and_last_session_are_restored(qapp, qtbot, tmp_path):
    from explorer.ui.main_window import MainWindow

    ini = str(tmp_path / "settings.ini")
    settings = QtCore.QSettings(ini, QtCore.QSettings.Format.IniFormat)
    first = MainWindow(settings)
    qtbot.addWidget(first)
    first.show()
    first.session.set_text("sin(x)*cos(y)")
    first.session.set_point([0.3, -0.2])
    first.docks["inspector"].hide()
    first.resize(1100, 700)
    size = first.size()
    assert first.save_session(str(tmp_path / "saved.json"))  # closes without a question
    first.close()
    settings = QtCore.QSettings(ini, QtCore.QSettings.Format.IniFormat)
    second = MainWindow(settings)
    qtbot.addWidget(second)
    second.show()
    assert second.session.text == "sin(x)*cos(y)"
    np.testing.assert_allclose(second.session.point, [0.3, -0.2])
    assert second.docks["inspector"].isHidden()
    assert second.size() == size
    second.close()
    # a corrupt stored session is ignored, the window still opens
    settings = QtCore.QSettings(ini, QtCore.QSettings.Format.IniFormat)
    settings.setValue("session", "{broken")
    settings.sync()
    third = MainWindow(QtCore.QSettings(ini, QtCore.QSettings.Format.IniFormat))
    qtbot.addWidget(third)
    assert third.session.preset == presets.DEFAULT.name
    third.close()


def test_error_handler_reports_and_the_app_lives(window, qtbot, capsys):
    try:
        raise RuntimeError("boom in a slot")
    except RuntimeError as exc:
        box = errors.report(type(exc), exc, exc.__traceback__)
    assert box is not None and box.isVisible()
    assert "boom in a slot" in box.text() and "Traceback" in box.detailedText()
    assert "boom in a slot" in capsys.readouterr().err
    box.close()
    settle(qtbot)
    window.session.set_point([0.1, 0.1])  # still alive and working
    assert window.session.info().value == window.session.function(0.1, 0.1)


def run(*args, env=None):
    return subprocess.run(
        [sys.executable, "-m", "explorer", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )


def test_render_command_writes_each_view(tmp_path):
    for view, size in (("window", "1000x700"), ("surface", "500x400"), ("contour", "400x400")):
        out = tmp_path / f"{view}.png"
        r = run(
            "render",
            "x*exp(-x^2-y^2)",
            "--at=-1,0",
            "--overlay=tangent",
            "--overlay=gradient",
            f"--view={view}",
            f"--size={size}",
            f"--out={out}",
        )
        assert r.returncode == 0, r.stderr
        img = QtGui.QImage(str(out))
        w, h = (int(v) for v in size.split("x"))
        assert (img.width(), img.height()) == (w, h)
        arr = pixels(img)
        assert int((arr.max(axis=-1).astype(int) - arr.min(axis=-1) > 60).sum()) > 2000
    r = run("render", "x^2", "--view=contour", "--size=300x300", f"--out={tmp_path / 'c.png'}")
    assert r.returncode == 0, r.stderr
    r = run("render", "x +", f"--out={tmp_path / 'bad.png'}")
    assert r.returncode == 2 and "ends too early" in r.stderr
    r = run("render", "x*y", "--overlay=sparkles", f"--out={tmp_path / 'bad.png'}")
    assert r.returncode == 2 and "invalid choice: 'sparkles'" in r.stderr


def test_without_a_display_one_clear_line(tmp_path):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    }
    r = run(env=env)
    assert r.returncode == 2
    assert r.stderr.strip().splitlines() == [r.stderr.strip()]
    assert "no display" in r.stderr and "xvfb-run" in r.stderr
    r = run("render", "x*y", f"--out={tmp_path / 'a.png'}", env=env)
    assert r.returncode == 2 and "xvfb-run" in r.stderr


SLOT_RAISES = """
from PyQt6 import QtCore, QtWidgets
from explorer.ui import errors
from explorer.ui.app import make_app

app = make_app([])
errors.install()

def boom():
    raise RuntimeError("boom in a timer slot")

def check():
    boxes = [w for w in QtWidgets.QApplication.topLevelWidgets()
             if isinstance(w, QtWidgets.QMessageBox) and w.isVisible()]
    print("alive", len(boxes), flush=True)
    app.quit()

QtCore.QTimer.singleShot(0, boom)
QtCore.QTimer.singleShot(400, check)
app.exec()
"""


def test_an_exception_in_a_slot_shows_a_dialog_and_the_app_lives():
    # Without the handler there is no dialog, and PyQt6 may abort the process.
    r = subprocess.run(
        [sys.executable, "-c", SLOT_RAISES], capture_output=True, text=True, timeout=60
    )
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "alive 1"
    assert "RuntimeError: boom in a timer slot" in r.stderr
