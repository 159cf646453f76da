"""The main window: wiring only. The views and panels observe the session; the
actions of `actions.ACTIONS` become menus and a toolbar."""

from __future__ import annotations

from PyQt6 import QtCore, QtGui, QtWidgets

from explorer import __version__, files
from explorer.session import persistence
from explorer.session.model import Session
from explorer.session.numbers import number
from explorer.session.overlays import CURVE, OVERLAYS
from explorer.session.runs import Runs

from .actions import ACTIONS
from .dock_layout import CompactDocks
from .gl_surface_view import SurfaceView
from .qt_critical_table import CriticalTable
from .qt_curve_view import CurveView
from .qt_descent_panel import DescentPanel
from .qt_direction_panel import DirectionPanel
from .qt_function_panel import FunctionPanel
from .qt_graph_panel import GraphPanel
from .qt_inspector import InspectorPanel
from .qt_map_view import MapView
from .qt_sections_panel import SectionsPanel
from .qt_session_files import SessionFiles
from .run_views import attach_runs

SETTINGS_KEYS = ("geometry", "state", "session")
Area = QtCore.Qt.DockWidgetArea


class MainWindow(QtWidgets.QMainWindow):
    def __init__(self, settings: QtCore.QSettings | None = None, parent=None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.session = Session(self)
        self.session_files = SessionFiles(self, settings)  # title, open/save, recent, examples
        self.resize(1400, 860)

        self.surface_view = SurfaceView(self.session)
        self.map_view = MapView(self.session)
        self._curve_view: CurveView | None = None  # built for the first 1-variable function
        self.splitter = QtWidgets.QSplitter()
        self.splitter.addWidget(self.surface_view)
        self.splitter.addWidget(self.map_view)
        self.splitter.setStretchFactor(0, 11)
        self.splitter.setStretchFactor(1, 9)
        self.stack = QtWidgets.QStackedWidget()
        self.stack.addWidget(self.splitter)
        self.setCentralWidget(self.stack)

        self.function_panel = FunctionPanel(self.session)
        self.inspector = InspectorPanel(self.session)
        self.runs = Runs(self.session, self)
        self.descent_panel = DescentPanel(self.runs)
        self.run_adapters = attach_runs(self.runs, self.surface_view, self.map_view)
        for view in (self.surface_view, self.map_view):
            self.descent_panel.bind_space(view)
        self.docks: dict[str, QtWidgets.QDockWidget] = {}
        self.add_panel("function", "Function", self.function_panel, Area.LeftDockWidgetArea)
        self.add_panel("inspector", "Inspector", self.inspector, Area.RightDockWidgetArea)
        self.add_panel("descent", "Descent", self.descent_panel, Area.RightDockWidgetArea)
        self.resizeDocks(
            list(self.docks.values()), [290, 330, 330], QtCore.Qt.Orientation.Horizontal
        )
        self.critical_table = CriticalTable(self.session)
        self.direction_panel = DirectionPanel(self.session)
        self._add_tab("critical", "Critical", self.critical_table)
        self.sections_panel = SectionsPanel(self.session)
        self._add_tab("directions", "Dial", self.direction_panel)
        self._add_tab("sections", "Sections", self.sections_panel)
        self.docks["critical"].visibilityChanged.connect(self.critical_table.set_shown)
        self.tabifyDockWidget(self.docks["inspector"], self.docks["descent"])
        self.docks["sections"].visibilityChanged.connect(self.sections_panel.set_shown)
        self.docks["inspector"].raise_()
        self.graph_panel = GraphPanel(self.session)
        graph_dock = QtWidgets.QDockWidget("Backpropagation graph", self)
        graph_dock.setObjectName("dock_graph")
        graph_dock.setWidget(self.graph_panel)
        self.addDockWidget(QtCore.Qt.DockWidgetArea.BottomDockWidgetArea, graph_dock)
        graph_dock.hide()  # opened from the View menu (Ctrl+G)
        self.docks["graph"] = graph_dock
        self.dock_layout = CompactDocks(self)  # one tabbed column in a narrow window
        self.actions_by_name = self._build_actions()
        self._critical_note = ""  # the status-bar note about critical points, if shown
        self.status_point = QtWidgets.QLabel()
        self.statusBar().addPermanentWidget(self.status_point)

        s = self.session
        s.function_changed.connect(self._on_function_changed)
        s.function_changed.connect(self._on_overlays_changed)
        s.point_changed.connect(self._on_point_changed)
        s.surface_changed.connect(self._on_point_changed)
        s.surface_changed.connect(self._on_overlays_changed)
        s.overlays_changed.connect(self._on_overlays_changed)
        self._on_function_changed()
        self._on_overlays_changed()
        self.restore()
        self.session_files.mark_unmodified()

    def _add_tab(self, name: str, title: str, widget: QtWidgets.QWidget) -> None:
        """A dock tabbed with the inspector."""
        dock = QtWidgets.QDockWidget(title, self)
        dock.setObjectName(f"dock_{name}")
        dock.setWidget(widget)
        self.addDockWidget(QtCore.Qt.DockWidgetArea.RightDockWidgetArea, dock)
        self.tabifyDockWidget(self.docks["inspector"], dock)
        self.docks[name] = dock

    def add_panel(
        self, name: str, title: str, widget: QtWidgets.QWidget, area: QtCore.Qt.DockWidgetArea
    ) -> QtWidgets.QDockWidget:
        """Dock `widget`, scrolling vertically, and sideways only if it cannot be narrower."""
        dock = QtWidgets.QDockWidget(title, self)
        dock.setObjectName(f"dock_{name}")
        scroll = QtWidgets.QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setMinimumWidth(250)
        scroll.setWidget(widget)
        dock.setWidget(scroll)
        self.addDockWidget(area, dock)
        self.docks[name] = dock
        return dock

    @property
    def curve_view(self) -> CurveView:
        if self._curve_view is None:
            self._curve_view = CurveView(self.session)
            self.stack.addWidget(self._curve_view)
        return self._curve_view

    # actions -----------------------------------------------------------------
    def _build_actions(self) -> dict[str, QtGui.QAction]:
        handlers = {
            "open": self.open_session,
            "save": self.save_session,
            "save_as": self.save_session_as,
            "export_surface": lambda: self.export_png("surface"),
            "export_map": lambda: self.export_png("map"),
            "export_code": self.export_code,
            "quit": self.close,
            "reset_camera": self.reset_camera,
            "graph": self.show_graph,
            "about": self.about,
        }
        actions: dict[str, QtGui.QAction] = {}
        for spec in ACTIONS:
            action = QtGui.QAction(spec.text, self)
            action.setObjectName(f"action_{spec.name}")
            if spec.shortcut is not None:
                action.setShortcut(QtGui.QKeySequence(spec.shortcut))
            action.setToolTip(
                f"{spec.tip} ({action.shortcut().toString()})" if spec.shortcut else spec.tip
            )
            action.setStatusTip(spec.tip)
            if spec.overlay:
                action.setCheckable(True)
                action.toggled.connect(
                    lambda on, name=spec.overlay: self.session.set_overlay(name, on)
                )
            elif spec.name == "wireframe":
                action.setCheckable(True)
                action.toggled.connect(self.session.set_quadratic_wireframe)
            elif spec.name == "equal_scale":
                action.setCheckable(True)
                action.toggled.connect(self.surface_view.set_equal_scale)
            else:
                # triggered(checked) would arrive as the handlers' optional path: dropped
                action.triggered.connect(lambda _checked=False, h=handlers[spec.name]: h())
            actions[spec.name] = action
        menu = self.menuBar()
        file_menu = menu.addMenu("&File")
        file_menu.addAction(actions["open"])
        file_menu.addMenu(self.session_files.recent_menu)
        file_menu.addMenu(self.session_files.examples_menu)
        for name in (
            "save",
            "save_as",
            None,
            "export_surface",
            "export_map",
            "export_code",
            None,
            "quit",
        ):
            file_menu.addSeparator() if name is None else file_menu.addAction(actions[name])
        view_menu = menu.addMenu("&View")
        for name in (*OVERLAYS, None, "wireframe", "equal_scale", "reset_camera", "graph"):
            view_menu.addSeparator() if name is None else view_menu.addAction(actions[name])
        view_menu.addSeparator()
        for dock in self.docks.values():
            view_menu.addAction(dock.toggleViewAction())
        descent_menu = menu.addMenu("&Descent")
        for action in self.descent_panel.menu_actions():
            descent_menu.addAction(action)
        menu.addMenu("&Help").addAction(actions["about"])
        toolbar = self.addToolBar("Overlays")
        toolbar.setObjectName("toolbar_overlays")
        for name, overlay in OVERLAYS.items():
            if overlay.shortcut:  # the toolbar holds the overlays with a shortcut
                toolbar.addAction(actions[name])
        toolbar.addAction(actions["wireframe"])
        return actions

    # model -> window ----------------------------------------------------------
    def _on_function_changed(self) -> None:
        one = self.session.dimension == 1
        self.stack.setCurrentWidget(self.curve_view if one else self.splitter)
        for name, overlay in OVERLAYS.items():
            self.actions_by_name[name].setEnabled(not one or CURVE in overlay.views)
        self.actions_by_name["export_surface"].setEnabled(not one)
        self._on_point_changed()

    def _on_overlays_changed(self) -> None:
        for name, on in self.session.overlays.items():
            action = self.actions_by_name[name]
            if action.isChecked() != on:
                with QtCore.QSignalBlocker(action):
                    action.setChecked(on)
        wire = self.actions_by_name["wireframe"]
        with QtCore.QSignalBlocker(wire):
            wire.setChecked(self.session.quadratic_wireframe)
        self._show_critical_note()

    def _show_critical_note(self) -> None:
        """What the critical-point markers leave out, while they are shown; a note
        about an earlier function is taken back."""
        s, bar = self.session, self.statusBar()
        notes = []
        if s.overlays["critical"]:
            found = s.critical()
            if found.continuum:
                notes.append(
                    "Critical points are not isolated here (a flat region or a curve of them): "
                    "only isolated ones are marked"
                )
            if found.nonsmooth:
                notes.append(
                    f"{len(found.nonsmooth)} extremum(s) where f is not differentiable "
                    "(a corner): marked too, though no gradient vanishes there"
                )
            if found.incomplete:
                notes.append(f"Not every critical point could be found: {found.incomplete}")
        note = ". ".join(notes)
        if note:
            bar.showMessage(note, 10000)
        elif bar.currentMessage() == self._critical_note:
            bar.clearMessage()
        self._critical_note = note

    def _on_point_changed(self) -> None:
        s = self.session
        info = s.info()
        out = s.function.output_name
        coords = ", ".join(
            f"{v} = {number(x, 4)}" for v, x in zip(s.function.variables, s.point, strict=True)
        )
        norm = number(info.gradient_norm, 4)
        self.status_point.setText(f"{coords}    {out} = {number(info.value)}    |∇{out}| = {norm}")

    # commands ----------------------------------------------------------------
    def reset_camera(self) -> None:
        self.surface_view.reset_camera()

    def show_graph(self) -> None:
        dock = self.docks["graph"]
        dock.show()
        dock.raise_()
        height = max(380, int(self.height() * 0.56))
        self.resizeDocks([dock], [height], QtCore.Qt.Orientation.Vertical)

    def grab_view(self, which: str) -> QtGui.QImage:
        if which == "surface":
            return self.surface_view.grabFramebuffer()
        widget = self.curve_view if self.session.dimension == 1 else self.map_view
        return widget.grab().toImage()

    def save_file(self, path: str | None, title: str, suggested: str, kinds: str, write) -> bool:
        """Ask for a file unless given one, `write(path)` it, and report the outcome."""
        if path is None:
            path, _ = QtWidgets.QFileDialog.getSaveFileName(self, title, suggested, kinds)
            if not path:
                return False
        try:
            write(path)
        except (OSError, ValueError) as exc:  # ValueError: a value JSON cannot hold
            self.warn(f"Could not write {path}: {getattr(exc, 'strerror', None) or exc}.")
            return False
        self.statusBar().showMessage(f"Saved {path}", 4000)
        return True

    def export_png(self, which: str, path: str | None = None) -> bool:
        return self.save_file(
            path,
            "Export as PNG",
            f"{which}.png",
            "PNG images (*.png)",
            lambda p: files.write_png(p, self.grab_view(which)),
        )

    def export_code(self, path: str | None = None) -> bool:
        return self.save_file(
            path,
            "Export function as Python",
            "function.py",
            "Python (*.py)",
            lambda p: files.write_atomic(p, self.session.function.source()),
        )

    def save_session(self, path: str | None = None) -> bool:
        return self.session_files.save(path)

    def save_session_as(self, path: str | None = None) -> bool:
        return self.session_files.save_as(path)

    def open_session(self, path: str | None = None) -> bool:
        return self.session_files.open(path)

    def warn(self, text: str) -> None:
        box = QtWidgets.QMessageBox(
            QtWidgets.QMessageBox.Icon.Warning,
            "Explorer",
            text,
            QtWidgets.QMessageBox.StandardButton.Ok,
            self,
        )
        box.setObjectName("warning")
        box.open()
        self.statusBar().showMessage(text.split("\n")[0], 8000)

    def about(self) -> None:
        QtWidgets.QMessageBox.about(
            self,
            "About the explorer",
            f"<b>Multivariable Calculus Explorer</b> {__version__}<p>Surfaces, tangent planes, "
            "Taylor models, critical points and gradients for section 18.4 of "
            "<i>Dive into Deep Learning</i>.</p><p>Every number comes from one numpy engine "
            "with exact first and second derivatives.</p>",
        )

    # settings ----------------------------------------------------------------
    def restore(self) -> None:
        if self.settings is None:
            return
        geometry = self.settings.value("geometry")
        if isinstance(geometry, QtCore.QByteArray):
            self.restoreGeometry(geometry)
        state = self.settings.value("state")
        if isinstance(state, QtCore.QByteArray):
            self.restoreState(state)
        saved = self.settings.value("session")
        if isinstance(saved, str):
            try:
                persistence.apply_state(self.session, persistence.loads(saved))
            except persistence.SessionFileError as exc:
                self.statusBar().showMessage(
                    f"The last session could not be restored ({exc}): starting afresh", 10000
                )

    def resizeEvent(self, event: QtGui.QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self.dock_layout.arrange()

    def closeEvent(self, event: QtGui.QCloseEvent) -> None:  # noqa: N802
        if self.settings is not None:
            self.settings.setValue("geometry", self.saveGeometry())
            self.settings.setValue("state", self.dock_layout.state())
            self.settings.setValue("session", persistence.dumps(self.session))
            self.settings.sync()
        self.descent_panel.set_playing(False)
        self.descent_panel.cancel_basins()
        for adapter in self.run_adapters:
            adapter.close()
        self.surface_view.close_adapters()
        self.map_view.close_adapters()
        if self._curve_view is not None:
            self._curve_view.close_adapters()
        super().closeEvent(event)
