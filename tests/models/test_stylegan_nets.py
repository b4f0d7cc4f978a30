"""StyleGAN networks: shapes and sizes per resolution, unit-scale demodulation, style mixing by layer."""

from __future__ import annotations

import pytest
import torch

from ganstudio.core.config import ModelConfig
from ganstudio.models.stylegan import (
    ModulatedConv,
    StyleGANDiscriminator,
    StyleGANGenerator,
    channels_at,
    minibatch_std,
    num_ws,
)


def cfg(res: int, **kw) -> ModelConfig:
    base = {"arch": "stylegan", "z_dim": 16, "img_size": res, "channels": 3, "base_ch": 8, "max_ch": 32,
            "mapping_layers": 2}
    return ModelConfig(**{**base, **kw})


def n_params(net: torch.nn.Module) -> int:
    return sum(p.numel() for p in net.parameters())


@pytest.mark.parametrize("res", [32, 64, 128, 256])
def test_shapes_and_widths_at_every_resolution(res):
    m = cfg(res)
    g, d = StyleGANGenerator(m).eval(), StyleGANDiscriminator(m)
    x = g(torch.randn(2, 16))
    assert x.shape == (2, 3, res, res)
    assert d(x).shape == (2,)
    assert g.num_ws == num_ws(m) == 2 * (res.bit_length() - 1) - 2  # 10 at 64 px, as in the paper
    assert channels_at(res, m) == 8 and channels_at(4, m) == 32  # base at full size, max near 4×4


def test_parameter_count_grows_by_one_block_per_doubling():
    """Widths depend on the output size (base_ch at the top, doubling down to max_ch), so a doubling adds
    one block at the top while the trunk narrows; with max_ch reached early the trunk stays and each
    doubling adds a block of the same width."""
    counts = [n_params(StyleGANGenerator(cfg(r, base_ch=32, max_ch=32))) for r in (32, 64, 128)]
    assert counts[0] < counts[1] < counts[2]
    assert counts[2] - counts[1] == counts[1] - counts[0]  # the same 32-wide block each time


def test_grey_models_draw_one_channel():
    assert StyleGANGenerator(cfg(32, channels=1))(torch.randn(1, 16)).shape == (1, 1, 32, 32)


def test_demodulation_keeps_activations_at_unit_scale():
    torch.manual_seed(0)
    conv = ModulatedConv(64, 64, 16, 3)
    x = torch.randn(8, 64, 16, 16)
    for scale in (0.1, 1.0, 10.0):  # however large the style, the output keeps unit variance
        with torch.no_grad():
            conv.affine.bias.fill_(scale)
            out = conv(x, torch.zeros(8, 16))
        assert 0.8 < float(out.std()) < 1.2, scale
    plain = ModulatedConv(64, 64, 16, 3, demodulate=False)
    with torch.no_grad():
        plain.affine.bias.fill_(10.0)
        assert float(plain(x, torch.zeros(8, 16)).std()) > 5  # without demodulation the style scales the output


def test_style_mixing_changes_only_the_layers_it_swaps():
    """Swap the w of the last (finest) layers: the 4–16 px features stay identical, the image changes."""
    torch.manual_seed(0)
    g = StyleGANGenerator(cfg(32)).eval()
    w_a, w_b = g.mapping(torch.randn(1, 16)), g.mapping(torch.randn(1, 16))
    ws_a = g.ws(w_a).clone()
    ws_mix = ws_a.clone()
    ws_mix[:, 5:] = w_b  # the 32 px block's layers and toRGB
    feats: dict[str, list[torch.Tensor]] = {"a": [], "mix": []}
    hooks = []
    for name, key in (("a", ws_a), ("mix", ws_mix)):
        hooks = [blk.register_forward_hook(lambda _m, _i, out, n=name: feats[n].append(out))
                 for blk in (g.synthesis.conv4, g.synthesis.blocks[0].conv1, g.synthesis.blocks[1].conv1,
                             g.synthesis.blocks[2].conv1)]
        img = g.synthesis(key, "const")
        feats[name].append(img)
        for h in hooks:
            h.remove()
    for coarse_a, coarse_mix in zip(feats["a"][:3], feats["mix"][:3], strict=True):
        assert torch.equal(coarse_a, coarse_mix)  # 4, 8 and 16 px layers untouched
    assert not torch.allclose(feats["a"][3], feats["mix"][3])  # the 32 px layer changed
    assert not torch.allclose(feats["a"][4], feats["mix"][4])


def test_noise_is_random_while_training_and_fixed_for_sampling():
    torch.manual_seed(0)
    g = StyleGANGenerator(cfg(32))
    with torch.no_grad():
        for layer in g.modules():
            if hasattr(layer, "noise_strength"):
                layer.noise_strength.fill_(1.0)
    z = torch.randn(1, 16)
    g.train()
    assert not torch.equal(g(z), g(z))
    g.eval()
    assert torch.equal(g(z), g(z))
    ws = g.ws(g.mapping(z))
    assert not torch.equal(g.synthesis(ws, "none"), g.synthesis(ws, "const"))


def test_minibatch_std_adds_one_channel_of_batch_spread():
    same = torch.ones(4, 3, 4, 4)
    assert minibatch_std(same).shape == (4, 4, 4, 4)
    assert float(minibatch_std(same)[:, 3].abs().max()) < 1e-3  # identical samples: no spread
    assert float(minibatch_std(torch.randn(4, 3, 4, 4))[:, 3].mean()) > 0.5


def test_conditional_networks_use_the_class():
    torch.manual_seed(0)
    m = cfg(32, num_classes=3)
    g, d = StyleGANGenerator(m).eval(), StyleGANDiscriminator(m)
    z = torch.randn(1, 16).repeat(2, 1)
    y = torch.tensor([0, 2])
    img = g(z, y)
    assert not torch.allclose(img[0], img[1])
    x = img[:1].repeat(2, 1, 1, 1)
    with torch.no_grad():
        d.embed.weight.normal_()
    out = d(x, y)
    assert not torch.allclose(out[0], out[1])
