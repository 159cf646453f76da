"""Desktop integration files in resources/, from the source tree: they validate with the
freedesktop tools, agree with each other, and the PNG icons are the SVG's rendering."""

from __future__ import annotations

import configparser
import os
import subprocess
import sys
import xml.etree.ElementTree as ET

import numpy as np
from PyQt6 import QtCore, QtGui, QtSvg, QtWidgets

from explorer.paths import resource
from explorer.ui.app import APP_ID, make_app

MIME = "application/x-calculus-explorer-session"


def run(*cmd: str, **kw) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120, **kw)


def desktop_entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # keys are case-sensitive
    parser.read(resource(f"{APP_ID}.desktop"))
    return parser["Desktop Entry"]


def test_desktop_entry_validates_and_opens_session_files():
    r = run("desktop-file-validate", str(resource(f"{APP_ID}.desktop")))
    assert r.returncode == 0 and not r.stdout.strip(), r.stdout + r.stderr
    entry = desktop_entry()
    assert entry["Exec"] == f"{APP_ID} %f"
    assert entry["Icon"] == APP_ID
    assert entry["MimeType"].split(";")[0] == MIME


def test_metainfo_validates_and_names_the_desktop_entry():
    path = resource(f"{APP_ID}.metainfo.xml")
    r = run("appstreamcli", "validate", "--no-net", "--explain", str(path))
    assert r.returncode == 0, r.stdout + r.stderr
    root = ET.parse(path).getroot()
    assert root.findtext("launchable") == f"{APP_ID}.desktop"
    assert root.findtext("provides/binary") == APP_ID
    assert root.findtext("provides/mediatype") == MIME


def test_mime_type_gives_session_files_their_type(tmp_path):
    """update-mime-database compiles the XML; its glob list then maps a session file."""
    packages = tmp_path / "packages"
    packages.mkdir()
    (packages / f"{APP_ID}-session.xml").write_bytes(resource(f"{APP_ID}-session.xml").read_bytes())
    r = run("update-mime-database", str(tmp_path))
    assert r.returncode == 0, r.stderr
    globs = (tmp_path / "globs2").read_text().splitlines()
    assert f"60:{MIME}:*.explorer.json" in globs
    assert (tmp_path / f"{MIME}.xml").exists()  # the compiled type, in application/


def to_array(image: QtGui.QImage) -> np.ndarray:
    img = image.convertToFormat(QtGui.QImage.Format.Format_RGBA8888)
    buf = np.frombuffer(img.constBits().asarray(img.sizeInBytes()), dtype=np.uint8)
    return buf.reshape(img.height(), img.width(), 4).astype(int)


def test_png_icons_are_the_svg_rendered(qapp):
    """Each hicolor PNG is the SVG at that size (re-run packaging/render_icons.py after
    editing the SVG)."""
    hicolor = resource("icons", "hicolor")
    renderer = QtSvg.QSvgRenderer(str(hicolor / "scalable" / "apps" / f"{APP_ID}.svg"))
    assert renderer.isValid()
    pngs = sorted(hicolor.glob(f"*/apps/{APP_ID}.png"))
    sizes = {int(p.parts[-3].split("x")[0]) for p in pngs}
    assert {16, 32, 48, 64, 128, 256} <= sizes
    for png in pngs:
        shipped = QtGui.QImage(str(png))
        size = int(png.parts[-3].split("x")[0])
        assert (shipped.width(), shipped.height()) == (size, size), png
        fresh = QtGui.QImage(size, size, QtGui.QImage.Format.Format_ARGB32)
        fresh.fill(QtCore.Qt.GlobalColor.transparent)
        painter = QtGui.QPainter(fresh)
        painter.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        assert np.abs(to_array(shipped) - to_array(fresh)).max() <= 8, png


def test_the_app_carries_its_icon(qapp):
    make_app([])
    icon = QtWidgets.QApplication.windowIcon()
    assert {s.width() for s in icon.availableSizes()} >= {16, 32, 48, 256}
    assert QtGui.QGuiApplication.desktopFileName() == APP_ID


PLATFORM_PROBE = """
from explorer.ui.app import make_app
app = make_app([])
import OpenGL.platform
print(app.platformName(), type(OpenGL.platform.PLATFORM).__name__)
"""


def test_pyopengl_follows_qt_when_the_session_says_wayland():
    """XDG_SESSION_TYPE=wayland makes PyOpenGL guess EGL; Qt still runs on X11 (xcb, GLX)
    here, and PyOpenGL must follow Qt."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYOPENGL_PLATFORM", "WAYLAND_DISPLAY")}
    for session, expected in (("wayland", "GLXPlatform"), ("x11", "GLXPlatform")):
        env["XDG_SESSION_TYPE"] = session
        r = run(sys.executable, "-c", PLATFORM_PROBE, env=env)
        assert r.returncode == 0, r.stderr
        assert r.stdout.split() == ["xcb", expected], (session, r.stdout)
