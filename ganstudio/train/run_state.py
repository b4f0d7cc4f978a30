"""What the Train page shows about a run, as plain state driven by the loop's events (no Qt).

The page feeds every event to `RunState.apply` and renders the labels this class derives: the
phase (idle | preparing | running | paused | stopping), the step, the images seen, how the run
ended, the health hints, and the texts of the status line and the progress bar.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

from ganstudio.core.config import TrainConfig
from ganstudio.train import events as ev
from ganstudio.train import health

READY = "Ready: press Start training to train the settings on the left."
SPEED_SMOOTHING = 0.7  # weight of the speed so far against each newly measured interval


def duration(seconds: float) -> str:
    """A time left as people say it: "40 s", "9 min", "2 h 05 min"."""
    if seconds < 59.5:
        return f"{max(1, round(seconds))} s"
    minutes = round(seconds / 60)
    if minutes <= 60:
        return f"{minutes} min"
    return f"{minutes // 60} h {minutes % 60:02d} min"


@dataclass
class RunState:
    """One run's state on the page, from Start until the next Start."""

    phase: str = "idle"
    run_dir: str = ""
    step: int = 0
    total: int = 0
    outcome: str = "ended"  # finished | stopped | failed once the run says how it ended
    last_checkpoint: str = ""
    status: str = READY  # the line under the progress bar
    images_per_step: int = 0
    img_size: int = 0  # 0 for 2D points: no sample-diversity hint
    ran: bool = False  # a run has been started on this page
    speed: float = 0.0  # images per second, smoothed over the logged intervals (0 until measured)
    d_real: list[float] = field(default_factory=list)
    d_fake: list[float] = field(default_factory=list)
    rollback: dict[str, float] = field(default_factory=dict)  # after a divergence: the lower rates to continue with
    rollback_checkpoint: str = ""  # … from this last good checkpoint
    _hints: dict[str, health.Hint] = field(default_factory=dict)

    # -- the page's actions -------------------------------------------------------------------
    def begin(self, cfg: TrainConfig) -> None:
        """A new run is being prepared: forget the previous one."""
        self.phase, self.run_dir, self.step, self.total, self.ran = "preparing", cfg.out_dir, 0, cfg.steps, True
        self.outcome, self.last_checkpoint = "ended", ""
        self.images_per_step = cfg.batch * cfg.n_critic
        self.img_size = cfg.model.img_size if cfg.model.arch != "mlp" else 0
        self.d_real, self.d_fake, self._hints, self.speed = [], [], {}, 0.0
        self.rollback, self.rollback_checkpoint = {}, ""
        self.status = f"Preparing {cfg.data.kind} data and the {cfg.model.arch} model for {Path(cfg.out_dir).name}…"

    def opened(self, cfg: TrainConfig, step: int, status: str) -> None:
        """A run's checkpoint was chosen to continue: show that run, not the one before."""
        self.begin(cfg)
        self.phase, self.step, self.outcome, self.status = "idle", step, "ready to continue", status

    def stopping(self) -> None:
        self.phase = "stopping"

    def crashed(self) -> None:
        """The engine raised (a bug); the page's banner says what, the status line where the run stands."""
        self.outcome = "failed"
        self.status = f"Stopped by an error at step {self.step}.{self._kept()}"

    def ended(self) -> None:
        """The run's thread is gone."""
        self.phase = "idle"

    # -- events -------------------------------------------------------------------------------
    def apply(self, e: object) -> None:
        """Update the state from one of the loop's events."""
        if isinstance(e, ev.StepStats):
            self._stats(e)
        elif isinstance(e, ev.Samples):
            if self.img_size:
                div = health.sample_diversity(e.grid, self.img_size)
                self._set_hint("collapse", health.low_diversity(div, e.step / max(self.total, 1)))
        elif isinstance(e, ev.Metrics):
            hint = health.mode_collapse(e.values.get("modes", 0), e.values.get("modes_total", 0),
                                        e.step / max(self.total, 1))
            self._set_hint("collapse", hint)
        elif isinstance(e, ev.Started):
            self.step, self.total, self.run_dir = e.start_step, e.total_steps, e.run_dir
            classes = f", {len(e.class_names)} classes" if e.class_names else ""
            why = f" ({e.precision_reason})" if e.precision_reason else ""
            self.status = f"{e.data}{classes} · {e.device}, {e.precision}{why} · run folder {e.run_dir}"
            self.phase = "running"
        elif isinstance(e, ev.Paused):
            self.step, self.phase = e.step, "paused"
        elif isinstance(e, ev.Resumed):
            self.phase = "running"
        elif isinstance(e, ev.CheckpointSaved):
            self.last_checkpoint = e.path
        elif isinstance(e, ev.Finished):
            self._finished(e)
        elif isinstance(e, ev.Failed):
            self._failed(e)

    def _stats(self, e: ev.StepStats) -> None:
        self.step = e.step
        measured = e.values.get("img_per_s", 0.0)
        if measured > 0 and math.isfinite(measured):  # smoothed, so the time left does not jump about
            self.speed = measured if not self.speed else SPEED_SMOOTHING * self.speed + (1 - SPEED_SMOOTHING) * measured
        if "d_real" in e.values and "d_fake" in e.values:
            self.d_real.append(e.values["d_real"])
            self.d_fake.append(e.values["d_fake"])
            self._set_hint("d_wins", health.d_winning(self.d_real, self.d_fake))

    def _finished(self, e: ev.Finished) -> None:
        self.step, self.last_checkpoint = e.step, e.checkpoint
        verb = "Stopped" if e.stopped else "Finished"
        self.outcome = verb.lower()
        self.status = (f"{verb} at step {e.step}. Checkpoint {e.checkpoint}; generator {e.generator}. "
                       "The run is in the model library.")

    def _failed(self, e: ev.Failed) -> None:
        """The banner shows the message and its advice; the status line and hint box add only what is new."""
        self.outcome, self.step = "failed", max(self.step, e.step)
        self.last_checkpoint = e.checkpoint or self.last_checkpoint
        self.status = f"Failed at step {e.step}.{self._kept()}"
        if "NaN" in e.message or "diverged" in e.message:
            self._set_hint("diverged", health.diverged(bool(e.rollback)))
        self.rollback, self.rollback_checkpoint = dict(e.rollback), e.checkpoint

    def _kept(self) -> str:
        return f" The last good checkpoint is kept: {Path(self.last_checkpoint).name}." if self.last_checkpoint else ""

    def _set_hint(self, key: str, hint: health.Hint | None) -> None:
        if hint is None:
            self._hints.pop(key, None)
        else:
            self._hints[key] = hint

    # -- what the page shows ------------------------------------------------------------------
    @property
    def busy(self) -> bool:
        return self.phase != "idle"

    @property
    def images_seen(self) -> int:
        return self.step * self.images_per_step

    @property
    def name(self) -> str:
        return Path(self.run_dir).name if self.run_dir else ""

    def hints(self) -> list[health.Hint]:
        """The current warnings, or "healthy" once a running run has enough history to judge."""
        hints = list(self._hints.values())
        if not hints and self.phase in ("running", "paused") and len(self.d_real) >= health.D_WINNING_WINDOW:
            return [health.HEALTHY]
        return hints

    def worst_level(self) -> str:
        """ok | warn | bad: the colour of the hint box."""
        levels = {h.level for h in self.hints()}
        return next((level for level in ("bad", "warn") if level in levels), "ok")

    def _suffix(self) -> str:
        return {"paused": " · paused", "stopping": " · stopping and saving…"}.get(self.phase, "")

    def steps_per_s(self) -> float:
        return self.speed / max(self.images_per_step, 1)

    def speed_text(self, images: bool = True) -> str:
        """"160 images/s · 10.0 steps/s · 9 s left" from the measured speed ('' until measured, and
        unless running)."""
        if self.phase != "running" or not self.speed:
            return ""
        left = duration(max(self.total - self.step, 0) / self.steps_per_s())
        bits = [f"{self.speed:,.0f} images/s"] if images else []
        return " · ".join([*bits, f"{self.steps_per_s():.1f} steps/s", f"{left} left"])

    def progress(self) -> tuple[int, int, str]:
        """(maximum, value, text) of the progress bar; a maximum of 0 means busy without a count."""
        if self.phase == "preparing":
            return 0, 0, "preparing data…"
        if not self.ran:
            return 1, 0, "ready"
        if self.phase == "idle":
            return max(self.total, 1), self.step, f"step {self.step} of {self.total} · {self.outcome}"
        speed = self.speed_text()
        return max(self.total, 1), self.step, f"step {self.step} of {self.total}{self._suffix()}" + (
            f" · {speed}" if speed else "")

    def activity(self) -> str:
        """The window's activity line: what is running, or '' when idle."""
        if self.phase == "idle":
            return ""
        if self.phase == "preparing":
            return f"Preparing {self.name}"
        speed = self.speed_text(images=False)
        return f"Training {self.name}: step {self.step}/{self.total}{self._suffix()}" + (f" · {speed}" if speed else "")

    def busy_text(self) -> str:
        """What would be lost by closing now ('' when idle)."""
        return "" if self.phase == "idle" else f"Training {self.name} (step {self.step} of {self.total})"
