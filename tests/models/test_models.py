import pytest
import torch

from ganstudio.core.config import ModelConfig
from ganstudio.models import build_discriminator, build_generator
from ganstudio.models.mlp import latent_code, spread_points


@pytest.mark.parametrize("size", [28, 32, 64, 128])
@pytest.mark.parametrize("channels", [1, 3])
def test_dcgan_shapes(size, channels):
    cfg = ModelConfig(arch="dcgan", z_dim=16, img_size=size, channels=channels, base_ch=4)
    g, d = build_generator(cfg), build_discriminator(cfg)
    x = g(torch.randn(3, 16))
    assert x.shape == (3, channels, size, size)
    assert x.abs().max() <= 1.0
    assert d(x).shape == (3,)


@pytest.mark.parametrize("cond", ["projection", "concat"])
def test_conditional_models_use_labels(cond):
    torch.manual_seed(0)
    cfg = ModelConfig(arch="cdcgan", z_dim=8, img_size=28, channels=1, base_ch=4, num_classes=5, cond_d=cond)
    g, d = build_generator(cfg).eval(), build_discriminator(cfg).eval()
    z = torch.randn(2, 8)
    a = g(z, torch.tensor([0, 0]))
    b = g(z, torch.tensor([3, 3]))
    assert not torch.allclose(a, b), "the class must change the image"
    assert not torch.allclose(d(a, torch.tensor([0, 0])), d(a, torch.tensor([4, 4])))
    with pytest.raises(ValueError):
        g(z)


def test_dcgan64_matches_reference_layout():
    """base_ch 64 at 64 px is the DCGAN paper's network: 3.58 M generator parameters for z=100, 3 channels."""
    cfg = ModelConfig(arch="dcgan", z_dim=100, img_size=64, channels=3, base_ch=64)
    n_g = sum(p.numel() for p in build_generator(cfg).parameters())
    n_d = sum(p.numel() for p in build_discriminator(cfg).parameters())
    assert n_g == 3_576_704
    assert n_d == 2_765_568


def test_spectral_norm_in_d():
    cfg = ModelConfig(arch="dcgan", z_dim=8, img_size=32, channels=3, base_ch=4, spectral_norm=True)
    d = build_discriminator(cfg)
    assert any("parametrizations" in name for name, _ in d.named_parameters())
    assert not any(isinstance(m, torch.nn.BatchNorm2d) for m in d.modules())


@pytest.mark.parametrize("arch", ["dcgan", "cdcgan"])
def test_minibatch_std_lets_d_tell_a_uniform_batch(arch):
    """The same images scored alone and inside a varied batch differ only when D sees the batch's spread."""
    torch.manual_seed(0)
    for mbstd in (False, True):
        cfg = ModelConfig(arch=arch, z_dim=8, img_size=28, channels=1, base_ch=4, num_classes=3, minibatch_std=mbstd)
        d = build_discriminator(cfg, batchnorm=False).eval()
        same = torch.randn(1, 1, 28, 28).expand(4, -1, -1, -1)
        varied = torch.cat([same[:1], torch.randn(3, 1, 28, 28)])
        labels = torch.zeros(4, dtype=torch.long)
        with torch.no_grad():
            gap = (d(same, labels)[0] - d(varied, labels)[0]).abs().item()
        assert (gap > 1e-6) == mbstd
        assert torch.isfinite(d(same[:1], labels[:1])).all()  # a single image: zeros, not NaN


def test_mlp_shapes():
    cfg = ModelConfig(arch="mlp", z_dim=4, hidden=16, layers=2)
    g, d = build_generator(cfg), build_discriminator(cfg)
    pts = g(torch.randn(10, 4))
    assert pts.shape == (10, 2) and d(pts).shape == (10,)


def test_latent_codes_are_equally_likely():
    counts = torch.bincount(latent_code(torch.randn(20000, generator=torch.Generator().manual_seed(0)), 10).argmax(1))
    assert len(counts) == 10 and counts.min() > 1800 and counts.max() < 2200


def test_mlp_with_codes_jumps_between_codes_only():
    """The first latent number only picks a code: inside one code's range it changes nothing, across codes it does."""
    torch.manual_seed(0)
    g = build_generator(ModelConfig(arch="mlp", z_dim=4, hidden=16, layers=2, latent_codes=4))
    z = torch.randn(1, 4).repeat(3, 1)
    z[:, 0] = torch.tensor([-1.0, -0.8, 0.5])  # codes 0, 0 and 2 of 4 (quartiles at ±0.674 and 0)
    pts = g(z)
    assert torch.allclose(pts[0], pts[1], atol=1e-6) and (pts[0] - pts[2]).abs().max() > 1e-3


def test_latent_codes_need_the_mlp_and_two_latent_numbers():
    from ganstudio.core.config import DataConfig, TrainConfig, validate
    from ganstudio.core.errors import UserError

    for model in (ModelConfig(arch="dcgan", z_dim=8, latent_codes=10),
                  ModelConfig(arch="mlp", z_dim=1, latent_codes=10)):
        with pytest.raises(UserError, match="latent codes"):
            validate(TrainConfig(model=model, data=DataConfig(kind="toy", name="grid25")))


def test_spread_points_visit_every_cluster_before_any_twice():
    gen = torch.Generator().manual_seed(0)
    centres = torch.tensor([[0.0, 0.0], [5.0, 0.0], [0.0, 5.0], [5.0, 5.0], [9.0, 9.0]])
    points = centres.repeat(200, 1) + 0.05 * torch.randn(1000, 2, generator=gen)
    picked = spread_points(points, 5, gen)
    nearest = torch.cdist(picked, centres).argmin(1)
    assert sorted(nearest.tolist()) == [0, 1, 2, 3, 4]


def test_code_anchors_move_each_code_and_old_files_load_without_them():
    g = build_generator(ModelConfig(arch="mlp", z_dim=4, hidden=16, layers=2, latent_codes=4))
    z = torch.randn(1, 4).repeat(2, 1)
    z[:, 0] = torch.tensor([-1.0, 0.5])  # codes 0 and 2
    before = g(z)
    with torch.no_grad():
        g.anchors[2] = torch.tensor([10.0, -10.0])
    after = g(z)
    assert torch.allclose(after[0], before[0]) and torch.allclose(after[1] - before[1], torch.tensor([10.0, -10.0]))
    old = {k: v for k, v in g.state_dict().items() if k != "anchors"}  # saved before anchors existed
    g.load_state_dict(old)
    assert torch.count_nonzero(g.anchors) == 0
