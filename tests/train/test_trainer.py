"""The trainer contract: every registered trainer reports exactly the statistics it declares."""

from __future__ import annotations

import torch

from ganstudio.core.config import DataConfig, ModelConfig, TrainConfig
from ganstudio.data.toy import toy_source
from ganstudio.data.unpaired import load_unpaired
from ganstudio.train.cyclegan import CycleGANTrainer
from ganstudio.train.gan import GANTrainer
from ganstudio.train.loop import TRAINERS, reported_stats
from ganstudio.train.trainer import PointsTrainer, panels
from tests.conftest import write_images

CPU = torch.device("cpu")


def test_gan_trainer_reports_its_declared_statistics() -> None:
    cfg = TrainConfig(model=ModelConfig(arch="mlp", hidden=8, layers=1), data=DataConfig(kind="toy"), batch=8)
    t = GANTrainer(cfg, toy_source("ring8", CPU), CPU)
    stats = t.step(torch.Generator().manual_seed(0))
    assert set(stats) == {name for name, _ in GANTrainer.STATS}
    assert isinstance(t, PointsTrainer)


def test_cyclegan_trainer_reports_its_declared_statistics(tmp_path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    write_images(a, 2, size=36)
    write_images(b, 2, size=36, seed=1)
    model = ModelConfig(arch="cyclegan", img_size=32, channels=3, base_ch=4, res_blocks=1)
    cfg = TrainConfig(model=model, batch=1, pool_size=2)
    t = CycleGANTrainer(cfg, load_unpaired(a, b, 32, 36, CPU), CPU)
    stats = t.step(torch.Generator().manual_seed(0))
    assert set(stats) == {name for name, _ in CycleGANTrainer.STATS}
    assert not isinstance(t, PointsTrainer)  # no 2D view for images


def test_plot_panels_come_from_the_declaration() -> None:
    assert set(TRAINERS) == {"gan", "cyclegan", "stylegan"}
    titles = [title for title, _ in panels(reported_stats("cyclegan"))]
    assert titles == ["Loss", "CycleGAN adversarial", "CycleGAN cycle · identity", "Images / s", "Learning rate"]
    gan = dict(panels(reported_stats("dcgan")))
    assert gan["Gradient norm"] == ["grad_g", "grad_d"] and "CycleGAN adversarial" not in gan


def test_stylegan_panels_show_its_regularisers_and_augmentation() -> None:
    titles = [title for title, _ in panels(reported_stats("stylegan"))]
    assert "Regularisers (R1 · path length)" in titles and "Augmentation strength p" in titles
