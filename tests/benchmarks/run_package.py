"""`make bench` (under Xvfb): cold start of the installed program against `python -m explorer`.

Both are the real window with a fresh configuration, started the same way in the same
run, alternately; each reports its own age (from process start, a bundle's bootloader
included) at its first painted frame (``EXPLORER_FIRST_FRAME``, explorer/ui/app.py) and
quits. The installed program is the .deb of `make package` (built here if its inputs
changed), unpacked into a temporary folder as `dpkg -i` would lay it out under /opt.
Also prints the bundle's and the .deb's size. Exits 1 when a target is missed.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from report import Report  # this folder is on sys.path when run as a script

ROOT = Path(__file__).resolve().parents[2]
ROUNDS = 3


def first_frame(cmd: list[str], config: str) -> float:
    env = {k: v for k, v in os.environ.items() if k not in ("PYOPENGL_PLATFORM", "PYTHONPATH")}
    env.update(EXPLORER_FIRST_FRAME="1", XDG_CONFIG_HOME=config)
    out = subprocess.run(
        cmd, capture_output=True, text=True, check=True, timeout=180, env=env, cwd=config
    ).stdout
    match = re.search(r"first frame (\d+\.\d+) s", out)
    if match is None:
        raise RuntimeError(f"{cmd[0]} reported no first frame: {out!r}")
    return float(match.group(1))


def size_mb(path: Path) -> float:
    files = [path] if path.is_file() else [p for p in path.rglob("*") if not p.is_symlink()]
    return sum(p.stat().st_size for p in files if p.is_file()) / 2**20


def main() -> int:
    built = subprocess.run(
        [sys.executable, ROOT / "packaging" / "build_deb.py"],
        capture_output=True,
        text=True,
        check=True,
    )
    deb = Path(built.stdout.splitlines()[-1])
    report = Report("installed program (make bench, Xvfb + llvmpipe)")
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["dpkg-deb", "-x", deb, tmp], check=True)
        program = Path(tmp) / "opt" / "calculus-explorer"
        installed, source = [], []
        for _ in range(ROUNDS):  # interleaved, after one warm-up each (page cache)
            installed.append(first_frame([str(program / "calculus-explorer")], tmp))
            source.append(first_frame([sys.executable, "-m", "explorer"], tmp))
        bundle_mb = size_mb(program)
    t_installed, t_source = min(installed[1:]), min(source[1:])
    report.add(
        "start to first frame, installed / python -m explorer",
        t_installed / t_source,
        at_most=1.0,
        detail=f"({t_installed:.2f} s vs {t_source:.2f} s; first run {installed[0]:.2f} s)",
    )
    report.add(".deb size (MB)", size_mb(deb), at_most=80, detail=deb.name)
    report.add("bundle size, unpacked (MB)", bundle_mb, at_most=250)
    return report.finish()


if __name__ == "__main__":
    sys.exit(main())
