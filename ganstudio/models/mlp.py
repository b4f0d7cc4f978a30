"""Multilayer-perceptron GAN for 2D point clouds (the GAN Lab setting)."""

from __future__ import annotations

import torch
from torch import nn

from ganstudio.core.config import ModelConfig
from ganstudio.models.layers import maybe_sn


def _mlp(n_in: int, n_out: int, hidden: int, layers: int, act: nn.Module, sn: bool) -> nn.Sequential:
    mods: list[nn.Module] = []
    width = n_in
    for _ in range(layers):
        mods += [maybe_sn(nn.Linear(width, hidden), sn), act]
        width = hidden
    mods.append(maybe_sn(nn.Linear(width, n_out), sn))
    return nn.Sequential(*mods)


def latent_code(z0: torch.Tensor, codes: int) -> torch.Tensor:
    """One-hot code picked by a standard-normal coordinate: its CDF makes every code equally likely."""
    index = (torch.special.ndtr(z0) * codes).long().clamp(0, codes - 1)
    return nn.functional.one_hot(index, codes).to(z0.dtype)


def spread_points(points: torch.Tensor, k: int, gen: torch.Generator) -> torch.Tensor:
    """k of the points, each the farthest from those already picked (k-means++ style seeding):
    on clustered data every cluster is picked before any cluster is picked twice."""
    first = int(torch.randint(len(points), (), generator=gen))
    picked = [first]
    dist = (points - points[first]).norm(dim=1)
    for _ in range(k - 1):
        i = int(dist.argmax())
        picked.append(i)
        dist = torch.minimum(dist, (points - points[i]).norm(dim=1))
    return points[picked]


class MLPGenerator(nn.Module):
    """z (B, z_dim) → points (B, 2).

    A continuous network maps the connected Gaussian latent onto a connected set, so on data made
    of separate clusters it smears points along bridges between them. With `latent_codes` the
    first latent coordinate instead picks one of K discrete codes, which lets G jump from cluster
    to cluster; z keeps being a plain Gaussian vector for every caller.

    Each code also has an anchor point (fixed, saved with the weights) added to the network's
    output. Training sets the anchors to `spread_points` of the real data, so the codes start out
    on different parts of the data: left at the origin, they fan out from the middle and settle on
    whichever clusters they reach first, and nothing pulls them on to the clusters left empty.
    """

    def __init__(self, cfg: ModelConfig) -> None:
        super().__init__()
        self.z_dim = cfg.z_dim
        self.codes = cfg.latent_codes
        n_in = cfg.z_dim - 1 + self.codes if self.codes else cfg.z_dim
        self.net = _mlp(n_in, 2, cfg.hidden, cfg.layers, nn.ReLU(), sn=False)
        if self.codes:
            self.register_buffer("anchors", torch.zeros(self.codes, 2))
            self.register_load_state_dict_pre_hook(_anchors_default)

    def forward(self, z: torch.Tensor, labels: torch.Tensor | None = None) -> torch.Tensor:
        if not self.codes:
            return self.net(z)
        code = latent_code(z[:, 0], self.codes)
        return self.net(torch.cat([z[:, 1:], code], 1)) + code @ self.anchor_points()

    def anchor_points(self) -> torch.Tensor:
        """The (codes, 2) anchor buffer, typed (nn.Module's attribute lookup is not)."""
        return self.get_buffer("anchors")


@torch.no_grad()
def place_codes(g: MLPGenerator, points: torch.Tensor, gen: torch.Generator) -> None:
    """Start each code on its own part of the data (`points`, real samples on G's device), as a blob
    half as wide as the gap to the nearest other code: clusters get a code each, and on a continuous
    shape the blobs overlap into a band instead of starting as separate beads."""
    device = points.device
    anchors = spread_points(points.cpu(), g.codes, gen).to(device)
    z = torch.randn(len(points), g.z_dim, generator=gen).to(device)
    spread = g(z).std(0).mean()  # the network's own spread: the anchors are still at the origin
    g.anchor_points().copy_(anchors)
    gaps = torch.cdist(anchors, anchors).fill_diagonal_(float("inf")).min(1).values
    gap = float(gaps.median())
    if gap > 0:  # zero when a points file has fewer distinct points than codes: keep the usual init
        last = g.net[-1]
        assert isinstance(last, nn.Linear)
        last.weight.mul_(gap / 2 / float(spread.clamp(min=1e-6)))


def _anchors_default(module: MLPGenerator, state_dict: dict, prefix: str, *args) -> None:
    """Files saved before anchors existed load with anchors at the origin, which is what they were trained with."""
    state_dict.setdefault(prefix + "anchors", torch.zeros_like(module.anchor_points()))


class MLPDiscriminator(nn.Module):
    """points (B, 2) → logits (B,)."""

    def __init__(self, cfg: ModelConfig) -> None:
        super().__init__()
        self.net = _mlp(2, 1, cfg.hidden, cfg.layers, nn.LeakyReLU(0.2), sn=cfg.spectral_norm)

    def forward(self, x: torch.Tensor, labels: torch.Tensor | None = None) -> torch.Tensor:
        return self.net(x).squeeze(1)
