"""bf16 inference: its output stays within a stated tolerance of fp32's, and it is used only where measured
faster and where the architecture's quality is known to hold.

Tolerance, in 0–255 levels of the uint8 images the app shows and saves: a mean absolute difference
under 1 level (1/255) and no pixel more than 16 levels off.
"""

from __future__ import annotations

import copy

import numpy as np
import pytest
import torch
from torch import nn

from ganstudio.core import tuning
from ganstudio.core.config import ModelConfig
from ganstudio.models import build_generator
from ganstudio.models import precision as mp
from ganstudio.models.cyclegan import build_cyclegan_generator

CPU = torch.device("cpu")
MEAN_LEVELS, MAX_LEVELS = 1.0, 16


def levels(x: torch.Tensor) -> np.ndarray:
    return ((x.clamp(-1, 1) + 1) * 127.5).round().numpy().astype(np.int16)


def spread_weights(net: nn.Module) -> nn.Module:
    """He-initialised convolutions, so an untrained net draws varied images rather than flat grey."""
    torch.manual_seed(0)
    for m in net.modules():
        if isinstance(m, nn.Conv2d | nn.ConvTranspose2d):
            fan_in = m.weight.shape[1] * m.weight[0, 0].numel()
            nn.init.normal_(m.weight, 0.0, (2 / fan_in) ** 0.5)
    return net.eval()


def assert_close(a: np.ndarray, b: np.ndarray) -> None:
    diff = np.abs(a - b)
    assert a.std() > 5, "the images vary, so the comparison means something"
    assert diff.mean() < MEAN_LEVELS and diff.max() <= MAX_LEVELS, (diff.mean(), diff.max())


@pytest.mark.parametrize("arch", ["dcgan", "cdcgan"])
def test_a_bf16_generator_draws_within_tolerance_of_fp32(arch):
    cfg = ModelConfig(arch=arch, z_dim=16, img_size=32, channels=3, base_ch=8, num_classes=3 if arch == "cdcgan" else 0)
    g = spread_weights(build_generator(cfg))
    g16 = copy.deepcopy(g)
    mp.run_in_bf16(g16.net, CPU)
    seen: set[torch.dtype] = set()
    g16.net[0].register_forward_hook(lambda mod, args, out: seen.add(out.dtype))
    z = torch.randn(32, 16, generator=torch.Generator().manual_seed(1))
    y = torch.arange(32) % 3 if cfg.num_classes else None
    with torch.inference_mode():
        a, b = g(z, y), g16(z, y)
    assert seen == {torch.bfloat16} and b.dtype == torch.float32, "bf16 inside, fp32 out"
    assert_close(levels(a), levels(b))


def test_a_bf16_stylegan_synthesis_draws_within_tolerance():
    from ganstudio.modelfiles.generator import load_generator

    g = load_generator("monet-stylegan")  # trained weights: an untrained StyleGAN's noise is not a picture
    z = g.latents(list(range(16)))
    a = g.generate(z).astype(np.int16)
    mp.run_in_bf16(g.net.synthesis, CPU)
    assert_close(a, g.generate(z).astype(np.int16))


def test_a_bf16_tiled_stylize_stays_within_tolerance_of_fp32():
    from ganstudio.style.tiles import stylize_array

    cfg = ModelConfig(arch="cyclegan", img_size=32, channels=3, base_ch=4, res_blocks=1, base_ch_d=4)
    net = spread_weights(build_cyclegan_generator(cfg))
    rgb = np.random.default_rng(0).integers(0, 256, (150, 190, 3), dtype=np.uint8)
    a = stylize_array(net, rgb, 64, 16).astype(np.int16)  # several tiles: collected and fixed norm statistics
    mp.run_in_bf16(net.net, CPU)
    assert_close(a, stylize_array(net, rgb, 64, 16).astype(np.int16))


def test_the_bundled_models_stay_within_tolerance_in_bf16():
    from ganstudio.modelfiles.generator import load_generator

    g = load_generator("mnist-dcgan")
    z = g.latents(list(range(32)))
    a = g.generate(z).astype(np.int16)
    mp.run_in_bf16(g.net.net, CPU)
    assert_close(a, g.generate(z).astype(np.int16))


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def costed(net: nn.Module, clock: FakeClock, costs: dict[torch.dtype | None, float]) -> None:
    """Charge each forward pass of `net` a fake time by the autocast state it runs in."""
    def charge(mod, args, out):
        clock.now += costs[torch.bfloat16 if torch.is_autocast_enabled("cpu") else None]
    net.register_forward_hook(charge)


@pytest.mark.parametrize(("bf16_cost", "choice"), [(0.5, "bf16"), (2.0, "fp32")])
def test_tune_inference_switches_to_bf16_only_when_measured_faster(monkeypatch, bf16_cost, choice):
    monkeypatch.delenv("GANSTUDIO_TUNING", raising=False)
    cfg = ModelConfig(arch="dcgan", z_dim=8, img_size=28, channels=1, base_ch=4)
    g, clock = build_generator(cfg).eval(), FakeClock()
    costed(g, clock, {None: 1.0, torch.bfloat16: bf16_cost})
    verdict = mp.tune_inference(g, cfg, CPU, timer=clock)
    assert verdict.choice == choice
    seen: set[torch.dtype] = set()
    g.net[0].register_forward_hook(lambda mod, args, out: seen.add(out.dtype))
    with torch.inference_mode():
        out = g(torch.randn(2, 8))
    assert seen == {torch.bfloat16 if choice == "bf16" else torch.float32} and out.dtype == torch.float32
    again = build_generator(cfg).eval()
    assert mp.tune_inference(again, cfg, CPU, timer=FakeClock()).reason.endswith("earlier"), "cached"


def test_points_models_and_tuning_off_stay_fp32(monkeypatch):
    cfg = ModelConfig(arch="mlp", z_dim=4, hidden=8, layers=2)
    assert mp.tune_inference(build_generator(cfg), cfg, CPU).choice == "fp32"
    dc = ModelConfig(arch="dcgan", z_dim=8, img_size=28, channels=1, base_ch=4)
    v = mp.tune_inference(build_generator(dc).eval(), dc, CPU)  # GANSTUDIO_TUNING is off in the tests
    assert v.choice == "fp32" and not tuning.cache_path().exists()
