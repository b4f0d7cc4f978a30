"""One resolver: bundled ids, files, run folders; every bundled file is checked wherever it is opened."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from ganstudio.cli.main import main
from ganstudio.core import paths
from ganstudio.core.errors import UserError
from ganstudio.modelfiles.generator import load_generator, read_generator_file
from ganstudio.modelfiles.resolve import resolve_model
from ganstudio.style.tiles import load_style_model, resolve_style

BUNDLED = paths.pretrained_dir()
USED = ("mnist-dcgan", "ring8-mlp", "photo2monet")


def _copy(tmp_path: Path, flip: str | None) -> Path:
    """A pretrained folder with the manifest and the models the tests use; `flip` damages one file."""
    folder = tmp_path / "pretrained"
    folder.mkdir()
    entries = [m for m in json.loads((BUNDLED / "manifest.json").read_text())["models"] if m["id"] in USED]
    (folder / "manifest.json").write_text(json.dumps({"models": entries}))
    for m in entries:
        shutil.copy(BUNDLED / m["file"], folder / m["file"])
    if flip:
        path = folder / f"{flip}.pt"
        data = bytearray(path.read_bytes())
        data[len(data) // 2] ^= 0x01  # one bit, same size
        path.write_bytes(bytes(data))
    return folder


@pytest.fixture
def intact(tmp_path, monkeypatch):
    folder = _copy(tmp_path, None)
    monkeypatch.setattr(paths, "pretrained_dir", lambda: folder)
    return folder


@pytest.fixture(params=USED)
def damaged(request, tmp_path, monkeypatch):
    folder = _copy(tmp_path, request.param)
    monkeypatch.setattr(paths, "pretrained_dir", lambda: folder)
    return request.param, folder


def test_resolves_ids_paths_and_run_folders(intact, tmp_path):
    assert resolve_model("mnist-dcgan") == intact / "mnist-dcgan.pt"
    assert resolve_model(intact / "mnist-dcgan.pt") == intact / "mnist-dcgan.pt"
    assert resolve_model(tmp_path) == tmp_path
    with pytest.raises(UserError, match=r"no model 'nope'.*does not exist") as info:
        resolve_model("nope")
    assert "mnist-dcgan" in info.value.hint


def test_damaged_bundled_file_is_refused_by_id_and_by_path(damaged):
    ident, folder = damaged
    for spec in (ident, folder / f"{ident}.pt", str(folder / f"{ident}.pt")):
        with pytest.raises(UserError, match=r"is damaged \(checksum mismatch") as info:
            resolve_model(spec)
        assert "reinstall" in info.value.hint


def test_a_copy_outside_the_pretrained_folder_is_not_checked(damaged, tmp_path):
    ident, folder = damaged
    copy = tmp_path / "mine" / f"{ident}.pt"
    copy.parent.mkdir()
    shutil.copy(folder / f"{ident}.pt", copy)
    assert resolve_model(copy) == copy


def test_loaders_refuse_a_damaged_bundled_file(damaged):
    ident, folder = damaged
    loaders = [load_generator, read_generator_file, load_style_model]
    loaders += [resolve_style] if ident == "photo2monet" else []
    for load in loaders:
        for spec in (ident, str(folder / f"{ident}.pt")):
            with pytest.raises(UserError, match="checksum mismatch"):
                load(spec)


def test_loaders_accept_bundled_ids(intact):
    assert load_generator("mnist-dcgan").is_image_model
    assert read_generator_file("photo2monet")[1]["kind"] == "cyclegan"
    assert load_style_model("photo2monet").meta["kind"] == "cyclegan"


@pytest.fixture
def photo(tmp_path) -> Path:
    path = tmp_path / "photo.png"
    Image.fromarray(np.random.default_rng(0).integers(0, 255, (32, 32, 3), dtype=np.uint8)).save(path)
    return path


def _commands(ident: str, tmp_path: Path, photo: Path) -> list[list[str]]:
    out = str(tmp_path / "out")
    gan = {"mnist-dcgan": [["sample", ident, "-n", "4", "-o", f"{out}.png"], ["info", ident],
                           ["walk", ident, "--seeds", "1,2", "--frames", "4", "-o", f"{out}.gif"]],
           "ring8-mlp": [["eval", ident], ["info", ident]],
           "photo2monet": [["stylize", "--model", ident, str(photo), "-o", out], ["info", ident]]}
    return gan[ident]


@pytest.mark.parametrize("ident", USED)
def test_every_command_accepts_a_bundled_id(intact, ident, tmp_path, photo, capsys):
    for argv in _commands(ident, tmp_path, photo):
        assert main(argv) == 0, argv
    assert "error" not in capsys.readouterr().err


def test_every_command_refuses_a_damaged_bundled_file(damaged, tmp_path, photo, capsys):
    ident, _ = damaged
    for argv in _commands(ident, tmp_path, photo):
        capsys.readouterr()
        assert main(argv) == 2, argv
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and "checksum mismatch" in err[0], (argv, err)
