"""The shipped pretrained/ folder: the manifest matches the files, every model loads and samples on the CPU."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from ganstudio.core.paths import pretrained_dir
from ganstudio.metrics.classifier import DATASETS, load_classifier
from ganstudio.modelfiles.generator import load_generator
from ganstudio.modelfiles.library import bundled_models
from ganstudio.modelfiles.manifest import file_sha256, read_manifest

ENTRIES = read_manifest()
GANS = [e for e in bundled_models() if e.kind == "gan"]
FIELDS = ("id", "title", "file", "architecture", "dataset", "classes", "resolution", "sha256", "size_bytes",
          "steps", "train_time_s", "quality", "licence")


@pytest.mark.parametrize("entry", ENTRIES, ids=[e["id"] for e in ENTRIES])
def test_manifest_matches_the_file(entry):
    path = pretrained_dir() / entry["file"]
    assert path.stat().st_size == entry["size_bytes"]
    assert file_sha256(path) == entry["sha256"]
    assert not [f for f in FIELDS if f not in entry]


def test_ids_are_unique_and_the_required_models_are_there():
    ids = [e["id"] for e in ENTRIES]
    assert len(ids) == len(set(ids))
    datasets = {(e.info["dataset"], bool(e.info["classes"])) for e in GANS}
    assert {("fashion-mnist", True), ("mnist", True), ("mnist", False)} <= datasets
    assert any(e.info["architecture"].startswith("MLP") for e in GANS)


@pytest.mark.parametrize("entry", GANS, ids=[e.id for e in GANS])
def test_bundled_gan_loads_and_samples_on_the_cpu(entry):
    g = load_generator(entry.id, "cpu")  # by id: checked against the manifest
    z = g.latents([0, 1, 2])
    if g.num_classes:
        assert g.class_names == entry.info["classes"]
        out = g.generate(z, torch.tensor([g.num_classes - 1, 0, 1]))
    else:
        out = g.generate(z)
    assert np.isfinite(out.astype(float)).all()
    size = entry.info.get("resolution")
    assert out.shape == ((3, size, size, 3) if g.is_image_model else (3, 2))
    if g.is_image_model:
        assert out.std() > 5  # not a blank picture


@pytest.mark.parametrize("dataset", DATASETS)
def test_bundled_classifiers_load_and_state_their_accuracy(dataset):
    clf = load_classifier(dataset)
    assert clf.meta["test_accuracy"] > 0.85 and len(clf.class_names) == 10
