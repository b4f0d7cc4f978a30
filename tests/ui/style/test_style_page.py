"""Style Transfer page: drag and drop, preview, strength, full render, export, batch, paste."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent, QImage
from PySide6.QtWidgets import QApplication

from ganstudio.modelfiles.library import ModelEntry
from ganstudio.ui.style.page import StylePage
from tests.style.style_fixtures import write_photo, write_style_model
from tests.ui.fake_studio import FakeStudio


@pytest.fixture
def page(qtbot, tmp_path):
    model = write_style_model(tmp_path / "style.pt")
    studio = FakeStudio([ModelEntry("tiny", "Tiny style", model, "bundled", "cyclegan", {"direction": "AB"}),
                         ModelEntry("mnist", "A GAN", tmp_path / "gan.pt", "run", "gan")], tmp_path)
    p = StylePage(studio)
    qtbot.addWidget(p)
    p.resize(900, 600)
    p.show()
    qtbot.waitUntil(lambda: p.direction_box.count() == 2, timeout=20_000)  # the style's directions, read off-thread
    yield p
    p.shutdown()


def drop(page: StylePage, paths: list[Path]) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    event = QDropEvent(QPointF(200, 200), Qt.CopyAction, mime, Qt.LeftButton, Qt.NoModifier)
    page.dropEvent(event)


def test_only_style_models_are_offered_with_their_directions(page):
    offered = [page.style_box.itemText(i) for i in range(page.style_box.count())]
    assert offered == ["Tiny style", "Open a style model file…"]
    assert [page.direction_box.itemText(i) for i in range(2)] == ["photo → painting", "painting → photo"]


def test_drop_photos_and_folder_shows_a_preview_and_strength_blends(page, qtbot, tmp_path):
    folder = tmp_path / "my photos"
    folder.mkdir()
    write_photo(folder / "été 1.png")
    write_photo(folder / "b.jpg", 80, 48)
    (folder / "notes.txt").write_text("not a photo")
    single = write_photo(tmp_path / "single.png", 72, 72)
    drop(page, [single, folder])
    assert [p.path.name for p in page.photos] == ["single.png", "b.jpg", "été 1.png"]
    qtbot.waitUntil(lambda: page.photos[0].preview is not None, timeout=20_000)
    original, stylized = page.photos[0].preview
    assert original.shape == stylized.shape == (72, 72, 3)
    page.strength.setValue(0)
    assert page.view.after is not None
    after0 = page.view.after.toImage()
    assert after0.pixelColor(10, 10) == page.view.before.toImage().pixelColor(10, 10)  # strength 0 = original
    page.view.grab().save(str(tmp_path / "view.png"))
    assert Image.open(tmp_path / "view.png").size == (page.view.width(), page.view.height())
    assert page.view.picture_rect().width() == page.view.picture_rect().height()  # the 72 × 72 photo, fitted


def test_full_render_export_and_gif_keep_resolution_and_provenance(page, qtbot, tmp_path):
    photo = write_photo(tmp_path / "wide.png", 200, 120)
    page.add_paths([photo])
    qtbot.waitUntil(lambda: page.photos[0].preview is not None, timeout=20_000)
    page.render_current()
    qtbot.waitUntil(lambda: page.photos[0].full is not None, timeout=20_000)
    assert page.photos[0].full.shape == (120, 200, 3)
    out = tmp_path / "out" / "wide_ab.webp"
    page.strength.setValue(80)
    page.export_current(out)
    qtbot.waitUntil(lambda: out.exists(), timeout=20_000)
    img = Image.open(out)
    assert img.size == (200, 120)
    meta = json.loads(img.getexif()[0x010E])
    assert meta["source"] == "wide.png" and meta["strength"] == 0.8 and meta["direction"] == "photo → painting"
    assert meta["stroke"] == "1024"
    gif = tmp_path / "out" / "morph.gif"
    page.export_gif(gif)
    with Image.open(gif) as anim:  # held frames are merged by the writer; the count is checked in tests/style
        assert anim.n_frames > 10 and anim.size == (200, 120)


def test_bad_file_in_a_batch_is_reported_and_the_rest_carries_on(page, qtbot, tmp_path):
    good = write_photo(tmp_path / "good.png")
    bad = tmp_path / "broken.jpg"
    bad.write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg")
    write_photo(bad)  # readable when queued, damaged before the batch runs
    page.add_paths([bad, good])
    bad.write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg")
    out = tmp_path / "batch"
    page.stylize_all(out)
    # the file appears in the worker thread before its "saved" signal reaches the page: wait for both
    good_out = out / "good_photo-to-painting.png"
    qtbot.waitUntil(lambda: good_out.exists() and page.photos[1].status == "saved", timeout=20_000)
    assert page.photos[0].status == "failed"
    assert any("broken.jpg" in m for m, _ in page.studio.errors)


def test_paste_pixels_from_the_clipboard(page, qtbot):
    image = QImage(64, 48, QImage.Format_RGB888)
    image.fill(Qt.darkGreen)
    QApplication.clipboard().setImage(image)
    page.paste()
    assert len(page.photos) == 1 and page.photos[0].path.suffix == ".png"
    qtbot.waitUntil(lambda: page.photos[0].preview is not None, timeout=20_000)
    assert page.photos[0].preview[0].shape[:2] == (48, 64)


def test_cancel_stops_a_render(page, qtbot, tmp_path):
    photo = write_photo(tmp_path / "big.png", 900, 700)
    page.add_paths([photo])
    page.render_current()  # the render the preview started: not a second one
    assert "1 photo(s)" in page.busy_text()  # closing would ask first
    page.cancel()
    qtbot.waitUntil(lambda: not page.runner.busy(), timeout=20_000)  # an idle page holds no thread
    page.runner.deliver()
    assert page.photos[0].full is None and page.busy_text() == ""


def test_a_damaged_bundled_style_is_refused_with_its_reason(qtbot, tmp_path, monkeypatch):
    from ganstudio.core import paths
    from ganstudio.modelfiles import manifest, transfer

    folder = tmp_path / "pretrained"
    model = write_style_model(folder / "style.pt")
    manifest.upsert_manifest_entry(transfer.manifest_entry(model, "tiny", "Tiny style"), folder)
    data = bytearray(model.read_bytes())
    data[len(data) // 2] ^= 0x01
    model.write_bytes(bytes(data))
    monkeypatch.setattr(paths, "pretrained_dir", lambda: folder)
    studio = FakeStudio([ModelEntry("tiny", "Tiny style", model, "bundled", "cyclegan", {"direction": "AB"})], tmp_path)
    page = StylePage(studio)
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: bool(studio.errors), timeout=20_000)
    assert "damaged" in studio.errors[-1][0] and page.direction_box.count() == 0
    page.add_paths([write_photo(tmp_path / "p.png")])
    assert "damaged" in studio.errors[-1][0]  # adding a photo says why nothing is rendered
    assert page.photos[0].preview is None
    page.shutdown()


@pytest.mark.parametrize("stroke", ["512", "1024"])
def test_the_preview_of_a_large_photo_is_its_render_at_screen_size(page, qtbot, tmp_path, stroke):
    """The network paints the same working copy for both; only the way back aims at another size."""
    from ganstudio.style.render import PREVIEW_SIDE, fit

    page.stroke_box.setCurrentIndex(page.stroke_box.findData(stroke))
    page.add_paths([write_photo(tmp_path / "large.png", PREVIEW_SIDE + 76, 80)])
    qtbot.waitUntil(lambda: page.photos[0].preview is not None, timeout=20_000)
    photo = page.photos[0]
    preview = photo.preview[1]
    assert photo.full is None and photo.status == "preview" and preview.shape == (74, PREVIEW_SIDE, 3)
    page.render_current()
    qtbot.waitUntil(lambda: photo.full is not None, timeout=20_000)
    assert photo.full.shape == (80, PREVIEW_SIDE + 76, 3) and photo.status == "full size"
    assert np.abs(fit(photo.full).astype(np.float32) - preview).mean() < 1.0
    page.render_current()  # already rendered: nothing runs again
    assert page.busy_text() == ""


def test_a_full_render_asked_during_the_preview_follows_it(page, qtbot, tmp_path):
    from ganstudio.style.render import PREVIEW_SIDE

    page.add_paths([write_photo(tmp_path / "large.png", PREVIEW_SIDE + 76, 80)])
    page.render_current()  # the preview is under way
    assert page.photos[0].full_wanted
    qtbot.waitUntil(lambda: page.photos[0].full is not None, timeout=20_000)
    assert page.photos[0].full.shape == (80, PREVIEW_SIDE + 76, 3)


def test_another_stroke_size_paints_again(page, qtbot, tmp_path):
    page.add_paths([write_photo(tmp_path / "p.png", 200, 120)])
    qtbot.waitUntil(lambda: page.photos[0].full is not None, timeout=20_000)
    assert any("painted at its own size" in n for n in page.photos[0].notes)  # 200 px is under 1024
    first = page.photos[0].full
    page.stroke_box.setCurrentIndex(page.stroke_box.findData("full"))
    assert page.photo_queue.stroke == "full"
    qtbot.waitUntil(lambda: page.photos[0].full is not None and page.photos[0].full is not first, timeout=20_000)
    assert page.photos[0].notes == []


def test_a_render_counts_its_tiles_from_zero(page, qtbot, tmp_path):
    page.add_paths([write_photo(tmp_path / "small.png", 64, 48)])
    qtbot.waitUntil(lambda: page.photos[0].preview is not None, timeout=20_000)
    bar = page.result.progress
    assert bar.value() == bar.maximum()  # the first photo's render is done
    page.photo_queue.tile, page.photo_queue.overlap = 64, 16
    page.add_paths([write_photo(tmp_path / "tiled.png", 200, 150)])
    assert bar.value() == 0 and bar.maximum() == 0  # busy at once, not the last render's 100 %
    qtbot.waitUntil(lambda: bar.maximum() > 1, timeout=20_000)
    assert "tile" in bar.text()
    qtbot.waitUntil(lambda: page.photos[1].full is not None, timeout=20_000)
    assert bar.value() == bar.maximum()


def test_a_library_change_keeps_the_finished_render(page, qtbot, tmp_path):
    page.add_paths([write_photo(tmp_path / "p.png")])
    qtbot.waitUntil(lambda: page.photos[0].full is not None, timeout=20_000)
    page.studio.refresh_library()  # what importing a model does
    qtbot.waitUntil(lambda: not page.runner.busy(), timeout=20_000)
    page.runner.deliver()
    assert page.photos[0].full is not None and page.view.after is not None


def test_another_style_renders_again(page, qtbot, tmp_path):
    page.add_paths([write_photo(tmp_path / "p.png")])
    qtbot.waitUntil(lambda: page.photos[0].full is not None, timeout=20_000)
    first = page.photos[0].full
    page.open_model(write_style_model(tmp_path / "other.pt", seed=1))
    qtbot.waitUntil(lambda: page.photos[0].full is not None and page.photos[0].full is not first, timeout=20_000)
    assert page.photo_queue.model_path == tmp_path / "other.pt"
    assert not np.array_equal(page.photos[0].full, first)


def test_unreadable_files_are_refused_and_a_model_file_is_offered_as_a_style(page, qtbot, tmp_path):
    bad = tmp_path / "broken.jpg"
    bad.write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg")
    drop(page, [bad])
    assert page.photos == [] and "broken.jpg" in page.studio.errors[-1][0]
    style = write_style_model(tmp_path / "dropped style.pt", seed=2)
    drop(page, [style])
    assert page.photos == [] and page.style_box.currentData()[0] == style
    qtbot.waitUntil(lambda: page.photo_queue.model_path == style, timeout=20_000)


def test_the_save_dialog_starts_in_the_last_folder_written_to(page, qtbot, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    page.add_paths([write_photo(tmp_path / "p.png")])
    out = tmp_path / "exports"
    out.mkdir()
    offered = []

    def dialog(parent, title, start, filters):
        offered.append(Path(start).parent)
        return str(out / "p_styled.png"), filters

    monkeypatch.setattr(QFileDialog, "getSaveFileName", dialog)
    page.export_dialog()
    page.export_dialog()
    assert offered == [tmp_path, out]
    qtbot.waitUntil(lambda: (out / "p_styled.png").exists(), timeout=20_000)


def test_the_morph_gif_takes_its_size_and_frames(page, qtbot, tmp_path):
    page.add_paths([write_photo(tmp_path / "wide.png", 200, 120)])
    qtbot.waitUntil(lambda: page.photos[0].preview is not None, timeout=20_000)
    counts = []
    for frames in (3, 30):
        page.result.gif_side.setValue(100)
        page.result.gif_frames.setValue(frames)
        gif = tmp_path / f"morph{frames}.gif"
        page.export_gif(gif)
        with Image.open(gif) as anim:
            assert anim.size == (100, 60)
            counts.append(anim.n_frames)
    assert counts[0] < counts[1]


def test_an_animated_gif_is_previewed_and_stylized_frame_by_frame(page, qtbot, tmp_path, monkeypatch):
    from ganstudio.style import animation
    from tests.style.style_fixtures import photo

    frames = [Image.fromarray(photo(96, 64, seed)) for seed in range(4)]
    frames[0].save(tmp_path / "anim.gif", save_all=True, append_images=frames[1:], duration=100, loop=0)
    still = write_photo(tmp_path / "still.png")
    page.add_paths([still])
    assert not page.result.anim_btn.isEnabled()
    page.add_paths([tmp_path / "anim.gif"])
    qtbot.waitUntil(lambda: page.photos[1].preview is not None, timeout=20_000)
    assert page.result.anim_btn.isEnabled() and "first of its 4 frames" in page.result.info.text()
    out = tmp_path / "out" / "anim_styled.webp"
    (tmp_path / "out").mkdir()
    page.export_animation(out)
    qtbot.waitUntil(lambda: page.photos[1].status == "saved", timeout=20_000)
    with Image.open(out) as anim:
        assert anim.n_frames == 4 and anim.size == (96, 64)
    assert page.result.progress.text() == "frame 4 of 4"
    meta = json.loads((tmp_path / "out" / "anim_styled.webp.json").read_text())
    assert meta["frames"] == 4 and meta["source"] == "anim.gif"
    monkeypatch.setattr(animation, "video_reader_available", lambda: False)
    (tmp_path / "clip.mp4").write_bytes(b"\x00\x00\x00\x18ftypmp42")
    page.add_paths([tmp_path / "clip.mp4"])
    assert "clip.mp4: reading a video needs the optional video extra" in page.studio.errors[-1][0]
    assert len(page.photos) == 2
