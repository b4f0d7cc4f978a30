"""A small CNN that tells paintings from photos at 64 px: the feature space of `ganstudio eval --real`.

KID needs features in which what the eye checks (brush strokes, palette, composition) moves
the point; Inception features describe ImageNet photos and are a 90 MB download. A network
trained on the shared data itself (Monet and Sisley paintings, landscape and BSDS photos)
is a few hundred kB and places a generated painting by how much it looks like each.
"""

from __future__ import annotations

import torch
from torch import nn

FEATURES = 128
SIZE = 64  # input side in pixels


def _stage(c_in: int, c_out: int) -> list[nn.Module]:
    return [nn.Conv2d(c_in, c_out, 3, padding=1, bias=False), nn.BatchNorm2d(c_out), nn.ReLU(True), nn.MaxPool2d(2)]


class PaintingCNN(nn.Module):
    """RGB images (B, 3, 64, 64) in [-1, 1] → logits (B, K); `features` gives the (B, 128) layer before them."""

    def __init__(self, num_classes: int = 3) -> None:
        super().__init__()
        self.body = nn.Sequential(
            *_stage(3, 32), *_stage(32, 64), *_stage(64, 128), *_stage(128, 128),  # 64 → 4 px
            nn.Flatten(), nn.Linear(128 * 4 * 4, FEATURES), nn.BatchNorm1d(FEATURES), nn.ReLU(True),
        )
        self.head = nn.Sequential(nn.Dropout(0.3), nn.Linear(FEATURES, num_classes))

    def features(self, x: torch.Tensor) -> torch.Tensor:
        return self.body(x)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.body(x))
