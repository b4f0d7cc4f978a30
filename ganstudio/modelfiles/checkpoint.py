"""Training checkpoints: everything needed to continue a run exactly where it stopped.

A checkpoint is a dict of state_dicts, the run's config as JSON, the step, the RNG states and
metadata. Written atomically, the newest `keep_last` are kept, loaded with weights_only.
"""

from __future__ import annotations

import json
from pathlib import Path

from ganstudio.core.errors import UserError
from ganstudio.modelfiles.resolve import resolve_model
from ganstudio.modelfiles.torchio import atomic_torch_save, safe_torch_load

FORMAT = "ganstudio-checkpoint"
VERSION = 1


def checkpoint_path(run_dir: str | Path, step: int) -> Path:
    return Path(run_dir) / "checkpoints" / f"ckpt_{step:08d}.pt"


def list_checkpoints(run_dir: str | Path) -> list[Path]:
    """A run's checkpoints, oldest first."""
    folder = Path(run_dir) / "checkpoints"
    return sorted(folder.glob("ckpt_*.pt")) if folder.is_dir() else []


def latest_checkpoint(run_dir: str | Path) -> Path | None:
    found = list_checkpoints(run_dir)
    return found[-1] if found else None


def save_checkpoint(run_dir: str | Path, step: int, config: dict, state: dict, meta: dict, keep_last: int) -> Path:
    """Write `ckpt_<step>.pt` atomically, then delete all but the newest `keep_last`."""
    payload = {"format": FORMAT, "version": VERSION, "step": step, "config": json.dumps(config),
               "meta": json.dumps(meta), "state": state}
    path = atomic_torch_save(payload, checkpoint_path(run_dir, step))
    for old in list_checkpoints(run_dir)[:-keep_last]:
        old.unlink(missing_ok=True)
    return path


def load_checkpoint(path: str | Path) -> dict:
    """{'step', 'config' (dict), 'meta' (dict), 'state'}; UserError for anything not ours."""
    path = resolve_model(path)
    if path.is_dir():  # a run folder: take its newest checkpoint
        found = latest_checkpoint(path)
        if found is None:
            raise UserError(f"{path} holds no checkpoints")
        path = found
    obj = safe_torch_load(path, FORMAT, VERSION)
    try:
        return {"path": path, "step": int(obj["step"]), "config": json.loads(obj["config"]),
                "meta": json.loads(obj["meta"]), "state": obj["state"]}
    except (KeyError, TypeError, ValueError):
        raise UserError(f"{path.name} is a damaged checkpoint: part of it is missing or unreadable",
                        "continue from an earlier checkpoint in the run's checkpoints folder") from None


def generator_from_checkpoint(path: str | Path) -> tuple[dict, dict]:
    """(weights, generator metadata) of the generator inside a checkpoint (EMA copy when kept)."""
    return generator_in(load_checkpoint(path))


def generator_in(ckpt: dict) -> tuple[dict, dict]:
    """(weights, generator metadata) of the generator inside a loaded checkpoint (a CycleGAN's: both)."""
    meta = ckpt["meta"].get("generator")
    nets = ckpt["state"].get("nets", {})
    weights = nets.get("G_ema") or nets.get("G")
    if weights is None and "G_AB" in nets and "G_BA" in nets:  # a CycleGAN: both directions, as in its style file
        weights = {f"{name}.{k}": v for name in ("G_AB", "G_BA") for k, v in nets[name].items()}
    if meta is None or weights is None:
        raise UserError(f"{Path(ckpt['path']).name} holds no image generator")
    return weights, meta
