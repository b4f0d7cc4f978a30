"""The model library: bundled models (pretrained/manifest.json), the user's runs and imported files.

Plain data only, so the window's library panel and the CLI list the same things.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from ganstudio.errors import UserError
from ganstudio.paths import models_dir, pretrained_dir, runs_dir

MANIFEST = "manifest.json"


@dataclass
class ModelEntry:
    """One model the user can open."""

    id: str
    title: str
    path: Path  # generator file (or a run folder's generator.pt)
    source: str  # bundled | run | imported
    kind: str = "gan"  # gan | cyclegan
    info: dict = field(default_factory=dict)  # manifest fields or generator metadata


def read_manifest(folder: Path | None = None) -> list[dict]:
    path = (folder or pretrained_dir()) / MANIFEST
    if not path.is_file():
        return []
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise UserError(f"the bundled model manifest is damaged ({exc})") from None
    return list(data.get("models", []))


def bundled_models() -> list[ModelEntry]:
    folder = pretrained_dir()
    return [ModelEntry(m["id"], m.get("title", m["id"]), folder / m["file"], "bundled", m.get("kind", "gan"), m)
            for m in read_manifest(folder)]


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
