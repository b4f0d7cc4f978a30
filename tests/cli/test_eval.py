"""`ganstudio eval` on image models: finite figures, a floor below an untrained generator, bad input."""

from __future__ import annotations

import math

import pytest
import torch

from ganstudio.cli.main import main
from ganstudio.core.config import ModelConfig
from ganstudio.core.errors import UserError
from ganstudio.metrics.classifier import accuracy, classifier_path, load_classifier, train_classifier
from ganstudio.metrics.evaluate import evaluate
from ganstudio.modelfiles.generator import generator_meta, load_generator, save_generator_file
from ganstudio.models import build_generator


def untrained(path, classes: int = 10, img_size: int = 28):
    torch.manual_seed(0)
    cfg = ModelConfig(arch="cdcgan" if classes else "dcgan", z_dim=8, img_size=img_size, channels=1, base_ch=4,
                      num_classes=classes)
    meta = generator_meta(cfg, steps=0, class_names=[str(k) for k in range(classes)],
                          data={"kind": "fashion-mnist"})
    return save_generator_file(path, build_generator(cfg).state_dict(), meta)


@pytest.fixture
def clf():
    if not classifier_path("fashion-mnist").is_file():
        pytest.fail("the bundled Fashion-MNIST classifier is missing from pretrained/")
    return load_classifier("fashion-mnist")


def test_untrained_generator_is_far_above_the_real_floor(tmp_path, shared_datasets, clf):
    g = load_generator(untrained(tmp_path / "g.pt"))
    report = evaluate(g, "fashion-mnist", str(shared_datasets), n=200, clf=clf, test_limit=1000)
    figures = [*vars(report.model).values(), *vars(report.floor).values()]
    assert all(math.isfinite(v) for v in figures)
    assert report.floor.frechet < report.model.frechet / 5
    assert report.floor.kid < report.model.kid
    assert report.floor.recall > report.model.recall + 0.5  # an untrained generator draws one kind of blob
    assert len(report.class_accuracy) == 10 and report.mean_class_accuracy < 0.5


def test_eval_cli_prints_model_and_floor(tmp_path, shared_datasets, capsys, clf):
    path = untrained(tmp_path / "g.pt")
    assert main(["eval", str(path), "--data-root", str(shared_datasets), "--offline", "-n", "100"]) == 0
    out = capsys.readouterr().out
    assert "floor (real train)" in out and "Fréchet distance" in out and "× the floor" in out
    assert "classified as the requested class" in out


def test_eval_refuses_models_it_cannot_measure(tmp_path, capsys):
    big = untrained(tmp_path / "big.pt", classes=0, img_size=32)
    assert main(["eval", str(big), "--data", "mnist", "--offline"]) == 2
    assert "28 px" in capsys.readouterr().err
    assert main(["eval", "no-such-model"]) == 2
    assert "no model 'no-such-model'" in capsys.readouterr().err
    g = load_generator(untrained(tmp_path / "g.pt", classes=3))
    with pytest.raises(UserError, match="has 3 classes but fashion-mnist has 10"):
        evaluate(g, "fashion-mnist", str(tmp_path), n=50, clf=load_classifier("fashion-mnist"))


@pytest.mark.parametrize("flip", [False, True])
def test_classifier_mirroring_hides_left_from_right(flip):
    """Blobs on the left are class 0, on the right class 1: learnable, unless training mirrors the images."""
    images = torch.zeros(256, 1, 28, 28, dtype=torch.uint8)
    labels = torch.arange(256) % 2
    images[labels == 0, :, 10:18, 3:9] = 255
    images[labels == 1, :, 10:18, 19:25] = 255
    net = train_classifier(images, labels, epochs=6, batch=32, flip=flip)
    acc = accuracy(net, images, labels)
    assert (acc < 0.75) if flip else (acc > 0.95)
