"""Latent Walk page: keyframes, scrub (newest request wins), play, export with cancel, projects, classes."""

from __future__ import annotations

import json
import threading

import numpy as np
import pytest
from PIL import Image

from ganstudio.export import writers as export
from ganstudio.modelfiles.library import ModelEntry
from ganstudio.ui.walk.page import WalkPage
from ganstudio.walk.project import load_project
from tests.ui.fake_studio import FakeStudio
from tests.ui.walk.pages import open_walk_page
from tests.walk.test_walk import decoded_frames, tiny_generator_file


def make_page(qtbot, tmp_path, classes: int = 0) -> WalkPage:
    model = tiny_generator_file(tmp_path / f"g{classes}.pt", classes=classes)
    entries = [ModelEntry("tiny", "Tiny", model, "run", "gan"),
               ModelEntry("style", "A style", tmp_path / "s.pt", "bundled", "cyclegan")]
    return open_walk_page(qtbot, tmp_path, model, entries, (1000, 760))


@pytest.fixture
def page(qtbot, tmp_path):
    p = make_page(qtbot, tmp_path)
    yield p
    p.shutdown()


def pin(page: WalkPage, *indices: int) -> None:
    for i in indices:
        page.seeds.grid.select(i)
        page.pin_selected()


def test_library_lists_only_image_gans(page):
    items = [page.model_bar.model_box.itemText(i) for i in range(page.model_bar.model_box.count())]
    assert any("Tiny" in t for t in items) and not any("style" in t for t in items)


def test_keyframes_pin_reorder_remove_and_frames(page):
    pin(page, 3, 0, 7)
    assert [k.seed for k in page.keyframes()] == [3, 0, 7]
    assert page.frame_count() == 72  # closed loop, 24 frames per segment
    page.keys.timeline.setCurrentRow(0)
    page.move_selected_key(1)
    assert [k.seed for k in page.keyframes()] == [0, 3, 7]
    page.keys.key_frames.setValue(10)  # frames of the selected keyframe's segment
    assert [k.frames for k in page.keyframes()] == [24, 10, 24] and page.frame_count() == 58
    page.path.loop.setChecked(False)
    assert page.frame_count() == 24 + 10 + 1
    page.keys.timeline.setCurrentRow(2)
    page.remove_selected_key()
    assert [k.seed for k in page.keyframes()] == [0, 3] and page.frame_count() == 25
    assert "2. seed 3" in page.keys.timeline.item(1).text()


def test_free_vector_nudge_and_pin(page, qtbot):
    page.seeds.grid.select(5)
    page.edit_selected_as_free()
    start = page.session.free_z.clone()
    page.nudge()
    moved = (page.session.free_z - start).norm().item()
    assert moved == pytest.approx(page.seeds.nudge_size.value() * page.session.g.z_dim ** 0.5)
    page.pin_free()
    kf = page.keyframes()[0]
    assert kf.seed is None and np.allclose(kf.z, page.session.free_z.float().numpy())
    view = page.seeds.free_view
    qtbot.waitUntil(lambda: view.pixmap() is not None and not view.pixmap().isNull(), timeout=5000)


def test_scrub_renders_only_the_newest_request(page, qtbot):
    pin(page, 0, 1, 2)
    qtbot.waitUntil(lambda: not page.runner.busy(), timeout=10_000)  # frame 0 and the thumbnails are done
    renderer = page.session.renderer
    real = renderer.render
    calls: list[list[int]] = []
    gate = threading.Event()

    def slow_render(indices):
        calls.append(list(indices))
        gate.wait(5)
        return real(indices)

    renderer.render = slow_render
    page.playback.scrub.setValue(1)
    qtbot.waitUntil(lambda: len(calls) == 1, timeout=5000)  # the worker is busy with frame 1
    for v in range(2, 40):
        page.playback.scrub.setValue(v)  # scrubbing on while the worker is busy
    gate.set()
    qtbot.waitUntil(lambda: 39 in page.session.cache, timeout=10_000)
    assert calls == [[1], [39]]  # frames 2–38 were superseded, never rendered
    assert page.playback.frame_label.text() == "40 / 72"
    assert np.array_equal(page.session.cache[39], real([39])[0])


def test_play_advances_and_loops(page, qtbot):
    pin(page, 0, 1)
    page.keys.key_frames.setValue(3)
    page.keys.timeline.setCurrentRow(0)
    page.keys.key_frames.setValue(3)
    assert page.frame_count() == 6
    page.playback.fps.setValue(60)
    page.playback.play_button.setChecked(True)
    seen = set()
    qtbot.waitUntil(lambda: seen.add(page.session.frame_index) or len(seen) == 6, timeout=10_000)
    page.playback.play_button.setChecked(False)
    assert not page.playback.play_timer.isActive()


def test_export_gif_sheet_and_png(page, qtbot, tmp_path):
    pin(page, 0, 4, 8, 12)
    for row in range(4):
        page.keys.timeline.setCurrentRow(row)
        page.keys.key_frames.setValue(3)
    page.export_panel.scale.setValue(2)
    assert page.export_to("gif", tmp_path / "out" / "walk.gif")
    assert not page.export_panel.export_button.isEnabled()
    qtbot.waitUntil(lambda: not page.export_panel.exporting, timeout=20_000)
    frames = decoded_frames(tmp_path / "out" / "walk.gif")
    assert len(frames) == 12 and frames[0].shape == (56, 56, 3)
    side = json.loads((tmp_path / "out" / "walk.gif.json").read_text())
    assert [k["seed"] for k in side["walk"]["keyframes"]] == [0, 4, 8, 12] and side["export"]["scale"] == 2
    assert page.studio.status[-1].startswith("wrote")

    assert page.export_to("sheet", tmp_path / "out" / "sheet.png")
    qtbot.waitUntil(lambda: not page.export_panel.exporting, timeout=20_000)
    meta = json.loads((tmp_path / "out" / "sheet.json").read_text())
    assert len(meta["frames"]) == 12 and Image.open(tmp_path / "out" / "sheet.png").size == (4 * 56, 3 * 56)

    page.playback.scrub.setValue(5)
    assert page.export_to("frame", tmp_path / "out" / "frame.png")
    qtbot.waitUntil(lambda: not page.export_panel.exporting, timeout=20_000)
    one = np.asarray(Image.open(tmp_path / "out" / "frame.png").convert("RGB"))
    assert np.array_equal(one[::2, ::2], page.session.renderer.render([5])[0])
    assert page.export_to("grid", tmp_path / "out" / "grid.png")
    qtbot.waitUntil(lambda: not page.export_panel.exporting, timeout=20_000)
    assert json.loads(Image.open(tmp_path / "out" / "grid.png").info["ganstudio"])["grid"]["seeds"] == list(range(16))
    assert page.studio.errors == []


def test_cancelled_export_leaves_nothing(page, qtbot, tmp_path):
    pin(page, 0, 1)
    gate = threading.Event()
    real = page.session.renderer.render
    page.session.renderer.render = lambda idx: (gate.wait(5), real(idx))[1]
    assert page.export_to("webp", tmp_path / "w.webp")
    assert page.busy_text()
    page.export_panel.cancel()
    gate.set()
    qtbot.waitUntil(lambda: not page.export_panel.exporting, timeout=20_000)
    assert list(tmp_path.glob("w.webp*")) == [] and list(tmp_path.glob(".w*")) == []
    assert "cancelled" in page.studio.status[-1]
    assert page.export_panel.export_button.isEnabled()


def test_mp4_without_video_extra_says_so(page, monkeypatch):
    pin(page, 0, 1)
    monkeypatch.setattr(export, "video_available", lambda: False)
    panel = page.export_panel
    panel.kind.setCurrentIndex(panel.kind.findData("mp4"))
    assert not panel.video_note.isHidden() and "pip install" in panel.video_note.text()
    assert not panel.export_button.isEnabled()
    panel.kind.setCurrentIndex(panel.kind.findData("gif"))
    assert panel.video_note.isHidden() and panel.export_button.isEnabled()


def test_project_save_and_open_replays_the_walk(page, qtbot, tmp_path):
    pin(page, 2, 9)
    page.path.interp.setCurrentIndex(page.path.interp.findData("smooth"))
    page.seeds.psi.setValue(0.7)
    assert page.save_project(tmp_path / "p.json")
    saved = load_project(tmp_path / "p.json").walk
    other = make_page(qtbot, tmp_path / "other")
    try:
        assert other.open_project(tmp_path / "p.json")
        assert other.walk() == saved
        assert other.session.g.path.resolve() == page.session.g.path.resolve()
        assert np.array_equal(other.session.renderer.render(range(5)), page.session.renderer.render(range(5)))
    finally:
        other.shutdown()


def test_noise_loop_around_one_keyframe(page):
    pin(page, 4)
    assert page.frame_count() == 0 and not page.playback.play_button.isEnabled()
    page.path.mode.setCurrentIndex(page.path.mode.findData("noise"))
    assert page.frame_count() == page.path.noise_frames.value() == 48
    page.path.noise_frames.setValue(20)
    assert page.frame_count() == 20 and page.walk().noise_center == 0


def test_bad_model_shows_a_banner(page, tmp_path):
    junk = tmp_path / "junk.pt"
    junk.write_bytes(b"nope")
    assert not page.open_model(junk)
    assert "not a PyTorch file" in page.studio.errors[-1][0]
    assert page.session.g is not None  # the open model stays


def test_class_per_keyframe(qtbot, tmp_path):
    page = make_page(qtbot, tmp_path, classes=3)
    try:
        assert page.keys.key_class.isVisibleTo(page) and page.keys.key_class.count() == 3
        page.seeds.grid_class.setCurrentIndex(1)
        pin(page, 0, 0)
        page.keys.timeline.setCurrentRow(1)
        page.keys.key_class.setCurrentIndex(2)
        assert [k.cls for k in page.keyframes()] == [1, 2]
        classes = page.session.renderer.plan.classes
        assert classes[0].tolist() == [0, 1, 0] and classes[24].tolist() == [0, 0, 1]
        assert "c2" in page.keys.timeline.item(1).text()
    finally:
        page.shutdown()


def test_export_that_cannot_work_is_refused_up_front(page, tmp_path):
    pin(page, 0, 1)
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    assert not page.export_to("gif", blocker / "walk.gif")
    assert "cannot write" in page.studio.errors[-1][0]
    page.playback.fps.setValue(60)
    assert not page.export_to("gif", tmp_path / "fast.gif")
    assert "fps is not supported for GIF" in page.studio.errors[-1][0]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file", "g0.pt"] and not page.export_panel.exporting


def test_reroll_and_enlarge_one_sample(page, qtbot):
    from PySide6.QtCore import Qt

    rect = page.seeds.grid.cell_rect(5)
    qtbot.mouseDClick(page.seeds.grid, Qt.LeftButton, pos=rect.center())
    assert page.seeds.grid.enlarged and page.seeds.grid.current == 5 and page.selected_seed() == 5
    assert page.seeds.grid.cell_rect(5).width() > 3 * rect.width()
    qtbot.mouseDClick(page.seeds.grid, Qt.LeftButton, pos=page.seeds.grid.rect().center())
    assert not page.seeds.grid.enlarged
    page.seeds.seed_start.setValue(1000)
    qtbot.waitUntil(lambda: page.seeds.grid.captions[:2] == ["1000", "1001"], timeout=10_000)


def test_noise_loop_follows_the_selected_keyframe(page):
    pin(page, 4, 9)
    page.path.mode.setCurrentIndex(page.path.mode.findData("noise"))
    page.path.noise_radius.setValue(0.0)  # no wandering: every frame is the centre keyframe itself
    page.keys.timeline.setCurrentRow(0)
    assert page.walk().noise_center == 0
    first = page.session.renderer.render([0])[0]
    page.keys.timeline.setCurrentRow(1)
    assert page.walk().noise_center == 1
    assert np.array_equal(page.session.renderer.render([0])[0], page.session.g.generate(page.session.g.latents([9]))[0])
    assert not np.array_equal(page.session.renderer.render([0])[0], first)


def test_psi_redraws_keyframe_thumbnails(page, qtbot):
    pin(page, 1, 2)
    icon = page.keys.timeline.item(0).icon
    qtbot.waitUntil(lambda: not icon().isNull(), timeout=10_000)  # thumbnails arrive from the runner
    before = icon().pixmap(72, 72).toImage()
    page.seeds.psi.setValue(0.2)
    qtbot.waitUntil(lambda: not icon().isNull() and icon().pixmap(72, 72).toImage() != before, timeout=10_000)
    assert page.walk().psi == 0.2
    assert np.array_equal(page.session.thumb(page.keyframes()[0]),
                          page.session.g.generate(page.session.g.latents([1]) * 0.2)[0])


def test_page_export_replays_from_the_cli(page, qtbot, tmp_path):
    from ganstudio.cli.main import main

    pin(page, 0, 4, 8, 12)
    page.path.interp.setCurrentIndex(page.path.interp.findData("smooth"))
    page.path.easing.setCurrentIndex(page.path.easing.findData("ease-in-out"))
    assert page.export_to("gif", tmp_path / "page.gif")
    qtbot.waitUntil(lambda: not page.export_panel.exporting, timeout=20_000)
    assert main(["walk", "--project", str(tmp_path / "page.gif.json"), "-o", str(tmp_path / "cli.gif")]) == 0
    assert (tmp_path / "cli.gif").read_bytes() == (tmp_path / "page.gif").read_bytes()


def test_playing_never_renders_a_frame_twice(page, qtbot):
    pin(page, 0, 1)
    for row in (0, 1):
        page.keys.timeline.setCurrentRow(row)
        page.keys.key_frames.setValue(20)
    assert page.frame_count() == 40
    renderer = page.session.renderer
    real = renderer.render
    rendered: list[int] = []
    renderer.render = lambda indices: (rendered.extend(indices), real(indices))[1]
    page.playback.fps.setValue(60)
    page.playback.play_button.setChecked(True)
    qtbot.waitUntil(lambda: len(page.session.cache) == 40 and page.session.frame_index > 20, timeout=20_000)
    page.playback.play_button.setChecked(False)
    assert sorted(rendered) == sorted(set(rendered)) and set(rendered) <= set(range(40))


def test_project_for_another_model_is_refused(page, tmp_path):
    from ganstudio.walk.project import save_project
    from ganstudio.walk.timeline import Keyframe, Walk

    walk = Walk(keyframes=(Keyframe(z=(0.0, 1.0, 2.0)), Keyframe(seed=1)))
    save_project(tmp_path / "other.json", page.session.g, walk)
    assert not page.open_project(tmp_path / "other.json")
    assert "expects 8" in page.studio.errors[-1][0] and page.keyframes() == []


def test_every_forward_pass_runs_off_the_gui_thread(page, qtbot, tmp_path):
    gui, threads = threading.get_ident(), []
    page.session.g.net.register_forward_pre_hook(lambda module, args: threads.append(threading.get_ident()))
    pin(page, 0, 3, 5)
    page.seeds.psi.setValue(0.8)
    page.seeds.grid.select(2)
    page.edit_selected_as_free()
    page.nudge()
    page.playback.scrub.setValue(30)
    assert page.export_to("gif", tmp_path / "w.gif")
    qtbot.waitUntil(lambda: not page.runner.busy() and not page.export_panel.exporting, timeout=20_000)
    assert (tmp_path / "w.gif").is_file() and 30 in page.session.cache
    assert threads and gui not in threads


def test_models_of_2d_points_are_not_offered(qtbot, tmp_path):
    model = tiny_generator_file(tmp_path / "g.pt")
    points = ModelEntry("ring8-mlp", "Ring of 8 Gaussians (2D)", tmp_path / "ring.pt", "bundled", "gan",
                        {"resolution": None})
    digits = ModelEntry("mnist-dcgan", "MNIST digits", model, "bundled", "gan", {"resolution": 28})
    run = ModelEntry("run:ring", "ring", tmp_path / "r.pt", "run", "gan", {"arch": "mlp"})
    page = WalkPage(FakeStudio([points, digits, run], tmp_path))
    qtbot.addWidget(page)
    box = page.model_bar.model_box
    offered = [box.itemText(i) for i in range(box.count())]
    assert offered == ["Choose a model…", "MNIST digits (bundled)"]
    page.shutdown()


def test_switching_model_keeps_keyframes_or_asks(page, qtbot, tmp_path):
    pin(page, 3, 0)
    texts = lambda: [page.keys.timeline.item(i).text() for i in range(page.keys.timeline.count())]  # noqa: E731
    asked: list[str] = []
    page.ask_keep_keyframes = lambda question: asked.append(question) or True
    assert page.open_model(tiny_generator_file(tmp_path / "classes.pt", classes=3))
    assert asked == [] and [k.seed for k in page.keyframes()] == [3, 0]  # same latent size: kept silently
    assert all("c0" in t for t in texts())  # the captions name the new model's classes
    assert page.open_model(tiny_generator_file(tmp_path / "wide.pt", z_dim=16))
    assert len(asked) == 1 and [k.seed for k in page.keyframes()] == [3, 0]
    assert not any("c0" in t for t in texts())  # no stale class labels
    page.ask_keep_keyframes = lambda question: False
    assert page.open_model(tiny_generator_file(tmp_path / "g.pt"))
    assert page.keyframes() == [] and page.keys.timeline.count() == 0


def test_the_preview_refits_when_the_window_shrinks(page, qtbot):
    pin(page, 3, 0)
    preview = page.playback.preview
    qtbot.waitUntil(lambda: preview.pixmap() is not None and not preview.pixmap().isNull(), timeout=10_000)
    page.resize(1000, 760)
    qtbot.wait(20)
    big = preview.pixmap().size()
    page.resize(640, 420)
    qtbot.waitUntil(lambda: preview.height() < big.height(), timeout=5_000)
    side = preview.pixmap().size()
    assert side.width() <= preview.width() and side.height() <= preview.height() and side != big


def test_a_model_that_opens_clears_an_earlier_error(page, tmp_path):
    bad = tmp_path / "bad.pt"
    bad.write_bytes(b"nope")
    assert not page.open_model(bad) and page.studio.errors
    cleared = page.studio.errors_cleared
    assert page.open_model(tiny_generator_file(tmp_path / "good.pt"))
    assert page.studio.errors_cleared == cleared + 1
