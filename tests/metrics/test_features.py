"""The bundled painting feature network: loads through the resolver, refuses a tampered copy, separates sets."""

from __future__ import annotations

import shutil

import numpy as np
import pytest

from ganstudio.core import paths
from ganstudio.core.errors import UserError
from ganstudio.metrics.distances import kernel_distance
from ganstudio.metrics.features import FEATURES_ID, load_feature_file, load_feature_net, to_input
from ganstudio.modelfiles.library import bundled_models
from ganstudio.modelfiles.manifest import read_manifest
from tests.metrics.test_swd import blobs, blurred


@pytest.fixture(scope="module")
def fnet():
    return load_feature_net()


def test_the_bundled_network_states_its_data_and_held_out_accuracy(fnet):
    (entry,) = [m for m in read_manifest() if m["id"] == FEATURES_ID]
    assert entry["kind"] == "features" and entry["quality"]["held_out_accuracy"] == fnet.held_out_accuracy
    assert fnet.held_out_accuracy > 0.8 and fnet.meta["class_names"] == ["monet", "sisley", "photo"]
    assert "monet2photo/testA" in fnet.meta["held_out_folders"]
    assert FEATURES_ID not in [e.id for e in bundled_models()]  # not a model for the library


def test_features_are_128_numbers_per_image_at_any_input_size(fnet):
    images = blobs(5, 32)
    feats = fnet.features(images)
    assert feats.shape == (5, 128) and np.isfinite(feats).all()
    assert to_input(images).shape == (5, 3, 64, 64)
    assert np.allclose(fnet.features(images[2:3]), feats[2:3], atol=1e-5)  # eval mode: no batch statistics


def test_kid_is_near_zero_for_one_distribution_and_larger_for_blurred_copies(fnet):
    a, b = fnet.features(blobs(100, 64, seed=1)), fnet.features(blobs(100, 64, seed=2))
    soft = fnet.features(blurred(blobs(100, 64, seed=2)))
    same, std = kernel_distance(a, b, subsets=10, subset_size=50)
    far, far_std = kernel_distance(a, soft, subsets=10, subset_size=50)
    assert abs(same) < 3 * std
    assert far > 10 * abs(same) and far > 5 * far_std


def test_a_tampered_copy_of_the_bundled_file_is_refused(tmp_path, monkeypatch):
    folder = tmp_path / "pretrained"
    folder.mkdir()
    shutil.copy(paths.pretrained_dir() / "manifest.json", folder)
    shutil.copy(paths.pretrained_dir() / f"{FEATURES_ID}.pt", folder)
    monkeypatch.setattr(paths, "pretrained_dir", lambda: folder)
    assert load_feature_net().net is not None  # the untouched copy loads
    data = bytearray((folder / f"{FEATURES_ID}.pt").read_bytes())
    data[len(data) // 2] ^= 0xFF
    (folder / f"{FEATURES_ID}.pt").write_bytes(bytes(data))
    with pytest.raises(UserError, match="damaged"):
        load_feature_net()
    with pytest.raises(UserError, match="damaged"):
        load_feature_file(folder / f"{FEATURES_ID}.pt")  # by path as well as by id


def test_a_missing_network_is_one_sentence(tmp_path, monkeypatch):
    monkeypatch.setattr(paths, "pretrained_dir", lambda: tmp_path)
    with pytest.raises(UserError, match="not installed"):
        load_feature_net()
