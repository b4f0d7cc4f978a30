"""The one way a model spec becomes a file: bundled ids, files, run folders and checkpoints.

Every loader calls `resolve_model` first, so every page and command accepts a bundled id and
every bundled file (named by id or by path) is checked against the manifest before it is read.
Torch-free.
"""

from __future__ import annotations

from pathlib import Path

from ganstudio.core import paths
from ganstudio.core.errors import UserError
from ganstudio.modelfiles.manifest import entry_for_file, read_manifest, verify_bundled


def resolve_model(spec: str | Path) -> Path:
    """A bundled id (checked), or an existing path (checked when it is a bundled file)."""
    text = str(spec)
    for entry in read_manifest():
        if entry["id"] == text:
            return verify_bundled(paths.pretrained_dir() / entry["file"], entry)
    path = Path(text).expanduser()
    if not path.exists():
        ids = [m["id"] for m in read_manifest()]
        raise UserError(f"no model '{text}': it is not a bundled model id and {path} does not exist",
                        f"give a model file or run folder, or a bundled id: {', '.join(ids) or 'none installed'}")
    if path.is_file():
        listed = entry_for_file(path)
        if listed is not None:
            return verify_bundled(path, listed)
    return path
