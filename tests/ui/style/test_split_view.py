"""The before / after view: fitted, at 100 % one image pixel per screen pixel, panned, the divider usable."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QImage, QWheelEvent

from ganstudio.ui.style.split_view import SplitView


def _shot(view: SplitView) -> np.ndarray:
    """What the widget shows, as (H, W, 3) uint8."""
    img = view.grab().toImage().convertToFormat(QImage.Format.Format_RGB888)
    raw = np.frombuffer(img.constBits(), np.uint8, img.bytesPerLine() * img.height())
    return raw.reshape(img.height(), img.bytesPerLine())[:, : img.width() * 3].reshape(img.height(), img.width(), 3)


@pytest.fixture
def view(qtbot):
    v = SplitView()
    qtbot.addWidget(v)
    v.resize(320, 240)
    v.show()
    qtbot.waitExposed(v)
    return v


def _noise(h: int, w: int, seed: int) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, 256, (h, w, 3), dtype=np.uint8)


def test_100_percent_shows_the_image_pixels_one_to_one(view):
    before, after = _noise(600, 800, 1), _noise(600, 800, 2)
    view.set_images(before, after)
    assert view.zoom is None and view.picture_rect().width() == 320  # fitted: 800 px in 320
    view.toggle_one_to_one()
    assert view.zoom == 1.0
    shot = _shot(view)
    # the widget's centre shows the picture's centre (400, 300); the divider is at x = 160
    left, top = 400 - 160, 300 - 120
    assert (shot[40:200, 20:140] == before[top + 40:top + 200, left + 20:left + 140]).all()
    assert (shot[40:200, 180:300] == after[top + 40:top + 200, left + 180:left + 300]).all()
    view.toggle_one_to_one()
    assert view.zoom is None


def test_dragging_pans_a_zoomed_picture_and_the_divider_stays_usable(view, qtbot):
    before = after = _noise(600, 800, 3)
    view.set_images(before, after)
    view.set_zoom(1.0)
    qtbot.mousePress(view, Qt.MouseButton.LeftButton, pos=QPoint(60, 100))  # away from the divider: pan
    qtbot.mouseMove(view, QPoint(10, 70))
    qtbot.mouseRelease(view, Qt.MouseButton.LeftButton, pos=QPoint(10, 70))
    assert (view.centre.x(), view.centre.y()) == (450, 330)  # the picture moved 50 left and 30 up
    shot = _shot(view)
    left, top = 450 - 160, 330 - 120
    assert (shot[40:200, 20:140] == before[top + 40:top + 200, left + 20:left + 140]).all()
    assert view.split == 0.5
    qtbot.mousePress(view, Qt.MouseButton.LeftButton, pos=QPoint(162, 100))  # on the divider: it moves
    qtbot.mouseMove(view, QPoint(240, 100))
    qtbot.mouseRelease(view, Qt.MouseButton.LeftButton, pos=QPoint(240, 100))
    assert view.split == pytest.approx(0.75) and view.centre.x() == 450
    for _ in range(20):  # far past the edge: the picture stops at its edge
        view.pan(-100, 0)
    assert view.centre.x() == 800 - 160


def test_the_wheel_and_keys_zoom_about_the_cursor_and_fit_again(view, qtbot):
    view.set_images(_noise(600, 800, 4), _noise(600, 800, 5))
    at = QPointF(100, 60)
    under = view.to_picture(at)
    event = QWheelEvent(at, view.mapToGlobal(at), QPoint(), QPoint(0, 120), Qt.MouseButton.NoButton,
                        Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
    view.wheelEvent(event)
    assert view.zoom == pytest.approx(0.4 * 1.25)
    assert view.to_picture(at).x() == pytest.approx(under.x(), abs=1) and view.to_picture(at).y() == pytest.approx(
        under.y(), abs=1)
    qtbot.keyClick(view, Qt.Key.Key_1)
    assert view.zoom == 1.0
    qtbot.keyClick(view, Qt.Key.Key_Plus)
    assert view.zoom == pytest.approx(1.25)
    qtbot.keyClick(view, Qt.Key.Key_0)
    assert view.zoom is None
    qtbot.keyClick(view, Qt.Key.Key_Minus)  # smaller than fitted is fitted
    assert view.zoom is None


def test_the_page_button_switches_between_fit_and_100_percent(qtbot):
    from ganstudio.ui.style.panels import ResultPanel

    panel = ResultPanel()
    qtbot.addWidget(panel)
    panel.resize(600, 500)
    panel.show()
    panel.view.set_images(_noise(600, 800, 6), _noise(600, 800, 7))
    assert panel.zoom_btn.text() == "100 %"
    panel.zoom_btn.click()
    assert panel.view.zoom == 1.0 and panel.zoom_btn.text() == "Fit"
    panel.zoom_btn.click()
    assert panel.view.zoom is None and panel.zoom_btn.text() == "100 %"
