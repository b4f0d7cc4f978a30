"""CycleGAN: networks, unpaired data, the trainer's step / schedule / pool, a whole run and resume."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image

from ganstudio.cli.main import main
from ganstudio.core.config import DataConfig, ModelConfig, TrainConfig, replace, to_dict, train_from_dict, validate
from ganstudio.core.errors import UserError
from ganstudio.data.unpaired import load_unpaired
from ganstudio.modelfiles.checkpoint import latest_checkpoint, load_checkpoint
from ganstudio.modelfiles.generator import read_generator_file
from ganstudio.models.cyclegan import build_cyclegan_generator, build_patch_discriminator
from ganstudio.train import events as ev
from ganstudio.train.control import RunControl
from ganstudio.train.cyclegan import CycleGANTrainer, ImagePool
from ganstudio.train.loop import train
from ganstudio.train.optim import decay_factor

TINY = ModelConfig(arch="cyclegan", img_size=32, channels=3, base_ch=4, res_blocks=1, base_ch_d=4)
LOSS_KEYS = {"loss_g", "loss_d", "g_AB", "g_BA", "cycle_A", "cycle_B", "idt_A", "idt_B", "d_A", "d_B"}


def odd_folder(folder: Path, seed: int) -> Path:
    """Users' folders: spaces and accents in names, grey, RGBA, CMYK and palette images."""
    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True)
    for i, mode in enumerate(["RGB", "L", "RGBA", "CMYK", "P", "RGB"]):
        img = Image.fromarray(rng.integers(0, 256, (40, 48, 3), dtype=np.uint8)).convert(mode)
        img.save(folder / f"Bild {i} é.{'jpg' if mode == 'CMYK' else 'png'}")
    (folder / "readme.txt").write_text("not an image")
    return folder


@pytest.fixture
def domains(tmp_path) -> tuple[Path, Path]:
    return odd_folder(tmp_path / "photos A", 0), odd_folder(tmp_path / "peintures B", 1)


def tiny_cfg(tmp_path: Path, a: Path, b: Path, **kw) -> TrainConfig:
    data = DataConfig(kind="folder", path=str(a), path_b=str(b), load_size=36)
    base = TrainConfig(model=TINY, data=data, loss="lsgan", steps=6, batch=2, device="cpu",
                       out_dir=str(tmp_path / "run"), sample_every=3, ckpt_every=3, log_every=1, pool_size=3)
    return replace(base, **kw)


def test_generator_keeps_any_multiple_of_4_size_and_patchgan_scores_patches():
    g = build_cyclegan_generator(TINY)
    x = torch.rand(1, 3, 44, 60) * 2 - 1
    y = g(x)
    assert y.shape == x.shape and y.abs().max() <= 1
    d = build_patch_discriminator(TINY)
    assert d(torch.zeros(2, 3, 70, 70)).shape == (2, 1, 6, 6)  # a 70×70 input is one receptive field per 6×6 map


def test_unpaired_data_converts_every_mode_and_crops(domains):
    src = load_unpaired(*domains, crop=32, load_size=36, device=torch.device("cpu"))
    assert len(src.a.images) == 6 and src.a.images.shape[1:] == (3, 36, 36)
    a, b = src.batch(5, torch.Generator().manual_seed(0))
    assert a.shape == b.shape == (5, 3, 32, 32) and a.min() >= -1 and a.max() <= 1
    a2, _ = src.batch(5, torch.Generator().manual_seed(0))
    assert torch.equal(a, a2)  # seeded


def test_image_pool_fills_then_swaps_half_the_time():
    pool = ImagePool(4)
    gen = torch.Generator().manual_seed(0)
    first = torch.arange(4.0).view(4, 1, 1, 1)
    assert torch.equal(pool.query(first, gen), first)
    swapped = 0
    for i in range(200):
        new = torch.full((1, 1, 1, 1), 10.0 + i)
        swapped += int(not torch.equal(pool.query(new, gen), new))
    assert 60 < swapped < 140
    assert torch.equal(ImagePool(0).query(first, gen), first)


def test_lr_is_constant_then_decays_linearly_to_zero(tmp_path, domains):
    cfg = tiny_cfg(tmp_path, *domains, steps=100, lr_decay=0.5, lr_g=1e-3, lr_d=2e-3)
    t = CycleGANTrainer(cfg, load_unpaired(*domains, 32, 36, torch.device("cpu")), torch.device("cpu"))
    assert [decay_factor(s, 100, 0.5) for s in (0, 49, 50, 75, 100)] == [1.0, 1.0, 1.0, 0.5, 0.0]
    t.steps_done = 75
    t.set_lr(lr_g=4e-3)
    assert math.isclose(t.lrs()["lr_g"], 2e-3) and math.isclose(t.lrs()["lr_d"], 1e-3)


def test_a_step_reduces_nothing_to_nan_and_reports_every_loss(tmp_path, domains):
    torch.manual_seed(0)
    cfg = tiny_cfg(tmp_path, *domains)
    t = CycleGANTrainer(cfg, load_unpaired(*domains, 32, 36, torch.device("cpu")), torch.device("cpu"))
    before = [p.clone() for p in t.G_AB.parameters()]
    stats = {k: float(v) for k, v in t.step(torch.Generator().manual_seed(0)).items()}
    assert set(stats) == LOSS_KEYS and all(math.isfinite(v) for v in stats.values())
    assert any(not torch.equal(a, b) for a, b in zip(before, t.G_AB.parameters(), strict=True))
    grid = t.sample_grid()
    assert grid.dtype == np.uint8 and grid.shape == (8 * 34 + 2, 3 * 34 + 2, 3)  # 8 triplets of 32 px, 2 px gutters


def test_a_run_yields_triplets_and_all_losses_and_saves_both_directions(tmp_path, domains):
    events = list(train(tiny_cfg(tmp_path, *domains)))
    assert isinstance(events[-1], ev.Finished), events[-1]
    stats = [e for e in events if isinstance(e, ev.StepStats)]
    assert set(stats[-1].values) >= LOSS_KEYS and "lr_g" in stats[-1].values
    assert any(isinstance(e, ev.Samples) and e.grid.shape[1] == 3 * 34 + 2 for e in events)
    weights, meta = read_generator_file(events[-1].generator)
    assert meta["kind"] == "cyclegan" and meta["domains"] == {"A": "photos A", "B": "peintures B"}
    assert any(k.startswith("G_AB.") for k in weights) and any(k.startswith("G_BA.") for k in weights)
    assert not any(k.startswith("D_") for k in weights)


def test_resume_continues_the_same_run_exactly(tmp_path, domains):
    full = [e for e in train(tiny_cfg(tmp_path / "one", *domains)) if isinstance(e, ev.StepStats)]
    cfg = tiny_cfg(tmp_path / "two", *domains)
    control = RunControl()
    for e in train(cfg, control):
        if isinstance(e, ev.StepStats) and e.step == 3:
            control.stop()  # stops after this step and saves a checkpoint
    resumed = [e for e in train(cfg, resume=Path(cfg.out_dir)) if isinstance(e, ev.StepStats)]
    assert resumed[0].step == 4
    assert math.isclose(resumed[-1].values["loss_g"], full[-1].values["loss_g"], rel_tol=1e-4)


@pytest.mark.parametrize("change, message", [
    ({"data": DataConfig(kind="folder", path="a")}, "two image folders"),
    ({"model": replace(TINY, img_size=30)}, "crop size 30"),
    ({"loss": "wgan-gp"}, "WGAN-GP"),
    ({"data": DataConfig(kind="folder", path="a", path_b="b", load_size=16)}, "smaller than the crop"),
    ({"lr_decay": 1.5}, "lr_decay"),
])
def test_settings_that_cannot_work_are_refused(tmp_path, change, message):
    cfg = replace(tiny_cfg(tmp_path, Path("a"), Path("b")), **change)
    with pytest.raises(UserError, match=message):
        validate(cfg)


def test_cli_trains_a_cyclegan_from_two_folders(tmp_path, domains, capsys):
    out = tmp_path / "cli run"
    code = main(["train", "--model", "cyclegan", "--data", str(domains[0]), "--data-b", str(domains[1]),
                 "--img-size", "32", "--load-size", "36", "--base-ch", "4", "--res-blocks", "1", "--steps", "2",
                 "--batch", "1", "--device", "cpu", "--preset", "quick", "-o", str(out)])
    assert code == 0, capsys.readouterr().err
    cfg = json.loads((out / "config.json").read_text())
    assert cfg["model"]["arch"] == "cyclegan" and cfg["lambda_cycle"] == 10.0
    assert cfg["data"]["path_b"] == str(domains[1])
    assert cfg["lr_decay"] == 0.5  # the paper's schedule: the last half of the steps
    assert (out / "generator.pt").is_file()


def test_configs_saved_before_lr_decay_keep_their_schedule(tmp_path):
    old = to_dict(tiny_cfg(tmp_path, Path("a"), Path("b")))
    del old["lr_decay"]
    old["decay_frac"] = 0.5  # the old field: every config held it, only CycleGAN used it
    assert train_from_dict(old).lr_decay == 0.5
    old["model"]["arch"] = "dcgan"
    assert train_from_dict(old).lr_decay == 0.0


def test_cli_without_folder_b_says_what_is_missing(tmp_path, domains, capsys):
    code = main(["train", "--model", "cyclegan", "--data", str(domains[0]), "--steps", "1", "-o", str(tmp_path / "x")])
    assert code == 2 and "two image folders" in capsys.readouterr().err


def test_a_finished_run_is_listed_as_a_style_model(tmp_path, domains):
    from ganstudio.modelfiles.library import user_runs

    list(train(tiny_cfg(tmp_path, *domains, steps=1, out_dir=str(tmp_path / "runs" / "mine"))))
    (entry,) = user_runs(tmp_path / "runs")
    assert entry.kind == "cyclegan"


def test_new_runs_upsample_by_resize_and_the_older_layout_stays_selectable(tmp_path, domains, capsys):
    from ganstudio.core.config import preset
    from ganstudio.style.tiles import load_style_model

    balanced, paper = (preset("cyclegan", "folder", name)["model"] for name in ("balanced", "quality"))
    assert (balanced["base_ch"], balanced["res_blocks"], balanced["img_size"]) == (32, 9, 256)
    assert balanced["upsample"] == "resize"
    assert (paper["base_ch"], paper["res_blocks"], paper["img_size"]) == (64, 9, 256)
    for flags, expected in (([], "resize"), (["--upsample", "transposed"], "transposed")):
        out = tmp_path / expected
        code = main(["train", "--model", "cyclegan", "--data", str(domains[0]), "--data-b", str(domains[1]),
                     "--img-size", "32", "--base-ch", "4", "--res-blocks", "1", "--steps", "1", "--batch", "1",
                     "--device", "cpu", "--preset", "quick", "-o", str(out), *flags])
        assert code == 0, capsys.readouterr().err
        assert json.loads((out / "config.json").read_text())["model"]["upsample"] == expected
        net = load_style_model(out / "generator.pt").nets["AB"]
        transposed = sum(isinstance(m, torch.nn.ConvTranspose2d) for m in net.modules())
        assert transposed == (2 if expected == "transposed" else 0)


def test_fine_tuning_starts_from_a_style_file_with_its_architecture(tmp_path, domains):
    """--init: both generators from the style file (its widths and up path win), D afresh; a run folder
    also brings its discriminators."""
    source = replace(TINY, res_blocks=2, upsample="transposed")
    events = list(train(tiny_cfg(tmp_path / "first", *domains, model=source, steps=3)))
    style_file = events[-1].generator
    style_weights, _ = read_generator_file(style_file)
    cfg = tiny_cfg(tmp_path / "tuned", *domains, init=style_file)
    trainer = CycleGANTrainer.for_run(cfg, torch.device("cpu"))
    assert trainer.cfg.model.res_blocks == 2 and trainer.cfg.model.upsample == "transposed"
    for name in ("G_AB", "G_BA"):
        own = getattr(trainer, name).state_dict()
        assert all(torch.equal(own[k[len(name) + 1:]], v) for k, v in style_weights.items() if k.startswith(name))
    trained_d = load_checkpoint(latest_checkpoint(tmp_path / "first" / "run"))["state"]["nets"]["D_A"]
    from_run = CycleGANTrainer.for_run(replace(cfg, init=str(tmp_path / "first" / "run")), torch.device("cpu"))
    assert all(torch.equal(v, trained_d[k]) for k, v in from_run.D_A.state_dict().items())
    assert not all(torch.equal(v, trained_d[k]) for k, v in trainer.D_A.state_dict().items())  # afresh
    tuned = list(train(cfg))
    assert isinstance(tuned[-1], ev.Finished), tuned[-1]
    _, meta = read_generator_file(tuned[-1].generator)
    assert meta["model"]["res_blocks"] == 2


def test_fine_tuning_refuses_a_model_that_is_not_a_style(tmp_path, domains):
    with pytest.raises(UserError, match="not a CycleGAN style"):
        CycleGANTrainer.for_run(tiny_cfg(tmp_path, *domains, init="mnist-dcgan"), torch.device("cpu"))
