"""A bundled file that does not match the manifest (one flipped byte, or a manifest whose checksum was
changed) is refused by every command and by every page that opens models: one sentence, no model."""

from __future__ import annotations

import json

import pytest

from ganstudio.cli.main import main
from ganstudio.core import paths
from tests.modelfiles.test_resolve import USED, _commands, _copy
from tests.modelfiles.test_resolve import photo as photo  # a fixture


@pytest.fixture
def wrong_checksums(tmp_path, monkeypatch):
    """Intact files, but a manifest whose SHA-256 of every model is another file's."""
    folder = _copy(tmp_path, None)
    data = json.loads((folder / "manifest.json").read_text())
    for entry in data["models"]:
        entry["sha256"] = "0" * 64
    (folder / "manifest.json").write_text(json.dumps(data))
    monkeypatch.setattr(paths, "pretrained_dir", lambda: folder)
    return folder


@pytest.mark.parametrize("ident", USED)
def test_every_command_refuses_a_file_the_manifest_does_not_vouch_for(wrong_checksums, ident, tmp_path, photo,
                                                                      capsys):
    for argv in _commands(ident, tmp_path, photo):
        capsys.readouterr()
        assert main(argv) == 2, argv
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and "checksum mismatch" in err[0], (argv, err)
    assert not list(tmp_path.glob("out*"))


@pytest.mark.parametrize("flip", [True, False], ids=["flipped byte", "wrong manifest checksum"])
def test_the_walk_page_refuses_a_tampered_bundled_model(qtbot, tmp_path, monkeypatch, flip):
    from ganstudio.modelfiles.library import ModelEntry
    from ganstudio.ui.walk.page import WalkPage
    from tests.ui.fake_studio import FakeStudio

    folder = _copy(tmp_path, "mnist-dcgan" if flip else None)
    if not flip:
        data = json.loads((folder / "manifest.json").read_text())
        for entry in data["models"]:
            if entry["id"] == "mnist-dcgan":
                entry["sha256"] = "f" * 64
        (folder / "manifest.json").write_text(json.dumps(data))
    monkeypatch.setattr(paths, "pretrained_dir", lambda: folder)
    model = folder / "mnist-dcgan.pt"
    studio = FakeStudio([ModelEntry("mnist-dcgan", "MNIST digits", model, "bundled", "gan", {"resolution": 28})],
                        tmp_path)
    page = WalkPage(studio)
    qtbot.addWidget(page)
    try:
        assert not page.open_model(model)
        assert "damaged" in studio.errors[-1][0] and "checksum mismatch" in studio.errors[-1][0]
        assert page.session.g is None
    finally:
        page.shutdown()
