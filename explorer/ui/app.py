"""Starting the window: a display check, the OpenGL platform, the error handler."""

from __future__ import annotations

import os
import sys
import time

from explorer.paths import resource

APP_ID = "calculus-explorer"  # the .desktop entry, the icon and the launcher share it

# `make bench` sets it: print the process's age at the first frame, then quit
FIRST_FRAME = "EXPLORER_FIRST_FRAME"

NO_DISPLAY = (
    "explorer: no display found (DISPLAY and WAYLAND_DISPLAY are unset). "
    "On a machine without a screen run it under Xvfb: xvfb-run -a python -m explorer"
)


def display_available() -> bool:
    if sys.platform != "linux" or os.environ.get("QT_QPA_PLATFORM"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def share_gl_contexts() -> None:
    """Shader programs are compiled once and reused by every GL view: their contexts
    must share resources (set before the QApplication exists)."""
    from PyQt6 import QtCore

    QtCore.QCoreApplication.setAttribute(QtCore.Qt.ApplicationAttribute.AA_ShareOpenGLContexts)


def opengl_platform(qt_platform: str) -> str:
    """The PyOpenGL platform that can reach the GL context Qt creates on ``qt_platform``.

    PyOpenGL guesses EGL whenever XDG_SESSION_TYPE says wayland, but Qt may still run
    on X11 (XWayland, or no Wayland plugin in the bundle) with a GLX context: PyOpenGL
    must follow the platform Qt actually chose, or nothing is drawn."""
    if qt_platform.startswith("wayland") or os.environ.get("QT_XCB_GL_INTEGRATION") == "xcb_egl":
        return "egl"
    return "glx"


def app_icon():
    """The window icon: the PNG sizes of the hicolor icon shipped in resources."""
    from PyQt6 import QtGui

    icon = QtGui.QIcon()
    for png in sorted(resource("icons", "hicolor").glob(f"*/apps/{APP_ID}.png")):
        icon.addFile(str(png))
    return icon


def make_app(argv: list[str]):
    """The QApplication, with PyOpenGL told which platform Qt's context uses."""
    from PyQt6 import QtWidgets

    from explorer.memory import keep_large_arrays_on_heap

    keep_large_arrays_on_heap()
    share_gl_contexts()
    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication([APP_ID, *argv])
    app.setApplicationName("Multivariable Calculus Explorer")
    app.setOrganizationName("calculus-explorer")
    app.setDesktopFileName(APP_ID)  # Wayland's app id: the .desktop entry and its icon
    app.setWindowIcon(app_icon())
    # before anything imports OpenGL: PyOpenGL fixes its platform on first import
    if "PYOPENGL_PLATFORM" not in os.environ:
        os.environ["PYOPENGL_PLATFORM"] = opengl_platform(app.platformName())
    import pyqtgraph as pg

    pg.setConfigOptions(antialias=True, foreground="k")
    collect_garbage_on_the_gui_thread()
    return app


_collector = None


def collect_garbage_on_the_gui_thread() -> None:
    """Python's cycle collector runs only from a timer of the event loop (pyqtgraph's
    `GarbageCollector`), never at whatever allocation crosses its threshold: there it
    could free a Python-owned graphics item in the middle of a scene's paint (a
    segfault seen in the tests: an AxisItem deleted while its scene drew it) or
    from a worker thread."""
    global _collector
    if _collector is None:
        from pyqtgraph.util.garbage_collector import GarbageCollector

        _collector = GarbageCollector(interval=0.5)


def run_gui(argv: list[str]) -> int:
    """``python -m explorer [EXPRESSION | FILE.json]``: the window, optionally with a
    function or a session."""
    if not display_available():
        print(NO_DISPLAY, file=sys.stderr)
        return 2
    app = make_app(argv)
    from PyQt6 import QtCore

    from . import errors
    from .main_window import MainWindow

    errors.install()
    window = MainWindow(QtCore.QSettings())
    open_arguments(window, argv)
    window.show()
    if os.environ.get(FIRST_FRAME):
        window.surface_view.frameSwapped.connect(lambda: report_first_frame(app))
    return app.exec()


def open_arguments(window, argv: list[str]) -> None:
    """``python -m explorer FILE.json`` opens a session file (one that exists);
    other arguments are an expression."""
    from .qt_session_files import session_argument

    path = session_argument(argv)
    if path is not None:
        window.open_session(path)
    elif argv:
        problem = window.session.set_text(" ".join(argv))
        if problem is not None:
            window.function_panel.editor.setText(" ".join(argv))
            window.function_panel.show_error(" ".join(argv), problem)


def process_age() -> float:
    """Seconds since this process started (Linux), a bundle's bootloader included."""
    with open("/proc/self/stat") as stat:  # field 22, counted after the ")" ending the name
        start_ticks = int(stat.read().rpartition(")")[2].split()[19])
    return time.clock_gettime(time.CLOCK_BOOTTIME) - start_ticks / os.sysconf("SC_CLK_TCK")


def report_first_frame(app) -> None:
    print(f"first frame {process_age():.3f} s after the process started", flush=True)
    app.quit()
