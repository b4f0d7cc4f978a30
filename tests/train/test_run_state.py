"""The Train page's run state, driven by feeding it the loop's events (no Qt, no training)."""

from __future__ import annotations

import numpy as np

from ganstudio.core.config import DataConfig, ModelConfig, TrainConfig
from ganstudio.train import events as ev
from ganstudio.train import health
from ganstudio.train.run_state import READY, RunState


def _cfg(**kw) -> TrainConfig:
    model = ModelConfig(arch="mlp") if kw.pop("points", True) else ModelConfig(arch="dcgan", img_size=28)
    return TrainConfig(model=model, data=DataConfig(kind="toy"), steps=100, batch=8, n_critic=2,
                       out_dir="/runs/ring", **kw)


def _started(state: RunState, start: int = 0) -> None:
    state.apply(ev.Started("/runs/ring", "CPU", "8 Gaussians on a ring", (), start, 100, (), "fp32"))


def test_a_run_from_start_to_finish() -> None:
    state = RunState()
    assert state.phase == "idle" and state.progress() == (1, 0, "ready") and state.status == READY
    state.begin(_cfg())
    assert state.phase == "preparing" and state.progress()[0] == 0 and state.activity() == "Preparing ring"
    _started(state)
    assert state.phase == "running" and "8 Gaussians on a ring · CPU, fp32" in state.status
    state.apply(ev.StepStats(10, 100, {"loss_g": 1.0}))
    assert state.step == 10 and state.images_seen == 10 * 8 * 2
    assert state.progress() == (100, 10, "step 10 of 100") and state.activity() == "Training ring: step 10/100"
    state.apply(ev.Paused(12))
    assert state.phase == "paused" and state.progress()[2] == "step 12 of 100 · paused"
    state.apply(ev.Resumed(12))
    state.stopping()
    assert state.progress()[2] == "step 12 of 100 · stopping and saving…"
    assert state.busy_text() == "Training ring (step 12 of 100)"
    state.apply(ev.CheckpointSaved(12, "/runs/ring/ckpt_00000012.pt"))
    state.apply(ev.Finished(12, "/runs/ring/ckpt_00000012.pt", "/runs/ring/generator.pt", stopped=True))
    assert state.outcome == "stopped" and state.status.startswith("Stopped at step 12")
    state.ended()
    assert state.progress() == (100, 12, "step 12 of 100 · stopped")
    assert state.activity() == "" and not state.busy_text()


def test_a_resumed_run_counts_from_its_checkpoint_step() -> None:
    state = RunState()
    state.begin(_cfg())
    _started(state, start=40)
    assert state.step == 40 and state.images_seen == 40 * 16


def test_hints_follow_the_statistics() -> None:
    state = RunState()
    state.begin(_cfg())
    _started(state)
    for step in range(health.D_WINNING_WINDOW):
        state.apply(ev.StepStats(step, 100, {"d_real": 0.5, "d_fake": 0.5}))
    assert state.hints() == [health.HEALTHY] and state.worst_level() == "ok"
    for step in range(health.D_WINNING_WINDOW):
        state.apply(ev.StepStats(step, 100, {"d_real": 0.99, "d_fake": 0.01}))
    assert [h.title for h in state.hints()] == ["The discriminator is winning too easily"]
    state.apply(ev.Metrics(50, {"modes": 1, "modes_total": 8, "hq_share": 0.1}))
    assert "Suspected mode collapse" in [h.title for h in state.hints()]


def test_a_diverged_run_fails_with_advice() -> None:
    state = RunState()
    state.begin(_cfg())
    _started(state)
    state.apply(ev.Failed(7, "training diverged at step 7: loss_d became NaN or infinite", "lower it"))
    assert state.outcome == "failed" and state.status.startswith("Failed at step 7")
    assert state.hints()[0].level == "bad" and state.worst_level() == "bad"
    state.begin(_cfg())  # a new run forgets the old one
    assert state.hints() == [] and state.outcome == "ended" and state.step == 0


def test_identical_samples_warn_of_collapse_only_for_image_models() -> None:
    state = RunState()
    state.begin(_cfg(points=False))
    _started(state)
    same = np.zeros((2 + 2 * 30, 2 + 2 * 30, 3), dtype=np.uint8)
    state.apply(ev.Samples(50, same))
    assert [h.title for h in state.hints()] == ["Suspected mode collapse"]
    points = RunState()
    points.begin(_cfg())
    points.apply(ev.Samples(50, same))
    assert points.hints() == []


def test_the_measured_speed_gives_images_steps_and_time_left() -> None:
    state = RunState()
    state.begin(_cfg())  # batch 8 × 2 D steps: 16 images a step
    _started(state)
    assert "left" not in state.progress()[2]  # nothing measured yet
    state.apply(ev.StepStats(10, 100, {"loss_g": 1.0, "img_per_s": 160.0}))
    assert state.progress()[2] == "step 10 of 100 · 160 images/s · 10.0 steps/s · 9 s left"
    assert state.activity() == "Training ring: step 10/100 · 10.0 steps/s · 9 s left"
    for step in range(11, 21):  # slowed right down: the estimate follows within a few intervals
        state.apply(ev.StepStats(step, 100, {"loss_g": 1.0, "img_per_s": 1.6}))
    assert state.speed_text().endswith("min left")
    state.apply(ev.Paused(20))
    assert state.progress()[2] == "step 20 of 100 · paused"


def test_durations_read_as_seconds_minutes_or_hours() -> None:
    from ganstudio.train.run_state import duration

    assert [duration(s) for s in (0.2, 59, 61, 3599, 3600 * 2 + 60 * 5)] == ["1 s", "59 s", "1 min", "60 min",
                                                                          "2 h 05 min"]


def test_a_failure_is_told_once_the_status_adds_only_the_step_and_checkpoint() -> None:
    state = RunState()
    state.begin(_cfg())
    _started(state)
    state.apply(ev.CheckpointSaved(5, "/runs/ring/checkpoints/ckpt_00000005.pt"))
    message = "training diverged at step 7: loss_d became NaN or infinite"
    state.apply(ev.Failed(7, message, "lower it", "/runs/ring/checkpoints/ckpt_00000005.pt", {"lr_g": 1e-4}))
    assert state.status == "Failed at step 7. The last good checkpoint is kept: ckpt_00000005.pt."
    state.ended()
    assert state.progress()[2] == "step 7 of 100 · failed"
    assert message not in state.hints()[0].advice and "Roll back" in state.hints()[0].advice
    state.begin(_cfg())
    _started(state)
    state.apply(ev.StepStats(3, 100, {"loss_g": 1.0}))
    state.crashed()
    assert state.outcome == "failed" and state.status == "Stopped by an error at step 3."
