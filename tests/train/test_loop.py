import threading

import numpy as np
import pytest
import torch

from ganstudio.core.config import DataConfig, ModelConfig, TrainConfig, replace
from ganstudio.modelfiles.checkpoint import latest_checkpoint, load_checkpoint
from ganstudio.modelfiles.generator import load_generator
from ganstudio.train import events as ev
from ganstudio.train.control import RunControl
from ganstudio.train.loop import train


def toy_cfg(tmp_path, **kw) -> TrainConfig:
    base = TrainConfig(model=ModelConfig(arch="mlp", z_dim=4, hidden=32, layers=2),
                       data=DataConfig(kind="toy", name="ring8"),
                       steps=20, batch=64, lr_g=1e-3, lr_d=1e-3, sample_every=10, ckpt_every=10, log_every=5,
                       device="cpu", out_dir=str(tmp_path / "run"), seed=1)
    return replace(base, **kw)


def image_cfg(tmp_path, folder, **kw) -> TrainConfig:
    base = TrainConfig(model=ModelConfig(arch="dcgan", z_dim=8, img_size=28, channels=3, base_ch=4),
                       data=DataConfig(kind="folder", path=str(folder)), steps=4, batch=4, sample_every=2,
                       ckpt_every=2, log_every=1, n_samples=9, device="cpu", out_dir=str(tmp_path / "img"), seed=0)
    return replace(base, **kw)


def test_toy_run_reports_everything(tmp_path):
    events = list(train(toy_cfg(tmp_path)))
    kinds = [type(e).__name__ for e in events]
    assert kinds[0] == "Started" and kinds[-1] == "Finished"
    views = [e for e in events if isinstance(e, ev.PointsView)]
    assert len(views) == 3 and views[-1].surface.shape == (48, 48) and views[-1].arrows.shape == views[-1].fake.shape
    metrics = [e for e in events if isinstance(e, ev.Metrics)]
    assert metrics and metrics[-1].values["modes_total"] == 8
    stats = [e for e in events if isinstance(e, ev.StepStats)]
    assert [s.step for s in stats] == [5, 10, 15, 20]
    assert {"loss_g", "loss_d", "d_real", "d_fake", "grad_g", "grad_d", "img_per_s", "lr_g"} <= set(stats[-1].values)
    lines = (tmp_path / "run" / "stats.jsonl").read_text().splitlines()
    assert len(lines) == 4
    g = load_generator(events[-1].generator)
    assert g.generate(g.latents([1, 2, 3])).shape == (3, 2)


def test_the_last_preview_is_where_the_run_ended(tmp_path):
    events = list(train(toy_cfg(tmp_path, steps=23)))
    assert [e.step for e in events if isinstance(e, ev.PointsView)] == [0, 10, 20, 23]
    assert [e.step for e in events if isinstance(e, ev.Metrics)][-1] == 23


def test_image_run_and_conditional_grid(tmp_path, class_folder):
    model = ModelConfig(arch="cdcgan", z_dim=8, img_size=28, channels=3, base_ch=4)
    events = list(train(image_cfg(tmp_path, class_folder, model=model)))
    assert isinstance(events[-1], ev.Finished), events[-1]
    grids = [e.grid for e in events if isinstance(e, ev.Samples)]
    assert grids[0].dtype == np.uint8 and grids[0].shape[2] == 3
    assert grids[0].shape[0] == 3 * 30 + 2, "one row per class (3 classes of 28 px with 2 px gutters)"
    g = load_generator(events[-1].generator)
    assert g.class_names == ["cats", "dogs", "owls"] and g.class_index("Dogs") == 1
    assert g.generate(g.latents([0, 1]), torch.tensor([0, 2])).shape == (2, 28, 28, 3)


@pytest.mark.parametrize("loss", ["bce", "lsgan", "hinge", "wgan-gp"])
def test_every_loss_trains(tmp_path, image_folder, loss):
    events = list(train(image_cfg(tmp_path, image_folder, loss=loss, steps=2, n_critic=2 if loss == "wgan-gp" else 1)))
    assert isinstance(events[-1], ev.Finished), events[-1]


def test_resume_continues_exactly(tmp_path):
    """The raw and the averaged generator both match an uninterrupted run (the EMA ramp and the
    learning-rate decay, which starts at the interruption, resume too)."""
    straight = list(train(toy_cfg(tmp_path / "a", ema=True, lr_decay=0.5)))
    first = toy_cfg(tmp_path / "b", ema=True, lr_decay=0.5)
    list(train(replace(first, steps=10, lr_decay=0.0)))  # steps 0–9 run at the full rate either way
    resumed = list(train(first, resume=latest_checkpoint(first.out_dir)))
    assert isinstance(resumed[0], ev.Started) and resumed[0].start_step == 10
    for net in ("G", "G_ema"):
        a = load_checkpoint(straight[-1].checkpoint)["state"]["nets"][net]
        b = load_checkpoint(resumed[-1].checkpoint)["state"]["nets"][net]
        assert all(torch.equal(a[k], b[k]) for k in a), f"resuming must reproduce the uninterrupted run ({net})"


def test_learning_rates_cool_down_linearly_to_zero(tmp_path):
    events = list(train(toy_cfg(tmp_path, steps=40, log_every=1, lr_decay=0.5, lr_g=1e-3, lr_d=2e-3)))
    lr = {e.step: (e.values["lr_g"], e.values["lr_d"]) for e in events if isinstance(e, ev.StepStats)}
    # statistics follow the step, so step s reports the rate step s used: factor(s − 1)
    assert lr[10] == lr[21] == (1e-3, 2e-3)
    assert lr[31] == pytest.approx((5e-4, 1e-3)) and lr[40] == pytest.approx((5e-5, 1e-4))
    assert all(lr[s + 1][0] <= lr[s][0] for s in range(1, 40))


def test_a_new_learning_rate_keeps_the_decay_on_schedule(tmp_path):
    from ganstudio.data.toy import toy_source
    from ganstudio.train.gan import GANTrainer
    cfg = toy_cfg(tmp_path, steps=100, lr_decay=0.5)
    trainer = GANTrainer(cfg, toy_source("ring8", torch.device("cpu")), torch.device("cpu"))
    trainer.g_updates = 75
    trainer.set_lr(lr_g=4e-3)
    assert trainer.lrs() == pytest.approx({"lr_g": 2e-3, "lr_d": 5e-4})  # half of each base, 25 steps from the end


class CountingControl(RunControl):
    """Counts the loop's polls while paused, so a test can see it waiting without timing it."""

    def __init__(self) -> None:
        super().__init__()
        self.polls = 0

    def wait_while_paused(self, timeout: float = 0.1) -> bool:
        self.polls += 1
        return super().wait_while_paused(0.01)


def _wait_until(condition, limit_s: float = 60.0) -> None:
    done = threading.Event()
    for _ in range(int(limit_s / 0.01)):
        if condition():
            return
        done.wait(0.01)
    raise AssertionError("condition not reached")


def test_pause_resume_stop_and_lr(tmp_path):
    control = CountingControl()
    cfg = toy_cfg(tmp_path, steps=100000, ckpt_every=100000)
    seen: list = []

    def drive():
        for e in train(cfg, control):
            seen.append(e)
            if isinstance(e, ev.StepStats) and e.step == 10:
                control.set_lr(lr_g=5e-4)
                control.pause()

    worker = threading.Thread(target=drive)
    worker.start()
    _wait_until(lambda: any(isinstance(e, ev.Paused) for e in seen))
    paused_at = len(seen)
    _wait_until(lambda: control.polls >= 5)  # the loop has gone round its pause wait several times…
    assert len(seen) == paused_at, "a paused run must not step"  # …without stepping
    control.resume()
    _wait_until(lambda: any(isinstance(e, ev.StepStats) and e.step > 10 for e in seen))
    control.stop()
    worker.join(10)
    assert not worker.is_alive()
    assert any(isinstance(e, ev.Resumed) for e in seen)
    done = seen[-1]
    assert isinstance(done, ev.Finished) and done.stopped
    lrs = [e.values["lr_g"] for e in seen if isinstance(e, ev.StepStats) and e.step > 10]
    assert lrs and lrs[-1] == 5e-4
    assert load_checkpoint(done.checkpoint)["step"] == done.step


def test_nan_stops_and_keeps_last_checkpoint(tmp_path):
    pts = tmp_path / "huge.csv"
    pts.write_text("\n".join(f"{3e38 * (i % 2)},{i}" for i in range(50)))
    good = toy_cfg(tmp_path, steps=10)
    saved = list(train(good))[-1].checkpoint
    poisoned = replace(good, data=DataConfig(kind="csv", path=str(pts)), steps=50)
    events = list(train(poisoned, resume=saved))
    assert isinstance(events[-1], ev.Failed)
    assert "NaN or infinite" in events[-1].message and events[-1].hint
    saves = [saved] + [e.path for e in events if isinstance(e, ev.CheckpointSaved)]
    kept = load_checkpoint(events[-1].checkpoint)
    assert events[-1].checkpoint == saves[-1] and kept["step"] < events[-1].step
    assert all(torch.isfinite(w).all() for w in kept["state"]["nets"]["G"].values())


def test_bad_folder_fails_cleanly(tmp_path):
    events = list(train(image_cfg(tmp_path, tmp_path / "missing")))
    assert len(events) == 1 and isinstance(events[0], ev.Failed) and "does not exist" in events[0].message


def test_unwritable_output(tmp_path):
    (tmp_path / "file").write_text("x")
    events = list(train(toy_cfg(tmp_path, out_dir=str(tmp_path / "file" / "run"))))
    assert isinstance(events[0], ev.Failed) and "cannot write" in events[0].message


def test_ema_follows_the_generator_early_on():
    """After a few updates the average sits near G, not near the random initial weights."""
    from ganstudio.data.toy import toy_source
    from ganstudio.train.gan import GANTrainer

    torch.manual_seed(0)
    cfg = TrainConfig(model=ModelConfig(arch="mlp", z_dim=4, hidden=16, layers=2), batch=32, lr_g=1e-2, lr_d=1e-2,
                      ema=True, ema_half_life=10_000)
    trainer = GANTrainer(cfg, toy_source("ring8", torch.device("cpu")), torch.device("cpu"))
    start = [p.clone() for p in trainer.G.parameters()]
    gen = torch.Generator().manual_seed(0)
    for _ in range(20):
        trainer.step(gen)
    to_g = sum((e - g).norm() for e, g in zip(trainer.G_ema.parameters(), trainer.G.parameters(), strict=True))
    to_start = sum((e - s).norm() for e, s in zip(trainer.G_ema.parameters(), start, strict=True))
    assert to_g < to_start


def test_coded_mlp_run_starts_every_code_on_its_own_cluster(tmp_path):
    from ganstudio.data.toy import grid25_centers, toy_source
    from ganstudio.models.mlp import latent_code
    from ganstudio.train.gan import GANTrainer

    cfg = toy_cfg(tmp_path, data=DataConfig(kind="toy", name="grid25"),
                  model=ModelConfig(arch="mlp", z_dim=4, hidden=32, layers=2, latent_codes=25))
    trainer = GANTrainer(cfg, toy_source("grid25", torch.device("cpu")), torch.device("cpu"))
    centres = torch.tensor(grid25_centers(), dtype=torch.float32)
    nearest = torch.cdist(trainer.G.anchors.detach(), centres).argmin(1)
    assert len(set(nearest.tolist())) == 25
    z = torch.randn(4096, 4, generator=torch.Generator().manual_seed(0))
    blobs = trainer.G(z) - latent_code(z[:, 0], 25) @ trainer.G.anchors
    assert abs(blobs.std(0).mean().item() - 1.0) < 0.15, "each code starts as a blob half the 2.0 gap between modes"


def test_statistics_are_the_mean_over_each_log_interval(tmp_path, monkeypatch):
    """loss_g is made the update count (1, 2, 3, …): each point is its interval's mean, not its last value."""
    from ganstudio.train.gan import GANTrainer

    real_step = GANTrainer.step

    def counted(self, gen):
        values = real_step(self, gen)
        return {**values, "loss_g": torch.tensor(float(self.g_updates))}

    monkeypatch.setattr(GANTrainer, "step", counted)
    stats = [e for e in train(toy_cfg(tmp_path, steps=12, log_every=5)) if isinstance(e, ev.StepStats)]
    assert [(s.step, s.values["loss_g"]) for s in stats] == [(5, 3.0), (10, 8.0), (12, 11.5)]


def test_stats_window_means_and_resets():
    from ganstudio.train.stats import StatsWindow

    window = StatsWindow()
    assert window.mean() == {}
    for v in (1.0, 2.0, 6.0):
        window.add({"x": torch.tensor(v)})
    assert window.mean() == {"x": 3.0}
    window.add({"x": torch.tensor(float("nan"))})
    assert np.isnan(window.mean()["x"])
    window.reset()
    window.add({"x": torch.tensor(4.0)})
    assert window.mean() == {"x": 4.0}
