"""The typed view of a conditional network: class weights → embeddings → images, refusals."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from ganstudio.classgen import generate as classgen
from ganstudio.core.errors import UserError
from ganstudio.modelfiles.conditional import class_embedding, embedding_net, generate_from_embedding
from ganstudio.modelfiles.generator import load_generator
from tests.walk.test_walk import tiny_generator_file


@pytest.fixture
def cg(tmp_path):
    return load_generator(tiny_generator_file(tmp_path / "cg.pt", classes=3))


def test_one_hot_weights_draw_the_class_and_a_mix_lies_between(cg):
    z = cg.latents([4, 4])
    vec = class_embedding(cg, torch.tensor([[0.0, 1.0, 0.0], [0.5, 0.5, 0.0]]))
    table = embedding_net(cg).embed.weight.detach().cpu()
    assert torch.allclose(vec[1], (table[0] + table[1]) / 2)
    images = generate_from_embedding(cg, z, vec)
    assert np.array_equal(images[0], classgen.samples(cg, [1], [4])[0])
    assert images.shape == (2, 28, 28, 3) and not np.array_equal(images[0], images[1])


def test_wrong_weights_and_unconditional_models_are_refused(cg, tmp_path):
    with pytest.raises(UserError, match="do not fit 3 classes"):
        class_embedding(cg, torch.ones(2, 4))
    plain = load_generator(tiny_generator_file(tmp_path / "plain.pt"))
    with pytest.raises(UserError, match="no class embedding"):
        embedding_net(plain)
