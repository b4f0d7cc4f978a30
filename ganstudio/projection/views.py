"""What a projection shows and measures: target | current | difference strips, PSNR and SSIM."""

from __future__ import annotations

import numpy as np
import torch

from ganstudio.projection.losses import ssim


def difference(target: np.ndarray, image: np.ndarray) -> np.ndarray:
    """|target − image| per channel, doubled so that small errors show (uint8)."""
    diff = np.abs(target.astype(np.int16) - image.astype(np.int16)) * 2
    return np.clip(diff, 0, 255).astype(np.uint8)


def strip(target: np.ndarray, image: np.ndarray) -> np.ndarray:
    """(H, 3W, 3) uint8: the photo as the model sees it, the latent's picture, their difference."""
    return np.concatenate([target, image, difference(target, image)], axis=1)


def psnr(target: np.ndarray, image: np.ndarray) -> float:
    """Peak signal-to-noise ratio in dB of two uint8 pictures."""
    mse = float(np.mean((target.astype(np.float64) - image.astype(np.float64)) ** 2))
    return float(10 * np.log10(255.0 ** 2 / max(mse, 1e-10)))


def ssim_of(target: np.ndarray, image: np.ndarray) -> float:
    """SSIM of two uint8 pictures (7-pixel Gaussian window, colour channels averaged)."""
    def t(a: np.ndarray) -> torch.Tensor:
        return torch.from_numpy(np.ascontiguousarray(a)).float().permute(2, 0, 1)[None] / 255.0
    return float(ssim(t(target), t(image))[0])
