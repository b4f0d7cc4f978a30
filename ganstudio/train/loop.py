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
from typing import BinaryIO

import numpy as np
import torch

from ganstudio.core import threads, tuning
from ganstudio.core.atomic import atomic_write
from ganstudio.core.config import TrainConfig, replace, to_dict, train_from_dict, validate
from ganstudio.core.device import describe, pick_device, use_threads
from ganstudio.core.errors import UserError
from ganstudio.modelfiles.checkpoint import checkpoint_path, load_checkpoint, save_checkpoint
from ganstudio.modelfiles.generator import save_generator_file
from ganstudio.train import distributed, precision
from ganstudio.train import events as ev
from ganstudio.train.control import RunControl
from ganstudio.train.cyclegan import CycleGANTrainer
from ganstudio.train.gan import GANTrainer
from ganstudio.train.rng import restore_rng, rng_state
from ganstudio.train.runfolder import RunFolder, check_creatable
from ganstudio.train.stats import StatsWindow
from ganstudio.train.stylegan import StyleGANTrainer
from ganstudio.train.trainer import LOOP_STATS, PointsTrainer, StatPanel, Trainer

GENERATOR_FILE = "generator.pt"


# Model families register their trainer class here.
TRAINERS: dict[str, type[Trainer]] = {"gan": GANTrainer, "cyclegan": CycleGANTrainer, "stylegan": StyleGANTrainer}


def family_of(arch: str) -> str:
    """Which trainer runs a model: every arch not registered as its own family is a GAN."""
    return arch if arch in TRAINERS else "gan"


def reported_stats(arch: str) -> tuple[StatPanel, ...]:
    """Every statistic a run of this model reports, with its plot panel: the trainer's, then the loop's."""
    return TRAINERS[family_of(arch)].STATS + LOOP_STATS


def run_folder_of(checkpoint: str | Path) -> Path:
    """The run folder a checkpoint belongs to (`<run>/checkpoints/ckpt_….pt`), where its run continues."""
    path = Path(checkpoint)
    return path.parent.parent if path.parent.name == "checkpoints" else path.parent


def config_from_checkpoint(path: str | Path, **overrides) -> TrainConfig:
    """The config a checkpoint was trained with, writing to the checkpoint's own run folder, with e.g. a new
    `steps` total."""
    ckpt = load_checkpoint(path)
    cfg = replace(train_from_dict(ckpt["config"]), out_dir=str(run_folder_of(ckpt["path"])))
    return replace(cfg, **overrides) if overrides else cfg


def _bounds(points: np.ndarray) -> tuple[float, float, float, float]:
    points = np.clip(points.astype(np.float64), -1e6, 1e6)  # keep the view finite for wild user data
    lo, hi = np.percentile(points, 0.5, axis=0), np.percentile(points, 99.5, axis=0)
    pad = 0.25 * (hi - lo).max() + 0.1
    cx, cy = (lo + hi) / 2
    half = (hi - lo).max() / 2 + pad
    return (float(cx - half), float(cx + half), float(cy - half), float(cy + half))


def _thread_tuner(device: torch.device) -> threads.ThreadTuner | None:
    """Threads chosen from the run's step times: on a CPU, unless pinned (OMP_NUM_THREADS, torchrun), tuning is
    off, or there is one core."""
    if device.type != "cpu" or not tuning.enabled() or threads.pinned() or distributed.current() is not None:
        return None
    options = threads.candidates(threads.cores())
    return threads.ThreadTuner(options) if len(options) > 1 else None


def _divergence(step: int, stats: dict[str, float], last_ckpt: str, lrs: dict[str, float]) -> ev.Failed:
    bad = ", ".join(k for k, v in stats.items() if not math.isfinite(v)) or "a statistic"
    rollback = {k: v / 2 for k, v in lrs.items()} if last_ckpt else {}
    return ev.Failed(step, f"training diverged at step {step}: {bad} became NaN or infinite",
                     "roll back to the last good checkpoint with a lower learning rate, try the hinge or WGAN-GP "
                     "loss, or enable spectral norm", last_ckpt, rollback)


class Watch:
    """The first step whose statistics were not finite, kept on the device: checked every step, read only
    when the loop waits for the device anyway (a log, a checkpoint, the end)."""

    def __init__(self) -> None:
        self.first_bad: torch.Tensor | None = None

    def add(self, step: int, values: dict[str, torch.Tensor]) -> None:
        ok = torch.stack([v.detach().float().reshape(()) for v in values.values()]).isfinite().all()
        if self.first_bad is None:
            self.first_bad = torch.full((), -1, dtype=torch.long, device=ok.device)
        self.first_bad.masked_fill_((self.first_bad < 0) & ~ok, step)

    def bad_step(self) -> int:
        """The first non-finite step (0: none so far)."""
        return max(0, int(self.first_bad)) if self.first_bad is not None else 0


class _Run:
    """One run's state between events: its trainer, generator, folder, step and last checkpoint."""

    def __init__(self, cfg: TrainConfig, control: RunControl, trainer: Trainer, gen: torch.Generator) -> None:
        self.cfg, self.control, self.trainer, self.gen = cfg, control, trainer, gen
        self.folder: RunFolder | None = None
        self.run_dir = Path(cfg.out_dir).expanduser()
        self.step, self.last_ckpt = 0, ""
        self.main, self.agreed_stop = distributed.is_main(), False  # rank 0 alone writes the run folder
        self.window, self.watch = StatsWindow(), Watch()
        self.precision_reason = ""
        self.tuner = _thread_tuner(trainer.device)
        src = trainer.source
        self.bounds = _bounds(src.batch(4096, torch.Generator().manual_seed(0))[0].cpu().numpy()) \
            if src.kind == "points" else None

    def save(self) -> ev.CheckpointSaved:
        if not self.main:  # the file rank 0 writes at this step
            self.last_ckpt = str(checkpoint_path(self.run_dir, self.step))
            return ev.CheckpointSaved(self.step, self.last_ckpt)
        t = self.trainer
        state = {**t.state_dict(), "rng": rng_state(self.gen)}
        meta = {"generator": t.generator_meta(self.step), "class_names": t.class_names}
        path = save_checkpoint(self.run_dir, self.step, to_dict(self.cfg), state, meta, self.cfg.keep_last)
        self.last_ckpt = str(path)
        return ev.CheckpointSaved(self.step, self.last_ckpt)

    def previews(self) -> Iterator[ev.Event]:
        t = self.trainer
        if not self.main:
            return
        if isinstance(t, PointsTrainer) and self.bounds is not None:
            yield ev.PointsView(self.step, **t.points_view(self.gen, self.bounds))
            cov = t.coverage(self.gen)
            if cov is not None:
                yield ev.Metrics(self.step, cov)
        else:
            yield ev.Samples(self.step, t.sample_grid())

    def pause(self) -> Iterator[ev.Event]:
        """Wait while paused; "save now" works while paused too."""
        yield ev.Paused(self.step)
        while not self.control.wait_while_paused(0.1):
            if self.control.take_save_request():
                yield self.save()
        if not self.control.stopped:
            yield ev.Resumed(self.step)

    def diverged(self) -> ev.Failed | None:
        """A `Failed` naming the first non-finite step, if any step since the start was one (on any process;
        the processes also agree here whether one of them was asked to stop)."""
        bad, self.agreed_stop = distributed.agree(self.watch.bad_step(), self.control.stopped)
        return _divergence(bad, self.window.mean(), self.last_ckpt, self.trainer.lrs()) if bad else None

    def stopping(self) -> bool:
        """One process stops at once; several stop at the log or checkpoint step where they agreed to."""
        return self.control.stopped if distributed.current() is None else self.agreed_stop

    def steps(self, folder: RunFolder | None) -> Iterator[ev.Event]:
        """Step until the last step or a stop; ends early (after a `Failed`) when the run diverges."""
        cfg, control = self.cfg, self.control
        t_last, imgs = time.perf_counter(), 0
        while self.step < cfg.steps:
            if control.paused:
                yield from self.pause()
                t_last, imgs = time.perf_counter(), 0
            if self.stopping():
                break
            lr = control.take_lr_changes()
            if lr:
                self.trainer.set_lr(**lr)
            values = self._step()
            self.window.add(values)
            self.step += 1
            self.watch.add(self.step, values)
            imgs += cfg.batch * cfg.n_critic
            log_now = self.step % cfg.log_every == 0 or self.step == cfg.steps
            save_now = self.step % cfg.ckpt_every == 0 or control.take_save_request()
            if log_now or save_now:  # the only points where the loop waits for the device
                failed = self.diverged()
                if failed:
                    yield failed
                    return
            if log_now:
                now = time.perf_counter()
                stats = {**distributed.mean(self.window.mean()), **self.trainer.lrs(),
                         "img_per_s": imgs / max(now - t_last, 1e-9)}  # the global batch: every process's images
                t_last, imgs = now, 0
                self.window.reset()
                if folder is not None:
                    folder.append_stats({"step": self.step, **stats, "threads": torch.get_num_threads()})
                yield ev.StepStats(self.step, cfg.steps, stats)
            if self.step % cfg.sample_every == 0:
                yield from self.previews()
            if save_now:
                yield self.save()

    def _step(self) -> dict[str, torch.Tensor]:
        """One trainer step on the thread count the tuner asks for, timed for it (a CPU step is synchronous)."""
        if self.tuner is None:
            return self.trainer.step(self.gen)
        n = self.tuner.threads()
        use_threads(n)
        threads.training_uses(n)
        t0 = time.perf_counter()
        values = self.trainer.step(self.gen)
        self.tuner.observe(time.perf_counter() - t0)
        return values

    def finish(self) -> Iterator[ev.Event]:
        """The last checkpoint, preview and generator file, unless the steps since the last log diverged.

        The checkpoint comes first: the preview draws from the data RNG, which a resumed run must find as
        the uninterrupted run had it.
        """
        failed = self.diverged()
        if failed:
            yield failed
            return
        if not self.last_ckpt.endswith(f"{self.step:08d}.pt"):
            yield self.save()
        if self.step % self.cfg.sample_every:  # the last preview shows where the run ended, not an earlier step
            yield from self.previews()
        t = self.trainer
        gen_path = self.run_dir / GENERATOR_FILE
        if self.main:
            gen_path = save_generator_file(gen_path, t.generator_weights(), t.generator_meta(self.step),
                                           extra=t.extra_weights())
        yield ev.Finished(self.step, self.last_ckpt, str(gen_path), stopped=self.step < self.cfg.steps)


def _start(cfg: TrainConfig, control: RunControl, resume: str | Path | None) -> _Run:
    """Check the config, build the trainer and restore a checkpoint: everything before `Started`.

    The run folder is made (and locked) only once all that has worked, so a run that cannot start
    leaves nothing behind.
    """
    validate(cfg)
    device = distributed.start(pick_device(cfg.device), cfg.batch)  # the same device unless under torchrun
    check_creatable(cfg.out_dir)
    ckpt = load_checkpoint(resume) if resume else None
    torch.manual_seed(cfg.seed)
    gen = torch.Generator(device="cpu").manual_seed(distributed.rank_seed(cfg.seed))
    trainer = TRAINERS[family_of(cfg.model.arch)].for_run(cfg, device)
    cfg = trainer.cfg  # the trainer may fill in derived fields (number of classes)
    run = _Run(cfg, control, trainer, gen)
    if ckpt is not None:
        _restore(run, ckpt)
    trainer.amp, run.precision_reason = precision.choose(trainer, cfg.precision, distributed.current() is None)
    if trainer.device.type == "cpu":
        threads.training_uses(torch.get_num_threads())  # the window's other workers take what is left
    if not run.main:
        return run
    run.folder = RunFolder.open(cfg.out_dir)
    run.run_dir = run.folder.path
    text = json.dumps(to_dict(cfg), indent=2).encode()

    def write(fh: BinaryIO) -> None:
        fh.write(text)

    try:
        atomic_write(run.run_dir / "config.json", write)
    except BaseException:
        run.folder.close(discard=True)
        raise
    return run


def _restore(run: _Run, ckpt: dict) -> None:
    """Continue from a checkpoint; learning rates the new config changes apply from its first step."""
    run.trainer.load_state_dict(ckpt["state"])
    run.step, run.last_ckpt = ckpt["step"], str(ckpt["path"])
    restore_rng(ckpt["state"]["rng"], run.gen)
    if not run.main:  # the checkpoint holds rank 0's data stream; the others draw fresh ones
        run.gen.manual_seed(distributed.rank_seed(run.cfg.seed, run.step))
    old = train_from_dict(ckpt["config"])
    changed = {k: getattr(run.cfg, k) for k in ("lr_g", "lr_d") if getattr(run.cfg, k) != getattr(old, k)}
    if changed:
        run.trainer.set_lr(**changed)


def train(cfg: TrainConfig, control: RunControl | None = None, resume: str | Path | None = None) -> Iterator[ev.Event]:
    """Run (or continue) a training run, yielding events until it finishes, stops or fails."""
    run: _Run | None = None
    try:
        run = _start(cfg, control or RunControl(), resume)
        t, src = run.trainer, run.trainer.source
        where = describe(t.device) if run.tuner is None else \
            f"CPU ({' or '.join(map(str, run.tuner.options))} threads, whichever measures faster)"
        yield ev.Started(str(run.run_dir), where, src.description, tuple(t.class_names), run.step,
                         run.cfg.steps, tuple(src.notes), precision.label(t.amp), run.precision_reason)
        if run.step == 0:
            yield from run.previews()
        for event in run.steps(run.folder):
            yield event
            if isinstance(event, ev.Failed):
                return
        yield from run.finish()
    except UserError as exc:
        yield _failed(run, exc.message, exc.hint)
    except torch.cuda.OutOfMemoryError:
        yield _failed(run, "the GPU ran out of memory", "lower the batch size or image size, or train on the CPU")
    except MemoryError:
        yield _failed(run, "the computer ran out of memory", "lower the batch size, image size or dataset size")
    except (distributed.PeerStoppedError, RuntimeError) as exc:
        if distributed.current() is None:
            raise
        yield ev.Failed(run.step if run else 0, *distributed.peer_failure(exc), run.last_ckpt if run else "")
    finally:
        threads.training_uses(0)
        if run is not None and run.folder is not None:
            run.folder.close()
        distributed.finish()


def _failed(run: _Run | None, message: str, hint: str) -> ev.Failed:
    distributed.report(message)  # the other processes of a distributed run end with this message
    return ev.Failed(run.step if run else 0, message, hint, run.last_ckpt if run else "")
