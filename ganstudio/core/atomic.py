"""Atomic writes and code-free loading for every file the app produces.

A crash, a full disk or a killed process must never leave a half-written checkpoint, model or
image: everything is written to a temporary file in the target folder, flushed, fsynced and
renamed over the target. Torch-free: model files go through `modelfiles.torchio`.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

from ganstudio.core.errors import UserError


def _file_mode() -> int:
    """What `open()` would give a new file: 0666 less the process umask (read once, at import)."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


FILE_MODE = _file_mode()
DIR_MODE = FILE_MODE | ((FILE_MODE & 0o444) >> 2)  # the same with search (x) wherever read is allowed


@contextlib.contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """Yield a temporary name beside `path` that is renamed over it if the block finishes.

    The temporary name keeps the suffix, for writers that pick a format from it (ffmpeg). On
    any error the temporary file is removed and the target is left as it was.
    """
    path = Path(path)
    if path.is_dir():
        raise UserError(f"could not write {path.name}: {path} is a folder", "choose a file name, not a folder's")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=path.suffix, dir=path.parent)
        os.close(fd)
    except OSError as exc:
        raise UserError(f"cannot write to {path.parent} ({exc.strerror or exc})",
                        "choose another output folder") from None
    try:
        yield Path(tmp)
        os.chmod(tmp, FILE_MODE)  # mkstemp makes 0600; a finished file gets the usual permissions
        os.replace(tmp, path)
    except OSError as exc:
        _remove(tmp)
        raise UserError(f"could not write {path.name} ({exc.strerror or exc})",
                        "free some disk space or choose another folder") from None
    except BaseException:
        _remove(tmp)
        raise


@contextlib.contextmanager
def atomic_file(path: str | Path) -> Iterator[BinaryIO]:
    """Yield a binary file that replaces `path` only if the block finishes without error."""
    with atomic_path(path) as tmp, open(tmp, "wb") as fh:
        yield fh
        fh.flush()
        os.fsync(fh.fileno())


def _remove(tmp: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(tmp)



@contextlib.contextmanager
def atomic_folder(folder: Path) -> Iterator[Path]:
    """Yield a hidden temporary folder beside `folder` that becomes `folder` only if the block completes.

    `folder` must not exist or be empty (callers check first, with a message of their own); a
    failed or cancelled block leaves nothing behind.
    """
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=folder.parent))
    except OSError as exc:
        raise UserError(f"cannot write to {folder.parent} ({exc.strerror or exc})",
                        "choose another output folder") from None
    try:
        yield tmp
        os.chmod(tmp, DIR_MODE)  # mkdtemp makes 0700
        if folder.exists():
            folder.rmdir()  # empty, as checked; os.replace cannot replace a folder on Windows
        os.replace(tmp, folder)
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise UserError(f"could not write {folder.name} ({exc.strerror or exc})",
                        "free some disk space or choose another folder") from None
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def atomic_write(path: str | Path, writer: Callable[[BinaryIO], None]) -> Path:
    with atomic_file(path) as fh:
        writer(fh)
    return Path(path)


def check_writable(path: str | Path) -> Path:
    """Fail early, before hours of training, if an output folder cannot be written."""
    path = Path(path).expanduser()
    try:
        path.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=path):
            pass
    except OSError as exc:
        raise UserError(f"cannot write to {path} ({exc.strerror or exc})", "choose another output folder") from None
    return path
