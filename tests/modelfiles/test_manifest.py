"""Model library: the manifest and its checks, listing, import / export of model files."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
import torch

from ganstudio.core import paths
from ganstudio.core.config import ModelConfig
from ganstudio.core.errors import UserError
from ganstudio.modelfiles import library, manifest, transfer
from ganstudio.modelfiles.generator import generator_meta, load_generator, save_generator_file
from ganstudio.modelfiles.resolve import resolve_model
from ganstudio.models import build_generator


def tiny_file(path, classes: int = 0):
    torch.manual_seed(0)
    cfg = ModelConfig(arch="cdcgan" if classes else "dcgan", z_dim=8, img_size=28, channels=1, base_ch=4,
                      num_classes=classes)
    names = [f"c{i}" for i in range(classes)]
    return save_generator_file(path, build_generator(cfg).state_dict(),
                               generator_meta(cfg, steps=7, class_names=names, data={"kind": "mnist"}))


@pytest.fixture
def folder(tmp_path):
    """A pretrained folder with one conditional model and its manifest entry."""
    path = tiny_file(tmp_path / "tiny.pt", classes=3)
    manifest.upsert_manifest_entry(transfer.manifest_entry(path, "tiny", "Tiny", licence="test"), tmp_path)
    return tmp_path


def test_manifest_entry_describes_the_file(folder):
    (entry,) = manifest.read_manifest(folder)
    assert entry["classes"] == ["c0", "c1", "c2"] and entry["resolution"] == 28 and entry["steps"] == 7
    assert entry["size_bytes"] == (folder / "tiny.pt").stat().st_size and len(entry["sha256"]) == 64
    assert entry["dataset"] == "mnist" and entry["licence"] == "test"


def test_upsert_replaces_by_id_and_keeps_others(folder):
    manifest.upsert_manifest_entry({"id": "style", "file": "s.pt", "kind": "cyclegan"}, folder)
    manifest.upsert_manifest_entry({**manifest.read_manifest(folder)[0], "title": "Renamed"}, folder)
    models = manifest.read_manifest(folder)
    assert [m["id"] for m in models] == ["tiny", "style"] and models[0]["title"] == "Renamed"


def test_verified_bundled_file_loads(folder):
    (entry,) = library.bundled_models(folder)
    assert entry.conditional
    assert load_generator(library.verified_path(entry)).num_classes == 3


def test_tampered_file_is_refused(folder):
    path = folder / "tiny.pt"
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF  # same size, different bytes
    path.write_bytes(bytes(data))
    with pytest.raises(UserError, match=r"damaged \(checksum mismatch"):
        library.verified_path(library.bundled_models(folder)[0])


def test_truncated_or_missing_file_is_refused(folder):
    path = folder / "tiny.pt"
    path.write_bytes(path.read_bytes()[:1000])
    with pytest.raises(UserError, match="damaged"):
        library.verified_path(library.bundled_models(folder)[0])
    path.unlink()
    with pytest.raises(UserError, match="missing"):
        library.verified_path(library.bundled_models(folder)[0])


@pytest.mark.parametrize("text", ["{not json", '{"models": [{"title": "no id"}]}', '{"models": 3}', "[]"])
def test_damaged_manifest(tmp_path, text):
    (tmp_path / "manifest.json").write_text(text)
    with pytest.raises(UserError, match="manifest is damaged"):
        manifest.read_manifest(tmp_path)


def test_import_numbers_duplicates_and_export_copies(tmp_path, folder):
    src = tiny_file(tmp_path / "mine.pt")
    root = tmp_path / "models"
    first, second = transfer.import_model_file(src, root), transfer.import_model_file(src, root)
    assert (first.name, second.name) == ("mine.pt", "mine-2.pt")
    assert sorted(e.path for e in library.imported_models(root)) == sorted([first, second])
    (tmp_path / "out").mkdir()
    out = transfer.export_model_file(library.bundled_models(folder)[0], tmp_path / "out")
    assert out == tmp_path / "out" / "tiny.pt" and out.read_bytes() == (folder / "tiny.pt").read_bytes()
    with pytest.raises(UserError, match="is the model itself"):
        transfer.export_model_file(library.bundled_models(folder)[0], folder)


def test_import_refuses_foreign_and_checkpoint_files(tmp_path):
    bad = tmp_path / "notes.pt"
    bad.write_text("hello")
    with pytest.raises(UserError, match="truncated or not a PyTorch file"):
        transfer.import_model_file(bad, tmp_path / "models")
    other = tmp_path / "other.pt"
    torch.save({"format": "something-else", "version": 1}, other)
    with pytest.raises(UserError, match="not a GAN Studio"):
        transfer.import_model_file(other, tmp_path / "models")
    ckpt = tmp_path / "ckpt_10.pt"
    ckpt.write_bytes(b"")
    with pytest.raises(UserError, match="checkpoint"):
        transfer.import_model_file(ckpt, tmp_path / "models")
    assert not (tmp_path / "models").exists() or not list((tmp_path / "models").iterdir())


def test_resolve_model_by_id_or_path(tmp_path, monkeypatch, folder):
    monkeypatch.setattr(paths, "pretrained_dir", lambda: folder)
    assert resolve_model("tiny") == folder / "tiny.pt"
    assert resolve_model(str(folder / "tiny.pt")) == folder / "tiny.pt"
    with pytest.raises(UserError, match=r"no model 'nope'.*tiny"):
        resolve_model("nope")


def test_a_training_state_is_not_listed_but_resolves_by_id(monkeypatch, folder):
    """A style kept between training sessions: the library never offers it, `--init ID` still finds it."""
    state = tiny_file(folder / "style-training.pt")
    manifest.upsert_manifest_entry(transfer.manifest_entry(state, "style-training", "Style (training state)",
                                                           kind="training"), folder)
    assert [e.id for e in library.bundled_models(folder)] == ["tiny"]
    monkeypatch.setattr(paths, "pretrained_dir", lambda: folder)
    assert resolve_model("style-training") == state


def test_manifest_json_is_readable_by_hand(folder):
    text = (folder / "manifest.json").read_text()
    assert json.loads(text)["models"][0]["id"] == "tiny" and text.endswith("\n")


def test_listing_the_library_does_not_import_torch():
    code = ("import sys, ganstudio.modelfiles.library as lib, ganstudio.modelfiles.resolve; lib.all_models(); "
            "print('torch' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_runs_say_whether_they_draw_images(tmp_path):
    import json

    from ganstudio.modelfiles.library import user_runs

    for name, arch in (("ring", "mlp"), ("digits", "dcgan"), ("monet", "cyclegan")):
        run = tmp_path / name
        run.mkdir()
        (run / "generator.pt").write_bytes(b"x")
        (run / "config.json").write_text(json.dumps({"model": {"arch": arch}}))
    found = {e.id: (e.kind, e.draws_images) for e in user_runs(tmp_path)}
    assert found == {"run:ring": ("gan", False), "run:digits": ("gan", True), "run:monet": ("cyclegan", True)}


def test_a_runs_generator_file_is_imported_under_the_runs_name(tmp_path):
    root = tmp_path / "models"
    for run in ("monet64", "ring8"):
        (tmp_path / "runs" / run).mkdir(parents=True)
        tiny_file(tmp_path / "runs" / run / "generator.pt")
    first = transfer.import_model_file(tmp_path / "runs" / "monet64" / "generator.pt", root)
    second = transfer.import_model_file(tmp_path / "runs" / "ring8" / "generator.pt", root)
    assert (first.name, second.name) == ("monet64.pt", "ring8.pt")
    assert sorted(e.title for e in library.imported_models(root)) == ["monet64", "ring8"]
