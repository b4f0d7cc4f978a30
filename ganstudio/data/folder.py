"""The user's own image folder: flat → unconditional, one subfolder per class → conditional."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import torch

from ganstudio.core.errors import UserError
from ganstudio.core.images import fit_square, is_image_path, open_image
from ganstudio.data.source import DataSource, tensor_source


@dataclass
class FolderScan:
    """What a folder holds, before any image is decoded (shown in the UI before training)."""

    root: Path
    files: list[Path]
    labels: list[int]
    class_names: list[str] = field(default_factory=list)
    ignored: int = 0  # files at the top level of a class-folder layout, or non-image files

    @property
    def conditional(self) -> bool:
        return bool(self.class_names)


def _images_in(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if is_image_path(p))


def scan_folder(path: str | Path) -> FolderScan:
    """Find images and classes; raise UserError for missing, empty or non-folder paths."""
    root = Path(path).expanduser()
    if not root.exists():
        raise UserError(f"folder {root} does not exist")
    if not root.is_dir():
        raise UserError(f"{root.name} is a file, not a folder", "choose a folder of images")
    entries = [p for p in root.iterdir() if not p.name.startswith(".")]
    subdirs = sorted(p for p in entries if p.is_dir() and _images_in(p))
    loose = sorted(p for p in entries if is_image_path(p))
    others = sum(1 for p in entries if p.is_file() and not is_image_path(p))
    if subdirs:
        files: list[Path] = []
        labels: list[int] = []
        for k, sub in enumerate(subdirs):
            imgs = _images_in(sub)
            files += imgs
            labels += [k] * len(imgs)
        if len(subdirs) == 1:  # one subfolder is not a class layout, just a nested folder
            return FolderScan(root, files, [], [], ignored=others + len(loose))
        return FolderScan(root, files, labels, [p.name for p in subdirs], ignored=others + len(loose))
    if not loose:
        raise UserError(f"folder {root} holds no images", "use PNG, JPEG, BMP, GIF, WebP or TIFF files")
    return FolderScan(root, loose, [], [], ignored=others)


def load_folder(path: str | Path, img_size: int, channels: int, device: torch.device, limit: int = 0) -> DataSource:
    """Decode, convert and resize every image once; skip (and count) the unreadable ones."""
    scan = scan_folder(path)
    files, labels = scan.files, scan.labels
    if limit:
        files, labels = files[:limit], labels[:limit]
    arrays: list[np.ndarray] = []
    kept: list[int] = []
    skipped: list[str] = []
    for i, f in enumerate(files):
        try:
            img = fit_square(open_image(f), img_size)
        except UserError:
            skipped.append(f.name)
            continue
        img = img.convert("L") if channels == 1 else img
        arr = np.asarray(img, dtype=np.uint8)
        arrays.append(arr[None] if arr.ndim == 2 else arr.transpose(2, 0, 1))
        kept.append(labels[i] if labels else 0)
    if not arrays:
        raise UserError(f"none of the {len(files)} files in {scan.root} could be read as images")
    notes = []
    if skipped:
        notes.append(f"skipped {len(skipped)} unreadable or corrupt file(s), e.g. {skipped[0]}")
    if scan.ignored:
        notes.append(f"ignored {scan.ignored} non-image or loose file(s) in {scan.root.name}")
    x = torch.from_numpy(np.stack(arrays))  # (N, C, H, W) uint8
    y = torch.tensor(kept) if scan.conditional else None
    classes = f", {len(scan.class_names)} classes" if scan.conditional else ""
    desc = f"{len(arrays)} images from {scan.root.name}{classes}"
    return tensor_source(x, y, device, desc, scan.class_names, notes)
