"""Walk project files: the walk plus the model it was made with, so an export can be replayed.

An export's sidecar (`morph.gif.json`), a frame folder's `provenance.json` and a sprite
sheet's frame map all hold the same project, so any of them opens as one.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from ganstudio import __version__
from ganstudio.core.errors import UserError
from ganstudio.core.files import regular_file
from ganstudio.walk.timeline import Walk

FORMAT = "ganstudio-walk"
VERSION = 2  # 2: keyframes may hold a projected photo's styles; a walk without one is still written as 1


def project(g, walk: Walk) -> dict:
    """The project file's content: the walk plus the model it was made with (path and SHA-256)."""
    from ganstudio.modelfiles.manifest import file_sha256

    return {"format": FORMAT, "version": VERSION if walk.has_styles() else 1, "app_version": __version__,
            "model": {"path": str(g.path.resolve()), "sha256": file_sha256(g.path) if g.path.is_file() else None,
                      "arch": g.config.arch, "z_dim": g.z_dim, "class_names": g.class_names},
            "device": str(g.device), "walk": walk.to_dict()}


def save_project(path: str | Path, g, walk: Walk, extra: dict | None = None) -> Path:
    """Write the project atomically; `extra` adds other top-level entries (how a projected photo was found)."""
    from ganstudio.core.atomic import atomic_write

    data = json.dumps({**project(g, walk), **(extra or {})}, indent=2).encode("utf-8")

    def write(fh: BinaryIO) -> None:
        fh.write(data)
    return atomic_write(Path(path).expanduser(), write)


@dataclass
class LoadedProject:
    walk: Walk
    model_path: Path
    sha256: str | None
    extra: dict = field(default_factory=dict)


def load_project(path: str | Path) -> LoadedProject:
    """A project file, an export's sidecar (`morph.gif.json`), a frame folder's `provenance.json` or a
    sprite sheet's frame map (the project is under `meta.ganstudio`); UserError when it is none of these."""
    path = regular_file(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UserError(f"{path} does not exist") from None
    except OSError as exc:
        raise UserError(f"could not read {path.name}: {exc.strerror or 'the system refused'}") from None
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise UserError(f"{path.name} is not a walk project: it is not JSON text",
                        "open a project saved by Latent Walk, or the .json file beside one of its exports") from None
    if isinstance(data, dict) and isinstance(data.get("meta"), dict) and "ganstudio" in data["meta"]:
        data = data["meta"]["ganstudio"]
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise UserError(f"{path.name} is not a GAN Studio walk project")
    if not isinstance(data.get("version"), int) or data["version"] > VERSION:
        raise UserError(f"{path.name} was written by a newer GAN Studio", "update GAN Studio to open it")
    model = data.get("model") or {}
    walk = Walk.from_dict(data.get("walk") or {})
    return LoadedProject(walk, Path(model.get("path", "")), model.get("sha256"),
                         {k: v for k, v in data.items() if k not in ("walk", "model")})


def model_changed(loaded: LoadedProject, g) -> bool:
    """True when the model file differs from the one the project was made with (frames will differ)."""
    from ganstudio.modelfiles.manifest import file_sha256

    return bool(loaded.sha256) and g.path.is_file() and file_sha256(g.path) != loaded.sha256
