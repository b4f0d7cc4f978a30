"""A projected photo as a walk keyframe: its styles and noise travel through plans, renders, thumbnails,
style mixing and project files; walk settings that cannot use it say so."""

from __future__ import annotations

import json

import numpy as np
import pytest
import torch

from ganstudio.core.errors import UserError
from ganstudio.modelfiles.generator import load_generator
from ganstudio.walk.project import load_project, save_project
from ganstudio.walk.render import Renderer, keyframe_images, plan
from ganstudio.walk.session import WalkSession
from ganstudio.walk.stylemix import Mix, mix_picture, mixed_ws
from ganstudio.walk.styles import Styles
from ganstudio.walk.timeline import Keyframe, Walk
from tests.walk.test_walk import tiny_generator_file


@pytest.fixture
def g(stylegan_file):
    return load_generator(stylegan_file)


def photo_styles(g, seed: int = 50) -> Styles:
    """Per-layer styles from three seeds (as a W+ projection finds) and noise maps unlike the model's own."""
    w = g.mapping(g.latents([seed, seed + 1, seed + 2]))
    ws = torch.stack([w[i % 3] for i in range(g.num_ws)])
    gen = torch.Generator().manual_seed(seed)
    noise = tuple(torch.randn(n.shape[-2:], generator=gen).numpy() for n in g.const_noise())
    return Styles(ws.numpy(), noise)


def photo_key(g, **kw) -> Keyframe:
    return Keyframe(styles=photo_styles(g), photo="me.jpg", photo_sha256="ab" * 32, **kw)


def own_picture(g, styles: Styles) -> np.ndarray:
    maps = [torch.from_numpy(n.copy())[None, None] for n in styles.noise]
    return g.synthesize(torch.from_numpy(styles.ws.copy())[None], noise_maps=maps)[0]


def test_a_morph_starts_on_the_photo_and_reaches_the_seeds(g):
    key = photo_key(g, frames=4)
    walk = Walk(keyframes=(key, Keyframe(seed=3, frames=4), Keyframe(seed=8, frames=4)), loop=False)
    r = Renderer(g, plan(g, walk))
    frames = r.render_all()
    assert len(frames) == 9
    assert np.array_equal(frames[0], own_picture(g, key.styles))
    assert np.array_equal(frames[4], g.generate(g.latents([3]))[0])  # the photo's noise is gone at a seed
    assert np.array_equal(frames[8], g.generate(g.latents([8]))[0])
    assert not np.array_equal(frames[0], frames[1])
    assert np.array_equal(keyframe_images(g, [key, Keyframe(seed=3)], 1.0),
                          np.stack([frames[0], frames[4]]))  # the thumbnails draw the same


def test_walk_settings_that_cannot_use_a_photo_refuse_it(g):
    keys = (photo_key(g), Keyframe(seed=3))
    with pytest.raises(UserError, match="styles, not a z"):
        plan(g, Walk(keyframes=keys, space="z"))
    with pytest.raises(UserError, match="noise loop"):
        plan(g, Walk(keyframes=keys, mode="noise", noise_center=0))
    assert len(plan(g, Walk(keyframes=keys, mode="noise", noise_center=1, noise_frames=6))) == 6
    for noise in ("random", "none"):  # the photo's own noise maps give way as the model's do
        assert len(Renderer(g, plan(g, Walk(keyframes=keys, noise=noise))).render([0, 1])) == 2


def test_moving_only_colours_keeps_the_photos_layout_and_truncation_pulls_it_in(g):
    key = photo_key(g)
    p = plan(g, Walk(keyframes=(key, Keyframe(seed=3), Keyframe(seed=9)), moving="fine"))
    coarse = g.layer_groups()["coarse"]
    assert torch.equal(p.ws[:, coarse], torch.from_numpy(key.styles.ws[coarse].copy()).expand(len(p.ws), -1, -1))
    flat = plan(g, Walk(keyframes=(key, Keyframe(seed=3)), psi=0.0))
    assert torch.allclose(flat.ws[0], g.w_avg().expand(g.num_ws, -1), atol=1e-6)


def test_a_photo_is_a_style_mixing_source(g):
    styles = photo_styles(g)
    assert np.array_equal(mix_picture(g, Mix(base=0), photo=styles), own_picture(g, styles))
    ws = mixed_ws(g, Mix(base=0, fine=9), styles)
    fine, coarse = g.layer_groups()["fine"], g.layer_groups()["coarse"]
    assert torch.allclose(ws[0, fine], g.mapping(g.latents([9]))[0].expand(len(fine), -1))
    assert torch.equal(ws[0, coarse], torch.from_numpy(styles.ws[coarse].copy()))


def test_the_photo_keyframe_round_trips_through_the_project_file(g, tmp_path):
    walk = Walk(keyframes=(photo_key(g, frames=5), Keyframe(seed=3), Keyframe(seed=4)))
    path = save_project(tmp_path / "walk.json", g, walk)
    data = json.loads(path.read_text())
    assert data["version"] == 2 and data["walk"]["keyframes"][0]["photo"] == "me.jpg"
    loaded = load_project(path).walk
    assert loaded == walk and loaded.keyframes[0].photo_sha256 == "ab" * 32
    assert np.array_equal(Renderer(g, plan(g, loaded)).render_all(), Renderer(g, plan(g, walk)).render_all())
    plain = save_project(tmp_path / "plain.json", g, Walk(keyframes=(Keyframe(seed=1), Keyframe(seed=2))))
    assert json.loads(plain.read_text())["version"] == 1  # older GAN Studios still open a walk of seeds


def test_damaged_or_misfitting_styles_are_refused(g, tmp_path):
    path = save_project(tmp_path / "walk.json", g, Walk(keyframes=(photo_key(g), Keyframe(seed=3))))
    data = json.loads(path.read_text())
    data["walk"]["keyframes"][0]["styles"]["ws"]["base64"] = "AAAA"
    path.write_text(json.dumps(data))
    with pytest.raises(UserError, match="damaged"):
        load_project(path)
    other = Styles(np.zeros((g.num_ws + 2, g.z_dim), np.float32))
    with pytest.raises(UserError, match="another shape"):
        plan(g, Walk(keyframes=(Keyframe(styles=other), Keyframe(seed=1))))
    dcgan = load_generator(tiny_generator_file(tmp_path / "dc.pt"))
    with pytest.raises(UserError, match="no style space"):
        plan(dcgan, Walk(keyframes=(photo_key(g), Keyframe(seed=1))))
    with pytest.raises(UserError, match="one of a seed"):
        Walk(keyframes=(Keyframe(seed=1, styles=photo_styles(g)),)).validate()


def test_the_session_draws_photo_thumbnails_and_asks_before_dropping_them(g, tmp_path):
    s = WalkSession()
    s.open(g)
    s.add_keyframe(photo_key(g))
    s.add_keyframe(Keyframe(seed=2))
    req = s.thumbs_request()
    assert req is not None and s.accept(req, req.fn())
    assert np.array_equal(s.thumb(s.keyframes()[0]), own_picture(g, s.keyframes()[0].styles))
    dcgan = load_generator(tiny_generator_file(tmp_path / "dc.pt"))
    assert "photo" in s.switch_question(dcgan)
    s.open(dcgan, keep=True)
    assert [kf.seed for kf in s.keyframes()] == [2]
