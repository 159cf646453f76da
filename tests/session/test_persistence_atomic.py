"""Saving is atomic: a real process killed (SIGKILL) between writing the new
content and renaming it over the old file leaves the old file intact."""

import os
import signal
import subprocess
import sys
import textwrap

import pytest

from explorer import files

# The child saves with the real `write_atomic`; only the rename is delayed (the
# child stops itself just before it), so that the kill lands between the two.
CHILD = textwrap.dedent(
    """
    import os, sys, time
    from explorer import files

    real_replace = os.replace

    def paused_replace(src, dst):
        print("written", src, flush=True)
        time.sleep(120)  # killed here
        real_replace(src, dst)

    os.replace = paused_replace if sys.argv[3] == "pause" else real_replace
    files.write_atomic(sys.argv[1], sys.argv[2])
    print("done", flush=True)
    """
)


def save_in_child(path, content: str, mode: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", CHILD, str(path), content, mode],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_a_save_killed_before_the_rename_leaves_the_old_file(tmp_path):
    path = tmp_path / "session.json"
    path.write_text('{"old": true}')
    child = save_in_child(path, '{"new": true, "padding": "' + "x" * 100_000 + '"}', "pause")
    try:
        line = child.stdout.readline().split()
        assert line[:1] == ["written"], child.stderr.read()
        temp = line[1]
        # the new content is complete on disk, beside the old file ...
        assert os.path.dirname(temp) == str(tmp_path)
        with open(temp) as fh:
            assert fh.read().startswith('{"new": true')
        child.send_signal(signal.SIGKILL)
    finally:
        child.kill()
        child.wait(timeout=60)
        child.stdout.close()
        child.stderr.close()
    assert child.returncode == -signal.SIGKILL
    # ... and the old file is whole
    assert path.read_text() == '{"old": true}'


def test_an_uninterrupted_save_replaces_the_file_and_leaves_no_temporary(tmp_path):
    path = tmp_path / "session.json"
    path.write_text("old")
    os.chmod(path, 0o644)
    child = save_in_child(path, "new", "run")
    out, err = child.communicate(timeout=60)
    assert child.returncode == 0, err
    assert out.split() == ["done"]
    assert path.read_text() == "new"
    assert os.listdir(tmp_path) == ["session.json"]
    assert os.stat(path).st_mode & 0o777 == 0o644  # the old file's permissions kept


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path):
    path = tmp_path / "session.json"
    path.write_text("old")
    with pytest.raises(OSError):
        files.write_atomic(tmp_path / "no" / "such" / "folder.json", "new")
    with pytest.raises(TypeError):  # fails while writing: the temporary is removed
        files.write_atomic(path, 12345)  # type: ignore[arg-type]
    assert path.read_text() == "old"
    assert os.listdir(tmp_path) == ["session.json"]


def test_saving_through_a_symlink_replaces_the_file_it_points_to(tmp_path):
    real = tmp_path / "real.json"
    real.write_text("old")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    files.write_atomic(link, "new")
    assert link.is_symlink() and real.read_text() == "new"
