"""Class posters, morphs and per-class exports on a tiny conditional generator."""

from __future__ import annotations

import csv

import numpy as np
import pytest

from ganstudio.classgen import generate as classgen
from ganstudio.core.errors import UserError
from ganstudio.core.jobs import Cancelled
from ganstudio.modelfiles.generator import load_generator
from tests.walk.test_walk import tiny_generator_file


@pytest.fixture
def cg(tmp_path):
    return load_generator(tiny_generator_file(tmp_path / "cg.pt", classes=3))


def test_poster_rows_are_classes_and_columns_share_latents(cg):
    out = classgen.poster(cg, 4, seed=10)
    assert out.shape == (12, 28, 28, 3)
    single = classgen.samples(cg, [2], [11])
    assert np.array_equal(out[2 * 4 + 1], single[0])  # row 2, column 1 = class 2, seed 11
    assert not np.array_equal(out[1], out[4 + 1])  # same latent, other class


def test_morph_starts_and_ends_on_the_classes(cg):
    frames = classgen.class_morph_frames(cg, 0, 2, 6, seed_a=5)
    assert frames.shape == (6, 28, 28, 3)
    assert np.array_equal(frames[0], classgen.samples(cg, [0], [5])[0])
    assert np.array_equal(frames[-1], classgen.samples(cg, [2], [5])[0])
    assert not np.array_equal(frames[2], frames[0])


@pytest.mark.parametrize("call, message", [
    (lambda g: classgen.class_morph_frames(g, 0, 3, 4, 0), "class '3' does not exist"),
    (lambda g: classgen.class_morph_frames(g, 0, 1, 1, 0), "frames is out of range"),
    (lambda g: classgen.class_morph_frames(g, 0, 1, 4, 0, easing="bounce"), "unknown easing"),
    (lambda g: classgen.export_per_class(g, "/tmp/never-written", 0, 0), "out of range"),
    (lambda g: classgen.export_per_class(g, "/tmp/never-written", 1, 0, scale=3), "use 1, 2, 4 or 8"),
    (lambda g: classgen.export_per_class(g, "/tmp/never-written", 1, 0, resample="cubic"), "unknown resampling"),
])
def test_bad_requests(cg, call, message):
    with pytest.raises(UserError, match=message):
        call(cg)


def test_unconditional_model_is_refused(tmp_path):
    g = load_generator(tiny_generator_file(tmp_path / "g.pt"))
    with pytest.raises(UserError, match="not a conditional model"):
        classgen.poster(g, 2, 0)


def test_export_per_class_writes_folders_and_csv(cg, tmp_path):
    cg.meta["class_names"] = ["T-shirt/top", "Sneaker", "Ankle boot"]
    seen = []
    out = classgen.export_per_class(cg, tmp_path / "out", 3, seed=7, progress=lambda d, t: seen.append((d, t)))
    assert sorted(p.name for p in out.iterdir()) == ["00_T-shirt_top", "01_Sneaker", "02_Ankle boot", "labels.csv"]
    rows = list(csv.DictReader((out / "labels.csv").open()))
    assert len(rows) == 9
    assert rows[4] == {"file": "01_Sneaker/8.png", "class_index": "1", "class": "Sneaker", "seed": "8"}
    assert all((out / r["file"]).is_file() for r in rows)
    assert seen[-1] == (9, 9)
    with pytest.raises(UserError, match="not empty"):
        classgen.export_per_class(cg, out, 1, 0)


def test_cancelled_export_leaves_nothing(cg, tmp_path):
    with pytest.raises(Cancelled):
        classgen.export_per_class(cg, tmp_path / "out", 2, 0, cancel=lambda: True)
    assert list(tmp_path.glob("*out*")) == []


@pytest.mark.parametrize("scale", [1, 2, 8])
def test_export_per_class_enlarges_by_whole_factors(cg, tmp_path, scale):
    from PIL import Image

    crisp = classgen.export_per_class(cg, tmp_path / "crisp", 1, seed=5, scale=scale)
    smooth = classgen.export_per_class(cg, tmp_path / "smooth", 1, seed=5, scale=scale, resample="smooth")
    side = cg.config.img_size
    one = classgen.samples(cg, [0], [5])[0]
    for folder in (crisp, smooth):
        with Image.open(folder / "00_c0" / "5.png") as im:
            assert im.size == (side * scale, side * scale)
    with Image.open(crisp / "00_c0" / "5.png") as im:
        pixels = np.asarray(im.convert("RGB"))
    assert (pixels == one.repeat(scale, 0).repeat(scale, 1)).all()  # crisp: every pixel an even square
    if scale > 1:
        with Image.open(smooth / "00_c0" / "5.png") as im:
            assert not (np.asarray(im.convert("RGB")) == pixels).all()  # smooth blends the squares
