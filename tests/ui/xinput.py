"""Real input through the X server (the XTEST extension of Xvfb), for the views
that are native child windows: the server, not Qt, decides which window an
event reaches, as it does for a user's mouse. QTest would hand the event to the
object named in the call and prove nothing about that routing."""

from __future__ import annotations

import ctypes

from PyQt6 import QtCore, QtWidgets

XK_CONTROL_L = 0xFFE3
XK_SPACE = 0x0020


class XInput:
    def __init__(self) -> None:
        self.x11 = ctypes.CDLL("libX11.so.6")
        self.xtst = ctypes.CDLL("libXtst.so.6")
        self.x11.XOpenDisplay.restype = ctypes.c_void_p
        self.x11.XOpenDisplay.argtypes = [ctypes.c_char_p]
        for name in ("XFlush", "XCloseDisplay"):
            getattr(self.x11, name).argtypes = [ctypes.c_void_p]
        self.x11.XKeysymToKeycode.argtypes = [ctypes.c_void_p, ctypes.c_ulong]
        self.x11.XKeysymToKeycode.restype = ctypes.c_ubyte
        self.xtst.XTestFakeMotionEvent.argtypes = (
            [ctypes.c_void_p] + [ctypes.c_int] * 3 + [ctypes.c_ulong]
        )
        for name in ("XTestFakeButtonEvent", "XTestFakeKeyEvent"):
            getattr(self.xtst, name).argtypes = [
                ctypes.c_void_p,
                ctypes.c_uint,
                ctypes.c_int,
                ctypes.c_ulong,
            ]
        self.display = self.x11.XOpenDisplay(None)  # $DISPLAY, the tests' Xvfb
        assert self.display, "no X display"

    def close(self) -> None:
        self.x11.XCloseDisplay(self.display)

    def _flush(self, ms: int = 40) -> None:
        self.x11.XFlush(self.display)
        deadline = QtCore.QDeadlineTimer(ms)
        while not deadline.hasExpired():  # let Qt read and deliver what the server sent
            QtWidgets.QApplication.processEvents(QtCore.QEventLoop.ProcessEventsFlag.AllEvents, 5)

    def move(self, global_pos: QtCore.QPoint, ms: int = 40) -> None:
        self.xtst.XTestFakeMotionEvent(self.display, -1, global_pos.x(), global_pos.y(), 0)
        self._flush(ms)

    def button(self, number: int, down: bool) -> None:
        """1 left, 2 middle, 3 right, 4/5 wheel up/down."""
        self.xtst.XTestFakeButtonEvent(self.display, number, down, 0)
        self._flush()

    def click(self, global_pos: QtCore.QPoint, number: int = 1) -> None:
        self.move(global_pos)
        self.button(number, True)
        self.button(number, False)

    def key(self, keysym: int, down: bool) -> None:
        code = self.x11.XKeysymToKeycode(self.display, keysym)
        self.xtst.XTestFakeKeyEvent(self.display, code, down, 0)
        self._flush()
