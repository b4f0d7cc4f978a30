"""Nothing lost: exact resume after a stop anywhere, divergence caught at its step and rolled back,
resume in the run's own folder, locked run folders, no leftovers, and a full disk ending a run whole."""

from __future__ import annotations

import errno
import json
import subprocess
import sys

import pytest
import torch

from ganstudio.cli.main import main
from ganstudio.core import config as config_module
from ganstudio.core.config import ModelConfig, replace, validate
from ganstudio.core.errors import UserError
from ganstudio.modelfiles.checkpoint import list_checkpoints, load_checkpoint
from ganstudio.train import events as ev
from ganstudio.train import runfolder
from ganstudio.train.control import RunControl
from ganstudio.train.gan import GANTrainer
from ganstudio.train.loop import train
from tests.train.test_loop import toy_cfg


def _weights(path: str) -> dict[str, torch.Tensor]:
    return load_checkpoint(path)["state"]["nets"]["G"]


def _stop_at(cfg, step: int, resume=None) -> list[ev.Event]:
    control, events = RunControl(), []
    for e in train(cfg, control, resume=resume):
        events.append(e)
        if isinstance(e, ev.StepStats) and e.step == step:
            control.stop()
    return events


def test_a_stop_between_sample_steps_resumes_exactly(tmp_path):
    straight = list(train(toy_cfg(tmp_path / "a", sample_every=7)))
    cfg = toy_cfg(tmp_path / "b", sample_every=7)
    stopped = _stop_at(cfg, 15)  # neither a sample (7) nor a checkpoint (10) step: an extra preview and save
    assert stopped[-1].stopped and stopped[-1].step == 15
    resumed = list(train(cfg, resume=stopped[-1].checkpoint))
    a, b = _weights(straight[-1].checkpoint), _weights(resumed[-1].checkpoint)
    assert all(torch.equal(a[k], b[k]) for k in a)


@pytest.fixture
def diverges_at_13(monkeypatch):
    """Step 13 of any run whose G learning rate is above 6e-4 reports a NaN loss."""
    original = GANTrainer.step

    def step(self, gen):
        out = original(self, gen)
        if self.g_updates == 13 and self.lrs()["lr_g"] > 6e-4:
            out = {**out, "loss_d": out["loss_d"] * float("nan")}
        return out

    monkeypatch.setattr(GANTrainer, "step", step)


def test_divergence_is_caught_at_its_step_and_rolled_back_with_a_lower_rate(tmp_path, diverges_at_13, capsys):
    cfg = toy_cfg(tmp_path)  # log every 5, checkpoint every 10, lr 1e-3
    failed = list(train(cfg))[-1]
    assert isinstance(failed, ev.Failed) and failed.step == 13, failed  # not the log step, 15
    assert "loss_d" in failed.message and failed.checkpoint.endswith("ckpt_00000010.pt")
    assert failed.rollback == {"lr_g": 5e-4, "lr_d": 5e-4}
    assert main(["train", "--resume", failed.checkpoint, "--lr-g", "5e-4", "--lr-d", "5e-4", "--device", "cpu"]) == 0
    stats = [json.loads(line) for line in (tmp_path / "run" / "stats.jsonl").read_text().splitlines()]
    assert [s["step"] for s in stats] == [5, 10, 15, 20]  # the diverged interval was never written
    assert stats[-1]["lr_g"] == 5e-4 and stats[1]["lr_g"] == 1e-3


def test_the_cli_names_the_rollback_command(tmp_path, diverges_at_13, capsys):
    assert main(["train", "--model", "mlp", "--data", "ring8", "--steps", "20", "--ckpt-every", "10", "--lr", "1e-3",
                 "--device", "cpu", "-o", str(tmp_path / "run")]) == 2
    err = capsys.readouterr().err
    assert "diverged at step 13" in err and "to roll back: ganstudio train --resume" in err and "--lr-g 0.0005" in err


def test_resume_continues_in_the_runs_own_folder_and_refuses_fixed_flags(tmp_path, monkeypatch, capsys):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    monkeypatch.chdir(tmp_path / "a")
    assert main(["train", "--model", "mlp", "--data", "ring8", "--steps", "10", "--device", "cpu", "-o", "run"]) == 0
    monkeypatch.chdir(tmp_path / "b")  # the checkpoint holds the relative "-o run"
    run = tmp_path / "a" / "run"
    assert main(["train", "--resume", str(run), "--steps", "20", "--lr", "3e-4", "--device", "cpu"]) == 0
    assert [p.name for p in list_checkpoints(run)][-1] == "ckpt_00000020.pt" and not (tmp_path / "b" / "run").exists()
    assert json.loads((run / "stats.jsonl").read_text().splitlines()[-1])["lr_g"] == 3e-4
    capsys.readouterr()
    for flags in (["--z-dim", "3"], ["--out", str(tmp_path / "c")], ["--data", "moons"]):
        assert main(["train", "--resume", str(run), *flags]) == 2
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and f"{flags[0]} cannot change when a run is resumed" in err[0]


def test_a_second_run_into_a_locked_folder_is_refused_and_a_stale_lock_is_taken_over(tmp_path):
    cfg = toy_cfg(tmp_path)
    first = train(cfg)
    assert isinstance(next(first), ev.Started)
    second = list(train(cfg))
    assert len(second) == 1 and isinstance(second[0], ev.Failed) and "in use by another training run" in \
        second[0].message
    assert isinstance(list(first)[-1], ev.Finished) and not (tmp_path / "run" / ".lock").exists()
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    (tmp_path / "run" / ".lock").write_text(f"{dead.pid} {runfolder.socket.gethostname()}\n")
    assert isinstance(list(train(replace(cfg, steps=30), resume=tmp_path / "run"))[-1], ev.Finished)


def test_temporaries_of_a_killed_run_are_removed_and_a_failed_start_leaves_no_folder(tmp_path):
    cfg = toy_cfg(tmp_path, steps=10)
    list(train(cfg))
    left = [tmp_path / "run" / ".generator.abc123.pt", tmp_path / "run" / "checkpoints" / ".ckpt_00000015.x1.pt"]
    for path in left:
        path.write_bytes(b"half a file")
    assert isinstance(list(train(replace(cfg, steps=20), resume=tmp_path / "run"))[-1], ev.Finished)
    assert not any(p.exists() for p in left)
    bad = toy_cfg(tmp_path / "x", data=replace(cfg.data, kind="csv", path=str(tmp_path / "missing.csv")))
    assert isinstance(list(train(bad))[-1], ev.Failed) and not (tmp_path / "x").exists()


def test_a_cut_last_statistics_line_is_dropped_when_the_run_continues(tmp_path):
    cfg = toy_cfg(tmp_path, steps=10)
    list(train(cfg))
    stats = tmp_path / "run" / "stats.jsonl"
    stats.write_bytes(stats.read_bytes() + b'{"step": 13, "loss')  # a kill in the middle of a line
    list(train(replace(cfg, steps=20), resume=tmp_path / "run"))
    assert [json.loads(line)["step"] for line in stats.read_text().splitlines()] == [5, 10, 15, 20]


def test_a_full_disk_while_saving_a_checkpoint_ends_the_run_with_a_sentence(tmp_path, monkeypatch):
    real_save = torch.save
    calls = []

    def full_disk_save(obj, fh, *args, **kwargs):  # torch reports a failed write as a RuntimeError
        calls.append(1)
        if len(calls) == 2:
            fh.write(b"PK\x03\x04 part of a checkpoint")
            raise RuntimeError("[enforce fail at inline_container.cc:672] . unexpected pos 704 vs 598")
        return real_save(obj, fh, *args, **kwargs)

    monkeypatch.setattr(torch, "save", full_disk_save)
    events = list(train(toy_cfg(tmp_path, steps=30)))
    failed = events[-1]
    assert isinstance(failed, ev.Failed) and "could not write ckpt_00000020.pt" in failed.message
    assert "disk" in failed.message + failed.hint and failed.checkpoint.endswith("ckpt_00000010.pt")
    run = tmp_path / "run"
    assert sorted(p.name for p in (run / "checkpoints").iterdir()) == ["ckpt_00000010.pt"]
    assert load_checkpoint(failed.checkpoint)["step"] == 10


class _FullAfter:
    """A raw file that takes `room` more bytes and then refuses with ENOSPC, after a partial write."""

    def __init__(self, fh, room: int) -> None:
        self.fh, self.room = fh, room

    def write(self, data) -> int:
        if len(data) > self.room:
            self.fh.write(bytes(data[: self.room]))
            self.room = 0
            raise OSError(errno.ENOSPC, "No space left on device")
        self.room -= len(data)
        return self.fh.write(data)

    def __getattr__(self, name):
        return getattr(self.fh, name)


def test_a_full_disk_while_appending_statistics_keeps_every_line_whole(tmp_path, monkeypatch):
    real_open = open
    monkeypatch.setattr(runfolder, "open", lambda *a, **k: _FullAfter(real_open(*a, **k), 300), raising=False)
    events = list(train(toy_cfg(tmp_path, steps=40)))
    failed = events[-1]
    assert isinstance(failed, ev.Failed) and "could not write stats.jsonl (No space left on device)" in failed.message
    lines = (tmp_path / "run" / "stats.jsonl").read_text().splitlines()
    assert lines and all(json.loads(line)["step"] for line in lines)  # whole lines only, the cut one removed
    assert not (tmp_path / "run" / ".lock").exists()


def test_every_model_size_has_a_range_and_memory_is_estimated_before_allocating(tmp_path, monkeypatch):
    cfg = toy_cfg(tmp_path)
    for field, value in (("base_ch", 0), ("hidden", 0), ("hidden", 100_000_000), ("layers", -1),
                         ("latent_codes", 100_000)):
        with pytest.raises(UserError, match=f"{field} {value} is out of range"):
            validate(replace(cfg, model=replace(cfg.model, **{field: value})))
    monkeypatch.setattr(config_module, "memory_bytes", lambda: 2**30)  # a computer with 1 GB
    big = replace(cfg, model=ModelConfig(arch="mlp", z_dim=4, hidden=4096, layers=16))
    with pytest.raises(UserError, match=r"would need about \d+\.\d GB of memory, more than this computer's 1\.0 GB"):
        validate(big)
    validate(cfg)  # the small one still fits
