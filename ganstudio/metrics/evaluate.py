"""`ganstudio eval` for image models: classifier accuracy per class, Fréchet and kernel distance,
precision / recall, and the same figures for real training images as the floor.

Every distance is measured in the bundled classifier's 128-d feature space against the real
test set. The floor compares N real *training* images with the same test set, so a model's
figure reads "k× the floor" with the sample size bias cancelled (both sides use N images).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import numpy as np
import torch

from ganstudio.core.errors import UserError
from ganstudio.data.tvsets import load_tv_arrays
from ganstudio.metrics.classifier import Classifier, load_classifier
from ganstudio.metrics.distances import frechet_distance, kernel_distance, precision_recall
from ganstudio.modelfiles.generator import Generator


@dataclass
class Figures:
    """Distances of one sample of N images from the real test set."""

    frechet: float
    kid: float
    kid_std: float
    precision: float
    recall: float


@dataclass
class Report:
    dataset: str
    n: int
    model: Figures
    floor: Figures  # N real training images vs the test set
    classifier_test_accuracy: float
    class_accuracy: dict[str, float] = field(default_factory=dict)  # conditional models: requested class → share

    @property
    def mean_class_accuracy(self) -> float | None:
        return float(np.mean(list(self.class_accuracy.values()))) if self.class_accuracy else None

    def to_dict(self) -> dict:
        return {**asdict(self), "mean_class_accuracy": self.mean_class_accuracy}


def figures(clf_feats: np.ndarray, test_feats: np.ndarray, seed: int) -> Figures:
    kid, kid_std = kernel_distance(test_feats, clf_feats, seed=seed)
    precision, recall = precision_recall(test_feats, clf_feats)
    return Figures(frechet_distance(test_feats, clf_feats), kid, kid_std, precision, recall)


def generated_images(g: Generator, n: int, seed: int) -> tuple[np.ndarray, np.ndarray | None]:
    """N samples (seeds seed…seed+N−1); conditional models get the classes in equal shares."""
    z = torch.randn(n, g.z_dim, generator=torch.Generator().manual_seed(seed))
    labels = torch.arange(n) % g.num_classes if g.num_classes else None
    return g.generate(z, labels), (labels.numpy() if labels is not None else None)


def evaluate(g: Generator, dataset: str, root: str | None, n: int = 10000, seed: int = 0,
             download: bool = False, clf: Classifier | None = None, test_limit: int = 0) -> Report:
    """All figures of a generator against `dataset` (mnist or fashion-mnist); `test_limit` > 0
    compares with only the first that many test images (quick checks)."""
    if not g.is_image_model:
        raise UserError(f"{g.path.name} makes 2D points; image figures need an image model")
    if g.config.img_size != 28 or g.config.channels != 1:
        raise UserError(f"{g.path.name} makes {g.config.img_size} px images with {g.config.channels} channels",
                        "the bundled classifiers read 28 px grey images (MNIST, Fashion-MNIST)")
    if n < 20:
        raise UserError(f"--count {n} is too small for distances between distributions", "use at least 20")
    clf = clf or load_classifier(dataset)
    if g.num_classes and g.num_classes != len(clf.class_names):
        raise UserError(f"{g.path.name} has {g.num_classes} classes but {dataset} has {len(clf.class_names)}",
                        "evaluate it against the dataset it was trained on")
    train_x, _, _ = load_tv_arrays(dataset, root, train=True, download=download)
    test_x, _, _ = load_tv_arrays(dataset, root, train=False, download=download)
    test_feats, _ = clf.run(test_x[:test_limit] if test_limit else test_x)
    pick = torch.randperm(len(train_x), generator=torch.Generator().manual_seed(seed))[:n]
    real_feats, _ = clf.run(train_x[pick])
    images, labels = generated_images(g, n, seed)
    fake_feats, preds = clf.run(images)
    report = Report(dataset, n, figures(fake_feats, test_feats, seed), figures(real_feats, test_feats, seed),
                    float(clf.meta.get("test_accuracy", float("nan"))))
    if labels is not None:
        names = clf.class_names
        report.class_accuracy = {names[k]: float((preds[labels == k] == k).mean()) for k in range(g.num_classes)}
    return report


def format_report(report: Report) -> str:
    """Plain text for the terminal: per-class accuracy, then model vs floor for each distance."""
    lines = [f"{report.dataset}: {report.n} generated vs the real test set, features of the bundled classifier "
             f"(test accuracy {report.classifier_test_accuracy:.2%})"]
    if report.class_accuracy:
        lines.append("classified as the requested class:")
        width = max(len(k) for k in report.class_accuracy)
        lines += [f"  {name:<{width}}  {acc:6.1%}" for name, acc in report.class_accuracy.items()]
        lines.append(f"  {'mean':<{width}}  {report.mean_class_accuracy:6.1%}")
    m, f = report.model, report.floor
    ratio = m.frechet / f.frechet if f.frechet > 0 else float("inf")
    lines += [
        f"{'':<18}{'model':>12}{'floor (real train)':>22}",
        f"{'Fréchet distance':<18}{m.frechet:>12.3f}{f.frechet:>22.3f}   ({ratio:.2f}× the floor)",
        f"{'KID ×1000':<18}{m.kid * 1000:>12.3f}{f.kid * 1000:>22.3f}   (± {m.kid_std * 1000:.3f})",
        f"{'precision':<18}{m.precision:>12.1%}{f.precision:>22.1%}",
        f"{'recall':<18}{m.recall:>12.1%}{f.recall:>22.1%}",
    ]
    return "\n".join(lines)
