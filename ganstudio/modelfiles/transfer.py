"""Moving model files in and out of the library, and describing one for the manifest.

`import_model_file` is the one import: it checks the file is a GAN Studio model (never a
checkpoint, never foreign code) and copies it into the user's models folder, numbering a
taken name (-2, -3, …) instead of refusing it. Every run writes `generator.pt`, so a run's file
is named by its run folder.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from ganstudio.core import paths
from ganstudio.core.atomic import atomic_file
from ganstudio.core.errors import UserError
from ganstudio.modelfiles.generator import FORMAT, is_checkpoint_file
from ganstudio.modelfiles.library import ModelEntry, verified_path
from ganstudio.modelfiles.manifest import file_sha256
from ganstudio.modelfiles.torchio import safe_torch_load


def model_meta(path: Path) -> dict:
    """The metadata of a GAN Studio model file (generator or style); UserError for anything else."""
    if is_checkpoint_file(path):
        raise UserError(f"{path.name} is a training checkpoint, not a model file",
                        "to continue training it, use Resume on the Train page")
    obj = safe_torch_load(path, FORMAT, 1)
    try:
        meta = json.loads(obj["meta"])
        if not isinstance(obj["weights"], dict) or not isinstance(meta, dict):
            raise TypeError("weights or metadata of the wrong type")
    except (KeyError, TypeError, ValueError):
        raise UserError(f"{path.name} is a damaged model file: part of it is missing or unreadable") from None
    return meta


RUN_FILE = "generator.pt"  # what every run writes: named by its run folder on import


def import_name(source: Path) -> str:
    """The stem an import is listed by: a run's `generator.pt` by its run folder ("monet64"), else the file's own."""
    if source.name == RUN_FILE and source.parent.name not in ("", ".", "/"):
        return source.parent.name
    return source.stem


def import_model_file(source: str | Path, root: Path | None = None) -> Path:
    """Copy a checked model file into the user's models folder; a taken name gets a number."""
    source = Path(source).expanduser()
    model_meta(source)
    root = root or paths.models_dir()
    stem = import_name(source.resolve())
    target = root / f"{stem}{source.suffix}"
    n = 2
    while target.exists():
        target = root / f"{stem}-{n}{source.suffix}"
        n += 1
    with source.open("rb") as src, atomic_file(target) as dst:
        shutil.copyfileobj(src, dst)
    return target


def export_model_file(entry: ModelEntry, dest: str | Path) -> Path:
    """Copy a library model (bundled ones checked first) to `dest`, a file or a folder."""
    src = verified_path(entry)
    dest = Path(dest).expanduser()
    if dest.is_dir():
        dest = dest / (f"{entry.id}.pt" if entry.source == "bundled" else src.name)
    if dest.resolve() == src.resolve():
        raise UserError(f"{dest} is the model itself", "choose another file name or folder")
    with src.open("rb") as fh, atomic_file(dest) as out:
        shutil.copyfileobj(fh, out)
    return dest


def manifest_entry(path: str | Path, ident: str, title: str, **fields: object) -> dict:
    """A manifest entry for a model file in the pretrained folder: file facts from the file, the rest given."""
    path = Path(path)
    meta = model_meta(path)
    model = meta.get("model", {})
    entry = {
        "id": ident, "title": title, "file": path.name, "kind": meta.get("kind", "gan"),
        "architecture": model.get("arch", ""), "dataset": (meta.get("data") or {}).get("kind", ""),
        "classes": list(meta.get("class_names") or []) if model.get("arch") == "cdcgan" else [],
        "resolution": model.get("img_size") if model.get("arch") not in ("mlp", None) else None,
        "sha256": file_sha256(path), "size_bytes": path.stat().st_size, "steps": meta.get("steps"),
    }
    entry.update(fields)
    return entry
