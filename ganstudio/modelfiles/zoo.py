"""The model library: bundled models (pretrained/manifest.json), the user's runs and imported files.

Plain data only, so the window's library panel and the CLI list the same things. Bundled files
are checked against the SHA-256 and size in the manifest before they are opened (`verified_path`);
a file that does not match is refused, never half-loaded.

Manifest format: `{"models": [entry, ...]}`; an entry has id, title, file, kind (gan | cyclegan),
architecture, dataset, classes, resolution, sha256, size_bytes, steps, train_time_s, quality
(measured figures), licence. `manifest_entry` builds one from a generator file and
`upsert_manifest_entry` adds or replaces it by id, leaving the other entries alone.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from ganstudio.core.atomic import atomic_file, atomic_write
from ganstudio.core.errors import UserError
from ganstudio.core.paths import models_dir, pretrained_dir, runs_dir
from ganstudio.modelfiles.generator import file_sha256, is_checkpoint_file
from ganstudio.modelfiles.torchio import safe_torch_load

MANIFEST = "manifest.json"
MODEL_FORMAT = "ganstudio-generator"


@dataclass
class ModelEntry:
    """One model the user can open."""

    id: str
    title: str
    path: Path  # generator file (or a run folder's generator.pt)
    source: str  # bundled | run | imported
    kind: str = "gan"  # gan | cyclegan
    info: dict = field(default_factory=dict)  # manifest fields or generator metadata

    @property
    def conditional(self) -> bool:
        """Known to have classes (from the manifest); runs and imported files are checked on loading."""
        return bool(self.info.get("classes"))


def read_manifest(folder: Path | None = None) -> list[dict]:
    path = (folder or pretrained_dir()) / MANIFEST
    if not path.is_file():
        return []
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        models = data["models"]
        if not isinstance(models, list) or not all(isinstance(m, dict) and "id" in m and "file" in m for m in models):
            raise ValueError("every model needs an id and a file")
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise UserError(f"the bundled model manifest is damaged ({exc})", "reinstall GAN Studio") from None
    return list(models)


def write_manifest(models: list[dict], folder: Path | None = None) -> Path:
    text = json.dumps({"models": models}, indent=2, ensure_ascii=False) + "\n"
    return atomic_write((folder or pretrained_dir()) / MANIFEST, lambda fh: fh.write(text.encode("utf-8")))


def bundled_models(folder: Path | None = None) -> list[ModelEntry]:
    folder = folder or pretrained_dir()
    return [ModelEntry(m["id"], m.get("title", m["id"]), folder / m["file"], "bundled", m.get("kind", "gan"), m)
            for m in read_manifest(folder)]


def verified_path(entry: ModelEntry) -> Path:
    """The entry's file, after checking a bundled file against its manifest size and SHA-256."""
    if entry.source != "bundled":
        return entry.path
    if not entry.path.is_file():
        raise UserError(f"the bundled model '{entry.title}' is missing ({entry.path.name})", "reinstall GAN Studio")
    size, digest = entry.info.get("size_bytes"), entry.info.get("sha256")
    if size is not None and entry.path.stat().st_size != size:
        raise UserError(f"the bundled model '{entry.title}' is damaged: {entry.path.name} has "
                        f"{entry.path.stat().st_size} bytes, the manifest says {size}", "reinstall GAN Studio")
    if digest and file_sha256(entry.path) != digest:
        raise UserError(f"the bundled model '{entry.title}' was modified or damaged: {entry.path.name} does not "
                        "match its checksum, so it is not opened", "reinstall GAN Studio")
    return entry.path


def resolve_model(spec: str | Path) -> Path:
    """A bundled model id (checked) or a path to a generator file, checkpoint or run folder."""
    text = str(spec)
    for entry in bundled_models():
        if entry.id == text:
            return verified_path(entry)
    path = Path(text).expanduser()
    if not path.exists():
        ids = [e.id for e in bundled_models() if e.kind == "gan"]
        raise UserError(f"no model '{text}'", f"give a model file or run folder, or a bundled id: {', '.join(ids)}")
    return path


def user_runs(root: Path | None = None) -> list[ModelEntry]:
    """Finished or stopped runs in the user's runs folder that have a generator file."""
    root = root or runs_dir()
    if not root.is_dir():
        return []
    entries = []
    for run in sorted((p for p in root.iterdir() if p.is_dir()), key=lambda p: p.stat().st_mtime, reverse=True):
        gen = run / "generator.pt"
        if gen.is_file():
            entries.append(ModelEntry(f"run:{run.name}", run.name, gen, "run", _run_kind(run)))
    return entries


def _run_kind(run: Path) -> str:
    """A run's model family from its config.json (cheap: no weights are read)."""
    try:
        arch = json.loads((run / "config.json").read_text(encoding="utf-8"))["model"]["arch"]
    except (OSError, ValueError, KeyError, TypeError):
        return "gan"
    return "cyclegan" if arch == "cyclegan" else "gan"


def imported_models(root: Path | None = None) -> list[ModelEntry]:
    root = root or models_dir()
    if not root.is_dir():
        return []
    return [ModelEntry(f"file:{p.name}", p.stem, p, "imported") for p in sorted(root.glob("*.pt"))]


def all_models() -> list[ModelEntry]:
    return bundled_models() + user_runs() + imported_models()


def _model_meta(path: Path) -> dict:
    """The metadata of a GAN Studio model file (generator or style); UserError for anything else."""
    if is_checkpoint_file(path):
        raise UserError(f"{path.name} is a training checkpoint, not a model file",
                        "to continue training it, use Resume on the Train page")
    obj = safe_torch_load(path, MODEL_FORMAT, 1)
    try:
        meta = json.loads(obj["meta"])
        if not isinstance(obj["weights"], dict) or not isinstance(meta, dict):
            raise TypeError("weights or metadata of the wrong type")
    except (KeyError, TypeError, ValueError) as exc:
        raise UserError(f"{path.name} is a damaged model file ({type(exc).__name__})") from None
    return meta


def import_model_file(source: str | Path, root: Path | None = None) -> Path:
    """Copy a checked model file into the user's models folder; an existing name gets a number."""
    source = Path(source).expanduser()
    _model_meta(source)
    root = root or models_dir()
    target = root / source.name
    n = 2
    while target.exists():
        target = root / f"{source.stem}-{n}{source.suffix}"
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


def manifest_entry(path: str | Path, ident: str, title: str, **fields) -> dict:
    """A manifest entry for a model file in the pretrained folder: file facts from the file, the rest given."""
    path = Path(path)
    meta = _model_meta(path)
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


def upsert_manifest_entry(entry: dict, folder: Path | None = None) -> Path:
    """Add the entry, or replace the one with the same id in place; other entries are kept."""
    models = read_manifest(folder)
    ids = [m.get("id") for m in models]
    if entry["id"] in ids:
        models[ids.index(entry["id"])] = entry
    else:
        models.append(entry)
    return write_manifest(models, folder)
