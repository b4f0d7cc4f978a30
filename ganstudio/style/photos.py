"""Photos in and out of style transfer: checked opening with notes, export with provenance, morph GIF.

Opening goes through `ganstudio.core.images.open_image` (EXIF orientation, odd modes, truncation,
decompression bombs) and adds what the user should be told about the conversion: a 16-bit PNG
was reduced to 8 bits, a CMYK JPEG converted to RGB, only an animation's first frame used.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
from PIL import Image

from ganstudio import __version__
from ganstudio.core.atomic import atomic_write
from ganstudio.core.errors import UserError
from ganstudio.core.images import DEFAULT_MAX_PIXELS, open_image
from ganstudio.export.png import save_png
from ganstudio.style.animation import VIDEO_SUFFIXES, first_video_frame
from ganstudio.style.tiles import check_size

EXPORT_FORMATS = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".webp": "WEBP"}
MORPH_SIDE = 360  # long side of the morph GIF: full-size GIFs of photos are huge and slow
EXIF_DESCRIPTION, EXIF_SOFTWARE = 0x010E, 0x0131


def open_photo(path: str | Path, max_pixels: int = DEFAULT_MAX_PIXELS) -> tuple[Image.Image, list[str]]:
    """An upright RGB / RGBA photo ready to stylize, and notes about how it was converted."""
    path = Path(path)
    if path.suffix.lower() in VIDEO_SUFFIXES:
        video = first_video_frame(path, max_pixels)
        return video, ["video: the preview and photo exports use its first frame; export it as an animation to "
                       "stylize every frame"]
    img = open_image(path, keep_alpha=True, max_pixels=max_pixels)
    if img.mode == "RGBA" and img.getchannel("A").getextrema() == (255, 255):
        img = img.convert("RGB")  # an opaque alpha channel (palette GIFs, many PNGs) carries nothing
    notes = []
    with Image.open(path) as raw:  # header only: what did the file hold before conversion?
        mode, frames = raw.mode, getattr(raw, "n_frames", 1)
    if mode.startswith("I;16") or mode in ("I", "F"):
        notes.append("16-bit image reduced to 8 bits per channel")
    elif mode == "CMYK":
        notes.append("CMYK image converted to RGB (print colours may shift slightly)")
    if frames > 1:
        notes.append(f"animated image: the preview and photo exports use the first of its {frames} frames; export "
                     "it as an animation to stylize them all")
    check_size(*img.size, name=path.name)
    return img, notes


def provenance(source: str | Path, model: str, direction: str, strength: float, tile: int, overlap: int,
               stroke: str) -> dict:
    return {"source": Path(source).name, "model": model, "direction": direction, "strength": round(strength, 3),
            "stroke": stroke, "tile": tile, "overlap": overlap, "app": f"GAN Studio {__version__}"}


def styled_name(stem: str, style: str, suffix: str) -> str:
    """`<stem>_<style><suffix>`, e.g. `lake_photo-to-monet.png`: a second style never takes the first's name."""
    slug = re.sub(r"[^a-z0-9]+", "-", style.lower().replace("→", " to ")).strip("-") or "styled"
    return f"{stem}_{slug}{suffix}"


def unused_path(path: Path, taken: set[Path] | None = None) -> Path:
    """`path`, or `<stem>-2<suffix>`, `-3`, … if a file (or an earlier name in `taken`) already has it."""
    taken = taken if taken is not None else set()
    candidate, n = path, 1
    while candidate.exists() or candidate in taken:
        n += 1
        candidate = path.with_name(f"{path.stem}-{n}{path.suffix}")
    taken.add(candidate)
    return candidate


def export_format(path: str | Path) -> str:
    fmt = EXPORT_FORMATS.get(Path(path).suffix.lower())
    if fmt is None:
        raise UserError(f"cannot save '{Path(path).name}': unknown image type", "end the name with .png, .jpg or .webp")
    return fmt


def save_image(image: Image.Image, path: str | Path, meta: dict, quality: int = 95) -> Path:
    """PNG (text chunk), JPEG or WebP (EXIF description) at full size, written atomically.

    JPEG has no alpha channel: transparent areas are flattened onto white.
    """
    fmt = export_format(path)
    if fmt == "PNG":
        return save_png(image, path, json.dumps(meta, ensure_ascii=False))
    if fmt == "JPEG" and image.mode == "RGBA":
        flat = Image.new("RGB", image.size, (255, 255, 255))
        flat.paste(image, mask=image.getchannel("A"))
        image = flat
    exif = Image.Exif()
    exif[EXIF_DESCRIPTION] = json.dumps(meta)  # EXIF text is ASCII: non-ASCII letters as \u escapes
    exif[EXIF_SOFTWARE] = meta.get("app", "GAN Studio")
    opts = {"quality": quality, "exif": exif.tobytes()}
    return atomic_write(path, lambda fh: image.save(fh, format=fmt, **opts))


def crossfade_frames(original: Image.Image, stylized: Image.Image, steps: int = 10, side: int = MORPH_SIDE,
                 hold: int = 4) -> list[np.ndarray]:
    """original → stylized → original as RGB frames at most `side` px on the long side, easing in
    and out and pausing `hold` frames on each end."""
    scale = min(1.0, side / max(original.size))
    size = (max(1, round(original.size[0] * scale)), max(1, round(original.size[1] * scale)))
    a = np.asarray(original.convert("RGB").resize(size, Image.Resampling.LANCZOS), np.float32)
    b = np.asarray(stylized.convert("RGB").resize(size, Image.Resampling.LANCZOS), np.float32)
    ts = [0.5 - 0.5 * np.cos(np.pi * i / (steps - 1)) for i in range(steps)]
    forward = [np.clip(a + (b - a) * t + 0.5, 0, 255).astype(np.uint8) for t in ts]
    return [forward[0]] * hold + forward + [forward[-1]] * hold + forward[-2:0:-1]


def save_morph_gif(original: Image.Image, stylized: Image.Image, path: str | Path, meta: dict,
                   fps: float = 12.0, steps: int = 10, side: int = MORPH_SIDE) -> Path:
    """A looping "original → stylized" GIF of `steps` blend frames, at most `side` px on the long side
    (one shared palette, provenance in the file and a sidecar)."""
    from ganstudio.export.writers import write_animation

    return write_animation(crossfade_frames(original, stylized, steps, side), path, fmt="gif", fps=fps,
                           provenance=meta)
