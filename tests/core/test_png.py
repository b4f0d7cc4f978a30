"""The one PNG writer: provenance and the app name in text chunks, from arrays and PIL images alike."""

from __future__ import annotations

import json

import numpy as np
from PIL import Image

from ganstudio.cli.main import main
from ganstudio.export.png import save_png


def test_array_and_image_get_the_same_chunks(tmp_path):
    array = np.arange(4 * 5 * 3, dtype=np.uint8).reshape(4, 5, 3)
    for name, picture in (("a.png", array), ("b.png", Image.fromarray(array))):
        out = save_png(picture, tmp_path / name, json.dumps({"seed": 3}))
        with Image.open(out) as img:
            assert np.array_equal(np.asarray(img), array)
            assert json.loads(img.info["ganstudio"]) == {"seed": 3} and img.info["Software"].startswith("GAN Studio")


def test_without_provenance_only_the_app_is_named(tmp_path):
    with Image.open(save_png(np.zeros((2, 2, 3), np.uint8), tmp_path / "c.png")) as img:
        assert "ganstudio" not in img.info and "Software" in img.info


def test_sample_writes_provenance_through_it(tmp_path):
    out = tmp_path / "s.png"
    assert main(["sample", "ring8-mlp", "-n", "8", "--seed", "4", "-o", str(out)]) == 0
    with Image.open(out) as img:
        prov = json.loads(img.info["ganstudio"])
    assert prov["seeds"] == [4, 11] and prov["model"].endswith("ring8-mlp.pt") and prov["app"] == "GAN Studio"
