"""A small CNN classifier for 28 px grey images: the feature extractor of `ganstudio eval`.

Inception features (FID) describe ImageNet photos, not 28 px digits or clothes; a classifier
trained on the set itself gives features in which its classes separate, so distances between
real and generated feature clouds measure what the eye checks (Heusel et al. 2017 used
Inception; the same Fréchet and kernel distances work in any feature space).
"""

from __future__ import annotations

import torch
from torch import nn

FEATURES = 128


class SmallCNN(nn.Module):
    """images (B, 1, 28, 28) in [-1, 1] → logits (B, K); `features` gives the (B, 128) layer before them."""

    def __init__(self, num_classes: int = 10, channels: int = 1) -> None:
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv2d(channels, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(True), nn.MaxPool2d(2),  # 14 px
            nn.Conv2d(32, 64, 3, padding=1), nn.BatchNorm2d(64), nn.ReLU(True), nn.MaxPool2d(2),  # 7 px
            nn.Conv2d(64, 64, 3, padding=1), nn.BatchNorm2d(64), nn.ReLU(True),
            nn.Flatten(), nn.Linear(64 * 7 * 7, FEATURES), nn.BatchNorm1d(FEATURES), nn.ReLU(True),
        )
        self.head = nn.Sequential(nn.Dropout(0.3), nn.Linear(FEATURES, num_classes))

    def features(self, x: torch.Tensor) -> torch.Tensor:
        return self.body(x)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.body(x))
