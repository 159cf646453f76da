"""The 3D view drawn before the window was ever shown (an export or a window
picture taken first): drawn off screen, not an empty image."""

from PyQt6 import QtGui

from explorer.ui import style
from explorer.ui.app import make_app

from .conftest import add_window, gl_pixels, near, pixels, settle
from .test_surface_window import colourful, view_box


def test_the_3d_view_is_drawn_before_the_window_was_shown(qapp, qtbot, tmp_path):
    make_app([])
    from explorer.ui.main_window import MainWindow

    window = MainWindow(settings=None)
    add_window(qtbot, window)
    window.resize(1400, 860)
    view = window.surface_view
    assert not view.isValid()  # no frame yet: the view has never been on screen
    path = tmp_path / "surface.png"
    assert window.export_png("surface", str(path))
    img = pixels(QtGui.QImage(str(path)))
    h, w, _ = img.shape
    assert (w, h) == (view.container.width(), view.container.height())
    assert colourful(img) > 0.05 * w * h  # the surface
    assert near(img, style.COLORMAP.map(1.0, mode="byte"), 40) > 50  # its top, in yellow
    # the window's picture draws it in where it sits
    whole = pixels(window.grab_window())
    rows, cols = view_box(window)
    assert colourful(whole[rows, cols]) > 0.05 * (rows.stop - rows.start) * (cols.stop - cols.start)
    assert not window.isVisible()  # nothing was shown to take the pictures
    # shown afterwards, its own frames draw as usual
    window.show()
    qtbot.waitExposed(window)
    settle(qtbot, 60)
    drawn = gl_pixels(view, qtbot)
    assert colourful(drawn) > 0.05 * drawn.shape[0] * drawn.shape[1]
    window.setWindowModified(False)
    window.close()
