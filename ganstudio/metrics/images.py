"""Folders of real (or generated) images as uint8 arrays at one resolution, for the quality figures."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ganstudio.core.errors import UserError
from ganstudio.core.images import fit_square, open_image
from ganstudio.data.folder import scan_folder


def folder_images(path: str | Path, size: int, channels: int = 3, n: int = 0, seed: int = 0,
                  minimum: int = 1, role: str = "") -> np.ndarray:
    """Up to `n` images (0 = all; a seeded random choice when the folder holds more) from `path`,
    centre-cropped and resized to `size`, as (N, size, size, 3) uint8; grey when `channels` is 1
    (repeated to RGB, as grey generators' samples are). Unreadable files are skipped; fewer than
    `minimum` readable images is a UserError naming the folder and its `role`."""
    scan = scan_folder(path)
    files = scan.files
    if n and len(files) > n:
        pick = np.random.default_rng(seed).choice(len(files), n, replace=False)
        files = [files[i] for i in sorted(pick)]
    arrays = []
    for f in files:
        try:
            img = fit_square(open_image(f), size)
        except UserError:
            continue
        arrays.append(np.asarray(img.convert("L").convert("RGB") if channels == 1 else img, dtype=np.uint8))
    if len(arrays) < minimum:
        what = f"the {role} folder {scan.root}" if role else str(scan.root)
        raise UserError(f"{what} has {len(arrays)} readable image(s); these figures need at least {minimum}",
                        "choose a folder with more images")
    return np.stack(arrays)
