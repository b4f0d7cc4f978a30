"""Real processes and a real full disk: kill -9 while checkpoints are written, two runs into one
folder, and a run on a tiny tmpfs that fills up. Every file left behind must load."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ganstudio.cli.main import main
from ganstudio.core.config import replace
from ganstudio.modelfiles.checkpoint import list_checkpoints, load_checkpoint
from ganstudio.modelfiles.generator import load_generator
from ganstudio.train import events as ev
from ganstudio.train.loop import config_from_checkpoint, train
from tests.train.test_loop import toy_cfg

ROOT = Path(__file__).resolve().parents[2]
TOY = ["train", "--model", "mlp", "--data", "ring8", "--hidden", "16", "--layers", "1", "--batch", "16",
       "--device", "cpu", "--sample-every", "1000"]
WAIT_S = 90


def _start(*args: str) -> subprocess.Popen:
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    return subprocess.Popen([sys.executable, "-m", "ganstudio", *args], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def _wait_for(check, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + WAIT_S
    while not check():
        if proc.poll() is not None:
            raise AssertionError(f"the run ended early: {proc.stderr.read() if proc.stderr else ''}")
        if time.monotonic() > deadline:
            proc.kill()
            raise AssertionError("the run did not get going")
        time.sleep(0.02)


def _check_folder(run: Path) -> int:
    """Load every file of a run folder; the number of checkpoints."""
    ckpts = list_checkpoints(run)
    for path in ckpts:
        load_checkpoint(path)
    json.loads((run / "config.json").read_text())
    stats = run / "stats.jsonl"
    lines = stats.read_bytes().split(b"\n") if stats.exists() else []
    for line in lines[:-1]:
        json.loads(line)  # every whole line is JSON; a cut last one is dropped by the next run
    return len(ckpts)


def test_kill_9_during_checkpoint_writes_leaves_only_whole_files(tmp_path):
    run, rng = tmp_path / "run", random.Random(0)
    args = [*TOY, "--steps", "1000000", "--ckpt-every", "1", "--keep-last", "4", "-o", str(run)]
    kills = 3
    resume = ["train", "--steps", "1000000", "--device", "cpu", "--resume", str(run)]
    for k in range(kills):
        before = list_checkpoints(run)[-1].name if k else ""
        proc = _start(*(args if k == 0 else resume))
        _wait_for(lambda b=before: len([p for p in list_checkpoints(run) if p.name > b]) >= 2, proc)
        time.sleep(rng.uniform(0, 0.05))  # somewhere in the middle of the next checkpoint writes
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        assert _check_folder(run) >= 1
    cfg = config_from_checkpoint(run)
    assert isinstance(list(train(replace(cfg, steps=load_checkpoint(run)["step"] + 3), resume=run))[-1], ev.Finished)
    assert _check_folder(run) >= 1 and load_generator(run / "generator.pt").z_dim > 0
    assert not [p for p in run.rglob(".*") if p.name != ".lock"]  # the temporaries of the kills are gone
    assert not (run / ".lock").exists()


def test_two_runs_into_one_folder_the_second_is_refused(tmp_path, capsys):
    run = tmp_path / "run"
    first = _start(*TOY, "--steps", "1000000", "--ckpt-every", "100000", "-o", str(run))
    _wait_for(lambda: (run / "stats.jsonl").is_file() and (run / "stats.jsonl").stat().st_size > 0, first)
    config = (run / "config.json").read_text()
    assert main([*TOY, "--steps", "10", "--lr", "0.01", "-o", str(run)]) == 2  # the second run, in this process
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"error: {run} is in use by another training run (process {first.pid}); wait for that run to "
                   "finish, or choose another output folder"], err
    first.send_signal(signal.SIGINT)  # stops after this step and saves
    assert first.wait(WAIT_S) == 0
    steps = [json.loads(line)["step"] for line in (run / "stats.jsonl").read_text().splitlines()]
    assert steps == sorted(set(steps)) and (run / "config.json").read_text() == config
    assert not (run / ".lock").exists()


@pytest.fixture
def small_disk(tmp_path):
    """A 768 KiB tmpfs, where the machine lets this process mount one."""
    where = tmp_path / "disk"
    where.mkdir()
    try:
        mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=768k", "tmpfs", str(where)],
                                 capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired) as exc:
        pytest.skip(f"cannot run mount ({exc}); the injected full-disk tests in test_reliability.py still run")
    if mounted.returncode != 0:
        pytest.skip(f"mounting a tmpfs is not allowed here ({mounted.stderr.strip()}); "
                    "the injected full-disk tests in test_reliability.py still run")
    yield where
    subprocess.run(["umount", str(where)], check=False, timeout=20)


def test_a_run_on_a_disk_that_fills_up_ends_with_a_sentence_and_whole_files(small_disk):
    cfg = toy_cfg(small_disk, steps=100_000, ckpt_every=1, keep_last=100_000, log_every=1, sample_every=100_000)
    events = list(train(cfg))
    failed = events[-1]
    assert isinstance(failed, ev.Failed) and ("could not write" in failed.message or "cannot write" in failed.message)
    assert "disk" in failed.message + failed.hint or "space" in failed.message + failed.hint
    run = small_disk / "run"
    assert _check_folder(run) >= 1 and failed.checkpoint == str(list_checkpoints(run)[-1])
    assert not list(run.rglob(".*"))  # no temporary and no lock left
