"""A run folder while a run writes it: made only once the run can start, locked, kept whole.

- `check_creatable` checks, without making anything, that the folder could be made, so a run
  that fails at start leaves no empty folder behind; `RunFolder.open` makes it.
- A lock file (`.lock`, holding the PID and host) refuses a second run into the same folder;
  a lock whose process is gone is stale and taken over.
- Temporaries of atomic writes that a killed run left (`.ckpt_….pt`, `.generator.….pt`) are
  removed when the next run opens the folder.
- `stats.jsonl` is appended a whole line at a time: a failed write is cut back, and a line cut
  by a kill is dropped when the file is next opened.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import socket
import time
from pathlib import Path
from typing import BinaryIO

from ganstudio.core.errors import UserError

LOCK = ".lock"
STATS = "stats.jsonl"
TEMP_PREFIXES = (".ckpt_", ".generator.", ".config.")  # what core.atomic names the run's files while writing


def new_run_name(label: str, arch: str) -> str:
    """A run folder's name from its model and data, stamped with the time: `dcgan-mnist-20261202-041500`."""
    safe = re.sub(r"[^A-Za-z0-9._-]+", "-", label).strip("-") or "data"
    return f"{arch}-{safe}-{time.strftime('%Y%m%d-%H%M%S')}"


def unused_run_dir(folder: Path) -> Path:
    """`folder` when it is new or empty, else `folder-2`, `folder-3`, …: a new run never lands in an old one."""
    if not folder.exists() or not any(folder.iterdir()):
        return folder
    n = 2
    while (folder.parent / f"{folder.name}-{n}").exists():
        n += 1
    return folder.parent / f"{folder.name}-{n}"


def check_creatable(path: str | Path) -> Path:
    """`path` if it is a folder that can be written, or could be made; UserError otherwise. Makes nothing."""
    path = Path(path).expanduser()
    if path.exists() and not path.is_dir():
        raise UserError(f"{path} is a file, not a folder", "choose another output folder")
    existing = path
    while not existing.exists():
        existing = existing.parent
    if not existing.is_dir() or not os.access(existing, os.W_OK | os.X_OK):
        raise UserError(f"cannot write to {path} ({existing} is not a writable folder)",
                        "choose another output folder")
    return path


def _holder(lock: Path) -> tuple[int, str] | None:
    """(PID, host) written in a lock file, or None when it cannot be read."""
    try:
        pid, host = lock.read_text(encoding="utf-8").split()[:2]
        return int(pid), host
    except (OSError, ValueError):
        return None


def _alive(pid: int, host: str) -> bool:
    if host != socket.gethostname():
        return True  # another machine's process cannot be checked: assume it still runs
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def acquire_lock(folder: Path) -> Path:
    """Create `folder/.lock`; UserError while another live run holds it. A stale lock is replaced."""
    lock = folder / LOCK
    for _ in range(2):
        try:
            fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            holder = _holder(lock)
            if holder is not None and _alive(*holder):
                raise UserError(f"{folder} is in use by another training run (process {holder[0]})",
                                "wait for that run to finish, or choose another output folder") from None
            lock.unlink(missing_ok=True)  # stale: its process is gone (or the file is unreadable)
            continue
        except OSError as exc:
            raise UserError(f"cannot write to {folder} ({exc.strerror or exc})", "choose another output folder") \
                from None
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(f"{os.getpid()} {socket.gethostname()}\n")
        return lock
    raise UserError(f"{folder} is locked and the lock cannot be replaced", f"delete {lock} if no run is writing there")


def clean_temporaries(folder: Path) -> list[Path]:
    """Remove the half-written files a killed run left in the folder and its checkpoints; returns them."""
    removed = []
    for where in (folder, folder / "checkpoints"):
        if not where.is_dir():
            continue
        for path in where.iterdir():
            if path.name.startswith(TEMP_PREFIXES) and path.is_file():
                with contextlib.suppress(OSError):
                    path.unlink()
                    removed.append(path)
    return removed


def repair_stats(path: Path) -> None:
    """Drop a last line that a killed run cut short, so every line of the file is whole JSON."""
    if not path.is_file():
        return
    with open(path, "rb+") as fh:
        data = fh.read()
        if data and not data.endswith(b"\n"):
            fh.truncate(data.rfind(b"\n") + 1)


class RunFolder:
    """An open, locked run folder. Use as a context manager, or `close()` it."""

    def __init__(self, path: Path, created: bool) -> None:
        self.path, self.created = path, created
        self.lock = acquire_lock(path)
        self.removed = clean_temporaries(path)
        repair_stats(path / STATS)
        self._stats: BinaryIO | None = None

    @classmethod
    def open(cls, path: str | Path) -> RunFolder:
        path = check_creatable(path)
        created = not path.exists()
        try:
            path.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UserError(f"cannot write to {path} ({exc.strerror or exc})", "choose another output folder") \
                from None
        return cls(path, created)

    def append_stats(self, record: dict) -> None:
        """One whole line of `stats.jsonl`; a write the disk refuses is cut back and reported."""
        data = (json.dumps(record) + "\n").encode("utf-8")
        start = 0
        try:
            if self._stats is None:
                self._stats = open(self.path / STATS, "ab", buffering=0)  # noqa: SIM115 (kept open for the run)
            start = os.fstat(self._stats.fileno()).st_size
            view = memoryview(data)
            while view:
                written = self._stats.write(view)
                view = view[written or 0:]
        except OSError as exc:
            if self._stats is not None:
                with contextlib.suppress(OSError):
                    self._stats.truncate(start)
            raise UserError(f"could not write {STATS} ({exc.strerror or exc})",
                            "free some disk space or choose another folder, then resume the run") from None

    def close(self, discard: bool = False) -> None:
        """Release the lock; with `discard`, also remove the folder if this run made it and left it empty."""
        if self._stats is not None:
            with contextlib.suppress(OSError):
                self._stats.close()
            self._stats = None
        with contextlib.suppress(OSError):
            self.lock.unlink()
        if discard and self.created:
            with contextlib.suppress(OSError):
                self.path.rmdir()  # only when empty

    def __enter__(self) -> RunFolder:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
