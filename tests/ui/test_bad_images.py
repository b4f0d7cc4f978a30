"""The sweep's image cases through the Style and Train pages, offscreen: each bad image gets a message
naming it, the page keeps working, and nothing is written."""

from __future__ import annotations

import pytest

from ganstudio.core import paths
from tests.sweep import corpus


def test_the_style_page_reports_every_bad_image(qtbot, tmp_path):
    from ganstudio.modelfiles.library import ModelEntry
    from ganstudio.ui.style.page import StylePage
    from tests.style.style_fixtures import write_style_model
    from tests.ui.fake_studio import FakeStudio

    images = corpus.bad_images(tmp_path / "images")
    model = write_style_model(tmp_path / "style.pt")
    studio = FakeStudio([ModelEntry("tiny", "Tiny style", model, "bundled", "cyclegan", {"direction": "AB"})],
                        tmp_path)
    page = StylePage(studio)
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: page.direction_box.count() == 2, timeout=20_000)
    try:
        page.add_paths(list(images.values()))
        queued = {p.path for p in page.photos}
        rejected = set(images.values()) - queued
        assert rejected
        banner = studio.errors[-1][0]  # refused when added: one banner names them with their reasons
        assert sum(f"{path.name}:" in banner for path in rejected) == min(3, len(rejected)), banner
        if len(rejected) > 3:
            assert f"and {len(rejected) - 3} more" in banner
        studio.errors.clear()
        out = tmp_path / "out"
        page.stylize_all(out)
        qtbot.waitUntil(lambda: all(p.status == "failed" for p in page.photos), timeout=30_000)
        for photo in page.photos:  # every queued one failed with a message naming it
            assert any(photo.path.name in m for m, _ in studio.errors), photo.path.name
        assert not out.exists() or not any(out.iterdir())
    finally:
        page.shutdown()


@pytest.mark.parametrize("name", ["text as jpg", "truncated png", "over the size limit", "not utf-8 name, not an image",
                                  "fifo"])
def test_the_train_page_reports_a_folder_of_a_bad_image(qtbot, window, page, tmp_path, name):
    from tests.ui.conftest import tiny_dcgan

    images = corpus.bad_images(tmp_path / "images")
    folder = tmp_path / "data"
    folder.mkdir()
    images[name].rename(folder / images[name].name)
    page.drop_path(folder)
    if window.banner.isVisible():  # refused when dropped: nothing in it is an image
        assert "holds no images" in window.banner.message.text()
        return
    tiny_dcgan(page.form, steps=2)
    page.start_button.click()
    qtbot.waitUntil(lambda: page.state == "idle" and page.worker is None, timeout=30_000)
    assert window.banner.isVisible() and "Traceback" not in window.banner.message.text()
    assert "could be read as images" in window.banner.message.text()
    assert not paths.runs_dir().exists() or not any(paths.runs_dir().iterdir())  # no run folder was left
