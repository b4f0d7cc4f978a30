"""Which runs can be continued: the recently trained ones (kept in the settings) and the checkpoint
that a library entry, a run folder or a file stands for. No widgets."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import QSettings

from ganstudio.core.errors import UserError

RECENT_RUNS = 8
KEY = "train/recent_runs"


def recent_runs(settings: QSettings) -> list[Path]:
    """The remembered run folders that still exist, newest first."""
    saved = settings.value(KEY, []) or []
    names = [saved] if isinstance(saved, str) else list(saved) if isinstance(saved, (list, tuple)) else []
    return [Path(p) for p in names if Path(p).is_dir()]


def remember_run(settings: QSettings, run_dir: Path) -> None:
    runs = [str(run_dir)] + [str(p) for p in recent_runs(settings) if p != run_dir]
    settings.setValue(KEY, runs[:RECENT_RUNS])


def checkpoint_to_continue(entry_or_path: object) -> Path:
    """The checkpoint to continue: a run's library entry, a run folder, its generator.pt or a checkpoint.

    Raises UserError when there is none (bundled and imported generator files have no checkpoint).
    """
    from ganstudio.modelfiles.checkpoint import latest_checkpoint
    from ganstudio.modelfiles.generator import is_checkpoint_file

    path = Path(str(getattr(entry_or_path, "path", entry_or_path)))
    if path.is_file() and not is_checkpoint_file(path):
        path = path.parent  # a run's generator.pt: continue the run it came from
    ckpt = latest_checkpoint(path) if path.is_dir() else path
    if ckpt is None or not ckpt.is_file():
        raise UserError(f"{path.name} has no training checkpoint to continue from",
                        "bundled and imported generator files cannot be trained further; "
                        "resume one of your runs instead")
    return ckpt


def checkpoint_step(ckpt: Path) -> int:
    """The step in a checkpoint's name (`ckpt_58.pt` → 58; 0 when it has none)."""
    tail = ckpt.stem.split("_")[-1]
    return int(tail) if tail.isdigit() else 0


def history(run_dir: Path, up_to: int) -> list[tuple[int, dict[str, float]]]:
    """The statistics a run logged in `stats.jsonl` up to step `up_to` (later lines belong to steps a
    continued run trains again); unreadable lines are skipped."""
    try:
        lines = (run_dir / "stats.jsonl").read_text(encoding="utf-8").splitlines()
    except OSError:
        return []
    out = []
    for line in lines:
        try:
            row = json.loads(line)
            step = int(row.pop("step"))
            values = {k: float(v) for k, v in row.items()}
        except (ValueError, KeyError, TypeError, AttributeError):
            continue
        if step <= up_to:
            out.append((step, values))
    return out


def continue_text(ckpt: Path) -> str:
    """The status line once a checkpoint is chosen."""
    step = checkpoint_step(ckpt)
    return (f"Will continue {ckpt.parent.parent.name} from step {step} "
            f"(checkpoint {ckpt.name}). Raise Steps to train longer, then press Start.")
