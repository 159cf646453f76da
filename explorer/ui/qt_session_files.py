"""The window's session files: new, open and save, the recent files (kept in
QSettings), the example sessions shipped in ``resources/examples``, the window
title with the file's name and the unsaved-changes mark, and the question
"save the changes?" before anything would throw them away."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING

from PyQt6 import QtCore, QtWidgets

from explorer import files
from explorer.paths import resource
from explorer.session import persistence
from explorer.session.model import Session

if TYPE_CHECKING:
    from .main_window import MainWindow

APP_TITLE = "Multivariable Calculus Explorer"
RECENT_KEY = "recent_files"
RECENT_COUNT = 8
KINDS = "Sessions (*.json)"
Button = QtWidgets.QMessageBox.StandardButton


def examples() -> list[Path]:
    """The shipped example sessions, in menu order (their names start with a number)."""
    return sorted(resource("examples").glob("*.json"))


def example_title(path: Path) -> str:
    """``2-chain-rule.json`` → ``Chain rule``."""
    words = re.sub(r"^\d+-", "", path.stem).replace("-", " ")
    return words[:1].upper() + words[1:]


class SessionFiles(QtCore.QObject):
    """Owns which file the session came from and whether it changed since."""

    def __init__(self, window: MainWindow, settings: QtCore.QSettings | None) -> None:
        super().__init__(window)
        self.window = window
        self.settings = settings
        self.path: Path | None = None
        self.clean_state = ""  # the session as last opened or saved (JSON)
        self._clean_runs: list = []
        self._recent: list[str] = self._stored_recent()
        self.recent_menu = QtWidgets.QMenu("Open &recent", window)
        self.recent_menu.setObjectName("menu_recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        self._fill_recent_menu()
        self.examples_menu = QtWidgets.QMenu("&Examples", window)
        self.examples_menu.setObjectName("menu_examples")
        for path in examples():
            action = self.examples_menu.addAction(example_title(path))
            action.setObjectName(f"example_{path.stem}")
            action.setStatusTip(f"Open the example session {example_title(path)}")
            action.triggered.connect(lambda _=False, p=path: self.open_example(p))
        s = window.session
        for signal in (
            s.function_changed,
            s.surface_changed,
            s.point_changed,
            s.overlays_changed,
            s.epsilon_changed,
        ):
            signal.connect(self._on_session_edited)
        self._show(None)

    def watch_runs(self, runs) -> None:
        """The optimizer runs are saved too: adding, stepping or removing one marks
        the title (selecting one does not)."""
        for signal in (runs.changed, runs.stepped):
            signal.connect(self._on_runs_edited)

    def _on_runs_edited(self) -> None:
        if not self.window.isWindowModified() and self._runs() != self._clean_runs:
            self.window.setWindowModified(True)

    def _runs(self) -> list:
        return json.loads(json.dumps(persistence.to_dict(self.window.session)["runs"]))

    # the title -----------------------------------------------------------------
    def _show(self, name: str | None) -> None:
        self.window.setWindowTitle(f"{name or 'Untitled'}[*] — {APP_TITLE}")
        self.mark_unmodified()

    def _on_session_edited(self) -> None:
        if not self.window.isWindowModified():  # setting it again still costs a title update
            self.window.setWindowModified(True)

    def mark_unmodified(self) -> None:
        """Just opened, saved or restored: nothing to save yet."""
        self.window.setWindowModified(False)
        self.clean_state = persistence.dumps(self.window.session)
        self._clean_runs = json.loads(self.clean_state)["runs"]

    # unsaved changes ----------------------------------------------------------
    def may_discard(self, before: str) -> bool:
        """Whether the unsaved changes, if any, may go `before` (e.g. "closing"):
        asks Save / Discard / Cancel. Save goes through Save as without a file,
        and a save that fails or is cancelled keeps everything as it was."""
        if not self.window.isWindowModified():
            return True
        name = self.path.name if self.path else "this session"
        box = QtWidgets.QMessageBox(
            QtWidgets.QMessageBox.Icon.Question,
            APP_TITLE,
            f"Save the changes to {name} before {before}?",
            Button.Save | Button.Discard | Button.Cancel,
            self.window,
        )
        box.setObjectName("save_changes")
        box.setInformativeText("If you don't save, your changes will be lost.")
        box.setDefaultButton(Button.Save)
        box.setEscapeButton(Button.Cancel)
        answer = box.exec()
        box.deleteLater()
        if answer == Button.Save:
            return self.save()
        return answer == Button.Discard

    def state_to_keep(self) -> str:
        """The session the next start restores: the current one unless its changes
        were discarded (then as last opened or saved)."""
        if self.window.isWindowModified():
            return self.clean_state
        return persistence.dumps(self.window.session)

    # opening -----------------------------------------------------------------------
    def new(self) -> bool:
        """File → New: the default function, domain and overlays, no file, no runs."""
        if not self.may_discard("starting a new session"):
            return False
        fresh = Session()
        self.window.session.from_dict(fresh.to_dict())
        fresh.deleteLater()
        self.path = None
        self._show(None)
        return True

    def open(self, path: str | None = None) -> bool:
        """File → Open: ask unless given a path; a bad file changes nothing."""
        if not self.may_discard("opening another"):
            return False
        if path is None:
            folder = str(self.path.parent) if self.path else ""
            path, _ = QtWidgets.QFileDialog.getOpenFileName(
                self.window, "Open session", folder, f"{KINDS};;All files (*)"
            )
            if not path:
                return False
        if not self._load(Path(path)):
            return False
        self.path = Path(path).resolve()
        self._show(self.path.name)
        self._remember(str(self.path))
        self.window.statusBar().showMessage(f"Opened {self.path}", 4000)
        return True

    def open_example(self, path: Path) -> bool:
        """An example opens as an unsaved copy: Save asks where (never over the example)."""
        if not self.may_discard("opening the example"):
            return False
        if not self._load(path):
            return False
        self.path = None
        self._show(f"{example_title(path)} (example)")
        return True

    def _load(self, path: Path) -> bool:
        try:
            persistence.load(self.window.session, path)
        except persistence.SessionFileError as exc:
            self.window.warn(f"Could not open {path.name}: {exc}.\n\nNothing was changed.")
            return False
        return True

    # saving --------------------------------------------------------------------
    def save(self, path: str | None = None) -> bool:
        """File → Save: to the session's file, or ask for one."""
        if path is None and self.path is not None:
            path = str(self.path)
        return self.save_as(path)

    def save_as(self, path: str | None = None) -> bool:
        # *.explorer.json is the glob of the session MIME type (double-click opens it)
        suggested = str(self.path) if self.path else "session.explorer.json"
        written: list[str] = []

        def write(target: str) -> None:
            files.write_atomic(target, persistence.dumps(self.window.session))
            written.append(target)

        if not self.window.save_file(path, "Save session", suggested, KINDS, write):
            return False
        self.path = Path(written[0]).resolve()
        self._show(self.path.name)
        self._remember(str(self.path))
        return True

    # recent files --------------------------------------------------------------
    @property
    def recent(self) -> list[str]:
        return list(self._recent)

    def _stored_recent(self) -> list[str]:
        if self.settings is None:
            return []
        stored = self.settings.value(RECENT_KEY, [])
        items = [stored] if isinstance(stored, str) else stored  # INI keeps one item as a str
        if not isinstance(items, list):
            return []
        return [p for p in items if isinstance(p, str)][:RECENT_COUNT]

    def _remember(self, path: str) -> None:
        self._recent = [path, *(p for p in self._recent if p != path)][:RECENT_COUNT]
        self._store_recent()

    def _forget(self, path: str) -> None:
        self._recent = [p for p in self._recent if p != path]
        self._store_recent()

    def _store_recent(self) -> None:
        if self.settings is not None:
            self.settings.setValue(RECENT_KEY, self._recent)
        self._fill_recent_menu()

    def _fill_recent_menu(self) -> None:
        menu = self.recent_menu
        for old in menu.actions():  # later: one of them may be the one being triggered
            menu.removeAction(old)
            old.deleteLater()
        for k, path in enumerate(self._recent):
            action = menu.addAction(f"&{k + 1} {Path(path).name}")
            action.setObjectName(f"recent_{k}")
            action.setStatusTip(path)
            action.setToolTip(path)
            action.triggered.connect(lambda _=False, p=path: self._open_recent(p))
        menu.addSeparator()
        clear = menu.addAction("Clear list")
        clear.setObjectName("recent_clear")
        clear.setEnabled(bool(self._recent))
        clear.triggered.connect(self._clear_recent)
        menu.setEnabled(bool(self._recent))

    def _open_recent(self, path: str) -> None:
        if not Path(path).is_file():
            self._forget(path)
            self.window.warn(f"{path} is no longer there; it was removed from the recent files.")
            return
        self.open(path)

    def _clear_recent(self) -> None:
        self._recent = []
        self._store_recent()


def session_argument(argv: list[str]) -> str | None:
    """``calculus-explorer FILE.json``: the one argument names an existing .json file
    (anything else is an expression)."""
    if len(argv) == 1 and argv[0].lower().endswith(".json") and Path(argv[0]).is_file():
        return argv[0]
    return None
