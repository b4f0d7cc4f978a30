"""`ganstudio train` on two gloo processes on the CPU: one set of files, resume across world sizes, and a
failure or a kill on one rank ending the other with a sentence."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import torch

from ganstudio.cli.main import main
from ganstudio.core.errors import UserError
from ganstudio.modelfiles.checkpoint import list_checkpoints, load_checkpoint
from ganstudio.modelfiles.generator import load_generator, read_generator
from ganstudio.train import distributed
from tests.conftest import write_images
from tests.train.test_distributed_ranks import free_port

ROOT = Path(__file__).resolve().parents[2]
WAIT_S = 120
ENV = {**os.environ, "OMP_NUM_THREADS": "1"}


def tiny(folder: Path, run: Path, *more: str) -> list[str]:
    return ["train", "--model", "dcgan", "--data", str(folder), "--img-size", "28", "--channels", "3",
            "--base-ch", "4", "--z-dim", "8", "--batch", "4", "--device", "cpu", "--precision", "fp32",
            "--sample-every", "1000", "-o", str(run), *more]


def torchrun(*args: str) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "torch.distributed.run", "--nproc_per_node", "2", "--master_addr", "127.0.0.1",
           "--master_port", str(free_port()), "-m", "ganstudio", *args]
    return subprocess.run(cmd, cwd=ROOT, env=ENV, capture_output=True, text=True, timeout=WAIT_S)


def files(run: Path) -> set[str]:
    return {str(p.relative_to(run)) for p in run.rglob("*") if p.is_file()}


def no_ddp_prefix(path: Path) -> bool:
    nets = load_checkpoint(path)["state"]["nets"]
    return not any(k.startswith("module.") for sd in nets.values() for k in sd)


def test_a_run_moves_from_one_process_to_two_and_back(tmp_path, capsys):
    write_images(tmp_path / "imgs", 8, size=28)
    run = tmp_path / "run"
    assert main(tiny(tmp_path / "imgs", run, "--steps", "2", "--ckpt-every", "2")) == 0

    two = torchrun("train", "--resume", str(run), "--steps", "4", "--ckpt-every", "2", "--device", "cpu")
    assert two.returncode == 0, two.stderr[-2000:]
    assert two.stderr.count("finished at step 4") == 1  # rank 1 prints only a failure
    assert files(run) == {"config.json", "stats.jsonl", "generator.pt", "checkpoints/ckpt_00000002.pt",
                          "checkpoints/ckpt_00000004.pt"}  # no lock, no temporary, no second copy
    assert json.loads((run / "config.json").read_text())["steps"] == 4  # whole: one writer
    steps = [json.loads(line)["step"] for line in (run / "stats.jsonl").read_text().splitlines()]
    assert steps == sorted(set(steps)) and steps[-1] == 4  # one writer
    assert no_ddp_prefix(run / "checkpoints/ckpt_00000004.pt")
    weights, meta, _ = read_generator(run / "generator.pt")
    assert meta["steps"] == 4 and not any(k.startswith("module.") for k in weights)
    assert load_generator(run / "generator.pt").generate(torch.zeros(1, 8)).shape == (1, 28, 28, 3)

    capsys.readouterr()
    assert main(["train", "--resume", str(run), "--steps", "6", "--device", "cpu"]) == 0  # two → one
    assert "finished at step 6" in capsys.readouterr().err
    assert [p.name for p in list_checkpoints(run)][-1] == "ckpt_00000006.pt"


def test_a_failure_on_one_rank_ends_the_other_with_its_message(tmp_path):
    write_images(tmp_path / "imgs", 8, size=28)
    run = tmp_path / "run"
    run.mkdir()
    (run / ".lock").write_text(f"{os.getpid()} {os.uname().nodename}\n")  # a live run holds the folder
    out = torchrun(*tiny(tmp_path / "imgs", run, "--steps", "50"))
    assert out.returncode != 0
    assert f"error: {run} is in use by another training run" in out.stderr  # rank 0's own failure
    # rank 1 ends with rank 0's sentence, not a traceback
    assert f"error: another training process failed (process 0: {run} is in use" in out.stderr, out.stderr[-3000:]
    assert files(run) == {".lock"}


def test_killing_one_rank_stops_the_other_with_a_sentence_and_keeps_the_checkpoint(tmp_path):
    write_images(tmp_path / "imgs", 8, size=28)
    run, port = tmp_path / "run", free_port()
    args = tiny(tmp_path / "imgs", run, "--steps", "100000", "--ckpt-every", "2", "--keep-last", "2")
    procs = [subprocess.Popen([sys.executable, "-m", "ganstudio", *args], cwd=ROOT, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True,
                              env={**ENV, "RANK": str(r), "LOCAL_RANK": str(r), "WORLD_SIZE": "2",
                                   "MASTER_ADDR": "127.0.0.1", "MASTER_PORT": str(port)}) for r in (0, 1)]
    try:
        deadline = time.monotonic() + WAIT_S
        while not list_checkpoints(run):
            assert procs[0].poll() is None, procs[0].communicate()[1][-2000:]
            assert time.monotonic() < deadline, "the run did not get going"
            time.sleep(0.05)
        procs[1].send_signal(signal.SIGKILL)
        _, err = procs[0].communicate(timeout=WAIT_S)
    finally:
        for p in procs:
            p.kill()
            p.wait()
    assert procs[0].returncode == 2
    last = err.strip().splitlines()[-1]
    assert last.startswith("error: another training process ended unexpectedly"), err[-2000:]
    assert "resume from the last good checkpoint" in last and "(last good checkpoint: " in last
    kept = Path(last.split("(last good checkpoint: ")[1].rstrip(")"))
    assert kept.is_file() and load_checkpoint(kept)["step"] >= 2 and no_ddp_prefix(kept)
    assert not (run / ".lock").exists()


def test_one_process_gets_no_group_and_an_uneven_batch_is_refused(monkeypatch):
    monkeypatch.setenv("RANK", "0")
    monkeypatch.setenv("WORLD_SIZE", "1")  # `torchrun --nproc_per_node 1`: the one-process path
    assert distributed.detect() is None and distributed.start(torch.device("cpu"), 3) == torch.device("cpu")
    assert distributed.current() is None and distributed.share(6) == 6 and distributed.rank_seed(5) == 5
    monkeypatch.setenv("WORLD_SIZE", "2")
    with pytest.raises(UserError, match="a batch of 3 does not split evenly over 2 processes"):
        distributed.start(torch.device("cpu"), 3)
    assert distributed.current() is None
