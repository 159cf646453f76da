"""Writing files so that a crash never leaves half of one: the new content goes to
a temporary file in the same folder, is flushed to the disk, and then renamed
over the old file in one step (a rename within a file system is atomic). A kill
at any moment leaves either the old file or the new one."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def write_atomic(path: str | os.PathLike[str], data: bytes | str) -> None:
    """Replace the file at `path` with `data` (str is written as UTF-8); OSError on failure,
    in which case the old file is untouched."""
    target = Path(os.path.realpath(path))  # through a symlink: replace what it points to
    content = data.encode("utf-8") if isinstance(data, str) else data
    fd, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(content)
            fh.flush()
            os.fsync(fh.fileno())
        _keep_mode(target, temp)
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    _sync_folder(target.parent)


def _keep_mode(target: Path, temp: str) -> None:
    """mkstemp creates 0600; give the new file the old one's mode, or the umask's."""
    try:
        mode = target.stat().st_mode & 0o777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    os.chmod(temp, mode)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX: fsync the directory)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def write_png(path: str | os.PathLike[str], image) -> None:
    """Write a QImage as PNG, atomically (encoded in memory first)."""
    from PyQt6 import QtCore

    buffer = QtCore.QBuffer()
    buffer.open(QtCore.QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise OSError(f"cannot encode the image as PNG ({image.width()}×{image.height()})")
    write_atomic(path, bytes(buffer.data()))
