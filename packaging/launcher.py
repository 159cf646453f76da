"""The bundled program's entry point: the window, or a command when given one."""

import os
import sys

from explorer.__main__ import main

# The bundle carries Qt's X11 platform only (Wayland desktops run it through XWayland):
# without this Qt first looks for its Wayland plugin and warns on every start.
os.environ.setdefault("QT_QPA_PLATFORM", "xcb")
sys.exit(main())
