"""A photo whose file name is not UTF-8 (as Linux allows) is stylized and exported with its provenance;
it neither crashes the PNG writer nor stops the rest of a batch."""

from __future__ import annotations

import json
import os

from PIL import Image

from ganstudio.cli.main import main
from ganstudio.export.png import PROVENANCE_KEY, save_png
from tests.style.style_fixtures import write_photo, write_style_model


def test_png_provenance_keeps_a_name_that_is_not_utf8(tmp_path):
    name = os.fsdecode(b"x_\xe9\xff.jpg")  # a lone surrogate per byte that is not UTF-8
    out = save_png(Image.new("RGB", (4, 4)), tmp_path / "o.png", json.dumps({"source": name}, ensure_ascii=False))
    with Image.open(out) as img:
        assert json.loads(img.text[PROVENANCE_KEY])["source"] == name


def test_stylize_a_batch_with_a_name_that_is_not_utf8(tmp_path, capsys):
    model = write_style_model(tmp_path / "style.pt")
    odd = write_photo(tmp_path / os.fsdecode(b"x_\xe9\xff.png"))
    plain = write_photo(tmp_path / "plain.png")
    assert main(["stylize", "--model", str(model), str(odd), str(plain), "-o", str(tmp_path / "out")]) == 0
    written = sorted(os.listdir(tmp_path / "out"))
    assert len(written) == 2 and "plain_photo-to-painting.png" in written
    assert "error" not in capsys.readouterr().err
