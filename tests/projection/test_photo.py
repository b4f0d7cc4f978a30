"""The photo to project: centre or chosen square crops, never stretched, and bad photos refused by name."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from ganstudio.core.errors import UserError
from ganstudio.projection.photo import Crop, centre_crop, load_photo, parse_crop


def _halves(path, w=120, h=80):
    """Left half red, right half blue: a crop's position shows in its colours."""
    arr = np.zeros((h, w, 3), np.uint8)
    arr[:, : w // 2, 0] = 255
    arr[:, w // 2:, 2] = 255
    Image.fromarray(arr).save(path)
    return path


def test_the_default_crop_is_the_centre_square_and_is_never_stretched(tmp_path):
    photo = load_photo(_halves(tmp_path / "wide.png"), 32)
    assert photo.crop == Crop(20, 0, 80) == centre_crop(120, 80)
    assert photo.pixels.shape == (32, 32, 3) and photo.pixels.dtype == np.uint8
    left, right = photo.pixels[:, :12].mean((0, 1)), photo.pixels[:, -12:].mean((0, 1))
    assert left[0] > 200 and right[2] > 200  # both halves, side by side: a square, not a squeezed rectangle
    assert len(photo.sha256) == 64 and photo.name == "wide.png"


def test_a_chosen_crop_takes_that_square(tmp_path):
    photo = load_photo(_halves(tmp_path / "wide.png"), 32, Crop(0, 0, 40))
    assert photo.pixels[..., 0].min() > 200 and photo.pixels[..., 2].max() < 30  # all red: the left square


@pytest.mark.parametrize("crop, words", [(Crop(90, 0, 40), "outside"), (Crop(0, 0, 20), "smaller than"),
                                         (Crop(-1, 0, 40), "outside")])
def test_a_crop_outside_the_photo_or_under_the_model_size_is_refused(tmp_path, crop, words):
    with pytest.raises(UserError, match=words):
        load_photo(_halves(tmp_path / "wide.png"), 32, crop)


def test_a_too_small_photo_and_a_file_that_is_not_an_image_are_refused(tmp_path):
    with pytest.raises(UserError, match="too small"):
        load_photo(_halves(tmp_path / "small.png", 40, 24), 32)
    bad = tmp_path / "notes.jpg"
    bad.write_text("not a picture")
    with pytest.raises(UserError, match=r"notes\.jpg"):
        load_photo(bad, 32)
    with pytest.raises(UserError, match="does not exist"):
        load_photo(tmp_path / "missing.jpg", 32)


def test_crop_text_parses_or_says_how_to_write_it():
    assert parse_crop("10, 5, 64") == Crop(10, 5, 64)
    with pytest.raises(UserError, match="x,y,size"):
        parse_crop("10,5")
