"""The training loop: a generator of plain-data events, driven alike by the window and the CLI.

    for event in train(cfg, control):
        ...

Pause, resume, stop, save-now and learning-rate changes arrive through `RunControl` and are
applied between steps. Every failure a user can cause ends the run with a `Failed` event
(never an exception) and keeps the last good checkpoint.
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import torch

from ganstudio.core.atomic import atomic_write, check_writable
from ganstudio.core.config import TrainConfig, replace, to_dict, train_from_dict, validate
from ganstudio.core.device import describe, pick_device
from ganstudio.core.errors import UserError
from ganstudio.modelfiles.checkpoint import load_checkpoint, save_checkpoint
from ganstudio.modelfiles.generator import save_generator_file
from ganstudio.train import events as ev
from ganstudio.train import precision
from ganstudio.train.control import RunControl
from ganstudio.train.cyclegan import CycleGANTrainer
from ganstudio.train.gan import GANTrainer
from ganstudio.train.rng import restore_rng, rng_state
from ganstudio.train.trainer import LOOP_STATS, PointsTrainer, StatPanel, Trainer

GENERATOR_FILE = "generator.pt"


# Model families register their trainer class here.
TRAINERS: dict[str, type[Trainer]] = {"gan": GANTrainer, "cyclegan": CycleGANTrainer}


def family_of(arch: str) -> str:
    """Which trainer runs a model: every arch not registered as its own family is a GAN."""
    return arch if arch in TRAINERS else "gan"


def reported_stats(arch: str) -> tuple[StatPanel, ...]:
    """Every statistic a run of this model reports, with its plot panel: the trainer's, then the loop's."""
    return TRAINERS[family_of(arch)].STATS + LOOP_STATS


def config_from_checkpoint(path: str | Path, **overrides) -> TrainConfig:
    """The config a checkpoint was trained with, with e.g. a new `steps` total."""
    cfg = train_from_dict(load_checkpoint(path)["config"])
    return replace(cfg, **overrides) if overrides else cfg


def _bounds(points: np.ndarray) -> tuple[float, float, float, float]:
    points = np.clip(points.astype(np.float64), -1e6, 1e6)  # keep the view finite for wild user data
    lo, hi = np.percentile(points, 0.5, axis=0), np.percentile(points, 99.5, axis=0)
    pad = 0.25 * (hi - lo).max() + 0.1
    cx, cy = (lo + hi) / 2
    half = (hi - lo).max() / 2 + pad
    return (float(cx - half), float(cx + half), float(cy - half), float(cy + half))


def _diverged(stats: dict[str, float]) -> bool:
    return not all(math.isfinite(v) for v in stats.values())


def _divergence(step: int, stats: dict[str, float], last_ckpt: str) -> ev.Failed:
    bad = ", ".join(k for k, v in stats.items() if not math.isfinite(v))
    return ev.Failed(step, f"training diverged at step {step}: {bad} became NaN or infinite",
                     "lower the learning rate, try the hinge or WGAN-GP loss, or enable spectral norm", last_ckpt)


def train(cfg: TrainConfig, control: RunControl | None = None, resume: str | Path | None = None) -> Iterator[ev.Event]:
    """Run (or continue) a training run, yielding events until it finishes, stops or fails."""
    control = control or RunControl()
    step, last_ckpt = 0, ""
    try:
        validate(cfg)
        device = pick_device(cfg.device)
        run_dir = check_writable(cfg.out_dir)
        ckpt = load_checkpoint(resume) if resume else None
        torch.manual_seed(cfg.seed)
        gen = torch.Generator(device="cpu").manual_seed(cfg.seed)
        trainer = TRAINERS[family_of(cfg.model.arch)].for_run(cfg, device)
        if ckpt is not None:
            trainer.load_state_dict(ckpt["state"])
            step, last_ckpt = ckpt["step"], str(ckpt["path"])
            restore_rng(ckpt["state"]["rng"], gen)
        cfg = trainer.cfg  # the trainer may fill in derived fields (number of classes)
        atomic_write(run_dir / "config.json", lambda fh: fh.write(json.dumps(to_dict(cfg), indent=2).encode()))
        src = trainer.source
        yield ev.Started(str(run_dir), describe(device), src.description, tuple(trainer.class_names), step, cfg.steps,
                         tuple(src.notes), precision.label(trainer.amp))
        bounds = _bounds(src.batch(4096, torch.Generator().manual_seed(0))[0].cpu().numpy()) if src.kind == "points" else None

        def save(at: int) -> str:
            state = {**trainer.state_dict(), "rng": rng_state(gen)}
            meta = {"generator": trainer.generator_meta(at), "class_names": trainer.class_names}
            return str(save_checkpoint(run_dir, at, to_dict(cfg), state, meta, cfg.keep_last))

        def previews(at: int) -> Iterator[ev.Event]:
            if isinstance(trainer, PointsTrainer) and bounds is not None:
                yield ev.PointsView(at, **trainer.points_view(gen, bounds))
                cov = trainer.coverage(gen)
                if cov is not None:
                    yield ev.Metrics(at, cov)
            else:
                yield ev.Samples(at, trainer.sample_grid())

        if step == 0:
            yield from previews(0)
        stats_file = (run_dir / "stats.jsonl").open("a", encoding="utf-8")
        try:
            t_last, imgs = time.perf_counter(), 0
            values: dict = {}
            while step < cfg.steps:
                if control.paused:
                    yield ev.Paused(step)
                    while not control.wait_while_paused(0.1):
                        if control.take_save_request():  # "save now" works while paused too
                            last_ckpt = save(step)
                            yield ev.CheckpointSaved(step, last_ckpt)
                    if not control.stopped:
                        yield ev.Resumed(step)
                    t_last, imgs = time.perf_counter(), 0
                if control.stopped:
                    break
                lr = control.take_lr_changes()
                if lr:
                    trainer.set_lr(**lr)
                values = trainer.step(gen)
                step += 1
                imgs += cfg.batch * cfg.n_critic
                log_now = step % cfg.log_every == 0 or step == cfg.steps
                save_now = step % cfg.ckpt_every == 0 or control.take_save_request()
                if log_now or save_now:  # the only points where the loop waits for the device
                    stats = {k: float(v) for k, v in values.items()}
                    if _diverged(stats):
                        yield _divergence(step, stats, last_ckpt)
                        return
                if log_now:
                    now = time.perf_counter()
                    stats.update(trainer.lrs(), img_per_s=imgs / max(now - t_last, 1e-9))
                    t_last, imgs = now, 0
                    stats_file.write(json.dumps({"step": step, **stats}) + "\n")
                    stats_file.flush()
                    yield ev.StepStats(step, cfg.steps, stats)
                if step % cfg.sample_every == 0:
                    yield from previews(step)
                if save_now:
                    last_ckpt = save(step)
                    yield ev.CheckpointSaved(step, last_ckpt)
        finally:
            stats_file.close()
        if values and _diverged({k: float(v) for k, v in values.items()}):
            yield _divergence(step, {k: float(v) for k, v in values.items()}, last_ckpt)
            return
        if step % cfg.sample_every:  # the last preview shows where the run ended, not an earlier step
            yield from previews(step)
        if not last_ckpt.endswith(f"{step:08d}.pt"):
            last_ckpt = save(step)
            yield ev.CheckpointSaved(step, last_ckpt)
        gen_path = save_generator_file(run_dir / GENERATOR_FILE, trainer.generator_weights(), trainer.generator_meta(step))
        yield ev.Finished(step, last_ckpt, str(gen_path), stopped=step < cfg.steps)
    except UserError as exc:
        yield ev.Failed(step, exc.message, exc.hint, last_ckpt)
    except torch.cuda.OutOfMemoryError:
        yield ev.Failed(step, "the GPU ran out of memory", "lower the batch size or image size, or train on the CPU", last_ckpt)
    except MemoryError:
        yield ev.Failed(step, "the computer ran out of memory", "lower the batch size, image size or dataset size", last_ckpt)
