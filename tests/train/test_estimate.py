"""The time estimate a run gets before it starts: a few measured steps of the chosen model."""

from __future__ import annotations

import pytest

from ganstudio.core.config import DataConfig, ModelConfig, TrainConfig
from ganstudio.core.errors import UserError
from ganstudio.core.jobs import Cancelled
from ganstudio.train import estimate
from ganstudio.train.estimate import StepTime, measure


def _toy(batch: int = 8) -> TrainConfig:
    return TrainConfig(model=ModelConfig(arch="mlp", z_dim=2, hidden=16, layers=1), data=DataConfig(kind="toy"),
                       batch=batch, steps=1000, device="cpu")


def test_a_measured_step_gives_a_positive_figure_that_scales_with_steps() -> None:
    t = measure(_toy())
    assert t.step_s > 0 and t.preview_s == 0 and not t.scaled  # 2D: no sample grid; batch 8 timed as it is
    assert t.run_seconds(2000, 100) == pytest.approx(2 * t.run_seconds(1000, 100))
    text = t.text(1000, 100)
    assert text.startswith("about ") and text.endswith("/step)") and "on this machine (measured " in text


def test_an_image_model_counts_its_sample_grids(tmp_path) -> None:
    from tests.conftest import write_images

    write_images(tmp_path / "imgs", 6, size=28)
    cfg = TrainConfig(model=ModelConfig(arch="dcgan", z_dim=8, img_size=28, channels=1, base_ch=8),
                      data=DataConfig(kind="folder", path=str(tmp_path / "imgs")), batch=4, n_samples=4, device="cpu")
    t = measure(cfg)
    assert t.step_s > 0 and t.preview_s > 0
    assert t.run_seconds(100, 10) == pytest.approx(100 * t.step_s + 10 * t.preview_s)


def test_a_large_batch_is_followed_from_two_small_ones(monkeypatch) -> None:
    timed = []

    def fake_time(cfg, steps, cancelled, preview=True):  # a fixed 10 ms plus 1 ms per image
        timed.append(cfg.batch)
        return 0.01 + 0.001 * cfg.batch, 0.0

    monkeypatch.setattr(estimate, "_time", fake_time)
    t = measure(_toy(batch=512))
    assert timed == [16, 32] and t.scaled and t.step_s == pytest.approx(0.01 + 0.512)
    timed.clear()
    monkeypatch.setattr(estimate, "_time", lambda cfg, s, c, preview=True: (timed.append(cfg.batch), (1e-4, 0.0))[1])
    assert not measure(_toy(batch=512)).scaled and timed == [16, 512]  # cheap: timed at the run's own batch


def test_measuring_stops_when_cancelled_and_never_downloads(tmp_path) -> None:
    with pytest.raises(Cancelled):
        measure(_toy(), cancelled=lambda: True)
    cfg = TrainConfig(model=ModelConfig(arch="dcgan", img_size=28), data=DataConfig(kind="mnist", root=str(tmp_path)),
                      device="cpu")
    with pytest.raises(UserError, match="not found"):
        measure(cfg)
    assert not any(tmp_path.iterdir())
    with pytest.raises(UserError):
        measure(TrainConfig(model=ModelConfig(arch="dcgan", img_size=30)))


def test_text_reads_as_people_say_it() -> None:
    assert StepTime(0.36, 0.0, False).text(2000, 100) == "about 12 min on this machine (measured 0.36 s/step)"
    assert StepTime(0.0042, 0.0, False).text(1000, 100) == "about 4 s on this machine (measured 4.2 ms/step)"
