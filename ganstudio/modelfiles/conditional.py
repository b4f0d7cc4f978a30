"""What class morphs and class blends need from a conditional network, typed: its class
embedding table and a way to draw from any embedding vector, not only from a label.

Blending class embeddings is how a morph passes between classes; `class_embedding` takes class
weights (one row per frame, one column per class), so a two-class lerp, a three-class mix and a
plain label are the same call. The Classes page and the latent walk both use it; only this
module looks inside a conditional `Generator.net`.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

import numpy as np
import torch
from torch import nn

from ganstudio.core.errors import UserError
from ganstudio.modelfiles.generator import Generator, to_uint8

BATCH = 64  # frames per forward pass


@runtime_checkable
class ClassEmbeddingNet(Protocol):
    """A conditional generator network whose label enters through an embedding table."""

    embed: nn.Embedding

    def from_embedding(self, z: torch.Tensor, class_vec: torch.Tensor) -> torch.Tensor: ...


def embedding_net(g: Generator) -> ClassEmbeddingNet:
    """`g.net` as a `ClassEmbeddingNet`; UserError for a model without classes or without an embedding."""
    net = g.net
    if not g.num_classes or not isinstance(net, ClassEmbeddingNet):
        raise UserError(f"{g.path.name} cannot blend classes: its network has no class embedding",
                        "pick a conditional model (cDCGAN)")
    return net


def class_embedding(g: Generator, mix: torch.Tensor) -> torch.Tensor:
    """Class weights (N, num_classes) → class vectors (N, embedding size) on the CPU."""
    table = embedding_net(g).embed.weight.detach().cpu().float()
    if mix.ndim != 2 or mix.shape[1] != len(table):
        raise UserError(f"class weights of shape {tuple(mix.shape)} do not fit {len(table)} classes")
    return mix.float() @ table


@torch.inference_mode()
def generate_from_embedding(g: Generator, z: torch.Tensor, class_vec: torch.Tensor) -> np.ndarray:
    """Latents (N, z_dim) and class vectors (N, embedding size) → images (N, H, W, 3) uint8."""
    net = embedding_net(g)
    out = [to_uint8(net.from_embedding(z[i:i + BATCH].to(g.device, torch.float32), class_vec[i:i + BATCH].to(g.device)))
           for i in range(0, len(z), BATCH)]
    return np.concatenate(out) if out else np.zeros((0, 1, 1, 3), np.uint8)
