"""Every torch.save and torch.load of the app: atomic saves, and loads that never run code.

Loading uses `weights_only=True` and refuses foreign, truncated, tampered or newer files with a
UserError, so a bad model file is one sentence for the user, never a traceback.
"""

from __future__ import annotations

import errno
import pickle
import zipfile
from pathlib import Path
from typing import Any, BinaryIO

import torch

from ganstudio.core.atomic import atomic_write
from ganstudio.core.errors import UserError
from ganstudio.core.files import regular_file


def atomic_torch_save(obj: Any, path: str | Path) -> Path:
    """torch.save through an atomic write; a write torch reports as a RuntimeError (a full disk) is an
    OSError, so it becomes the same sentence as every other failed write and leaves no file behind."""
    def write(fh: BinaryIO) -> None:
        try:
            torch.save(obj, fh)
        except RuntimeError as exc:
            raise OSError(errno.EIO, f"the file could not be written, is the disk full? ({exc})") from None

    return atomic_write(path, write)



def safe_torch_load(path: str | Path, expected_format: str | tuple[str, ...], max_version: int) -> dict:
    """Load a file of ours without running code; refuse foreign, truncated or newer files."""
    path = regular_file(path)
    if not zipfile.is_zipfile(path):  # torch.save has written zip archives since PyTorch 1.6
        raise UserError(f"{path.name} is truncated or not a PyTorch file")
    try:
        obj = torch.load(path, map_location="cpu", weights_only=True)
    except pickle.UnpicklingError:
        raise UserError(f"{path.name} contains code or objects that are not plain weights; refusing to load it",
                        "only open model files made by GAN Studio from sources you trust") from None
    except (RuntimeError, EOFError, zipfile.BadZipFile, OSError, ValueError, KeyError, AttributeError,
            TypeError):
        raise UserError(f"{path.name} is truncated or not a PyTorch file",
                        "a file cut short while copying or saving cannot be read; use a complete copy") from None
    formats = (expected_format,) if isinstance(expected_format, str) else expected_format
    if not isinstance(obj, dict) or obj.get("format") not in formats:
        raise UserError(f"{path.name} is not a GAN Studio {' or '.join(f.split('-')[-1] for f in formats)} file")
    version = obj.get("version")
    if not isinstance(version, int) or version > max_version:
        raise UserError(f"{path.name} was written by a newer GAN Studio (format {version})",
                        "update GAN Studio to open it")
    return obj
