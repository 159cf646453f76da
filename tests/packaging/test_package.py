"""The installer smoke test: build the .deb (`make package`, cached on its inputs), check
it with the Debian tools, unpack it without root and run the bundled program.

Never skipped: a missing tool is a failure (packaging/system-deps.sh installs them all).
"""

from __future__ import annotations

import math
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest
from PyQt6 import QtGui

from explorer import __version__
from explorer.ui.app import APP_ID, FIRST_FRAME

ROOT = Path(__file__).resolve().parents[2]
TOOLS = ("dpkg-deb", "lintian", "desktop-file-validate", "appstreamcli", "xvfb-run", "objdump")
XVFB = ("xvfb-run", "-a", "-s", "-screen 0 1600x1000x24 +extension GLX +render")
CHAPTER = "x*exp(-x^2-y^2)"  # the chapter's running example (18.4.6)
MAX_DEB_MB = 80


def run(*cmd, timeout: float = 300, **kw) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(c) for c in cmd], capture_output=True, text=True, timeout=timeout, **kw
    )


def clean_env(**extra: str) -> dict[str, str]:
    """The environment of a user's shell: nothing of this test run's Python or OpenGL."""
    drop = ("PYOPENGL_PLATFORM", "PYTHONPATH", "VIRTUAL_ENV", "QT_QPA_PLATFORM", "WAYLAND_DISPLAY")
    env = {k: v for k, v in os.environ.items() if k not in drop}
    return {**env, **extra}


@pytest.fixture(scope="module")
def deb() -> Path:
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    assert not missing, f"missing {missing}: run `bash packaging/system-deps.sh` (as root)"
    r = run(sys.executable, ROOT / "packaging" / "build_deb.py", timeout=3600)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    return Path(r.stdout.splitlines()[-1])


@pytest.fixture(scope="module")
def unpacked(deb, tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("deb-root")
    r = run("dpkg-deb", "-x", deb, root)
    assert r.returncode == 0, r.stderr
    return root


@pytest.fixture(scope="module")
def program(unpacked) -> Path:
    return unpacked / "opt" / APP_ID / APP_ID


def test_control_names_version_and_system_libraries(deb):
    r = run("dpkg-deb", "-I", deb)
    assert r.returncode == 0, r.stderr
    fields = dict(re.findall(r"^ (\S+): (.*)$", r.stdout, re.M))
    assert fields["Package"] == APP_ID
    assert fields["Version"] == __version__
    depends = {alt.strip().split()[0] for alt in re.split(r"[,|]", fields["Depends"])}
    # what a PyInstaller bundle never carries: GL, Mesa, xcb, the C and C++ runtimes
    for lib in ("libc6", "libstdc++6", "libgl1", "libegl1", "libgl1-mesa-dri", "libxcb1"):
        assert lib in depends
    assert deb.stat().st_size < MAX_DEB_MB * 2**20, f"{deb.stat().st_size / 2**20:.0f} MB"


def test_contents_lay_out_the_program_and_desktop_files(deb):
    r = run("dpkg-deb", "-c", deb)
    assert r.returncode == 0, r.stderr
    paths = {line.split()[5].removeprefix(".") for line in r.stdout.splitlines()}
    links = {line.split()[5].removeprefix("."): line.split()[-1] for line in r.stdout.splitlines()}
    opt = f"/opt/{APP_ID}"
    assert links[f"/usr/bin/{APP_ID}"] == f"{opt}/{APP_ID}"
    for path in (
        f"{opt}/{APP_ID}",
        f"{opt}/_internal/PyQt6/Qt6/plugins/platforms/libqxcb.so",
        f"{opt}/_internal/PyQt6/Qt6/plugins/xcbglintegrations/libqxcb-glx-integration.so",
        f"{opt}/_internal/explorer/resources/{APP_ID}.desktop",
        f"/usr/share/applications/{APP_ID}.desktop",
        f"/usr/share/icons/hicolor/scalable/apps/{APP_ID}.svg",
        f"/usr/share/icons/hicolor/48x48/apps/{APP_ID}.png",
        f"/usr/share/icons/hicolor/256x256/apps/{APP_ID}.png",
        f"/usr/share/mime/packages/{APP_ID}.xml",
        f"/usr/share/doc/{APP_ID}/copyright",
        f"/usr/share/doc/{APP_ID}/changelog.gz",
        f"/usr/share/man/man1/{APP_ID}.1.gz",
        f"/usr/share/lintian/overrides/{APP_ID}",
    ):
        assert path in paths, path
    assert any(p.startswith("/usr/share/metainfo/") for p in paths)
    # not shipped: the build machine's C++ runtime, Qt's translations, unused plugins
    names = {p.rsplit("/", 1)[-1] for p in paths}
    assert "libstdc++.so.6" not in names
    assert not any("/translations/" in p or "wayland" in p or "libqgtk3" in p for p in paths)


def test_lintian_is_clean_with_every_override_explained(deb):
    # --show-overrides makes lintian exit 2 over overridden errors: read its verdict
    r = run("lintian", "--fail-on", "none", "--show-overrides", "--display-info", deb, timeout=900)
    lines = r.stdout.splitlines()
    problems = [line for line in lines if line[:2] in ("E:", "W:")]
    assert r.returncode == 0 and not problems, "\n".join(problems) + r.stderr[-2000:]
    # every override still matches something (none left over from an older bundle)
    stale = [line for line in lines if "unused-override" in line or "mismatched-override" in line]
    assert not stale, "\n".join(stale)
    overridden = {line.split()[2] for line in lines if line.startswith("O: ")}
    assert "dir-or-file-in-opt" in overridden  # found and explained, not absent
    overrides = (ROOT / "packaging" / "debian" / "lintian-overrides").read_text().splitlines()
    for i, line in enumerate(overrides):
        if line.startswith(f"{APP_ID}:"):  # each override (or group) follows a comment
            assert i > 0 and overrides[i - 1].startswith(("#", f"{APP_ID}:")), line
            # precise: never every file of the bundle at once (our own files must stay checked)
            assert not line.endswith(f"[opt/{APP_ID}/*]"), line


def test_installed_desktop_files_validate(unpacked):
    share = unpacked / "usr" / "share"
    r = run("desktop-file-validate", share / "applications" / f"{APP_ID}.desktop")
    assert r.returncode == 0 and not r.stdout.strip(), r.stdout
    (metainfo,) = (share / "metainfo").glob("*.metainfo.xml")
    r = run("appstreamcli", "validate", "--no-net", metainfo)
    assert r.returncode == 0, r.stdout + r.stderr


def surface_shown(png: Path) -> dict[str, float]:
    """Shares of the image in the surface's colours (viridis: its teal body, the yellow
    peak) and in the tangent plane's orange."""
    img = QtGui.QImage(str(png)).convertToFormat(QtGui.QImage.Format.Format_RGB888)
    assert not img.isNull(), png
    raw = np.frombuffer(img.constBits().asarray(img.sizeInBytes()), dtype=np.uint8)
    a = raw.reshape(img.height(), img.bytesPerLine())[:, : img.width() * 3]
    a = a.reshape(img.height(), img.width(), 3).astype(int)
    r, g, b = a[..., 0], a[..., 1], a[..., 2]
    return {
        "coloured": float((a.max(-1) - a.min(-1) > 60).mean()),
        "yellow": float(((r > 200) & (g > 200) & (b < 90)).mean()),
        "orange": float(((r > 230) & (g > 150) & (g < 220) & (b < 150)).mean()),
    }


def assert_surface_drawn(png: Path) -> None:
    shares = surface_shown(png)  # a blank view (nothing drawn) has none of these colours
    assert shares["coloured"] > 0.04 and shares["yellow"] > 0.0003, shares
    assert shares["orange"] > 0.0005, shares  # the tangent plane


@pytest.mark.parametrize(
    "desktop",
    [
        {},
        # PyOpenGL would guess EGL here; Qt runs on X11 with GLX: it must follow Qt
        {"XDG_SESSION_TYPE": "wayland"},
        # Qt on X11 through EGL: PyOpenGL's EGL platform, which must be in the bundle
        {"QT_XCB_GL_INTEGRATION": "xcb_egl"},
    ],
    ids=["x11", "wayland-session", "xcb-egl"],
)
def test_bundled_render_draws_the_surface(program, tmp_path, desktop):
    png = tmp_path / "surface.png"
    r = run(
        *XVFB, program, "render", CHAPTER, "--overlay=tangent", "--view=surface",
        f"--out={png}", env=clean_env(**desktop), cwd=tmp_path,
    )  # fmt: skip
    assert r.returncode == 0, r.stdout + r.stderr
    assert "Traceback" not in r.stderr and "qt.qpa.plugin" not in r.stderr, r.stderr
    assert_surface_drawn(png)


def chapter_numbers(out: str) -> dict[str, list[float]]:
    numbers = {}
    for line in out.splitlines():
        key, _, rest = line.partition(" ")
        numbers[key] = [float(v) for v in re.findall(r"-?\d+(?:\.\d+)?(?:e-?\d+)?", rest)]
    return numbers


def assert_chapter_numbers(out: str) -> None:
    """f(x, y) = x e^(−x²−y²) at (−1, 0): f = −1/e, ∇f = (−1/e, 0), H = diag(2/e, 2/e)."""
    e1 = math.exp(-1)
    got = chapter_numbers(out)
    assert got["value"] == pytest.approx([-e1], rel=1e-12)
    assert got["gradient"] == pytest.approx([-e1, 0], abs=1e-9)
    assert got["Hessian"] == pytest.approx([2 * e1, 0, 0, 2 * e1], abs=1e-9)


def test_bundled_inspect_prints_the_chapters_numbers(program, tmp_path):
    r = run(program, "inspect", CHAPTER, "--at=-1,0", env=clean_env(), cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert_chapter_numbers(r.stdout)


def test_bundled_window_reaches_its_first_frame(program, tmp_path):
    """The window itself (no command), with a fresh configuration: it starts and paints."""
    env = clean_env(**{FIRST_FRAME: "1", "XDG_CONFIG_HOME": str(tmp_path)})
    r = run(*XVFB, program, env=env, cwd=tmp_path, timeout=180)
    assert r.returncode == 0, r.stdout + r.stderr
    assert re.search(r"first frame \d+\.\d+ s", r.stdout), r.stdout + r.stderr


def test_bundled_modules_are_stored_not_deflated(program):
    """Inflating every module imported before the first frame slowed the installed
    start (packaging/build_deb.py stores them): an entry is as long as its code."""
    from PyInstaller.archive.readers import CArchiveReader

    pyz = CArchiveReader(str(program)).open_embedded_archive("PYZ.pyz")
    for name in ("explorer.engine.function", "numpy", "pyqtgraph", "OpenGL.GL"):
        _, _, stored = pyz.toc[name]
        assert stored >= len(pyz.extract(name, raw=True)), name


@pytest.fixture(scope="module")
def wheel_venv(tmp_path_factory) -> Path:
    """The wheel, built from the sources and installed into a fresh venv; its
    dependencies come from this test run's environment through a .pth file."""
    tmp = tmp_path_factory.mktemp("wheel")
    r = run(sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", tmp, ROOT, timeout=600)
    assert r.returncode == 0, r.stderr[-3000:]
    (wheel,) = tmp.glob("calculus_explorer-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert f"explorer/resources/{APP_ID}.desktop" in names
    assert f"explorer/resources/icons/hicolor/48x48/apps/{APP_ID}.png" in names
    venv = tmp / "venv"
    r = run(sys.executable, "-m", "venv", "--without-pip", venv)
    assert r.returncode == 0, r.stderr
    python = venv / "bin" / "python"
    site = run(python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))")
    deps = run(
        sys.executable,
        "-c",
        "import numpy, pathlib; print(pathlib.Path(numpy.__file__).parents[1])",
    )
    (Path(site.stdout.strip()) / "project-deps.pth").write_text(deps.stdout)
    r = run(sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "-q", wheel)
    assert r.returncode == 0, r.stderr[-3000:]
    return venv


def test_wheel_cli_entry_point_inspects(wheel_venv, tmp_path):
    cli = wheel_venv / "bin" / "calculus-explorer-cli"
    r = run(cli, "inspect", CHAPTER, "--at=-1,0", env=clean_env(), cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert_chapter_numbers(r.stdout)
    where = run(
        wheel_venv / "bin" / "python", "-c", "import explorer; print(explorer.__file__)",
        cwd=tmp_path,
    )  # fmt: skip
    assert where.stdout.startswith(str(wheel_venv)), where.stdout  # the wheel, not the sources


def test_wheel_gui_entry_point_renders(wheel_venv, tmp_path):
    png = tmp_path / "surface.png"
    gui = wheel_venv / "bin" / APP_ID
    r = run(
        *XVFB, gui, "render", CHAPTER, "--overlay=tangent", "--view=surface", f"--out={png}",
        env=clean_env(), cwd=tmp_path,
    )  # fmt: skip
    assert r.returncode == 0, r.stdout + r.stderr
    assert_surface_drawn(png)
