"""Input files are checked before they are opened: a pipe, a device or a folder given as a file would
otherwise hang the reader (a FIFO blocks `open` forever) or fail with an unclear error. Torch-free."""

from __future__ import annotations

from pathlib import Path

from ganstudio.core.errors import UserError


def regular_file(path: str | Path, hint: str = "") -> Path:
    """`path` when it is an ordinary file; UserError when it is missing, a folder, a pipe or a device."""
    path = Path(path).expanduser()
    if not path.exists():
        raise UserError(f"{path} does not exist", hint)
    if path.is_dir():
        raise UserError(f"{path.name} is a folder, not a file", hint)
    if not path.is_file():
        raise UserError(f"{path.name} is not a regular file (a pipe or a device), so it is not opened", hint)
    return path
