"""Inside a 2-process gloo group (torch.multiprocessing): what DDP must keep true for every model family.

A 2-process run cannot reproduce a 1-process run's numbers: each rank draws its share of the batch from
its own stream (rank 0's is the run's seed, rank 1's is derived from it), so the two runs see different
images and latents. What is true, and tested here: (1) fed the same images, the DDP update equals the
1-process update on the whole batch within 1e-6 (float summation order); (2) after steps of every
family's real trainer, with its regularisers on, both ranks hold the same weights bit for bit.
"""

from __future__ import annotations

import os
import socket
from pathlib import Path

import torch
import torch.distributed as dist
import torch.multiprocessing as mp

from ganstudio.core.config import DataConfig, ModelConfig, TrainConfig, replace
from ganstudio.models import build_discriminator
from ganstudio.train import distributed
from ganstudio.train.loop import TRAINERS, family_of
from tests.conftest import write_images

WORLD = 2


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _configs(root: Path) -> list[TrainConfig]:
    flat, classes, other = root / "flat", root / "classes", root / "other"
    base = TrainConfig(model=ModelConfig(arch="dcgan", z_dim=8, img_size=32, channels=3, base_ch=4),
                       data=DataConfig(kind="folder", path=str(flat)), steps=3, batch=4, device="cpu",
                       out_dir=str(root / "run"), n_samples=4, precision="fp32", seed=3)
    sg = ModelConfig(arch="stylegan", z_dim=8, img_size=32, channels=3, base_ch=4, max_ch=8, mapping_layers=1)
    return [
        base,
        replace(base, model=replace(base.model, arch="cdcgan"), data=DataConfig(kind="folder", path=str(classes)),
                loss="wgan-gp", n_critic=2),
        replace(base, model=ModelConfig(arch="cyclegan", img_size=32, channels=3, base_ch=4, res_blocks=1,
                                        base_ch_d=4),
                data=DataConfig(kind="folder", path=str(flat), path_b=str(other), load_size=32), loss="lsgan",
                pool_size=2),
        replace(base, model=sg, r1_interval=1, pl_weight=2.0, mixing_prob=0.9, augment="ada", ada_kimg=1),
        replace(base, model=sg, data=DataConfig(kind="folder", path=str(classes)), r1_interval=2, pl_weight=1.0),
    ]


def _same_on_every_rank(flat: torch.Tensor) -> bool:
    gathered = [torch.empty_like(flat) for _ in range(WORLD)]
    dist.all_gather(gathered, flat)
    return all(torch.equal(gathered[0], g) for g in gathered[1:])


def _ddp_step_equals_whole_batch() -> None:
    torch.manual_seed(0)
    d = build_discriminator(ModelConfig(arch="dcgan", img_size=32, channels=3, base_ch=4), batchnorm=False)
    whole = [p.detach().clone() for p in d.parameters()]
    x = torch.randn(4, 3, 32, 32, generator=torch.Generator().manual_seed(1))  # the same batch on both ranks
    ref = build_discriminator(ModelConfig(arch="dcgan", img_size=32, channels=3, base_ch=4), batchnorm=False)
    for p, w in zip(ref.parameters(), whole, strict=True):
        p.data.copy_(w)
    ref(x).mean().backward()
    share = x.chunk(WORLD)[dist.get_rank()]
    wrapped = distributed.wrap(d)  # kept: the wrapper's reducer syncs the backward
    wrapped(share).mean().backward()
    for p, q in zip(d.parameters(), ref.parameters(), strict=True):
        assert p.grad is not None and q.grad is not None
        torch.testing.assert_close(p.grad, q.grad, atol=1e-6, rtol=1e-5)


def _worker(rank: int, port: int, root: str) -> None:
    os.environ.update(RANK=str(rank), LOCAL_RANK=str(rank), WORLD_SIZE=str(WORLD), MASTER_ADDR="127.0.0.1",
                      MASTER_PORT=str(port), OMP_NUM_THREADS="1")
    torch.set_num_threads(1)
    assert distributed.start(torch.device("cpu"), batch=4) == torch.device("cpu")
    try:
        _ddp_step_equals_whole_batch()
        for cfg in _configs(Path(root)):
            torch.manual_seed(cfg.seed)
            trainer = TRAINERS[family_of(cfg.model.arch)].for_run(cfg, torch.device("cpu"))
            gen = torch.Generator().manual_seed(distributed.rank_seed(cfg.seed))
            for _ in range(3):
                stats = trainer.step(gen)
            nets = trainer.state_dict()["nets"]
            assert not any(k.startswith("module.") for sd in nets.values() for k in sd), cfg.model.arch
            flat = torch.cat([v.float().flatten() for sd in nets.values() for k, v in sd.items()
                              if "running" not in k and "num_batches" not in k and "w_avg" not in k])
            assert _same_on_every_rank(flat), f"{cfg.model.arch} ({cfg.loss}): the ranks' weights differ"
            # the ranks saw different data: their (local) statistics differ, their weights do not
            assert not _same_on_every_rank(stats["loss_d"].reshape(1).float()), cfg.model.arch
        dist.barrier()  # leave together: a rank tearing gloo down while the other is still inside it aborts
    finally:
        distributed.finish()


def test_ranks_keep_the_same_weights_and_ddp_averages_the_gradient(tmp_path):
    write_images(tmp_path / "flat", 8, size=32)
    write_images(tmp_path / "other", 8, size=32, seed=1)
    for k, name in enumerate(["cats", "dogs"]):
        write_images(tmp_path / "classes" / name, 4, size=32, seed=k + 2)
    mp.spawn(_worker, args=(free_port(), str(tmp_path)), nprocs=WORLD, join=True)
