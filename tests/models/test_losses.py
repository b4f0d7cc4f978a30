import pytest
import torch

from ganstudio.models import losses


def test_gradient_penalty_of_linear_critic():
    """For D(x) = w·x the input gradient is w everywhere, so the penalty is (‖w‖ − 1)²."""
    w = torch.tensor([3.0, 4.0])
    real, fake = torch.randn(16, 2), torch.randn(16, 2)
    gp = losses.gradient_penalty(lambda x: x @ w, real, fake)
    assert gp.item() == pytest.approx((5.0 - 1.0) ** 2)


def test_gradient_penalty_zero_for_unit_gradient():
    w = torch.tensor([0.6, 0.8])
    gp = losses.gradient_penalty(lambda x: x @ w, torch.randn(8, 2), torch.randn(8, 2))
    assert gp.item() == pytest.approx(0.0, abs=1e-10)


def test_losses_prefer_the_right_answer():
    """Each D loss is lower when real scores high and fake low; each G loss lower when fake scores high."""
    hi, lo = torch.full((4,), 3.0), torch.full((4,), -3.0)
    for kind in ("bce", "lsgan", "hinge", "wgan-gp"):
        if kind == "lsgan":
            hi, lo = torch.ones(4), torch.zeros(4)
        assert losses.d_loss(kind, hi, lo) < losses.d_loss(kind, lo, hi), kind
        assert losses.g_loss(kind, hi) < losses.g_loss(kind, lo), kind


def test_bce_is_non_saturating():
    """The G loss still has a strong gradient when D confidently rejects the fakes."""
    fake = torch.full((4,), -8.0, requires_grad=True)
    losses.g_loss("bce", fake).backward()
    assert fake.grad.abs().mean() > 0.2
