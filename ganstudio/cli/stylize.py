"""`ganstudio stylize`: restyle photos at full resolution with a CycleGAN style model.

    ganstudio stylize --model photo2monet photo.jpg more/*.jpg -o out/ [--stroke 1024] [--strength 0.8]

--stroke is the photo's long side while the network paints it (512, 1024 or full): the scale of
the brush strokes; the result is always at the photo's own resolution (`ganstudio.style.stroke`).

A bad file (not an image, truncated, too small, too big) is reported on one line and the rest
of the batch carries on; the exit code is 2 if any file failed.
"""

from __future__ import annotations

import argparse
import sys
from functools import partial
from pathlib import Path

from ganstudio.cli.args import device, float_in, int_in, out_folder
from ganstudio.cli.progress import ProgressBar
from ganstudio.core.errors import UserError
from ganstudio.style.queue import collect_photos
from ganstudio.style.stroke import DEFAULT_STROKE, STROKES


def add_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("photos", nargs="+", help="photos or folders of photos")
    p.add_argument("--model", default="photo2monet",
                   help="a bundled style id (e.g. photo2monet) or a style model file / run folder")
    p.add_argument("--direction", choices=["AB", "BA"], help="which way to translate (default: the style's own)")
    p.add_argument("-o", "--out", type=out_folder, default="stylized", help="output folder")
    p.add_argument("--format", choices=["png", "jpg", "webp"], default="png")
    p.add_argument("--stroke", choices=list(STROKES), default=DEFAULT_STROKE,
                   help="the photo's long side while the network paints it, i.e. the scale of the brush strokes "
                   f"(default {DEFAULT_STROKE}); the result keeps the photo's size and detail. 'full' paints the "
                   "photo itself: finest strokes, slowest. A photo not larger than the stroke size is painted at "
                   "its own size, with a note")
    p.add_argument("--tile", type=int_in(64, 4096), default=512, help="tile size in pixels (multiple of 4, 64–4096)")
    p.add_argument("--overlap", type=int_in(0, 2048), default=64, help="tile overlap in pixels (multiple of 4)")
    p.add_argument("--strength", type=float_in(0, 1), default=1.0, help="0 = original, 1 = full style")
    p.add_argument("--morph", action="store_true", help="also write an original → stylized GIF per photo")
    p.add_argument("--max-megapixels", type=float_in(0, 10_000, lo_open=True), default=100.0,
                   help="refuse larger images (decompression-bomb guard; default 100, at most 10000)")
    p.add_argument("--device", type=device, default="auto")


def run(args: argparse.Namespace) -> int:
    from ganstudio.core.device import pick_device
    from ganstudio.style.photos import open_photo, provenance, save_image, save_morph_gif, styled_name, unused_path
    from ganstudio.style.stroke import paint_image
    from ganstudio.style.tiles import resolve_style

    model, direction = resolve_style(args.model, pick_device(args.device))
    direction = args.direction or direction
    photos = collect_photos(args.photos)
    if not photos:
        raise UserError("no photos to stylize", "give image files or folders that hold some")
    out_dir = Path(args.out).expanduser()
    failed = 0
    written: set[Path] = set()  # names this run has used, so two photos of one name do not collide
    for n, photo in enumerate(photos, 1):
        label = f"[{n}/{len(photos)}] {photo.name}"
        try:
            image, notes = open_photo(photo, max_pixels=int(args.max_megapixels * 1e6))
            for note in notes:
                print(f"note: {photo.name}: {note}", file=sys.stderr)
            bar = ProgressBar(1, label)
            result, notes = paint_image(model, image, direction, args.strength, args.stroke, args.tile, args.overlap,
                                        progress=partial(_tick, bar))
            bar.close()
            for note in notes:
                print(f"note: {photo.name}: {note}", file=sys.stderr)
            meta = provenance(photo, args.model, model.direction_label(direction), args.strength, args.tile,
                              args.overlap, args.stroke)
            name = styled_name(photo.stem, model.direction_label(direction), f".{args.format}")
            target = unused_path(out_dir / name, written)  # never overwrite an earlier output
            save_image(result, target, meta)
            if args.morph:
                save_morph_gif(image, result, target.with_suffix(".gif"), meta)
            print(f"wrote {target} ({result.size[0]}×{result.size[1]})", file=sys.stderr)
        except UserError as exc:
            failed += 1
            print(f"error: {exc}", file=sys.stderr)
    if failed:
        print(f"{failed} of {len(photos)} photo(s) failed", file=sys.stderr)
        return 2
    return 0


def _tick(bar: ProgressBar, done: int, total: int) -> None:
    bar.total = total
    bar.update(done, force=done == total)

