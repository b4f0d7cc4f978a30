"""Latent Walk's "Find a photo…" with a tiny StyleGAN: crop, run, live preview and loss plot, pause and
stop, the keyframe pinned, its use as a mixing base, a walk from it to seeds, and dropped files."""

from __future__ import annotations

import numpy as np
from PIL import Image
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent

from ganstudio.modelfiles.library import ModelEntry
from ganstudio.projection.photo import Crop
from ganstudio.ui.walk.page import WalkPage
from tests.projection.models import write_projection_model
from tests.ui.walk.pages import open_walk_page


def photo(path, w=48, h=40, seed=0):
    rng = np.random.default_rng(seed)
    Image.fromarray(rng.integers(0, 256, (4, 4, 3), dtype=np.uint8)).resize((w, h), Image.Resampling.BICUBIC).save(path)
    return path


def make_page(qtbot, tmp_path) -> WalkPage:
    model = write_projection_model(tmp_path / "sg.pt")
    return open_walk_page(qtbot, tmp_path, model, [ModelEntry("sg", "Tiny style", model, "run", "gan")], (1200, 900))


def drop(page: WalkPage, path) -> bool:
    """Drag a file over the page and drop it, as Qt hands the events to the page's filter (Qt will not
    deliver a drop sent by hand, without a drag in progress)."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    enter = QDragEnterEvent(QPointF(50, 50), Qt.DropAction.CopyAction, mime, Qt.MouseButton.NoButton,
                            Qt.KeyboardModifier.NoModifier)
    if not page.photo_finder.eventFilter(page, enter):
        return False
    assert enter.isAccepted()
    event = QDropEvent(QPointF(50, 50), Qt.DropAction.CopyAction, mime, Qt.MouseButton.NoButton,
                       Qt.KeyboardModifier.NoModifier)
    return page.photo_finder.eventFilter(page, event)


def test_find_a_photo_pin_it_mix_it_and_walk_from_it(qtbot, tmp_path):
    page = make_page(qtbot, tmp_path)
    try:
        dialog = page.photo_finder.open(photo(tmp_path / "me.png"))
        assert dialog is not None and dialog.isVisible()
        assert dialog.crop_view.crop() == Crop(4, 0, 40)  # the centre square
        dialog.crop_view.set_crop(Crop(100, 0, 36))  # dragged past the edge: kept inside the photo
        assert dialog.crop_view.crop() == Crop(12, 0, 36)
        dialog.steps.setValue(8)
        dialog.restarts.setValue(2)
        assert dialog.start() and not dialog.start_button.isEnabled()
        qtbot.waitUntil(lambda: dialog.found is not None, timeout=60_000)
        assert dialog.plot.steps[-1] == dialog.found.steps and dialog.preview.pixmap() is not None
        key = page.keyframes()[-1]
        assert key.photo == "me.png" and key.styles is not None and "PSNR" in dialog.status.text()
        assert dialog.start_button.isEnabled()
        dialog.close()

        page.style_panel.base_source.setCurrentIndex(1)  # the photo as the mixing base
        qtbot.waitUntil(lambda: page.session.mix_image is not None and np.abs(
            page.session.mix_image.astype(int) - dialog.found.image).max() <= 2, timeout=10_000)

        for i in (3, 7):
            page.seeds.grid.select(i)
            page.pin_selected()
        assert page.frame_count() == 72
        first = page.session.renderer.render([0])[0]
        assert np.abs(first.astype(int) - dialog.found.image).max() <= 2  # the walk starts on the photo
        qtbot.waitUntil(lambda: page.session.thumb(key) is not None, timeout=10_000)
    finally:
        page.shutdown()


def test_pause_and_stop_keep_the_best_so_far_and_drops_open_the_dialog(qtbot, tmp_path):
    page = make_page(qtbot, tmp_path)
    try:
        assert page.acceptDrops()
        assert drop(page, photo(tmp_path / "dropped.png", seed=1))
        dialog = page.photo_finder.dialog
        assert dialog is not None and dialog.path.name == "dropped.png"
        dialog.steps.setValue(2000)
        dialog.start()
        qtbot.waitUntil(lambda: len(dialog.plot.steps) >= 3, timeout=60_000)
        assert "photo is being found" in page.busy_text()  # the window asks before closing
        dialog.pause_button.setChecked(True)
        assert dialog.control.paused and dialog.pause_button.text() == "Resume"
        qtbot.wait(300)
        seen = len(dialog.plot.steps)
        qtbot.wait(300)
        assert len(dialog.plot.steps) <= seen + 1  # at most the step under way when paused
        dialog.stop_button.click()
        qtbot.waitUntil(lambda: dialog.found is not None, timeout=30_000)
        assert dialog.found.stopped and page.keyframes()[-1].photo == "dropped.png" and not page.busy_text()

        small = photo(tmp_path / "small.png", 20, 20)
        drop(page, small)
        assert page.photo_finder.dialog is dialog and "too small" in page.studio.errors[-1][0]
        assert not drop(page, tmp_path / "notes.txt")  # not an image file: the page leaves it alone
        assert page.photo_finder.dialog is dialog
    finally:
        page.shutdown()
