"""Render the app's SVG icon into the PNG sizes of the hicolor theme.

The PNGs are committed beside the SVG (explorer/resources/icons/hicolor/); run this
after editing the SVG: ``python packaging/render_icons.py`` (needs no display).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)
HICOLOR = Path(__file__).resolve().parents[1] / "explorer" / "resources" / "icons" / "hicolor"
NAME = "calculus-explorer"


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PyQt6 import QtCore, QtGui, QtSvg

    app = QtGui.QGuiApplication(sys.argv[:1])  # noqa: F841 (QImage painting needs it)
    renderer = QtSvg.QSvgRenderer(str(HICOLOR / "scalable" / "apps" / f"{NAME}.svg"))
    if not renderer.isValid():
        print("render_icons: the SVG does not parse", file=sys.stderr)
        return 1
    for size in SIZES:
        image = QtGui.QImage(size, size, QtGui.QImage.Format.Format_ARGB32)
        image.fill(QtCore.Qt.GlobalColor.transparent)
        painter = QtGui.QPainter(image)
        painter.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        out = HICOLOR / f"{size}x{size}" / "apps" / f"{NAME}.png"
        out.parent.mkdir(parents=True, exist_ok=True)
        if not image.save(str(out), "PNG"):
            print(f"render_icons: cannot write {out}", file=sys.stderr)
            return 1
        print(out.relative_to(HICOLOR.parents[2]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
