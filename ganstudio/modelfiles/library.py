"""The model library: bundled models, the user's runs and imported files, as plain data.

The window's library panel and the CLI list the same things. Listing reads only the manifest,
folder names and small JSON files, never weights, and this module never imports torch: the
window shows the library at start-up.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from ganstudio.core import paths
from ganstudio.modelfiles.manifest import read_manifest, verify_bundled


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
    def draws_images(self) -> bool:
        """False for models of 2D points (MLP GANs), which the image pages cannot show.

        Bundled models say so by their resolution, runs by their config; an imported file is
        checked when it is opened."""
        if self.source == "bundled":
            return self.info.get("resolution") is not None
        return self.info.get("arch") != "mlp"

    @property
    def conditional(self) -> bool:
        """Known to have classes (from the manifest); runs and imported files are checked on loading."""
        return bool(self.info.get("classes"))


# Bundled files that are not for the user to open: eval's feature network, which the app uses itself, and a
# style's training state, which the next training session starts from (`--init photo2monet-training`).
NOT_MODELS = {"features", "training"}


def bundled_models(folder: Path | None = None) -> list[ModelEntry]:
    """The manifest's models, in manifest order."""
    folder = folder or paths.pretrained_dir()
    return [ModelEntry(m["id"], m.get("title", m["id"]), folder / m["file"], "bundled", m.get("kind", "gan"), m)
            for m in read_manifest(folder) if m.get("kind") not in NOT_MODELS]


def verified_path(entry: ModelEntry) -> Path:
    """The entry's file, after checking a bundled file against its manifest size and SHA-256."""
    return verify_bundled(entry.path, entry.info) if entry.source == "bundled" else entry.path


def user_runs(root: Path | None = None) -> list[ModelEntry]:
    """Finished or stopped runs in the user's runs folder that have a generator file, newest first."""
    root = root or paths.runs_dir()
    if not root.is_dir():
        return []
    entries = []
    for run in sorted((p for p in root.iterdir() if p.is_dir()), key=lambda p: p.stat().st_mtime, reverse=True):
        gen = run / "generator.pt"
        if gen.is_file():
            arch = _run_arch(run)
            kind = "cyclegan" if arch == "cyclegan" else "gan"
            entries.append(ModelEntry(f"run:{run.name}", run.name, gen, "run", kind, {"arch": arch} if arch else {}))
    return entries


def _run_arch(run: Path) -> str:
    """A run's architecture from its config.json (cheap: no weights are read); "" if unreadable."""
    try:
        arch = json.loads((run / "config.json").read_text(encoding="utf-8"))["model"]["arch"]
    except (OSError, ValueError, KeyError, TypeError):
        return ""
    return arch if isinstance(arch, str) else ""


def imported_models(root: Path | None = None) -> list[ModelEntry]:
    """Model files the user imported into their models folder."""
    root = root or paths.models_dir()
    if not root.is_dir():
        return []
    return [ModelEntry(f"file:{p.name}", p.stem, p, "imported") for p in sorted(root.glob("*.pt"))]


def all_models() -> list[ModelEntry]:
    return bundled_models() + user_runs() + imported_models()
