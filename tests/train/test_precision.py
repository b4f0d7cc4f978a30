"""Mixed precision: which runs get bf16, that their convolutions really run in it, and that such
runs still train, resume exactly and save fp32 files."""

from __future__ import annotations

import math

import pytest
import torch
from test_loop import image_cfg as loop_image_cfg

from ganstudio.cli.main import build_parser, build_train_config
from ganstudio.core.config import DataConfig, ModelConfig, TrainConfig, replace, validate
from ganstudio.core.errors import UserError
from ganstudio.modelfiles.checkpoint import latest_checkpoint, load_checkpoint
from ganstudio.modelfiles.generator import read_generator_file
from ganstudio.train import events as ev
from ganstudio.train import precision
from ganstudio.train.cyclegan import CycleGANTrainer
from ganstudio.train.gan import GANTrainer
from ganstudio.train.loop import train

CPU = torch.device("cpu")


def image_cfg(tmp_path, folder, **kw) -> TrainConfig:
    """test_loop's tiny DCGAN run, in bf16 unless told otherwise."""
    return loop_image_cfg(tmp_path, folder, **{"precision": "bf16", **kw})


@pytest.mark.parametrize("native", [True, False])
def test_auto_picks_bf16_only_for_dcgans_on_native_hardware(monkeypatch, native):
    monkeypatch.setattr(precision, "cpu_has_native_bf16", lambda: native)
    expected = torch.bfloat16 if native else None
    assert precision.compute_dtype("auto", "dcgan", CPU) is expected
    assert precision.compute_dtype("auto", "cdcgan", CPU) is expected
    assert precision.compute_dtype("auto", "cyclegan", CPU) is None, "bf16 CycleGAN is not measured yet"
    assert precision.compute_dtype("auto", "mlp", CPU) is None, "2D points need fp32"
    assert precision.compute_dtype("fp32", "dcgan", CPU) is None
    assert precision.compute_dtype("bf16", "mlp", CPU) is torch.bfloat16, "an explicit choice is obeyed"
    assert precision.compute_dtype("auto", "dcgan", torch.device("mps")) is None


def test_bf16_step_runs_the_convolutions_in_bf16_and_keeps_fp32_weights(tmp_path, class_folder):
    from ganstudio.data.folder import load_folder

    model = ModelConfig(arch="cdcgan", z_dim=8, img_size=28, channels=3, base_ch=4, num_classes=3,
                        spectral_norm=True, minibatch_std=True)
    cfg = image_cfg(tmp_path, class_folder, model=model)
    trainer = GANTrainer(cfg, load_folder(class_folder, 28, 3, CPU), CPU)
    seen: set[torch.dtype] = set()
    for conv in (trainer.G.net[0], trainer.D.body[0], trainer.D.features[0]):
        conv.register_forward_hook(lambda module, inputs, out: seen.add(out.dtype))
    stats = trainer.step(torch.Generator().manual_seed(0))
    assert seen == {torch.bfloat16}
    assert all(v.dtype == torch.float32 and math.isfinite(float(v)) for v in stats.values())
    assert {p.dtype for p in [*trainer.G.parameters(), *trainer.D.parameters()]} == {torch.float32}
    assert trainer.sample_grid().dtype.name == "uint8"


@pytest.mark.parametrize("loss", ["bce", "hinge", "wgan-gp"])
def test_bf16_runs_finish_and_save_fp32_generators(tmp_path, image_folder, loss):
    events = list(train(image_cfg(tmp_path, image_folder, loss=loss, n_critic=2 if loss == "wgan-gp" else 1)))
    assert events[0].precision == "bf16 mixed precision"
    assert isinstance(events[-1], ev.Finished), events[-1]
    weights, meta = read_generator_file(events[-1].generator)
    assert meta["precision"] == "bf16 mixed precision", "the file says how it was trained"
    assert {w.dtype for w in weights.values() if w.is_floating_point()} <= {torch.float32, torch.float16}


def test_fp32_runs_say_so(tmp_path, image_folder):
    events = list(train(image_cfg(tmp_path, image_folder, precision="fp32", steps=1)))
    assert events[0].precision == "fp32" and isinstance(events[-1], ev.Finished)


def test_bf16_resume_continues_exactly(tmp_path, image_folder):
    straight = list(train(image_cfg(tmp_path / "a", image_folder, ema=True)))
    first = image_cfg(tmp_path / "b", image_folder, ema=True)
    list(train(replace(first, steps=2)))
    resumed = list(train(first, resume=latest_checkpoint(first.out_dir)))
    assert resumed[0].start_step == 2
    a = load_checkpoint(straight[-1].checkpoint)["state"]["nets"]["G"]
    b = load_checkpoint(resumed[-1].checkpoint)["state"]["nets"]["G"]
    assert all(torch.equal(a[k], b[k]) for k in a)


def test_cyclegan_bf16_step_keeps_its_pools_and_losses_in_fp32(tmp_path, image_folder):
    from ganstudio.data.unpaired import load_unpaired

    model = ModelConfig(arch="cyclegan", img_size=32, channels=3, base_ch=4, res_blocks=1, base_ch_d=4)
    cfg = TrainConfig(model=model, data=DataConfig(kind="folder", path=str(image_folder), path_b=str(image_folder),
                                                   load_size=36), loss="lsgan", batch=2, pool_size=3, precision="bf16")
    t = CycleGANTrainer(cfg, load_unpaired(image_folder, image_folder, 32, 36, CPU), CPU)
    stats = t.step(torch.Generator().manual_seed(0))
    assert all(v.dtype == torch.float32 and math.isfinite(float(v)) for v in stats.values())
    assert {img.dtype for img in t.pool_A.images} == {torch.float32}
    assert t.generator_meta(1)["precision"] == "bf16 mixed precision"


def test_unknown_precision_is_refused_and_the_cli_passes_the_choice_on(tmp_path):
    with pytest.raises(UserError, match="precision 'fp8'"):
        validate(TrainConfig(precision="fp8"))
    args = build_parser().parse_args(["train", "--model", "dcgan", "--data", str(tmp_path), "--precision", "fp32"])
    assert build_train_config(args).precision == "fp32"
    args = build_parser().parse_args(["train", "--model", "dcgan", "--data", str(tmp_path)])
    assert build_train_config(args).precision == "auto"

