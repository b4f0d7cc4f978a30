"""Mixed precision: which runs get bf16, that their convolutions really run in it, and that such
runs still train, resume exactly and save fp32 files."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
import torch
from test_loop import image_cfg as loop_image_cfg
from test_loop import toy_cfg

from ganstudio.cli.main import build_parser, build_train_config
from ganstudio.core import tuning
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


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def timed_probe(monkeypatch):
    """Tuning on; the trainer probe runs its real steps, and a fake clock charges each precision its `costs`."""
    monkeypatch.delenv("GANSTUDIO_TUNING", raising=False)
    clock, costs, calls = FakeClock(), {"fp32": 1.0, "bf16": 0.5}, []
    real = precision._probe

    def probe(trainer):
        step = real(trainer)

        def timed(choice: str) -> None:
            step(choice)
            calls.append(choice)
            clock.now += costs[choice]
        return timed

    monkeypatch.setattr(precision, "_probe", probe)
    monkeypatch.setattr(tuning, "clock", clock)  # the loop passes no timer
    return clock, costs, calls


def tiny_trainer(tmp_path, folder, arch="dcgan", requested="auto") -> GANTrainer:
    from ganstudio.data.folder import load_folder

    cfg = image_cfg(tmp_path, folder, precision=requested, model=ModelConfig(arch=arch, z_dim=8, img_size=28,
                                                                             channels=3, base_ch=4))
    return GANTrainer(cfg, load_folder(folder, 28, 3, CPU), CPU)


@pytest.mark.parametrize(("bf16_cost", "expected", "reason"), [
    (0.5, torch.bfloat16, "measured 2.00× faster than fp32 on this CPU"),
    (1.25, None, "bf16 measured 0.80× on this CPU")])
def test_auto_keeps_the_faster_measured_precision_and_says_why(tmp_path, image_folder, timed_probe, bf16_cost,
                                                                expected, reason):
    clock, costs, calls = timed_probe
    costs["bf16"] = bf16_cost
    t = tiny_trainer(tmp_path, image_folder)
    assert precision.choose(t, "auto", timer=clock) == (expected, reason)
    assert calls.count("fp32") == calls.count("bf16") == 4


def test_the_verdict_is_cached_and_the_next_run_is_not_measured(tmp_path, image_folder, timed_probe):
    clock, costs, calls = timed_probe
    t = tiny_trainer(tmp_path, image_folder)
    assert precision.choose(t, "auto", timer=clock)[0] is torch.bfloat16
    calls.clear()
    costs.update(fp32=0.1)  # would now pick fp32 if it measured
    dtype, why = precision.choose(tiny_trainer(tmp_path, image_folder), "auto", timer=clock)
    assert dtype is torch.bfloat16 and why.endswith(", earlier") and calls == []


def test_a_corrupt_cache_is_measured_again_and_rewritten(tmp_path, image_folder, timed_probe):
    clock, _, calls = timed_probe
    tuning.cache_path().parent.mkdir(parents=True, exist_ok=True)
    tuning.cache_path().write_bytes(b"\x00garbage")
    assert precision.choose(tiny_trainer(tmp_path, image_folder), "auto", timer=clock)[0] is torch.bfloat16
    assert calls and len(tuning.load_cache()) == 1


def test_an_explicit_precision_wins_over_a_measured_one(tmp_path, image_folder, timed_probe):
    clock, _, calls = timed_probe
    precision.choose(tiny_trainer(tmp_path, image_folder), "auto", timer=clock)  # caches bf16
    calls.clear()
    assert precision.choose(tiny_trainer(tmp_path, image_folder), "fp32", timer=clock) == (None, "as asked")
    assert precision.choose(tiny_trainer(tmp_path, image_folder, arch="mlp"), "bf16") == (torch.bfloat16, "as asked")
    assert calls == []


def test_families_without_known_bf16_quality_stay_fp32_unmeasured(tmp_path, image_folder, timed_probe):
    clock, _, calls = timed_probe
    mlp = GANTrainer.for_run(toy_cfg(tmp_path), CPU)
    dtype, why = precision.choose(mlp, "auto", timer=clock)
    assert dtype is None and "2D points" in why and calls == []
    assert precision.TRAINING_BF16["stylegan"][0] is False


def test_the_probe_leaves_the_run_untouched(tmp_path, image_folder, timed_probe):
    clock, _, calls = timed_probe
    t = tiny_trainer(tmp_path, image_folder)
    before = {k: v.clone() for k, v in t.G.state_dict().items()}
    rng = torch.random.get_rng_state()
    precision.choose(t, "auto", timer=clock)
    assert calls, "it measured"
    assert all(torch.equal(before[k], v) for k, v in t.G.state_dict().items())
    assert t.opt_g.state_dict()["state"] == {} and t.g_updates == 0
    assert torch.equal(rng, torch.random.get_rng_state())


def test_a_run_on_auto_measures_and_shows_why(tmp_path, image_folder, timed_probe):
    from ganstudio.train.run_state import RunState

    _, _, calls = timed_probe
    cfg = image_cfg(tmp_path, image_folder, precision="auto", steps=2)
    events = list(train(cfg))
    first = events[0]
    assert (first.precision, first.precision_reason) == ("bf16 mixed precision",
                                                         "measured 2.00× faster than fp32 on this CPU")
    assert isinstance(events[-1], ev.Finished) and calls
    state = RunState()
    state.apply(first)
    assert "bf16 mixed precision (measured 2.00× faster than fp32 on this CPU)" in state.status


def test_with_tuning_off_auto_is_fp32_and_says_so(tmp_path, image_folder):
    events = list(train(image_cfg(tmp_path, image_folder, precision="auto", steps=1)))
    assert (events[0].precision, events[0].precision_reason) == ("fp32", "GANSTUDIO_TUNING is off")


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



def test_a_cpu_run_trials_its_thread_counts_on_real_steps_and_gives_the_cores_back(tmp_path, image_folder,
                                                                                   monkeypatch):
    from ganstudio.core import threads
    from ganstudio.train import loop

    monkeypatch.delenv("GANSTUDIO_TUNING", raising=False)
    monkeypatch.delenv("OMP_NUM_THREADS", raising=False)
    monkeypatch.setattr(threads, "cores", lambda: 2)
    used: list[int] = []

    def use(n: int) -> None:
        used.append(n)
        torch.set_num_threads(n)

    monkeypatch.setattr(loop, "use_threads", use)
    try:
        events = list(train(image_cfg(tmp_path, image_folder, precision="fp32", steps=10, log_every=5)))
    finally:
        torch.set_num_threads(1)  # the tests' count (conftest)
    assert isinstance(events[-1], ev.Finished)
    assert used[:8] == [2, 1, 1, 2, 2, 1, 1, 2], "a warm-up step each, then three interleaved rounds"
    assert len(set(used[8:])) == 1, "then the faster count stays"
    logged = [json.loads(line) for line in (Path(events[0].run_dir) / "stats.jsonl").read_text().splitlines()]
    assert [row["threads"] for row in logged][-1] == used[-1], "stats.jsonl records the count in use"
    assert events[0].device == "CPU (2 or 1 threads, whichever measures faster)"
    assert threads.worker_share(2) == 2, "the run gave its cores back when it ended"


def test_a_cyclegan_run_is_measured_on_a_copy_too(tmp_path, image_folder, timed_probe):
    from ganstudio.data.unpaired import load_unpaired

    clock, _, calls = timed_probe
    model = ModelConfig(arch="cyclegan", img_size=32, channels=3, base_ch=4, res_blocks=1, base_ch_d=4)
    cfg = TrainConfig(model=model, data=DataConfig(kind="folder", path=str(image_folder), path_b=str(image_folder),
                                                   load_size=36), loss="lsgan", batch=2, pool_size=3)
    t = CycleGANTrainer(cfg, load_unpaired(image_folder, image_folder, 32, 36, CPU), CPU)
    assert precision.choose(t, "auto", timer=clock)[0] is torch.bfloat16
    assert calls and t.steps_done == 0 and t.pool_A.images == [], "the run's own trainer took no step"
