"""The main window: wiring only. The views and panels observe the session; the
actions of `actions.ACTIONS` become menus and a toolbar."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PyQt6 import QtCore, QtGui, QtWidgets

from explorer import __version__, files
from explorer.session import persistence
from explorer.session.model import Session
from explorer.session.numbers import number
from explorer.session.overlays import CURVE, OVERLAYS
from explorer.session.runs import Runs

from .actions import ACTIONS, fill_toolbar
from .dock_layout import CompactDocks
from .gl_surface_view import SurfaceView
from .lazy_dock import LazyDock, after_first_frame
from .qt_curve_view import CurveView
from .qt_function_panel import FunctionPanel
from .qt_inspector import InspectorPanel
from .qt_map_view import MapView
from .qt_session_files import SessionFiles
from .run_views import attach_runs

if TYPE_CHECKING:  # the panels of lazy docks are imported when built (see `LazyDock`)
    from .qt_critical_table import CriticalTable
    from .qt_descent_panel import DescentPanel
    from .qt_direction_panel import DirectionPanel
    from .qt_graph_panel import GraphPanel
    from .qt_sections_panel import SectionsPanel

SETTINGS_KEYS = ("geometry", "state", "session")
Area = QtCore.Qt.DockWidgetArea


class MainWindow(QtWidgets.QMainWindow):
    def __init__(self, settings: QtCore.QSettings | None = None, parent=None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.session = Session(self)
        self.runs = Runs(self.session, self)  # before the last session: it replays its runs
        self._restore_session()  # before the views, which are then built once, for it
        if self.session.overlays["critical"]:  # markers drawn just after the first frame
            self.session.hold_critical()
        self.session_files = SessionFiles(self, settings)  # title, open/save, recent, examples
        self.resize(1400, 860)

        self.surface_view = SurfaceView(self.session)
        self.map_view = MapView(self.session)
        self._curve_view: CurveView | None = None  # built for the first 1-variable function
        self.splitter = QtWidgets.QSplitter()
        self.splitter.addWidget(self.surface_view.container)
        self.splitter.addWidget(self.map_view)
        self.splitter.setStretchFactor(0, 11)
        self.splitter.setStretchFactor(1, 9)
        self.stack = QtWidgets.QStackedWidget()
        self.stack.addWidget(self.splitter)
        self.setCentralWidget(self.stack)

        self.function_panel = FunctionPanel(self.session)
        self.inspector = InspectorPanel(self.session)
        self.run_adapters = attach_runs(self.runs, self.surface_view, self.map_view)
        self.session_files.watch_runs(self.runs)
        self.docks: dict[str, QtWidgets.QDockWidget] = {}
        self._shown_once = False
        self.add_panel("function", "Function", self.function_panel, Area.LeftDockWidgetArea)
        self.add_panel("inspector", "Inspector", self.inspector, Area.RightDockWidgetArea)
        # the tabs behind the inspector and the graph are built when first needed
        self._add_lazy("descent", "Descent", self._build_descent, Area.RightDockWidgetArea)
        self.resizeDocks(
            list(self.docks.values()), [290, 330, 330], QtCore.Qt.Orientation.Horizontal
        )
        self._add_tab("critical", "Critical", self._build_critical)
        self._add_tab("directions", "Dial", self._build_direction)
        self._add_tab("sections", "Sections", self._build_sections)
        self.tabifyDockWidget(self.docks["inspector"], self.docks["descent"])
        self.docks["inspector"].raise_()
        graph_dock = self._add_lazy(
            "graph", "Backpropagation graph", self._build_graph, Area.BottomDockWidgetArea
        )
        graph_dock.hide()  # opened from the View menu (Ctrl+G)
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
        s.critical_ready.connect(self._show_critical_note)
        self._on_function_changed()
        self._on_overlays_changed()
        self.restore()
        self.session_files.mark_unmodified()

    def _add_tab(self, name: str, title: str, build) -> None:
        """A lazy dock tabbed with the inspector."""
        dock = self._add_lazy(name, title, build, Area.RightDockWidgetArea)
        self.tabifyDockWidget(self.docks["inspector"], dock)

    def _add_lazy(self, name: str, title: str, build, area: Area) -> LazyDock:
        dock = LazyDock(title, name, build, self)
        self.addDockWidget(area, dock)
        self.docks[name] = dock
        return dock

    def add_panel(
        self, name: str, title: str, widget: QtWidgets.QWidget, area: QtCore.Qt.DockWidgetArea
    ) -> QtWidgets.QDockWidget:
        """Dock `widget`, scrolling (see `scrolling`)."""
        dock = QtWidgets.QDockWidget(title, self)
        dock.setObjectName(f"dock_{name}")
        dock.setWidget(scrolling(widget))
        self.addDockWidget(area, dock)
        self.docks[name] = dock
        return dock

    # the lazy docks' panels (imported here: not needed for the first frame) -----------
    def _build_descent(self, dock: LazyDock):
        from .qt_descent_panel import DescentPanel

        panel = DescentPanel(self.runs)
        for view in (self.surface_view.container, self.map_view):
            panel.bind_space(view)
        for action in panel.menu_actions():
            self._descent_menu.addAction(action)
        return panel, scrolling(panel)

    def _build_critical(self, dock: LazyDock):
        from .qt_critical_table import CriticalTable

        table = CriticalTable(self.session)
        return table, table

    def _build_direction(self, dock: LazyDock):
        from .qt_direction_panel import DirectionPanel

        panel = DirectionPanel(self.session)
        return panel, panel

    def _build_sections(self, dock: LazyDock):
        from .qt_sections_panel import SectionsPanel

        panel = SectionsPanel(self.session)
        return panel, panel

    def _build_graph(self, dock: LazyDock):
        from .qt_graph_panel import GraphPanel

        panel = GraphPanel(self.session)
        return panel, panel

    @property
    def descent_panel(self) -> DescentPanel:
        return self.docks["descent"].panel()

    @property
    def critical_table(self) -> CriticalTable:
        return self.docks["critical"].panel()

    @property
    def direction_panel(self) -> DirectionPanel:
        return self.docks["directions"].panel()

    @property
    def sections_panel(self) -> SectionsPanel:
        return self.docks["sections"].panel()

    @property
    def graph_panel(self) -> GraphPanel:
        return self.docks["graph"].panel()

    def showEvent(self, event: QtGui.QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        if not self._shown_once:
            self._shown_once = True
            shows_surface = self.stack.currentWidget() is self.splitter
            frame = self.surface_view.frameSwapped if shows_surface else None
            after_first_frame(self, frame, self._after_first_frame)

    def _after_first_frame(self) -> None:
        """What the first frame does not show: the descent panel, whose menu and
        shortcuts work without its tab, and a restored session's critical points."""
        self.docks["descent"].panel()
        self.session.release_critical()

    @property
    def curve_view(self) -> CurveView:
        if self._curve_view is None:
            self._curve_view = CurveView(self.session)
            self.stack.addWidget(self._curve_view)
        return self._curve_view

    # actions -----------------------------------------------------------------
    def _build_actions(self) -> dict[str, QtGui.QAction]:
        handlers = {
            "new": self.session_files.new,
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
        file_menu.addAction(actions["new"])
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
        self._descent_menu = menu.addMenu("&Descent")  # filled by the descent panel
        self._descent_menu.aboutToShow.connect(self.docks["descent"].panel)
        menu.addMenu("&Help").addAction(actions["about"])
        toolbar = self.addToolBar("Overlays")
        toolbar.setObjectName("toolbar_overlays")
        fill_toolbar(toolbar, actions)
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
        found = s.critical_found() if s.overlays["critical"] else None
        if found is not None:
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

    def grab_window(self) -> QtGui.QImage:
        """The window as it looks: its widgets, and the 3D view drawn in where it
        sits (a native child window, which `QWidget.grab` leaves blank)."""
        image = self.grab().toImage()
        box = self.surface_view.container
        if box.isVisibleTo(self):  # also before the window is first shown
            painter = QtGui.QPainter(image)
            try:
                painter.drawImage(
                    QtCore.QRectF(
                        QtCore.QPointF(box.mapTo(self, QtCore.QPoint())), box.size().toSizeF()
                    ),
                    self.surface_view.grabFramebuffer(),
                )
            finally:
                painter.end()
        return image

    def grab_view(self, which: str) -> QtGui.QImage:
        if which == "surface":
            if not self.isVisible():
                self.grab()  # lays the window out: the view's size is the one it will have
            image = self.surface_view.grabFramebuffer()
            if image.isNull():
                raise OSError("the 3D view could not be drawn (no OpenGL context)")
            return image
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
        """The window's geometry and docks as last closed."""
        if self.settings is None:
            return
        geometry = self.settings.value("geometry")
        if isinstance(geometry, QtCore.QByteArray):
            self.restoreGeometry(geometry)
        state = self.settings.value("state")
        if isinstance(state, QtCore.QByteArray):
            self.restoreState(state)

    def _restore_session(self) -> None:
        """The last session, if one was stored."""
        if self.settings is None:
            return
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
        if not self.session_files.may_discard("closing"):
            event.ignore()
            return
        if self.settings is not None:
            self.settings.setValue("geometry", self.saveGeometry())
            self.settings.setValue("state", self.dock_layout.state())
            self.settings.setValue("session", self.session_files.state_to_keep())
            self.settings.sync()
        if self.docks["descent"].built:
            self.descent_panel.set_playing(False)
            self.descent_panel.cancel_basins()
        for adapter in self.run_adapters:
            adapter.close()
        self.surface_view.close_adapters()
        self.map_view.close_adapters()
        if self._curve_view is not None:
            self._curve_view.close_adapters()
        super().closeEvent(event)


def scrolling(widget: QtWidgets.QWidget) -> QtWidgets.QScrollArea:
    """`widget` scrolling vertically, and sideways only if it cannot be narrower."""
    scroll = QtWidgets.QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setMinimumWidth(250)
    scroll.setWidget(widget)
    return scroll
