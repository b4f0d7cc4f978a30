"""`ganstudio project`: the files it writes, the morph from the photo, bundled ids, and bad input."""

from __future__ import annotations

import json

import numpy as np
import pytest
from PIL import Image

from ganstudio.cli.main import main
from ganstudio.export.png import PROVENANCE_KEY
from ganstudio.modelfiles.generator import load_generator
from tests.projection.models import write_projection_model
from tests.walk.test_walk import decoded_frames, tiny_generator_file


@pytest.fixture(scope="module")
def model(tmp_path_factory):
    return write_projection_model(tmp_path_factory.mktemp("m") / "sg.pt")


def photo(path, w=48, h=40, seed=0):
    """A smooth random picture (a photo's colours vary slowly), w × h."""
    rng = np.random.default_rng(seed)
    small = rng.integers(0, 256, (4, 4, 3), dtype=np.uint8)
    Image.fromarray(small).resize((w, h), Image.Resampling.BICUBIC).save(path)
    return path


def test_the_files_and_a_morph_from_the_photo_to_two_seeds(model, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["project", str(model), str(photo(tmp_path / "me.png")), "-o", str(out), "--steps", "6",
                 "--restarts", "2", "--crop", "4,2,36", "--video", str(out / "opt.gif")]) == 0
    said = capsys.readouterr().out
    assert "PSNR" in said and "--seeds" in said
    projected = np.asarray(Image.open(out / "me-projected.png").convert("RGB"))
    assert projected.shape == (32, 32, 3)
    assert Image.open(out / "me-compare.png").size == (3 * 256, 256)
    info = json.loads(Image.open(out / "me-projected.png").info[PROVENANCE_KEY])
    assert info["projection"]["crop"] == [4, 2, 36] and info["projection"]["photo"] == "me.png"
    project = json.loads((out / "me-walk.json").read_text())
    key = project["walk"]["keyframes"][0]
    assert project["version"] == 2 and key["photo"] == "me.png" and len(key["photo_sha256"]) == 64
    video = decoded_frames(out / "opt.gif")  # a strip every 2 steps (search included), then the result
    compare = np.asarray(Image.open(out / "me-compare.png").convert("RGB")).astype(int)
    assert len(video) >= 10 and np.abs(video[-1].astype(int) - compare).mean() < 12  # one palette for all frames

    morph = tmp_path / "morph.png"  # APNG: lossless, so the frames can be compared with the pictures
    assert main(["walk", "--project", str(out / "me-walk.json"), "--seeds", "1,2", "--frames", "9",
                 "-o", str(morph)]) == 0
    frames = decoded_frames(morph)
    assert len(frames) == 9
    assert np.abs(frames[0].astype(int) - projected).max() <= 2  # the photo (its noise kept in float16)
    g = load_generator(model)
    assert np.array_equal(frames[3], g.generate(g.latents([1]))[0])  # then seed 1
    assert main(["walk", "--project", str(out / "me-walk.json"), "-o", str(tmp_path / "one.gif")]) == 2
    assert "nothing to morph" in capsys.readouterr().err


def test_a_bundled_model_is_accepted_by_its_id(tmp_path):
    out = tmp_path / "out"
    assert main(["project", "monet-stylegan", str(photo(tmp_path / "p.jpg", 80, 64)), "-o", str(out),
                 "--steps", "1", "--restarts", "1"]) == 0
    assert Image.open(out / "p-projected.png").size == (64, 64)


def test_a_dcgan_is_projected_in_z(tmp_path, capsys):
    dcgan = tiny_generator_file(tmp_path / "dc.pt")
    out = tmp_path / "out"
    assert main(["project", str(dcgan), str(photo(tmp_path / "p.png", 30, 30)), "-o", str(out), "--steps", "3"]) == 0
    assert "no W space" in capsys.readouterr().err
    key = json.loads((out / "p-walk.json").read_text())["walk"]["keyframes"][0]
    assert len(key["z"]) == 8 and key["photo"] == "p.png"


@pytest.mark.parametrize("extra, words", [
    (["--crop", "30,0,36"], "outside"), (["--crop", "a,b"], "x,y,size"), (["--class", "cat"], "not a conditional"),
    (["--video", "opt.avi"], "cannot tell the file format"), (["--steps", "0"], "out of range")])
def test_bad_input_is_one_line_and_writes_nothing(model, tmp_path, capsys, extra, words):
    out = tmp_path / "out"
    assert main(["project", str(model), str(photo(tmp_path / "me.png")), "-o", str(out), *extra]) == 2
    err = capsys.readouterr().err
    assert words in err and len(err.strip().splitlines()) == 1
    assert not out.exists() or not any(out.iterdir())


def test_bad_photos_and_a_w_plus_without_w_are_refused(model, tmp_path, capsys):
    out = tmp_path / "out"
    small = photo(tmp_path / "small.png", 20, 20)
    text = tmp_path / "notes.jpg"
    text.write_text("not a picture")
    dcgan = tiny_generator_file(tmp_path / "dc.pt")
    for args, words in (([str(model), str(small)], "too small"), ([str(model), str(text)], "notes.jpg"),
                        ([str(dcgan), str(photo(tmp_path / "p.png", 30, 30)), "--space", "w+"], "no W space")):
        assert main(["project", *args, "-o", str(out)]) == 2
        err = capsys.readouterr().err
        assert words in err and len(err.strip().splitlines()) == 1
    assert not out.exists() or not any(out.iterdir())
