import numpy as np
import pytest
from PIL import Image

from ganstudio.core.errors import UserError
from ganstudio.core.images import open_image


def test_16bit_png_keeps_its_brightness(tmp_path):
    Image.fromarray(np.full((8, 8), 40000, np.uint16)).save(tmp_path / "deep.png")
    arr = np.asarray(open_image(tmp_path / "deep.png"))
    assert arr.shape == (8, 8, 3) and abs(int(arr[0, 0, 0]) - 156) <= 1


def test_cmyk_becomes_rgb(tmp_path):
    Image.new("CMYK", (8, 8), (0, 255, 255, 0)).save(tmp_path / "c.jpg")
    img = open_image(tmp_path / "c.jpg")
    r, g, b = img.getpixel((4, 4))
    assert img.mode == "RGB" and r > 200 and g < 60 and b < 60


def test_exif_orientation_is_applied(tmp_path):
    img = Image.new("RGB", (20, 10))
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise when shown
    img.save(tmp_path / "rot.jpg", exif=exif)
    assert open_image(tmp_path / "rot.jpg").size == (10, 20)


def test_alpha_kept_or_composited(tmp_path):
    Image.new("RGBA", (4, 4), (0, 0, 0, 0)).save(tmp_path / "a.png")
    assert open_image(tmp_path / "a.png", keep_alpha=True).mode == "RGBA"
    assert open_image(tmp_path / "a.png").getpixel((0, 0)) == (255, 255, 255)


def test_truncated_and_foreign_files(tmp_path):
    Image.new("RGB", (64, 64), "red").save(tmp_path / "ok.jpg", quality=95)
    data = (tmp_path / "ok.jpg").read_bytes()
    (tmp_path / "cut.jpg").write_bytes(data[: len(data) // 3])
    with pytest.raises(UserError, match="damaged or truncated"):
        open_image(tmp_path / "cut.jpg")
    (tmp_path / "x.png").write_text("hello")
    with pytest.raises(UserError, match="not an image"):
        open_image(tmp_path / "x.png")


def test_decompression_bomb_is_refused_with_size(tmp_path):
    Image.new("L", (3000, 3000)).save(tmp_path / "big.png")
    with pytest.raises(UserError, match="3000×3000") as info:
        open_image(tmp_path / "big.png", max_pixels=1_000_000)
    assert "limit" in str(info.value)
    assert open_image(tmp_path / "big.png", max_pixels=10_000_000).size == (3000, 3000)


def test_animated_gif_uses_first_frame(tmp_path):
    frames = [Image.new("RGB", (6, 6), c) for c in ("red", "blue")]
    frames[0].save(tmp_path / "anim.gif", save_all=True, append_images=frames[1:])
    assert open_image(tmp_path / "anim.gif").getpixel((0, 0))[0] > 200
