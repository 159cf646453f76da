"""Where the application's files are: one lookup for resources, from the source
tree, an installed wheel and the PyInstaller bundle alike (they travel inside the
package, so `__file__` finds them in all three)."""

from __future__ import annotations

from pathlib import Path

RESOURCES = Path(__file__).resolve().with_name("resources")


def resource(*parts: str) -> Path:
    """The path of a file shipped in ``explorer/resources`` (it may not exist)."""
    return RESOURCES.joinpath(*parts)
