"""The averaged generator's half-life in images: the same at every batch size, ramped up early."""

from __future__ import annotations

import math

import pytest

from ganstudio.core.config import TrainConfig, ema_half_life_of, to_dict, train_from_dict
from ganstudio.train.gan import ema_decay


def test_half_life_in_images_means_the_same_at_every_batch_size():
    half_life = 20_000
    for batch in (16, 64, 256):
        steps = half_life // batch
        kept = ema_decay(half_life, 0.0, batch, 10**6) ** steps  # long past the ramp
        assert kept == pytest.approx(0.5, rel=0.02), batch


def test_the_ramp_shortens_the_half_life_at_the_start():
    early, late = ema_decay(44_000, 0.05, 64, 0), ema_decay(44_000, 0.05, 64, 100_000)
    assert early == pytest.approx(0.5 ** (64 / (64 * 0.05)))  # one batch seen: the average is nearly G
    assert late == pytest.approx(0.5 ** (64 / 44_000))
    assert early < ema_decay(44_000, 0.05, 64, 100) < late


def test_old_configs_with_a_per_step_decay_keep_their_average():
    old = {k: v for k, v in to_dict(TrainConfig(batch=64)).items() if k != "ema_half_life"}
    old["ema_decay"] = 0.999
    cfg = train_from_dict(old)
    assert cfg.ema_half_life == round(64 * math.log(0.5) / math.log(0.999)) == 44_339
    assert ema_decay(cfg.ema_half_life, 0.0, 64, 10**6) == pytest.approx(0.999, abs=1e-6)
    assert ema_half_life_of(0.99, 512) == 35_311
    new = to_dict(TrainConfig(ema_half_life=5_000))
    assert train_from_dict({**new, "ema_decay": 0.5}).ema_half_life == 5_000  # the new field wins
