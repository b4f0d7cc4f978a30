"""StyleGAN in the walk: W space, truncation, layer groups, style mixing, walks in which one range moves."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from ganstudio.cli.main import main
from ganstudio.core.errors import UserError
from ganstudio.modelfiles.generator import load_generator
from ganstudio.walk.project import load_project, save_project
from ganstudio.walk.render import Renderer, plan
from ganstudio.walk.stylemix import Mix, mix_picture, mixed_ws, mixing_grid, parse_mix
from ganstudio.walk.timeline import Keyframe, Walk
from tests.conftest import write_stylegan_file


@pytest.fixture
def g(stylegan_file):
    return load_generator(stylegan_file)


def test_psi_zero_draws_the_average_style(g):
    z = g.latents([1, 2])
    avg = g.synthesize(g.ws_of(g.w_avg().expand(2, -1)))
    assert np.array_equal(g.generate(z, psi=0.0), avg)
    assert not np.array_equal(g.generate(z, psi=1.0)[0], g.generate(z, psi=1.0)[1])


def test_conditional_truncation_pulls_toward_each_class_own_centre(tmp_path):
    g = load_generator(write_stylegan_file(tmp_path / "c.pt", num_classes=3))
    out = g.generate(g.latents([4, 4]), torch.tensor([0, 2]), psi=0.0)
    assert not np.array_equal(out[0], out[1])  # one centre per class, not the mean of all


def test_layer_groups_split_every_layer_once(g):
    groups = g.layer_groups()
    flat = sorted(i for ids in groups.values() for i in ids)
    assert flat == list(range(g.num_ws)) and all(groups.values())


def test_a_mix_without_other_seeds_is_the_base_picture(g):
    assert np.array_equal(mix_picture(g, Mix(base=3)), g.generate(g.latents([3]))[0])
    ws = mixed_ws(g, Mix(base=3, fine=9))
    fine, coarse = g.layer_groups()["fine"], g.layer_groups()["coarse"]
    w3, w9 = g.mapping(g.latents([3, 9]))
    assert torch.allclose(ws[0, fine], w9.expand(len(fine), -1))
    assert torch.allclose(ws[0, coarse], w3.expand(len(coarse), -1))
    assert not np.array_equal(mix_picture(g, Mix(base=3, fine=9)), mix_picture(g, Mix(base=3)))


def test_mixing_grid_is_the_papers_figure(g):
    grid = mixing_grid(g, rows=[1, 2], cols=[5, 6, 7], group="coarse")
    tiles = grid.shape
    single = g.generate(g.latents([5]))[0]
    assert tiles[0] < tiles[1]  # 3 rows × 4 columns
    # the top row's first sample is column seed 5 itself, after the blank corner
    h, w = single.shape[:2]
    found = any(np.array_equal(grid[y:y + h, x:x + w], single) for y in range(0, 8) for x in range(w, w + 8))
    assert found
    with pytest.raises(UserError, match="layer group"):
        mixing_grid(g, [1], [2], group="everything")


def test_parse_mix_names_what_is_wrong():
    assert parse_mix("coarse=5, fine=9") == {"coarse": 5, "fine": 9}
    with pytest.raises(UserError, match="'colour=3'"):
        parse_mix("colour=3")


def test_a_walk_where_only_the_coarse_layers_move(g):
    walk = Walk(keyframes=(Keyframe(seed=1, frames=3), Keyframe(seed=2, frames=3)), moving="coarse")
    p = plan(g, walk)
    assert p.ws is not None and len(p) == 6
    groups = g.layer_groups()
    still = p.ws[:, groups["fine"] + groups["middle"]]
    assert torch.equal(still, still[:1].expand_as(still))  # the other layers hold keyframe 1's style
    assert not torch.equal(p.ws[1, groups["coarse"]], p.ws[0, groups["coarse"]])


def test_walks_in_w_and_z_replay_to_the_same_frames(g, tmp_path):
    for kw in ({}, {"space": "z"}, {"noise": "random"}, {"mix": "fine=9"}, {"mode": "noise", "noise_frames": 4}):
        walk = Walk(keyframes=(Keyframe(seed=1, frames=2), Keyframe(seed=2, frames=2)), **kw)
        first = Renderer(g, plan(g, walk)).render_all()
        again = Renderer(g, plan(g, walk)).render(range(len(first)))
        assert np.array_equal(first, again), kw
    walk = Walk(keyframes=(Keyframe(seed=1, frames=2), Keyframe(seed=2, frames=2)), moving="fine", mix="coarse=4",
                noise="none", space="z")
    loaded = load_project(save_project(tmp_path / "w.json", g, walk))
    assert loaded.walk == walk


def test_walk_settings_out_of_range_are_refused():
    with pytest.raises(UserError, match="layer range"):
        Walk(keyframes=(Keyframe(seed=1),), moving="toes").validate()
    with pytest.raises(UserError, match="not a layer group"):
        Walk(keyframes=(Keyframe(seed=1),), mix="toes=1").validate()


def test_cli_sample_mix_and_walk(stylegan_file, tmp_path, capsys):
    out = tmp_path / "grid.png"
    assert main(["sample", str(stylegan_file), "-n", "2", "--mix-grid", "5-7", "--layers", "fine", "-o", str(out)]) == 0
    assert out.is_file()
    assert main(["sample", str(stylegan_file), "-n", "2", "--mix", "coarse=3", "--psi", "0.7",
                 "-o", str(tmp_path / "m.png")]) == 0
    assert main(["walk", str(stylegan_file), "--seeds", "1,2", "--frames", "4", "--moving", "fine",
                 "-o", str(tmp_path / "w.gif")]) == 0
    assert main(["walk", "mnist-dcgan", "--seeds", "1,2", "--moving", "coarse", "-o", str(tmp_path / "x.gif")]) == 2
    assert "needs a StyleGAN model" in capsys.readouterr().err
    assert not (tmp_path / "x.gif").exists()
