"""Walk projects: planning frames from keyframes, class morphs, rendering, replaying project files."""

from __future__ import annotations

import json
from dataclasses import replace

import numpy as np
import pytest
import torch
from PIL import Image

from ganstudio.core.config import ModelConfig
from ganstudio.core.errors import UserError
from ganstudio.modelfiles.generator import generator_meta, load_generator, save_generator_file
from ganstudio.models import build_generator
from ganstudio.walk.project import load_project, model_changed, save_project
from ganstudio.walk.render import Renderer, plan
from ganstudio.walk.timeline import Keyframe, Walk, even_frames, parse_seeds


def tiny_generator_file(path, classes: int = 0, z_dim: int = 8):
    """A randomly initialised 28 px DCGAN generator file (cdcgan when `classes`)."""
    torch.manual_seed(0)
    cfg = ModelConfig(arch="cdcgan" if classes else "dcgan", z_dim=z_dim, img_size=28, channels=3, base_ch=4,
                      num_classes=classes)
    net = build_generator(cfg)
    with torch.no_grad():  # DCGAN's init (std 0.02) draws nearly flat grey; wider weights give varied pictures
        for w in net.parameters():
            if w.dim() > 1:
                w.normal_(0, 0.4)
    names = [f"c{i}" for i in range(classes)]
    return save_generator_file(path, net.state_dict(), generator_meta(cfg, steps=0, class_names=names))


@pytest.fixture
def gen(tmp_path):
    return load_generator(tiny_generator_file(tmp_path / "g.pt"))


@pytest.fixture
def cgen(tmp_path):
    return load_generator(tiny_generator_file(tmp_path / "cg.pt", classes=3))


def seeds_walk(seeds, frames=4, **kw) -> Walk:
    return Walk(keyframes=tuple(Keyframe(seed=s, frames=frames) for s in seeds), **kw)


def test_plan_hits_keyframes_and_renders_them(gen):
    walk = seeds_walk([3, 17, 42], frames=5)
    p = plan(gen, walk)
    assert len(p) == walk.frame_count() == 15
    z = gen.latents([3, 17, 42])
    assert torch.allclose(p.z[[0, 5, 10]], z)
    frames = Renderer(gen, p).render_all(batch=4)
    assert frames.shape == (15, 28, 28, 3) and frames.dtype == np.uint8
    assert np.array_equal(frames[[0, 5, 10]], gen.generate(z))  # keyframes look exactly like their seed samples


def test_open_walk_ends_on_last_keyframe(gen):
    walk = seeds_walk([1, 2], frames=6, loop=False)
    p = plan(gen, walk)
    assert len(p) == 7 and torch.allclose(p.z[-1], gen.latents([2])[0])


def test_psi_scales_latents(gen):
    p1 = plan(gen, seeds_walk([1, 2]))
    p2 = plan(gen, seeds_walk([1, 2], psi=0.5))
    assert torch.allclose(p2.z, p1.z * 0.5)


def test_free_vector_keyframe_and_wrong_size(gen):
    z = tuple(float(x) for x in torch.linspace(-1, 1, 8))
    p = plan(gen, Walk(keyframes=(Keyframe(z=z), Keyframe(seed=5)), interp="lerp"))
    assert torch.allclose(p.z[0], torch.tensor(z, dtype=torch.float32))
    with pytest.raises(UserError, match="expects 8"):
        plan(gen, Walk(keyframes=(Keyframe(z=(1.0, 2.0)),)))


def test_class_morph_blends_embeddings(cgen):
    walk = Walk(keyframes=(Keyframe(seed=1, cls=0, frames=4), Keyframe(seed=1, cls=2, frames=4)), interp="slerp")
    p = plan(cgen, walk)
    assert p.classes.shape == (8, 3)
    assert torch.equal(p.classes[0], torch.tensor([1.0, 0, 0])) and torch.equal(p.classes[4], torch.tensor([0, 0, 1.0]))
    assert torch.allclose(p.classes[2], torch.tensor([0.5, 0, 0.5]))
    frames = Renderer(cgen, p).render(range(8))
    labels = torch.tensor([0, 2])
    assert np.array_equal(frames[[0, 4]], cgen.generate(p.z[[0, 4]], labels))  # pure classes match labelled sampling
    assert not np.array_equal(frames[2], frames[0])


def test_noise_mode_loops_around_center(gen):
    walk = seeds_walk([7, 9], mode="noise", noise_center=1, noise_radius=0.3, noise_frames=30, noise_speed=2)
    p = plan(gen, walk)
    assert len(p) == 30
    center = gen.latents([9])[0]
    assert (p.z - center).norm(dim=1).max() < 0.3 * 8  # stays near the keyframe


def test_even_frames_and_seed_parsing():
    walk = even_frames(seeds_walk([3, 17, 42], loop=True), 48)
    assert [k.frames for k in walk.keyframes] == [16, 16, 16] and walk.frame_count() == 48
    walk = even_frames(seeds_walk([3, 17, 42], loop=False), 10)
    assert walk.frame_count() == 10
    with pytest.raises(UserError, match="cannot hold"):
        even_frames(seeds_walk([1, 2, 3]), 2)
    with pytest.raises(UserError, match="cannot hold"):
        even_frames(seeds_walk([1, 2, 3]), 10**6)
    assert parse_seeds("3, 17,42") == [3, 17, 42] and parse_seeds("10-12,5") == [10, 11, 12, 5]
    for bad in ("", "a,b", "3;4", "-5", "9-2", "1-100000"):
        with pytest.raises(UserError):
            parse_seeds(bad)


@pytest.mark.parametrize("change, message", [
    ({"keyframes": ()}, "no keyframes"),
    ({"interp": "cubic"}, "interpolation"),
    ({"psi": 5.0}, "psi"),
    ({"mode": "noise", "noise_frames": 0}, "frames is out of range"),
    ({"mode": "noise", "noise_center": 9}, "does not exist"),
])
def test_invalid_walks(gen, change, message):
    with pytest.raises(UserError, match=message):
        plan(gen, replace(seeds_walk([1, 2]), **change))
    with pytest.raises(UserError, match="frames per segment"):
        plan(gen, seeds_walk([1, 2], frames=0))
    with pytest.raises(UserError, match="too many"):
        plan(gen, seeds_walk(range(10), frames=900))


def test_project_round_trip_replays_identical_frames(gen, tmp_path):
    z = tuple(float(x) for x in torch.randn(8, generator=torch.Generator().manual_seed(5)))
    walk = Walk(keyframes=(Keyframe(seed=3, frames=5), Keyframe(z=z, frames=3), Keyframe(seed=42, frames=4)),
                interp="smooth", easing="ease-in-out", psi=0.8)
    first = Renderer(gen, plan(gen, walk)).render_all()
    path = save_project(tmp_path / "walk.json", gen, walk)
    loaded = load_project(path)
    assert loaded.walk == walk and loaded.model_path == gen.path.resolve()
    assert Walk.from_dict({**walk.to_dict(), "fps": 12.5}).fps == 12.5
    assert not model_changed(loaded, gen)
    again = load_generator(loaded.model_path)
    assert np.array_equal(Renderer(again, plan(again, loaded.walk)).render_all(), first)
    data = json.loads(path.read_text())
    assert len(data["model"]["sha256"]) == 64 and data["walk"]["interp"] == "smooth"


def test_project_notices_a_changed_model(gen, tmp_path):
    path = save_project(tmp_path / "walk.json", gen, seeds_walk([1, 2]))
    loaded = load_project(path)
    tiny_generator_file(gen.path, classes=2)
    assert model_changed(loaded, gen)


@pytest.mark.parametrize("content, message", [
    ("not json", "not a walk project"),
    ('{"format": "other"}', "not a GAN Studio walk project"),
    ('{"format": "ganstudio-walk", "version": 99}', "newer"),
    ('{"format": "ganstudio-walk", "version": 1, "walk": {"keyframes": [{"seed": "x"}]}}', "seed should be a whole"),
    ('{"format": "ganstudio-walk", "version": 1, "walk": {"keyframes": [{"seed": 1e999}]}}', "seed should be a whole"),
    ('{"format": "ganstudio-walk", "version": 1, "walk": {"psi": "high"}}', "damaged: psi should be a number"),
    ('{"format": "ganstudio-walk", "version": 1, "walk": {"loop": "yes"}}', "loop should be true or false"),
    ('{"format": "ganstudio-walk", "version": 1, "walk": {"fps": true}}', "fps should be a number, not True"),
    ('{"format": "ganstudio-walk", "version": 1, "walk": {"noise_frames": 1e999}}', "should be a whole number"),
    ('{"format": "ganstudio-walk", "version": 1, "walk": {"noise_seed": 2.5}}', "noise_seed should be a whole"),
])
def test_bad_project_files(tmp_path, content, message):
    path = tmp_path / "p.json"
    path.write_text(content)
    with pytest.raises(UserError, match=message):
        load_project(path)


def decoded_frames(path) -> list[np.ndarray]:
    """Every frame of an animated file as RGB arrays (for the walk's CLI and page tests)."""
    im = Image.open(path)
    out = []
    for i in range(im.n_frames):
        im.seek(i)
        out.append(np.asarray(im.convert("RGB")))
    return out
