"""Opening users' images safely: odd modes, EXIF rotation, truncation and decompression bombs.

Every image the app reads goes through `open_rgb` so that CMYK JPEGs, 16-bit PNGs, palette
images with transparency and animated GIFs all arrive as plain 8-bit RGB(A) arrays, and a
broken file becomes a `UserError` naming the file instead of a traceback.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from ganstudio.core.errors import UserError
from ganstudio.core.files import regular_file

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".bmp", ".gif", ".webp", ".tif", ".tiff"}
DEFAULT_MAX_PIXELS = 100_000_000  # 100 MP; larger images are refused unless the user allows them
Image.MAX_IMAGE_PIXELS = None  # one size limit, the app's (`max_pixels`, checked from the header), not Pillow's too


def is_image_path(path: Path) -> bool:
    return path.is_file() and path.suffix.lower() in IMAGE_SUFFIXES and not path.name.startswith(".")


def _to_8bit(img: Image.Image) -> Image.Image:
    """16-bit and float greyscale ('I;16', 'I', 'F') → 'L' by scaling the real range."""
    arr = np.asarray(img, dtype=np.float64)
    hi = 65535.0 if img.mode.startswith("I;16") or arr.max() > 255 else 255.0
    return Image.fromarray(np.clip(arr / hi * 255.0 + 0.5, 0, 255).astype(np.uint8), "L")


def open_image(path: str | Path, keep_alpha: bool = False, max_pixels: int = DEFAULT_MAX_PIXELS) -> Image.Image:
    """Open an image as 8-bit 'RGB' (or 'RGBA' with `keep_alpha`), upright per its EXIF tag.

    Raises UserError for files that are missing, not regular files (a pipe would block), not images,
    truncated, or larger than `max_pixels` (a decompression-bomb guard the user can lift).
    """
    path = regular_file(path)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            img: Image.Image = Image.open(path)
            w, h = img.size
            if max_pixels and w * h > max_pixels:
                raise UserError(
                    f"{path.name} is {w}×{h} ({w * h / 1e6:.0f} MP), over the {max_pixels / 1e6:.0f} MP safety limit",
                    "raise the limit with --max-megapixels if you trust this file",
                )
            if getattr(img, "is_animated", False):
                img.seek(0)  # first frame of an animated GIF / WebP
            img.load()
    except UserError:
        raise
    except FileNotFoundError as exc:
        raise UserError(f"{path} does not exist") from exc
    except UnidentifiedImageError as exc:
        raise UserError(f"{path.name} is not an image GAN Studio can read",
                        "use PNG, JPEG, WebP, BMP, TIFF or GIF") from exc
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise UserError(f"{path.name} is damaged or truncated ({exc})") from exc
    img = ImageOps.exif_transpose(img)
    if img.mode in ("I;16", "I;16B", "I;16L", "I", "F"):
        img = _to_8bit(img)
    if img.mode == "P":
        img = img.convert("RGBA")
    has_alpha = img.mode in ("RGBA", "LA", "PA")
    if keep_alpha and has_alpha:
        return img.convert("RGBA")
    if has_alpha:  # composite on white: transparent areas are usually "paper"
        rgba = img.convert("RGBA")
        base = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(base, rgba).convert("RGB")
    return img.convert("RGB")


def fit_square(img: Image.Image, size: int) -> Image.Image:
    """Centre-crop to a square and resize: the standard framing for GAN training images."""
    return ImageOps.fit(img, (size, size), Image.Resampling.BICUBIC)
