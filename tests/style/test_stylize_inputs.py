"""Bad input to style transfer and the `ganstudio stylize` CLI: each bad file gets a clear message,
the rest of the batch carries on."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from ganstudio.cli.main import main
from ganstudio.core.errors import UserError
from ganstudio.style.photos import open_photo
from tests.style.style_fixtures import photo, write_photo, write_style_model


@pytest.fixture
def model(tmp_path) -> Path:
    return write_style_model(tmp_path / "tiny style.pt")


def test_non_image_and_truncated_jpeg_are_refused_by_name(tmp_path):
    (tmp_path / "notes.jpg").write_text("hello")
    with pytest.raises(UserError, match=r"notes\.jpg is not an image"):
        open_photo(tmp_path / "notes.jpg")
    full = write_photo(tmp_path / "full.jpg", 200, 150).read_bytes()
    (tmp_path / "cut.jpg").write_bytes(full[: len(full) // 2])
    with pytest.raises(UserError, match=r"cut\.jpg is damaged or truncated"):
        open_photo(tmp_path / "cut.jpg")


def test_sixteen_bit_png_is_converted_with_a_note(tmp_path):
    grey16 = (np.linspace(0, 65535, 64 * 48).reshape(48, 64)).astype(np.uint16)
    Image.fromarray(grey16).save(tmp_path / "deep.png")
    img, notes = open_photo(tmp_path / "deep.png")
    assert img.mode == "RGB" and img.size == (64, 48) and "16-bit" in notes[0]
    assert np.asarray(img)[-1, -1, 0] > 250  # the full range was kept, not clipped


def test_cmyk_jpeg_is_converted_with_a_note(tmp_path):
    Image.fromarray(photo()).convert("CMYK").save(tmp_path / "print.jpg")
    img, notes = open_photo(tmp_path / "print.jpg")
    assert img.mode == "RGB" and "CMYK" in notes[0]


def test_animated_gif_uses_the_first_frame_with_a_note(tmp_path):
    frames = [Image.fromarray(np.full((48, 64, 3), v, np.uint8)) for v in (10, 200, 90)]
    frames[0].save(tmp_path / "anim.gif", save_all=True, append_images=frames[1:])
    img, notes = open_photo(tmp_path / "anim.gif")
    assert np.asarray(img).mean() < 30 and "first of its 3 frames" in notes[0]


def test_too_small_is_refused_with_the_minimum(tmp_path):
    write_photo(tmp_path / "icon.png", 24, 64)
    with pytest.raises(UserError, match=r"icon.png is 24×64 px, too small") as info:
        open_photo(tmp_path / "icon.png")
    assert "32 px" in info.value.hint


def test_decompression_bomb_is_refused_with_its_size_and_how_to_allow_it(tmp_path):
    Image.new("1", (12000, 10000)).save(tmp_path / "bomb.png")  # 120 MP in a few kB
    with pytest.raises(UserError, match=r"bomb.png is 12000×10000 \(120 MP\)") as info:
        open_photo(tmp_path / "bomb.png")
    assert "--max-megapixels" in info.value.hint


def test_cli_batch_reports_each_bad_file_and_finishes_the_rest(tmp_path, model, capsys):
    (tmp_path / "in").mkdir()
    good = write_photo(tmp_path / "in" / "good photo.png", 120, 80)
    (tmp_path / "in" / "bad.jpg").write_text("nope")
    write_photo(tmp_path / "in" / "tiny.png", 16, 16)
    Image.new("1", (12000, 10000)).save(tmp_path / "in" / "bomb.png")
    out = tmp_path / "out"
    code = main(["stylize", "--model", str(model), str(tmp_path / "in"), "-o", str(out), "--tile", "64",
                 "--overlap", "16", "--format", "jpg", "--strength", "0.8"])
    err = capsys.readouterr().err
    assert code == 2
    assert "bad.jpg is not an image" in err and "tiny.png is 16×16 px" in err and "over the 100 MP safety limit" in err
    assert "3 of 4 photo(s) failed" in err
    result = Image.open(out / "good photo_photo-to-painting.jpg")
    assert result.size == Image.open(good).size
    meta = json.loads(result.getexif()[0x010E])
    assert meta["strength"] == 0.8 and meta["source"] == "good photo.png"


def test_cli_max_megapixels_lets_a_big_photo_through(tmp_path, model, capsys):
    write_photo(tmp_path / "p.png", 120, 80)
    assert main(["stylize", "--model", str(model), str(tmp_path / "p.png"), "-o", str(tmp_path / "o"),
                 "--max-megapixels", "0.005"]) == 2
    assert "safety limit" in capsys.readouterr().err
    assert main(["stylize", "--model", str(model), str(tmp_path / "p.png"), "-o", str(tmp_path / "o"),
                 "--max-megapixels", "1", "--morph", "--direction", "BA"]) == 0
    assert (tmp_path / "o" / "p_painting-to-photo.png").is_file()
    assert Image.open(tmp_path / "o" / "p_painting-to-photo.gif").n_frames > 10


def test_cli_unknown_style_names_the_bundled_ones(tmp_path, capsys):
    assert main(["stylize", "--model", "photo2nowhere", "x.jpg"]) == 2
    assert "no style model 'photo2nowhere'" in capsys.readouterr().err


def test_cli_on_real_photos(shared_datasets, tmp_path, model, capsys):
    photos = sorted((shared_datasets / "photos" / "bsds500-test").glob("*.jpg"))[:3]
    assert len(photos) == 3
    spaced = tmp_path / "my photo é.jpg"
    shutil.copy(photos[0], spaced)  # a user's file name: spaces and an accent
    code = main(["stylize", "--model", str(model), str(spaced), *map(str, photos[1:]), "-o", str(tmp_path / "out"),
                 "--tile", "256", "--overlap", "32"])
    assert code == 0, capsys.readouterr().err
    for src in [spaced, *photos[1:]]:
        out = tmp_path / "out" / f"{src.stem}_photo-to-painting.png"
        assert Image.open(out).size == Image.open(src).size
        assert "ganstudio" in Image.open(out).text


def test_cli_names_outputs_by_style_and_never_overwrites(tmp_path, model, capsys):
    from ganstudio.style.photos import styled_name

    assert styled_name("lake", "photo → Monet", ".png") == "lake_photo-to-monet.png"
    photo = write_photo(tmp_path / "p.png", 64, 48)
    (tmp_path / "other").mkdir()
    same_name = write_photo(tmp_path / "other" / "p.png", 64, 48)
    out = tmp_path / "o"
    assert main(["stylize", "--model", str(model), str(photo), str(same_name), "-o", str(out)]) == 0
    assert main(["stylize", "--model", str(model), str(photo), "-o", str(out), "--direction", "BA"]) == 0
    assert main(["stylize", "--model", str(model), str(photo), "-o", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["p_painting-to-photo.png", "p_photo-to-painting-2.png",
                                                     "p_photo-to-painting-3.png", "p_photo-to-painting.png"]


def test_cli_stroke_size_keeps_the_photos_size_and_says_when_the_photo_is_smaller(tmp_path, model, capsys):
    big, small = write_photo(tmp_path / "big.png", 700, 400), write_photo(tmp_path / "small.png", 200, 120)
    out = tmp_path / "o"
    assert main(["stylize", "--model", str(model), str(big), str(small), "-o", str(out), "--stroke", "512"]) == 0
    err = capsys.readouterr().err
    assert "note: small.png: the photo's long side (200 px) is not above the 512 px stroke size" in err
    assert "big.png: the photo" not in err
    painted = Image.open(out / "big_photo-to-painting.png")
    assert painted.size == (700, 400) and json.loads(painted.text["ganstudio"])["stroke"] == "512"
    assert main(["stylize", "--model", str(model), str(big), "-o", str(out), "--stroke", "256"]) == 2
    assert "invalid choice: '256'" in capsys.readouterr().err


def test_cli_stylizes_an_animated_gif_frame_by_frame_and_refuses_what_it_cannot(tmp_path, model, capsys,
                                                                                 monkeypatch):
    from ganstudio.style import animation

    frames = [Image.fromarray(photo(64, 48, seed)) for seed in range(5)]
    frames[0].save(tmp_path / "anim.gif", save_all=True, append_images=frames[1:], duration=100, loop=0)
    long = [Image.new("RGB", (32, 32), (i % 250, 0, 0)) for i in range(animation.MAX_FRAMES + 1)]
    long[0].save(tmp_path / "long.gif", save_all=True, append_images=long[1:], duration=20)
    monkeypatch.setattr(animation, "video_reader_available", lambda: False)
    (tmp_path / "clip.mp4").write_bytes(b"\x00\x00\x00\x18ftypmp42")
    still = write_photo(tmp_path / "still.png")
    out = tmp_path / "o"
    code = main(["stylize", "--model", str(model), *(str(tmp_path / n) for n in ("long.gif", "clip.mp4", "anim.gif")),
                 str(still), "-o", str(out), "--animation", "webp"])
    err = capsys.readouterr().err
    assert code == 2 and "2 of 4 photo(s) failed" in err
    assert "long.gif has 501 frames" in err and "clip.mp4: reading a video needs the optional video extra" in err
    with Image.open(out / "anim_photo-to-painting.webp") as anim:
        assert anim.n_frames == 5 and anim.size == (64, 48)
    assert json.loads((out / "anim_photo-to-painting.webp.json").read_text())["frames"] == 5
    assert (out / "still_photo-to-painting.png").is_file() and not (out / "long_photo-to-painting.webp").exists()
