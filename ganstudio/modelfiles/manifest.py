"""The bundled-model manifest (pretrained/manifest.json): reading, writing and checking files against it.

Format: `{"models": [entry, ...]}`; an entry has id, title, file, kind (gan | cyclegan | features),
architecture, dataset, classes, resolution, sha256, size_bytes, steps, train_time_s, quality
(measured figures), licence. `upsert_manifest_entry` is the one writer: it adds or replaces an
entry by id and leaves the others alone. `verify_bundled` is the one check: a bundled file that
does not match its size and SHA-256 is refused, never half-loaded. Torch-free, so the window's
library can list models at start-up without loading torch.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import BinaryIO

from ganstudio.core import paths
from ganstudio.core.atomic import atomic_write
from ganstudio.core.errors import UserError

MANIFEST = "manifest.json"
REINSTALL = "reinstall GAN Studio to restore the bundled models"

# (resolved path, size, mtime_ns) → SHA-256, so a file opened by several loaders is hashed once
_digests: dict[tuple[str, int, int], str] = {}


def read_manifest(folder: Path | None = None) -> list[dict]:
    """The manifest's entries ([] when there is no manifest); UserError when it is damaged."""
    path = (folder or paths.pretrained_dir()) / MANIFEST
    if not path.is_file():
        return []
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        models = data["models"]
        if not isinstance(models, list) or not all(isinstance(m, dict) and "id" in m and "file" in m for m in models):
            raise ValueError("every model needs an id and a file")
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise UserError(f"the bundled model manifest is damaged ({exc})", REINSTALL) from None
    return list(models)


def write_manifest(models: list[dict], folder: Path | None = None) -> Path:
    """Write the whole manifest atomically, indented so it stays readable by hand."""
    data = (json.dumps({"models": models}, indent=2, ensure_ascii=False) + "\n").encode("utf-8")

    def write(fh: BinaryIO) -> None:
        fh.write(data)

    return atomic_write((folder or paths.pretrained_dir()) / MANIFEST, write)


def upsert_manifest_entry(entry: dict, folder: Path | None = None) -> Path:
    """Add the entry, or replace the one with the same id in place; other entries are kept."""
    models = read_manifest(folder)
    ids = [m.get("id") for m in models]
    if entry["id"] in ids:
        models[ids.index(entry["id"])] = entry
    else:
        models.append(entry)
    return write_manifest(models, folder)


def file_sha256(path: str | Path) -> str:
    """The file's SHA-256, remembered while its size and modification time stay the same."""
    path = Path(path)
    stat = path.stat()
    key = (str(path.resolve()), stat.st_size, stat.st_mtime_ns)
    if key not in _digests:
        h = hashlib.sha256()
        with open(path, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
        _digests[key] = h.hexdigest()
    return _digests[key]


def entry_for_file(path: str | Path) -> dict | None:
    """The manifest entry whose file is `path`, when `path` lies in the pretrained folder; else None."""
    folder = paths.pretrained_dir()
    try:
        resolved = Path(path).expanduser().resolve()
        if resolved.parent != folder.resolve():
            return None
    except OSError:
        return None
    return next((m for m in read_manifest(folder) if m["file"] == resolved.name), None)


def verify_bundled(path: Path, entry: dict) -> Path:
    """`path` after checking it against the entry's size and SHA-256; UserError when it is missing or damaged."""
    title = entry.get("title", entry["id"])
    if not path.is_file():
        raise UserError(f"the bundled model '{title}' is missing ({path.name})", REINSTALL)
    size, digest = entry.get("size_bytes"), entry.get("sha256")
    actual = path.stat().st_size
    if size is not None and actual != size:
        raise UserError(f"the bundled model '{title}' is damaged (size mismatch: {path.name} has {actual} bytes, "
                        f"the manifest says {size}), so it is not opened", REINSTALL)
    if digest and file_sha256(path) != digest:
        raise UserError(f"the bundled model '{title}' is damaged (checksum mismatch: {path.name} does not match "
                        "its checksum), so it is not opened", REINSTALL)
    return path
