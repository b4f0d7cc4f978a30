"""The library panel imports through the one import (taken names are numbered) and lists the studio's models."""

from __future__ import annotations

import pytest
import torch

from ganstudio.core.config import ModelConfig
from ganstudio.modelfiles.generator import generator_meta, save_generator_file
from ganstudio.modelfiles.library import ModelEntry, imported_models
from ganstudio.models import build_generator
from ganstudio.ui.library import LibraryPanel
from tests.ui.fake_studio import FakeStudio


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("GANSTUDIO_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


def _tiny(path):
    torch.manual_seed(0)
    cfg = ModelConfig(arch="dcgan", z_dim=8, img_size=28, channels=1, base_ch=4)
    return save_generator_file(path, build_generator(cfg).state_dict(), generator_meta(cfg, steps=3))


def test_import_numbers_a_taken_name_and_refreshes(qtbot, tmp_path, home):
    studio = FakeStudio([], tmp_path)
    panel = LibraryPanel(studio)
    qtbot.addWidget(panel)
    src = _tiny(tmp_path / "mine.pt")
    with qtbot.waitSignal(studio.library_changed):
        panel.import_file(src)
    panel.import_file(src)
    assert sorted(e.path.name for e in imported_models()) == ["mine-2.pt", "mine.pt"]
    assert "mine-2.pt" in studio.status[-1] and not studio.errors


def test_import_of_a_foreign_file_is_a_banner(qtbot, tmp_path, home):
    studio = FakeStudio([], tmp_path)
    panel = LibraryPanel(studio)
    qtbot.addWidget(panel)
    bad = tmp_path / "notes.pt"
    bad.write_text("hello")
    panel.import_file(bad)
    assert "not a PyTorch file" in studio.errors[-1][0] and not imported_models()


def test_lists_entries_by_group_and_opens_runs_in_train(qtbot, tmp_path, home):
    run = ModelEntry("run:a", "a", tmp_path / "a" / "generator.pt", "run")
    studio = FakeStudio([run, ModelEntry("file:b", "b", tmp_path / "b.pt", "imported")], tmp_path)
    panel = LibraryPanel(studio)
    qtbot.addWidget(panel)
    panel.set_targets(["Train", "Walk"])
    assert [e.id for e in panel.entries()] == ["run:a", "file:b"]
    panel._double_clicked(panel.tree.topLevelItem(1).child(0))
    assert studio.opened == [(run, "Train")]
