"""The descent panel: choose an optimizer, tune it, and race up to eight runs.

The parameter widgets are generated from the optimizer registry; runs live in
the session layer (`explorer.session.runs.Runs`) and this panel only asks it
to change. Run/Pause animates on a QTimer (1–1,000 steps per second); a
refused start or parameter is shown in the panel and nothing else changes.
"""

from __future__ import annotations

import math
import time

from PyQt6 import QtCore, QtGui, QtWidgets
from superqt.utils import thread_worker

from explorer.calculus import METHODS, RUN_PARAMS, SCHEDULES
from explorer.calculus.basins import Basins
from explorer.files import write_atomic
from explorer.session.runs import Runs

from .qt_loss_plot import QLossPlot
from .qt_param_editor import QParamForm

FRAME_MS = 30  # the animation's tick; faster speeds take several steps per tick
PROGRESS_S = 0.03  # the basin worker's progress reports, and so its cancel checks
COLUMNS = ("method", "steps", "f", "|∇f|", "stopped", "parameters")


class DescentPanel(QtWidgets.QWidget):
    def __init__(self, runs: Runs, parent=None) -> None:
        super().__init__(parent)
        self.runs = runs
        self.timer = QtCore.QTimer(self)
        self.timer.setInterval(FRAME_MS)
        self.timer.timeout.connect(self._on_tick)
        self._carry = 0.0  # fractional steps owed at slow speeds
        self._shown_at = 0.0  # when the table last showed the runs

        self.method = QtWidgets.QComboBox()
        self.method.setObjectName("descent_method")
        for name, m in METHODS.items():
            self.method.addItem(m.label, name)
            self.method.setItemData(
                self.method.count() - 1, m.rule, QtCore.Qt.ItemDataRole.ToolTipRole
            )
        self.rule = QtWidgets.QLabel()
        self.rule.setWordWrap(True)
        self.method_params = QParamForm()
        self.run_params = QParamForm()
        self.run_params.build(RUN_PARAMS, runs.params)
        self.schedule = QtWidgets.QComboBox()
        self.schedule.setObjectName("descent_schedule")
        for key, (label, _) in SCHEDULES.items():
            self.schedule.addItem(label, key)
        self.run_params.form.addRow("lr schedule", self.schedule)
        self.start = QtWidgets.QLabel()
        self.start.setToolTip("Ctrl+click on the map or the surface to place the start")

        self.step_button = QtWidgets.QPushButton("Step")
        self.step_button.setToolTip("One step of every run (Space)")
        self.play = QtWidgets.QPushButton("Run")
        self.play.setCheckable(True)
        self.play.setToolTip("Animate every run; press again to pause")
        self.reset_button = QtWidgets.QPushButton("Reset")
        self.add_button = QtWidgets.QPushButton("Add run")
        self.add_button.setToolTip("Start a new run here with these settings (up to 8)")
        self.remove_button = QtWidgets.QPushButton("Remove")
        self.clear_button = QtWidgets.QPushButton("Clear")
        self.csv_button = QtWidgets.QPushButton("CSV…")
        self.csv_button.setToolTip("Export the selected run's trajectory as CSV")
        for b in (self.step_button, self.play, self.reset_button, self.add_button):
            b.setObjectName(f"descent_{b.text().lower().replace(' ', '_')}")
        self.speed = QtWidgets.QSpinBox()
        self.speed.setObjectName("descent_speed")
        self.speed.setRange(1, 1000)
        self.speed.setValue(50)
        self.speed.setSuffix(" steps/s")

        self.table = QtWidgets.QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("descent_runs")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QtWidgets.QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QtWidgets.QHeaderView.ResizeMode.ResizeToContents)
        self.table.setHorizontalScrollBarPolicy(QtCore.Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.table.setMinimumHeight(120)

        self.inspector = QtWidgets.QLabel()
        self.inspector.setObjectName("descent_inspector")
        self.inspector.setTextInteractionFlags(QtCore.Qt.TextInteractionFlag.TextSelectableByMouse)
        self.rate_button = QtWidgets.QPushButton("η = 1/λ_max")
        self.rate_button.setObjectName("descent_rate")
        self.rate_button.setToolTip("Set the learning rate to 1/λ_max of the Hessian here")
        self.message = QtWidgets.QLabel()
        self.message.setObjectName("descent_message")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b00020;")
        self.loss = QLossPlot(runs)
        self.basins_size = QtWidgets.QComboBox()
        self.basins_size.setObjectName("basins_size")
        for n in (51, 101, 151, 201):
            self.basins_size.addItem(f"{n} × {n}", n)
        self.basins_size.setCurrentIndex(2)
        self.basins_button = QtWidgets.QPushButton("Compute basins")
        self.basins_button.setObjectName("basins_compute")
        self.basins_button.setToolTip(
            "Colour the map by the point this method reaches from each grid point"
        )
        self.basins_cancel = QtWidgets.QPushButton("Cancel")
        self.basins_cancel.setEnabled(False)
        self.basins_hide = QtWidgets.QPushButton("Hide")
        self.basins_progress = QtWidgets.QProgressBar()
        self.basins_progress.setRange(0, 1000)
        self.basins_progress.setTextVisible(False)
        self.worker = None  # the running basins worker, if any

        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(self.method)
        layout.addWidget(self.rule)
        layout.addWidget(self.method_params)
        more = QtWidgets.QGroupBox("Run settings")
        more_layout = QtWidgets.QVBoxLayout(more)
        more_layout.addWidget(self.run_params)
        layout.addWidget(more)
        layout.addWidget(self.start)
        buttons = QtWidgets.QGridLayout()
        for i, w in enumerate((self.step_button, self.play, self.add_button, self.reset_button)):
            buttons.addWidget(w, i // 2, i % 2)
        speed = QtWidgets.QFormLayout()
        speed.addRow("speed", self.speed)
        layout.addLayout(speed)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        layout.addWidget(self.table)
        row = QtWidgets.QHBoxLayout()
        row.addWidget(self.remove_button)
        row.addWidget(self.clear_button)
        row.addWidget(self.csv_button)
        layout.addLayout(row)
        layout.addWidget(self.loss)
        basins = QtWidgets.QGroupBox("Basins of attraction")
        grid = QtWidgets.QGridLayout(basins)
        grid.addWidget(self.basins_size, 0, 0)
        grid.addWidget(self.basins_button, 0, 1)
        grid.addWidget(self.basins_progress, 1, 0, 1, 2)
        grid.addWidget(self.basins_cancel, 2, 0)
        grid.addWidget(self.basins_hide, 2, 1)
        layout.addWidget(basins)
        inspect = QtWidgets.QGroupBox("Step inspector")
        inspect_layout = QtWidgets.QVBoxLayout(inspect)
        inspect_layout.addWidget(self.inspector)
        inspect_layout.addWidget(self.rate_button)
        layout.addWidget(inspect)

        self.method.currentIndexChanged.connect(self._on_method_chosen)
        self.method_params.edited.connect(self._on_param_edited)
        self.run_params.edited.connect(self._on_param_edited)
        self.schedule.currentIndexChanged.connect(
            lambda _: self._on_param_edited("schedule", self.schedule.currentData())
        )
        self.step_button.clicked.connect(self.step)
        self.play.toggled.connect(self.set_playing)
        self.reset_button.clicked.connect(self._on_reset)
        self.add_button.clicked.connect(self._on_add)
        self.remove_button.clicked.connect(lambda: runs.remove(runs.selected))
        self.clear_button.clicked.connect(self._on_clear)
        self.csv_button.clicked.connect(self._on_export_csv)
        self.table.itemSelectionChanged.connect(self._on_row_selected)
        self.rate_button.clicked.connect(runs.set_rate_from_curvature)
        self.basins_button.clicked.connect(self.compute_basins)
        self.basins_cancel.clicked.connect(self.cancel_basins)
        self.basins_hide.clicked.connect(lambda: runs.set_basins(None))
        self.speed.valueChanged.connect(lambda _: setattr(self, "_carry", 0.0))
        runs.changed.connect(self._on_runs_changed)
        runs.stepped.connect(self._on_runs_stepped)
        runs.settings_changed.connect(self._on_settings_changed)
        runs.message.connect(self.message.setText)
        runs.session.point_changed.connect(self._on_start_changed)

        # Space steps where the runs are seen (this panel, the views: `bind_space`),
        # not window-wide: the graph panel's own Space plays its sweeps.
        step = QtGui.QAction("&Step\tSpace", self)
        step.setStatusTip("One step of every run")
        step.triggered.connect(self.step)
        self._menu_actions = [step]
        self.bind_space(self)
        for text, shortcut, slot, tip in (
            ("&Run / pause", "Ctrl+Space", self.play.toggle, "Animate the runs, or pause them"),
            ("&Add run", "Ctrl+Shift+A", self._on_add, "A new run with these settings"),
            ("R&eset runs", "Ctrl+Shift+R", self._on_reset, "Every run back to its start"),
            ("&Clear runs", "Ctrl+Shift+Del", self._on_clear, "Remove every run"),
        ):
            action = QtGui.QAction(text, self)
            action.setShortcut(QtGui.QKeySequence(shortcut))
            action.setShortcutContext(QtCore.Qt.ShortcutContext.WindowShortcut)
            action.setStatusTip(tip)
            action.triggered.connect(slot)
            self.addAction(action)
            self._menu_actions.append(action)
        self._on_settings_changed()
        self._on_runs_changed()

    def bind_space(self, widget: QtWidgets.QWidget) -> None:
        """Space steps the runs while the focus is in `widget` (or its children)."""
        space = QtGui.QShortcut(QtGui.QKeySequence("Space"), widget)
        space.setContext(QtCore.Qt.ShortcutContext.WidgetWithChildrenShortcut)
        space.activated.connect(self.step)

    def menu_actions(self) -> list[QtGui.QAction]:
        """The Descent menu: step, run/pause, add, reset, clear (with their shortcuts)."""
        return list(self._menu_actions)

    # asking the model --------------------------------------------------------------
    def _on_method_chosen(self, index: int) -> None:
        self.runs.set_method(self.method.itemData(index))

    def _on_param_edited(self, name: str, value) -> None:
        if self.runs.set_param(name, value) is None:
            self.message.clear()

    def step(self) -> None:
        self.message.clear()
        self.runs.step(1)

    def set_playing(self, on: bool) -> None:
        """Start or pause the animation (pausing never stops a run)."""
        if on and not self.runs.entries and self.runs.add() is not None:
            on = False
        with QtCore.QSignalBlocker(self.play):
            self.play.setChecked(on)
        self.play.setText("Pause" if on else "Run")
        self._carry = 0.0
        self.timer.start() if on else self.timer.stop()
        if not on:
            self._on_runs_stepped()  # the numbers where the runs paused

    def _on_tick(self) -> None:
        if not self.runs.entries:  # gone with their function (or File → New): nothing to play
            self.set_playing(False)
            return
        self._carry += self.speed.value() * FRAME_MS / 1000
        n = int(self._carry)
        if n:
            self._carry -= n
            self.runs.step(n)
        if not self.runs.active:
            self.set_playing(False)

    def _on_reset(self) -> None:
        self.set_playing(False)
        self.runs.reset()

    def _on_add(self) -> None:
        if self.runs.add() is None:
            self.message.clear()

    def _on_clear(self) -> None:
        self.set_playing(False)
        self.runs.clear()

    def _on_export_csv(self) -> None:
        if not 0 <= self.runs.selected < len(self.runs.entries):
            self.message.setText("Add a run first: there is no trajectory to export.")
            return
        path, _ = QtWidgets.QFileDialog.getSaveFileName(
            self, "Export trajectory", "trajectory.csv", "CSV files (*.csv)"
        )
        if path:
            self.export_csv(path)

    def export_csv(self, path: str) -> bool:
        """Write the selected run's trajectory to `path`; False (and a message) on failure."""
        try:
            write_atomic(path, self.runs.entries[self.runs.selected].run.to_csv())
        except OSError as exc:
            self.message.setText(f"cannot write {path}: {exc.strerror or exc}")
            return False
        self.message.clear()
        return True

    def _on_row_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            self.runs.select(rows[0].row())

    # basins, in a worker thread ------------------------------------------------------
    def compute_basins(self) -> None:
        """Start the basin map of the current method (progress shown, cancellable)."""
        self.cancel_basins()
        job = self.runs.basins_job(int(self.basins_size.currentData()))

        def work():
            # Progress at most every PROGRESS_S: a signal per step would flood
            # the GUI thread (thousands a second); cancel is checked at each.
            shown = 0.0
            for item in job:
                if isinstance(item, Basins):
                    return item
                if time.monotonic() - shown >= PROGRESS_S:
                    shown = time.monotonic()
                    yield item
            return None

        worker = thread_worker(work, start_thread=False)()
        worker.yielded.connect(lambda done: self.basins_progress.setValue(int(1000 * done)))
        worker.returned.connect(self.runs.set_basins)
        worker.errored.connect(lambda exc: self.message.setText(f"basins failed: {exc}"))
        worker.finished.connect(self._on_basins_finished)
        self.worker = worker
        self.basins_button.setEnabled(False)
        self.basins_cancel.setEnabled(True)
        self.basins_progress.setValue(0)
        worker.start()

    def cancel_basins(self) -> None:
        """Stop a running basin computation between two of its steps."""
        if self.worker is not None:
            self.worker.quit()

    def _on_basins_finished(self) -> None:
        self.worker = None
        self.basins_button.setEnabled(True)
        self.basins_cancel.setEnabled(False)
        self.basins_progress.setValue(0)

    # showing the model -------------------------------------------------------------
    def _on_settings_changed(self) -> None:
        r = self.runs
        with QtCore.QSignalBlocker(self.method):
            self.method.setCurrentIndex(self.method.findData(r.method))
        m = METHODS[r.method]
        self.rule.setText(m.rule)
        if list(self.method_params.rows) != [p.name for p in m.params]:
            self.method_params.build(m.params, r.params)
        self.method_params.show_values(r.params)
        self.run_params.show_values(r.params)
        with QtCore.QSignalBlocker(self.schedule):
            self.schedule.setCurrentIndex(self.schedule.findData(r.params["schedule"]))
        self._on_start_changed()

    def _on_start_changed(self) -> None:
        placed = "placed" if self.runs.placed_start is not None else "the selected point"
        coords = ", ".join(f"{c:.4g}" for c in self.runs.start)
        self.start.setText(f"start: ({coords}) — {placed}")

    def _on_runs_changed(self) -> None:
        entries = self.runs.entries
        with QtCore.QSignalBlocker(self.table):
            self.table.setRowCount(len(entries))
            for i, e in enumerate(entries):
                swatch = QtGui.QPixmap(12, 12)
                swatch.fill(QtGui.QColor(*e.color))
                item = QtWidgets.QTableWidgetItem(QtGui.QIcon(swatch), e.method)
                item.setToolTip(METHODS[e.method].label)
                self.table.setItem(i, 0, item)
                self.table.setItem(i, 5, QtWidgets.QTableWidgetItem(e.label))
            if 0 <= self.runs.selected < len(entries):
                self.table.selectRow(self.runs.selected)
        self._on_runs_stepped()

    def _on_runs_stepped(self) -> None:
        # While animating, the table and the inspector follow at most 10 times a
        # second: their text changes re-lay out the window, which costs more
        # than the steps. A pause shows the final numbers.
        now = time.monotonic()
        if self.timer.isActive() and now - self._shown_at < 0.1:
            return
        self._shown_at = now
        for i, e in enumerate(self.runs.entries):
            run = e.run
            cells = (
                str(run.steps),
                f"{run.values[-1]:.6g}",
                f"{run.grad_norms[-1]:.3g}",
                self.runs.reason_text(e),
            )
            for j, text in enumerate(cells, start=1):
                item = self.table.item(i, j)
                if item is None:
                    self.table.setItem(i, j, QtWidgets.QTableWidgetItem(text))
                else:
                    item.setText(text)
        self._show_inspector()

    def _show_inspector(self) -> None:
        report = self.runs.inspect()
        if report is None:
            self.inspector.setText("Add a run to inspect its next step.")
            return
        limit = report.stability_limit
        stable = "stable" if report.lr < limit else "unstable: past 2/λ_max"
        cond = report.condition
        run = self.runs.entries[self.runs.selected].run
        extra = ""
        rates = run.rates()
        if rates is not None:
            extra += f"\nrate per coordinate now: ({', '.join(f'{r:.3g}' for r in rates)})"
        if "v" in run.method.state and run.steps:
            extra += f"\nvelocity v: ({', '.join(f'{c:.3g}' for c in run.state('v'))})"
        self.inspector.setText(
            f"a gradient step of η = {report.lr:.4g} from here:\n"
            f"predicted decrease, first order η|∇f|²: {report.first_order:.4g}\n"
            f"predicted decrease, quadratic model: {report.quadratic:.4g}\n"
            f"actual decrease: {report.actual:.4g}\n"
            f"2/λ_max = {limit:.4g} ({stable})\n"
            f"condition λ_max/λ_min = {'—' if math.isnan(cond) else f'{cond:.4g}'}" + extra
        )
