"""The backpropagation graph panel: the function's own DAG at the selected point,
its forward and backward sweeps step by step, the chain rule as a sum over
paths, forward mode beside reverse mode, and the generated code.

It observes the session and draws what `GraphModel` says; it computes nothing.
"""

from __future__ import annotations

from pathlib import Path

from PyQt6 import QtCore, QtGui, QtWidgets

from explorer.session.graph_view import GraphModel, Step, fmt
from explorer.session.model import Session
from explorer.session.presets import PATHS_PRESET

from . import qt_graph_view as pictures
from .qt_graph_scene import GraphScene
from .qt_graph_view import GraphView

SPEEDS = (0.5, 1.0, 2.0, 4.0, 8.0, 16.0)  # steps per second
SWEEP_NAMES = {"forward": "forward sweep", "backward": "backward sweep", "tangent": "forward mode"}


class GraphPanel(QtWidgets.QWidget):
    def __init__(self, session: Session, parent=None) -> None:
        super().__init__(parent)
        self.session = session
        self.model: GraphModel | None = None
        self.done = 0  # steps of the current sweep sequence already taken
        self.variable: str | None = None  # forward mode's input; None: reverse mode
        self.path_source: int | None = None
        self._stale = True
        self._source_lines: list[str] = []

        self.scene = GraphScene(self)
        self.view = GraphView(self.scene)
        self.view.setObjectName("graph_view")
        self.view.node_clicked.connect(self._on_node_clicked)

        bar = QtWidgets.QHBoxLayout()
        bar.setSpacing(4)
        self.mode = QtWidgets.QComboBox()
        self.mode.setToolTip(
            "Reverse mode: a forward sweep for the values, then one backward sweep gives "
            "every ∂f/∂node. Forward mode: one sweep per input carries ∂node/∂input."
        )
        self.mode.activated.connect(self._on_mode_chosen)
        bar.addWidget(self.mode)
        self.buttons: dict[str, QtWidgets.QToolButton] = {}
        icons = QtWidgets.QStyle.StandardPixmap
        for name, text, icon, tip, keys, slot in (
            (
                "reset",
                "Start",
                icons.SP_MediaSkipBackward,
                "Back to the start",
                ("Home",),
                self.reset,
            ),
            (
                "back",
                "Back",
                icons.SP_MediaSeekBackward,
                "One step back",
                ("Left", ","),
                self.step_back,
            ),
            ("step", "Step", icons.SP_MediaSeekForward, "The next node", ("Right", "."), self.step),
            (
                "play",
                "Play",
                icons.SP_MediaPlay,
                "Play at the chosen speed",
                ("Space",),
                self.toggle_play,
            ),
            ("end", "All", icons.SP_MediaSkipForward, "Every sweep done", ("End",), self.finish),
        ):
            button = QtWidgets.QToolButton()
            button.setText(text)
            button.setIcon(self.style().standardIcon(icon))
            button.setToolButtonStyle(QtCore.Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            button.setObjectName(f"graph_{name}")
            button.setToolTip(f"{tip} ({' or '.join(keys)})")
            button.clicked.connect(slot)
            bar.addWidget(button)
            self.buttons[name] = button
            for key in keys:
                shortcut = QtGui.QShortcut(QtGui.QKeySequence(key), self)
                shortcut.setContext(QtCore.Qt.ShortcutContext.WidgetWithChildrenShortcut)
                shortcut.activated.connect(slot)
        self.speed = QtWidgets.QComboBox()
        for s in SPEEDS:
            self.speed.addItem(f"{s:g} steps/s", s)
        self.speed.setCurrentIndex(2)
        self.speed.setToolTip("Playing speed")
        self.speed.currentIndexChanged.connect(self._on_speed_changed)
        bar.addWidget(self.speed)
        bar.addSpacing(10)
        bar.addWidget(QtWidgets.QLabel("Paths from"))
        self.source_box = QtWidgets.QComboBox()
        self.source_box.setToolTip(
            "Highlight every path from this node to the output; the list gives the product of "
            "the partials along each path, and their sum is the node's adjoint (click a node too)"
        )
        self.source_box.activated.connect(self._on_source_chosen)
        bar.addWidget(self.source_box)
        figure = QtWidgets.QPushButton("Fig. 18.4.2")
        figure.setObjectName("graph_figure")
        figure.setToolTip("The chapter's network of Fig. 18.4.2: the 3 paths from y to f")
        figure.clicked.connect(self.show_figure)
        bar.addWidget(figure)
        bar.addStretch(1)
        fit = QtWidgets.QToolButton()
        fit.setText("Fit")
        fit.setToolTip("Show the whole graph (wheel zooms, drag pans)")
        fit.clicked.connect(self.view.fit)
        bar.addWidget(fit)
        export = QtWidgets.QToolButton()
        export.setText("Export")
        export.setPopupMode(QtWidgets.QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QtWidgets.QMenu(export)
        menu.addAction("As PNG…", lambda: self._ask_and_write("png"))
        menu.addAction("As SVG…", lambda: self._ask_and_write("svg"))
        export.setMenu(menu)
        bar.addWidget(export)

        self.step_line = QtWidgets.QLabel()
        self.step_line.setObjectName("graph_step_line")
        self.step_line.setWordWrap(True)
        self.step_line.setTextInteractionFlags(QtCore.Qt.TextInteractionFlag.TextSelectableByMouse)
        self.counts = QtWidgets.QLabel()
        self.counts.setObjectName("graph_counts")
        self.counts.setWordWrap(True)
        self.note = QtWidgets.QLabel()
        self.note.setStyleSheet("color: #a05000")
        self.note.setWordWrap(True)

        self.paths = QtWidgets.QListWidget()
        self.paths.setObjectName("graph_paths")
        self.paths.setWordWrap(True)
        self.paths_sum = QtWidgets.QLabel()
        self.paths_sum.setObjectName("graph_paths_sum")
        self.paths_sum.setWordWrap(True)
        paths_tab = QtWidgets.QWidget()
        paths_layout = QtWidgets.QVBoxLayout(paths_tab)
        paths_layout.setContentsMargins(2, 2, 2, 2)
        paths_layout.addWidget(self.paths_sum)
        paths_layout.addWidget(self.paths, 1)

        self.code = QtWidgets.QPlainTextEdit()
        self.code.setObjectName("graph_code")
        self.code.setReadOnly(True)
        self.code.setLineWrapMode(QtWidgets.QPlainTextEdit.LineWrapMode.NoWrap)
        self.code.setFont(QtGui.QFontDatabase.systemFont(QtGui.QFontDatabase.SystemFont.FixedFont))
        code_tab = QtWidgets.QWidget()
        code_layout = QtWidgets.QVBoxLayout(code_tab)
        code_layout.setContentsMargins(2, 2, 2, 2)
        code_layout.addWidget(self.code, 1)
        code_buttons = QtWidgets.QHBoxLayout()
        copy = QtWidgets.QPushButton("Copy")
        copy.clicked.connect(self.copy_code)
        save = QtWidgets.QPushButton("Save…")
        save.clicked.connect(lambda: self._ask_and_write("py"))
        code_buttons.addWidget(copy)
        code_buttons.addWidget(save)
        code_buttons.addStretch(1)
        code_layout.addLayout(code_buttons)

        self.tabs = QtWidgets.QTabWidget()
        self.tabs.addTab(paths_tab, "Paths")
        self.tabs.addTab(code_tab, "Code")
        split = QtWidgets.QSplitter()
        split.addWidget(self.view)
        split.addWidget(self.tabs)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        split.setSizes([1000, 250])

        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        layout.addLayout(bar)
        layout.addWidget(self.step_line)
        layout.addWidget(split, 1)
        layout.addWidget(self.note)
        layout.addWidget(self.counts)

        self.timer = QtCore.QTimer(self)
        self.timer.timeout.connect(self._on_tick)
        self._on_speed_changed()
        session.function_changed.connect(self._on_function_changed)
        session.point_changed.connect(self._on_point_changed)
        session.surface_changed.connect(self._on_point_changed)

    # following the session --------------------------------------------------------
    def _on_function_changed(self) -> None:
        self.model = None
        self._stale = True
        if self.isVisible():
            self.refresh()

    def _on_point_changed(self) -> None:
        if self.model is None or not self.isVisible():
            self._stale = True
            return
        self.model.set_point(self.session.point)
        self._show_state()

    def showEvent(self, event: QtGui.QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def refresh(self) -> None:
        """Bring the panel up to date with the session (a new layout only for a new
        function)."""
        self._stale = False
        if self.model is not None:
            self.model.set_point(self.session.point)
            self._show_state()
            return
        self.timer.stop()
        self.model = GraphModel(self.session.function, self.session.point)
        self.variable = None
        self.path_source = None
        self.scene.build(self.model)
        self.done = len(self.model.steps())
        self._fill_choices()
        source = self.session.function.source()
        self._source_lines = source.splitlines()
        self.code.setPlainText(source)
        self.note.setText(self.model.note)
        self.note.setVisible(bool(self.model.note))
        self.view.fit()
        self._show_state()

    def _fill_choices(self) -> None:
        m = self.model
        assert m is not None
        self.mode.clear()
        self.mode.addItem("Reverse mode (backpropagation)", None)
        for v in m.function.variables:
            self.mode.addItem(f"Forward mode: ∂·/∂{v}", v)
        self.source_box.clear()
        self.source_box.addItem("—", None)
        for i in sorted(m.nodes, key=lambda i: m.trace.nodes[i].kind != "input"):
            if i != m.output:
                self.source_box.addItem(m.names[i], i)

    # the steps ---------------------------------------------------------------------
    @property
    def steps(self) -> tuple[Step, ...]:
        return self.model.steps(self.variable) if self.model else ()

    def step(self) -> None:
        if self.model is not None and self.done < len(self.steps):
            self.done += 1
            self._show_state()
        if self.done >= len(self.steps):
            self._stop()

    def step_back(self) -> None:
        if self.done > 0:
            self.done -= 1
            self._show_state()

    def reset(self) -> None:
        self.done = 0
        self._show_state()

    def finish(self) -> None:
        self._stop()
        self.done = len(self.steps)
        self._show_state()

    def toggle_play(self) -> None:
        if self.timer.isActive():
            self._stop()
            return
        if self.done >= len(self.steps):
            self.done = 0
        self.timer.start()
        self._show_playing(True)

    def _stop(self) -> None:
        self.timer.stop()
        self._show_playing(False)

    def _show_playing(self, on: bool) -> None:
        icons = QtWidgets.QStyle.StandardPixmap
        button = self.buttons["play"]
        button.setText("Pause" if on else "Play")
        button.setIcon(self.style().standardIcon(icons.SP_MediaPause if on else icons.SP_MediaPlay))

    def _on_tick(self) -> None:
        self.step()

    def _on_speed_changed(self) -> None:
        self.timer.setInterval(int(1000 / self.speed.currentData()))

    def _on_mode_chosen(self, index: int) -> None:
        self.set_mode(self.mode.itemData(index))

    def set_mode(self, variable: str | None) -> None:
        """Reverse mode (None) or forward mode for one input; starts at step 0."""
        self._stop()
        self.variable = variable
        self.mode.setCurrentIndex(max(0, self.mode.findData(variable)))
        self.done = 0
        self._show_state()

    def _on_source_chosen(self, index: int) -> None:
        self.set_path_source(self.source_box.itemData(index))

    def _on_node_clicked(self, index) -> None:
        self.set_path_source(None if index == self.path_source else index)

    def set_path_source(self, node: int | None) -> None:
        self.path_source = node
        self.source_box.setCurrentIndex(max(0, self.source_box.findData(node)))
        self._show_state()
        if node is not None:
            self.tabs.setCurrentIndex(0)

    def show_figure(self) -> None:
        """The chapter's Fig. 18.4.2: its network and the paths from y."""
        self.session.load_preset(PATHS_PRESET)
        self.refresh()
        assert self.model is not None
        self.set_path_source(self.model.trace.inputs[self.model.function.variables.index("y")])

    # drawing the state ---------------------------------------------------------------
    def _show_state(self) -> None:
        m = self.model
        if m is None:
            return
        if not m.drawable:
            self.step_line.setText("")
            self._show_counts()
            return
        steps = self.steps
        self.done = min(self.done, len(steps))
        for i, text in m.node_texts(self.done, self.variable).items():
            self.scene.nodes[i].set_text(text)
        for edge, text in zip(self.scene.edges, m.edge_texts(self.done), strict=True):
            edge.label.set_text(text)
        active = steps[self.done - 1] if self.done else None
        self._highlight(active)
        self._show_step_line(active, len(steps))
        self._show_paths()
        self._show_counts()
        self._highlight_code(active)

    def _highlight(self, active: Step | None) -> None:
        m = self.model
        assert m is not None
        on_path = m.path_edges(self.path_source) if self.path_source is not None else set()
        path_nodes = {m.edges[k].source for k in on_path} | {m.edges[k].target for k in on_path}
        if self.path_source is not None:
            path_nodes.add(self.path_source)
        for i, item in self.scene.nodes.items():
            mode = "path" if i in path_nodes else None
            item.set_highlight("active" if active and active.node == i else mode)
        for k, (e, item) in enumerate(zip(m.edges, self.scene.edges, strict=True)):
            mode = "path" if k in on_path else None
            if active is not None:
                incoming = active.sweep != "backward" and e.target == active.node
                outgoing = active.sweep == "backward" and e.source == active.node
                if incoming or outgoing:
                    mode = "active"
            item.set_highlight(mode)

    def _show_step_line(self, active: Step | None, total: int) -> None:
        m = self.model
        assert m is not None
        if active is None:
            first = "forward mode" if self.variable else "forward sweep"
            self.step_line.setText(
                f"Step 0/{total}: nothing computed yet. Press ▶ (→) to start the {first}."
            )
            return
        where = SWEEP_NAMES[active.sweep]
        self.step_line.setText(
            f"Step {self.done}/{total} ({where}):  {m.step_text(active, self.variable)}"
        )

    def _show_paths(self) -> None:
        m = self.model
        assert m is not None
        if self.path_source is None:
            self.paths.clear()
            self.paths_sum.setText("Pick a node (click it, or choose it above) to list its paths.")
            return
        out, name = m.names[m.output], m.names[self.path_source]
        try:
            listed, count, total = m.paths(self.path_source)
        except ValueError as exc:
            self.paths.clear()
            self.paths_sum.setText(f"Too many paths from {name} to list ({exc}).")
            return
        adjoint = m.trace.nodes[self.path_source].adjoint
        texts = [p.text() for p in listed]
        if self.paths.count() == len(texts):  # a point move: new numbers, same rows
            for k, text in enumerate(texts):
                self.paths.item(k).setText(text)
        else:
            self.paths.clear()
            self.paths.addItems(texts)
        more = f" (the first {len(listed)} listed)" if count > len(listed) else ""
        self.paths_sum.setText(
            f"{count} path{'s' if count != 1 else ''} from {name} to {out}{more}.\n"
            f"Sum of the products: {fmt(total)}\n∂{out}/∂{name} = {fmt(adjoint)}"
        )

    def _show_counts(self) -> None:
        m = self.model
        assert m is not None
        n, per_sweep, _ = m.operation_counts()
        self.counts.setText(
            f"Whole gradient ({n} partial{'s' if n != 1 else ''}): forward mode needs {n} "
            f"sweep{'s' if n != 1 else ''} × {per_sweep} = {n * per_sweep} multiply-adds; "
            f"reverse mode one backward sweep × {per_sweep} = {per_sweep} (after the forward "
            "pass both need)."
        )

    def _highlight_code(self, active: Step | None) -> None:
        selections = []
        line = self._code_line(active)
        if line is not None:
            block = self.code.document().findBlockByNumber(line)
            selection = QtWidgets.QTextEdit.ExtraSelection()
            selection.format.setBackground(QtGui.QColor(255, 228, 190))
            selection.format.setProperty(QtGui.QTextFormat.Property.FullWidthSelection, True)
            selection.cursor = QtGui.QTextCursor(block)
            selections.append(selection)
            self.code.setTextCursor(QtGui.QTextCursor(block))
            self.code.ensureCursorVisible()
        self.code.setExtraSelections(selections)

    def _code_line(self, active: Step | None) -> int | None:
        """The line of `source()` that computes the active step, where it has one."""
        m = self.model
        if active is None or m is None:
            return None
        name = m.names[active.node]
        if active.sweep == "backward":
            name = f"d{m.names[m.output]}_d{name}"
        elif m.trace.nodes[active.node].kind == "input":
            return None
        for k, text in enumerate(self._source_lines):
            if text.strip().startswith(f"{name} = "):
                return k
        return None

    # output ------------------------------------------------------------------------
    def copy_code(self) -> None:
        QtWidgets.QApplication.clipboard().setText(self.code.toPlainText())

    def render_image(self, size: tuple[int, int] | None = None) -> QtGui.QImage:
        return pictures.render_image(self.scene, self.note.text(), size)

    def write_png(self, path: str) -> None:
        if not self.render_image().save(path, "PNG"):
            raise OSError(f"cannot write {path}")

    def write_svg(self, path: str) -> None:
        title = f"Computational graph of {self.session.function.output_name}"
        pictures.write_svg(self.scene, self.note.text(), path, title)

    def write_code(self, path: str) -> None:
        Path(path).write_text(self.session.function.source())

    def _ask_and_write(self, kind: str) -> None:
        titles = {
            "png": ("Export graph as PNG", "graph.png", "PNG images (*.png)", self.write_png),
            "svg": ("Export graph as SVG", "graph.svg", "SVG images (*.svg)", self.write_svg),
            "py": ("Save the code", "function.py", "Python (*.py)", self.write_code),
        }
        title, suggested, kinds, write = titles[kind]
        path, _ = QtWidgets.QFileDialog.getSaveFileName(self, title, suggested, kinds)
        if not path:
            return
        try:
            write(path)
        except OSError as exc:
            self.note.setText(f"Could not write {path}: {exc.strerror or exc}")
            self.note.setVisible(True)
