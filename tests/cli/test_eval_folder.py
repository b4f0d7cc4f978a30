"""`ganstudio eval --real FOLDER`: SWD and KID of any image model or sample folder beside the real floor."""

from __future__ import annotations

import json
import math

import pytest
import torch
from PIL import Image

from ganstudio.cli.main import main
from ganstudio.core.config import ModelConfig
from ganstudio.core.errors import UserError
from ganstudio.metrics.folder_eval import evaluate_generator
from ganstudio.modelfiles.generator import generator_meta, load_generator, save_generator_file
from ganstudio.models import build_generator
from tests.conftest import write_images
from tests.metrics.test_swd import blobs


def write_blobs(folder, n: int, seed: int, size: int = 32):
    folder.mkdir(parents=True, exist_ok=True)
    for i, img in enumerate(blobs(n, size, seed)):
        Image.fromarray(img).save(folder / f"p{i:03d}.png")
    return folder


@pytest.fixture
def sets(tmp_path):
    """Two folders of 'paintings' from one distribution: held-out real images and a training set."""
    return write_blobs(tmp_path / "real", 24, seed=1), write_blobs(tmp_path / "train", 30, seed=2, size=48)


def untrained(path, train_folder="", arch: str = "dcgan", img_size: int = 32):
    torch.manual_seed(0)
    cfg = ModelConfig(arch=arch, z_dim=8, img_size=img_size, channels=3, base_ch=4)
    meta = generator_meta(cfg, steps=0, data={"kind": "folder", "path": str(train_folder)})
    return save_generator_file(path, build_generator(cfg).state_dict(), meta)


def test_the_real_floor_is_below_an_untrained_generator(tmp_path, sets):
    real, train = sets
    g = load_generator(untrained(tmp_path / "g.pt", train))
    report = evaluate_generator(g, real, None, n=30)  # the floor defaults to the training folder
    assert report.floor_folder == str(train) and report.n == 30 and report.real_count == 24
    assert report.resolution == 32 and set(report.model.swd) == {"32px", "16px", "mean"}
    figures = [*report.model.swd.values(), *report.floor.swd.values(), report.model.kid, report.floor.kid]
    assert all(math.isfinite(v) for v in figures)
    assert report.floor.swd["mean"] < report.model.swd["mean"] / 2
    assert report.floor.kid < report.model.kid / 3


def test_the_cli_prints_swd_and_kid_beside_the_floor(tmp_path, sets, capsys):
    real, train = sets
    path = untrained(tmp_path / "g.pt")
    assert main(["eval", str(path), "--real", str(real), "--floor", str(train), "-n", "24"]) == 0
    out = capsys.readouterr().out
    assert "floor (real vs real)" in out and "SWD ×1e3 32 px" in out and "SWD ×1e3 mean" in out
    assert "KID ×1e3" in out and "× the floor" in out and "held-out accuracy" in out
    assert main(["eval", str(path), "--real", str(real), "--floor", str(train), "-n", "24", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["n"] == 24 and data["model"]["swd"]["mean"] > data["floor"]["swd"]["mean"]


def test_a_folder_of_generated_images_is_measured_as_a_model_is(tmp_path, sets, capsys):
    real, train = sets
    fake = write_blobs(tmp_path / "fake", 24, seed=3)
    assert main(["eval", "--fake", str(fake), "--real", str(real), "--floor", str(train), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["n"] == 24 and data["resolution"] == 32 and data["subject"] == "fake/"
    noise = tmp_path / "noise"
    write_images(noise, 24, size=32, seed=5)
    assert main(["eval", "--fake", str(noise), "--real", str(real), "--floor", str(train), "--json"]) == 0
    worse = json.loads(capsys.readouterr().out)
    assert worse["model"]["swd"]["mean"] > 2 * data["model"]["swd"]["mean"]
    assert worse["model"]["kid"] > data["model"]["kid"]


def test_bad_input_is_one_line(tmp_path, sets, capsys):
    real, train = sets
    path = untrained(tmp_path / "g.pt")
    few = tmp_path / "few"
    write_images(few, 5, size=32)
    (tmp_path / "empty").mkdir()
    cases = [
        (["eval", str(path), "--real", str(tmp_path / "empty"), "--floor", str(train)], "holds no images"),
        (["eval", str(path), "--real", str(few), "--floor", str(train)], "has 5 readable image(s)"),
        (["eval", str(path), "--real", str(real)], "--floor FOLDER"),
        (["eval", "--fake", str(real), "--real", str(real)], "--fake needs --floor"),
        (["eval", str(path), "--fake", str(real), "--real", str(real), "--floor", str(train)], "not both"),
        (["eval", str(path), "--real", str(real), "--floor", str(train), "-n", "5"], "out of range"),
        (["eval"], "give a MODEL"),
    ]
    for argv, message in cases:
        assert main(argv) == 2, argv
        err = capsys.readouterr().err
        assert message in err and err.count("\n") == 1, (argv, err)
    torch.manual_seed(0)
    cfg = ModelConfig(arch="mlp", z_dim=2, hidden=8, layers=1)
    mlp = save_generator_file(tmp_path / "mlp.pt", build_generator(cfg).state_dict(), generator_meta(cfg))
    assert main(["eval", str(mlp), "--real", str(real), "--floor", str(train)]) == 2
    assert "2D points" in capsys.readouterr().err


def test_images_below_16_px_are_refused(tmp_path, sets):
    real, train = sets
    tiny = tmp_path / "tiny"
    write_images(tiny, 24, size=12)
    from ganstudio.metrics.folder_eval import evaluate_folder

    with pytest.raises(UserError, match="at least 16 px"):
        evaluate_folder(tiny, real, train)
