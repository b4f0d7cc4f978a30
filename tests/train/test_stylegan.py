"""StyleGAN training: a tiny run, exact resume, R1, ADA, fine-tuning from a generator file."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from ganstudio.core.config import DataConfig, ModelConfig, TrainConfig, replace, validate
from ganstudio.core.errors import UserError
from ganstudio.modelfiles.checkpoint import latest_checkpoint, load_checkpoint
from ganstudio.modelfiles.generator import load_generator, read_generator_and
from ganstudio.models.losses import r1_penalty
from ganstudio.train import events as ev
from ganstudio.train.augment import AdaptiveP, augment
from ganstudio.train.loop import reported_stats, train
from ganstudio.train.stylegan import StyleGANTrainer

TINY = ModelConfig(arch="stylegan", z_dim=8, img_size=32, channels=3, base_ch=4, max_ch=8, mapping_layers=1)


def sg_cfg(tmp_path: Path, folder: Path, **kw) -> TrainConfig:
    base = TrainConfig(model=TINY, data=DataConfig(kind="folder", path=str(folder)), steps=6, batch=4,
                       device="cpu", lr_g=2e-3, lr_d=2e-3, beta1=0.0, beta2=0.99, out_dir=str(tmp_path / "run"),
                       sample_every=3, ckpt_every=3, log_every=1, n_samples=4, ema=True, ema_half_life=100,
                       r1_interval=2, ada_kimg=1, precision="fp32")
    return replace(base, **kw)


def test_a_run_finishes_and_reports_what_it_declares(tmp_path, image_folder):
    events = list(train(sg_cfg(tmp_path, image_folder, pl_weight=2.0)))
    assert isinstance(events[-1], ev.Finished), events[-1]
    stats = [e for e in events if isinstance(e, ev.StepStats)]
    declared = {name for name, _ in reported_stats("stylegan")}
    assert set(stats[-1].values) <= declared
    assert {"r1", "pl", "augment_p", "loss_d", "loss_g"} <= set(stats[-1].values)
    samples = [e for e in events if isinstance(e, ev.Samples)]
    assert samples and samples[-1].grid.shape[-1] == 3
    g = load_generator(events[-1].generator)
    assert g.has_w and g.generate(g.latents([1])).shape == (1, 32, 32, 3)
    assert "D" in read_generator_and(events[-1].generator, "D")[2]  # D travels with the file for fine-tuning


def test_resume_continues_exactly(tmp_path, image_folder):
    straight = list(train(sg_cfg(tmp_path / "a", image_folder, pl_weight=1.0)))
    first = sg_cfg(tmp_path / "b", image_folder, pl_weight=1.0)
    list(train(replace(first, steps=3)))
    resumed = list(train(first, resume=latest_checkpoint(first.out_dir)))
    assert isinstance(resumed[0], ev.Started) and resumed[0].start_step == 3
    a = load_checkpoint(straight[-1].checkpoint)["state"]
    b = load_checkpoint(resumed[-1].checkpoint)["state"]
    for net in ("G", "G_ema", "D"):
        assert all(torch.equal(a["nets"][net][k], b["nets"][net][k]) for k in a["nets"][net]), net
    assert a["counters"] == b["counters"]


def test_r1_matches_the_gradient_by_hand():
    a = torch.tensor([0.5, -2.0, 3.0])
    x = torch.randn(5, 3, requires_grad=True)
    out = (x * a).sum(1) + (x ** 2).sum(1)  # dD/dx = a + 2x
    expected = ((a + 2 * x.detach()) ** 2).sum(1).mean()
    assert torch.allclose(r1_penalty(out, x), expected)


def test_ada_rises_when_d_calls_real_images_real_and_falls_otherwise():
    ada = AdaptiveP(target=0.6, kimg=1, batch=16)
    for _ in range(40):
        ada.observe(torch.full((16,), 3.0))  # D is sure every real image is real: memorising
    high = ada.p
    assert high > 0.5
    for _ in range(40):
        ada.observe(torch.full((16,), -1.0))
    assert ada.p < high and ada.p == pytest.approx(0.0)


def test_ada_rises_on_a_d_that_overfits_a_tiny_set(tmp_path, image_folder):
    cfg = sg_cfg(tmp_path, image_folder, steps=24, lr_d=1e-2, r1_gamma=0.0, mixing_prob=0.0, ada_kimg=1,
                 data=DataConfig(kind="folder", path=str(image_folder), limit=4))
    p = [e.values["augment_p"] for e in train(cfg) if isinstance(e, ev.StepStats)]
    assert p[-1] > p[0]


def test_augment_is_identity_at_zero_and_differentiable():
    gen = torch.Generator().manual_seed(0)
    x = torch.randn(4, 3, 16, 16, requires_grad=True)
    assert augment(x, 0.0, gen) is x
    y = augment(x, 1.0, gen)
    assert y.shape == x.shape and not torch.allclose(y, x)
    y.sum().backward()
    assert x.grad is not None and float(x.grad.abs().sum()) > 0


def test_fine_tuning_starts_from_the_file(tmp_path, image_folder):
    done = list(train(sg_cfg(tmp_path / "pre", image_folder)))
    gen_file = done[-1].generator
    cfg = sg_cfg(tmp_path / "ft", image_folder, init=gen_file, freeze_d=1,
                 model=replace(TINY, base_ch=16, max_ch=16))  # the widths come from the file
    t = StyleGANTrainer.for_run(cfg, torch.device("cpu"))
    src = load_generator(gen_file).net.state_dict()
    assert t.cfg.model.base_ch == 4
    assert all(torch.allclose(t.G.state_dict()[k], src[k]) for k in src)  # fp16 file: allclose
    d_src = read_generator_and(gen_file, "D")[2]["D"]
    assert all(torch.allclose(t.D.state_dict()[k], d_src[k]) for k in d_src)
    frozen = {id(p) for p in t.D.from_rgb.parameters()} | {id(p) for p in t.D.blocks[0].parameters()}
    assert frozen and not frozen & {id(p) for p in t.d_train}
    before = t.D.from_rgb.weight.clone()
    t.step(torch.Generator().manual_seed(0))
    assert torch.equal(before, t.D.from_rgb.weight)


def test_fine_tuning_refuses_what_does_not_fit(tmp_path, image_folder, class_folder):
    gen_file = list(train(sg_cfg(tmp_path / "pre", image_folder)))[-1].generator
    with pytest.raises(UserError, match="64 px"):
        StyleGANTrainer.for_run(sg_cfg(tmp_path, image_folder, init=gen_file, model=replace(TINY, img_size=64)),
                                torch.device("cpu"))
    with pytest.raises(UserError, match="classes"):
        StyleGANTrainer.for_run(sg_cfg(tmp_path, class_folder, init=gen_file), torch.device("cpu"))
    with pytest.raises(UserError, match="not a StyleGAN"):
        StyleGANTrainer.for_run(sg_cfg(tmp_path, image_folder, init="mnist-dcgan"), torch.device("cpu"))


def test_bad_settings_are_refused_before_any_work(tmp_path, image_folder):
    for kw, words in (({"model": replace(TINY, img_size=48)}, "32, 64, 128 or 256"),
                      ({"model": replace(TINY, max_ch=2)}, "base_ch"), ({"loss": "hinge"}, "own logistic"),
                      ({"augment": "lots"}, "augmentation"), ({"mixing_prob": 2.0}, "mixing_prob"),
                      ({"batch": 1}, "batch"), ({"data": DataConfig(kind="toy")}, "trains on images")):
        with pytest.raises(UserError, match=words):
            validate(sg_cfg(tmp_path, image_folder, **kw))


def test_conditional_run_draws_one_row_per_class(tmp_path, class_folder):
    events = list(train(sg_cfg(tmp_path, class_folder, steps=2, sample_every=2, n_samples=6)))
    assert isinstance(events[-1], ev.Finished), events[-1]
    g = load_generator(events[-1].generator)
    assert g.num_classes == 3 and g.class_names == ["cats", "dogs", "owls"]
    grid = [e for e in events if isinstance(e, ev.Samples)][-1].grid
    assert grid.shape[0] > grid.shape[1]  # 3 rows of 2 samples


def test_too_few_images_are_refused_and_a_small_folder_gets_a_note(tmp_path):
    from tests.conftest import write_images

    write_images(tmp_path / "three", 3, size=40)
    with pytest.raises(UserError, match="only 3 images"):
        StyleGANTrainer.for_run(sg_cfg(tmp_path, tmp_path / "three"), torch.device("cpu"))
    write_images(tmp_path / "ten", 10, size=40)
    started = next(iter(train(sg_cfg(tmp_path, tmp_path / "ten", steps=1))))
    assert isinstance(started, ev.Started) and any("learn them by heart" in n for n in started.notes)
