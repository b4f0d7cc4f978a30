"""CycleGAN generators: the resize up path of new models, the transposed one of older files."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from ganstudio.core.config import (
    DataConfig,
    ModelConfig,
    TrainConfig,
    model_from_dict,
    to_dict,
    train_from_dict,
    validate,
)
from ganstudio.core.errors import UserError
from ganstudio.models.cyclegan import ResnetGenerator, TileNorm, build_cyclegan_generator, up_layers

TINY = ModelConfig(arch="cyclegan", img_size=32, channels=3, base_ch=4, res_blocks=1, base_ch_d=4)


def _count(net: nn.Module, kind: type) -> int:
    return sum(isinstance(m, kind) for m in net.modules())


def test_new_models_resize_then_convolve_and_old_layout_is_kept():
    new = build_cyclegan_generator(TINY)
    old = build_cyclegan_generator(ModelConfig(**{**to_dict(TINY), "upsample": "transposed"}))
    assert TINY.upsample == "resize"
    assert _count(new, nn.ConvTranspose2d) == 0 and _count(new, nn.Upsample) == 2
    assert _count(old, nn.ConvTranspose2d) == 2 and _count(old, nn.Upsample) == 0
    x = torch.randn(1, 3, 40, 56)
    assert new(x).shape == old(x).shape == x.shape
    with pytest.raises(ValueError, match="upsampling"):
        ResnetGenerator(4, 1, 3, upsample="pixelshuffle")


def test_files_saved_before_the_field_build_the_transposed_generator():
    saved = {k: v for k, v in to_dict(TINY).items() if k != "upsample"}
    assert model_from_dict(saved).upsample == "transposed"
    assert model_from_dict({**saved, "upsample": "resize"}).upsample == "resize"
    assert model_from_dict({"arch": "dcgan"}).upsample == "resize"  # meaningless there: the default is kept
    run = train_from_dict({"model": saved, "steps": 3})
    assert run.model.upsample == "transposed" and run.steps == 3


def test_an_unknown_upsampling_is_refused_before_training(tmp_path):
    cfg = TrainConfig(model=ModelConfig(**{**to_dict(TINY), "upsample": "deconv"}), loss="lsgan", batch=1,
                      data=DataConfig(kind="folder", path=str(tmp_path), path_b=str(tmp_path)))
    with pytest.raises(UserError, match="unknown upsampling 'deconv'"):
        validate(cfg)


def test_a_flat_map_comes_out_flat_from_resize_and_checkered_from_the_transposed_path():
    """Why the lattice goes: with equal weights, the transposed convolution's 3×3 kernel at stride 2
    gives the four output phases 1, 2, 2 and 4 taps, so a flat input comes out checkered; a resize and a
    convolution keep it flat."""
    def interior(upsample: str) -> torch.Tensor:
        convs = nn.Sequential(*[m for m in up_layers(2, 2, upsample) if not isinstance(m, (TileNorm, nn.ReLU))])
        for m in convs.modules():
            if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d)):
                nn.init.constant_(m.weight, 1.0)
                nn.init.zeros_(m.bias)
        with torch.no_grad():
            return convs(torch.ones(1, 2, 8, 8))[0, 0, 4:12, 4:12]

    flat, checkered = interior("resize"), interior("transposed")
    assert flat.std() < 1e-5 and torch.allclose(flat, torch.full_like(flat, 18.0))
    assert sorted(checkered[:2, :2].flatten().tolist()) == [2.0, 4.0, 4.0, 8.0]
