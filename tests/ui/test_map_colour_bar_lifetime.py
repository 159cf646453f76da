"""The colour bar's two orientations come and go from the plot's layout; Python's
garbage collector running in between (and after the window closed) must never
free an item the scene still draws."""

import gc

from .conftest import settle


def test_colour_bar_survives_switching_and_garbage_collection(window, qtbot):
    s, view = window.session, window.map_view
    scene = view.scene()
    adapter = view.adapters["colorbar"]
    s.set_overlay("colorbar", True)
    total = sum(window.splitter.sizes())
    texts = ("sin(x)*cos(y)", "x*exp(-x^2-y^2)")
    for k in range(6):
        # a narrow map is tall (bar below it), a wide one is wide (bar beside it)
        share = 0.15 if k % 2 else 0.85
        window.splitter.setSizes([int(total * (1 - share)), int(total * share)])
        if k % 3 == 2:
            s.set_text(texts[k // 3])
            s.set_overlay("colorbar", False)
            gc.collect()
            s.set_overlay("colorbar", True)
        settle(qtbot, 1)
        gc.collect()
        view.repaint()
        assert adapter.placed is not None and adapter.placed.isVisible()
        assert adapter.placed.horizontal == (view.height() > view.width())
        # the bar not placed is in no scene: nothing there points at it once it is freed
        for bar in adapter.bars.values():
            assert (bar.scene() is scene) == (bar is adapter.placed)
    assert len(adapter.bars) == 2  # both orientations were placed and taken out
    window.setWindowModified(False)  # no "save the changes?" question
    window.close()
    del bar, adapter
    gc.collect()
    settle(qtbot)
