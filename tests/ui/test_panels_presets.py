"""Presets turn on what their notes speak of; the groups say what each preset is;
the z-range fields hold any magnitude."""

import numpy as np
import pytest
from PyQt6 import QtCore, QtWidgets

from explorer.session import presets
from explorer.session.model import Session
from explorer.session.overlays import OVERLAYS

from .conftest import type_into, widget_pixels

BOWL = "Steepest descent on a bowl (18.4.2)"
QUARTIC = "Quartic 3x⁴ − 4x³ − 12x² (18.4.3)"
QUADRATIC = "x·e^(−x²−y²) and its quadratic (18.4.6)"
CHAIN = "Chain of Fig. 18.4.1 (18.4.4–5)"


@pytest.mark.parametrize(
    ("name", "overlay"), [(BOWL, "descent"), (QUARTIC, "critical"), (QUADRATIC, "quadratic")]
)
def test_a_chapter_preset_turns_on_what_its_note_describes(qapp, name, overlay):
    s = Session()
    s.load_preset(presets.find("Booth"))
    assert not s.overlays[overlay]  # off by default
    s.load_preset(presets.find(name))
    assert s.overlays[overlay]
    s.load_preset(presets.find("Booth"))  # what the preset turned on goes with it
    assert s.overlays[overlay] == OVERLAYS[overlay].default


def test_the_users_own_overlays_survive_a_preset(qapp):
    s = Session()
    s.set_overlay("field", True)
    s.set_overlay("descent", True)  # before the bowl turns it on: the user's choice
    for name in (BOWL, "Himmelblau", QUARTIC, "Booth"):
        s.load_preset(presets.find(name))
        assert s.overlays["field"] and s.overlays["descent"]


def test_every_preset_names_real_overlays():
    for p in presets.PRESETS:
        assert set(p.overlays) <= set(OVERLAYS), p.name
        assert p.group in presets.GROUPS


def test_the_saddles_are_not_optimization_test_functions():
    for name in ("Saddle x² − y²", "Monkey saddle x³ − 3xy²"):
        group = presets.find(name).group
        assert group != "Optimization test functions" and "addle" in group


def test_the_preset_box_shows_the_saddles_under_their_own_heading(window):
    box = window.function_panel.presets
    texts = [box.itemText(i).strip() for i in range(box.count())]
    heading = texts.index("Saddle points")
    assert texts[heading + 1 : heading + 3] == ["Saddle x² − y²", "Monkey saddle x³ − 3xy²"]
    assert texts.index("Optimization test functions") > heading + 2


def choose(window, name):
    box = window.function_panel.presets
    index = box.findData(name, QtCore.Qt.ItemDataRole.UserRole)
    box.setCurrentIndex(index)
    box.activated.emit(index)


def test_presets_overlays_reach_the_menus(window, qtbot):
    choose(window, BOWL)
    assert window.actions_by_name["descent"].isChecked()
    choose(window, "Booth")
    assert not window.actions_by_name["descent"].isChecked()


def test_zrange_fields_hold_any_magnitude_and_unticking_automatic_cuts_nothing(window, qtbot):
    panel = window.function_panel
    s = window.session
    choose(window, CHAIN)
    lo, hi = s.zrange()
    assert hi > 2e6  # the chain's values reach 2.03e6
    assert panel.z_hi.text() == "2.03362e+06" and panel.z_hi.value() == hi
    clipped = s.clipped()
    panel.z_auto.setChecked(False)  # starts from the automatic range, exactly
    assert s.zrange_fixed == (lo, hi)
    assert s.clipped() == clipped
    type_into(qtbot, panel.z_lo, "1e-6")
    assert s.zrange_fixed == (1e-6, hi)
    assert panel.z_lo.text() == "1e-06"
    type_into(qtbot, panel.z_hi, "3.5e7")
    assert s.zrange_fixed == (1e-6, 3.5e7)
    type_into(qtbot, panel.z_hi, "lots")  # not a number: put back, nothing changes
    assert panel.z_hi.text() == "3.5e+07" and s.zrange_fixed == (1e-6, 3.5e7)
    np.testing.assert_allclose(s.zrange(), (1e-6, 3.5e7))


def test_a_long_preset_name_keeps_its_section_number_in_a_narrow_dock(window, qtbot):
    box = window.function_panel.presets
    name = "Quadratic form xᵀAx, A = [[1,2],[3,4]] (18.4.7)"
    choose(window, name)
    box.resize(240, box.height())
    shown = box.shown_text()
    assert "…" in shown and shown.startswith("Quadratic") and shown.endswith("(18.4.7)")
    assert box.fontMetrics().horizontalAdvance(shown) < 240 - 20  # leaves room for the arrow
    # what is painted is that text: the same as a plain box holding only it
    plain = QtWidgets.QComboBox()
    plain.addItem(shown)
    plain.resize(box.size())
    assert np.array_equal(widget_pixels(box), widget_pixels(plain))
    box.resize(900, box.height())
    assert box.shown_text() == name  # nothing elided when it fits, no indent
    choose(window, "Booth")
    box.resize(240, box.height())
    assert box.shown_text() == "Booth"
