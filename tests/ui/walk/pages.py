"""A Latent Walk page shown with a model open and its seed grid drawn, for the walk page tests."""

from __future__ import annotations

from pathlib import Path

from ganstudio.modelfiles.library import ModelEntry
from ganstudio.ui.walk.page import WalkPage
from tests.ui.fake_studio import FakeStudio


def open_walk_page(qtbot, tmp_path: Path, model: Path, entries: list[ModelEntry], size: tuple[int, int]) -> WalkPage:
    page = WalkPage(FakeStudio(entries, tmp_path))
    qtbot.addWidget(page)
    page.resize(*size)
    page.show()
    assert page.open_model(model)
    qtbot.waitUntil(lambda: len(page.seeds.grid.images) == 16, timeout=10_000)
    return page
