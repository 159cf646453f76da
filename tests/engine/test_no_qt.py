"""The engine and the calculus code import numpy, never Qt or pyqtgraph."""

import subprocess
import sys


def test_engine_and_calculus_load_no_qt():
    code = (
        "import sys, explorer.engine, explorer.calculus, explorer.cli;"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in "
        "('PyQt6', 'PyQt5', 'PySide6', 'pyqtgraph', 'OpenGL') or m.startswith('explorer.ui'));"
        "print(bad)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
