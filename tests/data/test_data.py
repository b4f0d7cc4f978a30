import numpy as np
import pytest
import torch
from PIL import Image

from ganstudio.core.config import DataConfig, ModelConfig, TrainConfig
from ganstudio.core.errors import UserError
from ganstudio.core.paths import assets_dir
from ganstudio.data import build_source, scan_folder
from ganstudio.data.folder import load_folder
from ganstudio.data.toy import csv_source, grid25_centers, toy_source
from tests.conftest import write_images

CPU = torch.device("cpu")


@pytest.mark.parametrize("name", ["ring8", "grid25", "swissroll", "moons", "spiral"])
def test_toy_sets_are_seeded_2d(name):
    src = toy_source(name, CPU)
    a, _ = src.batch(64, torch.Generator().manual_seed(3))
    b, _ = src.batch(64, torch.Generator().manual_seed(3))
    assert a.shape == (64, 2) and torch.equal(a, b)
    assert torch.isfinite(a).all()


def test_grid25_samples_sit_on_modes():
    src = toy_source("grid25", CPU)
    pts, _ = src.batch(2000, torch.Generator().manual_seed(0))
    d = np.linalg.norm(pts.numpy()[:, None] - grid25_centers()[None], axis=2).min(1)
    assert (d < 3 * src.modes.std).mean() > 0.98


def test_csv_points(tmp_path):
    path = tmp_path / "pts.csv"
    path.write_text("x,y\n1,2\n3,4\nbad,row\n5,6\n")
    src = csv_source(path, CPU)
    pts, _ = src.batch(100, torch.Generator().manual_seed(0))
    assert set(map(tuple, pts.tolist())) <= {(1.0, 2.0), (3.0, 4.0), (5.0, 6.0)}
    assert src.size == 3


def test_bundled_example_csv_is_a_heart_of_points():
    src = csv_source(assets_dir() / "examples" / "heart.csv", torch.device("cpu"))
    pts, _ = src.batch(500, torch.Generator().manual_seed(0))
    assert src.size == 2000 and not src.notes  # the header row is the only non-number row
    assert pts.shape == (500, 2) and pts.abs().max() < 3


def test_flat_folder_is_unconditional(image_folder):
    scan = scan_folder(image_folder)
    assert len(scan.files) == 8 and not scan.conditional


def test_class_folders_are_conditional(class_folder):
    scan = scan_folder(class_folder)
    assert scan.class_names == ["cats", "dogs", "owls"]
    src = load_folder(class_folder, 28, 3, CPU)
    x, y = src.batch(16, torch.Generator().manual_seed(0))
    assert x.shape == (16, 3, 28, 28) and y.max() <= 2
    assert x.min() >= -1 and x.max() <= 1


def test_missing_and_empty_folders(tmp_path):
    with pytest.raises(UserError, match="does not exist"):
        scan_folder(tmp_path / "nope")
    (tmp_path / "empty").mkdir()
    with pytest.raises(UserError, match="no images"):
        scan_folder(tmp_path / "empty")
    (tmp_path / "f.txt").write_text("x")
    with pytest.raises(UserError, match="not a folder"):
        scan_folder(tmp_path / "f.txt")


def test_corrupt_and_odd_images_are_converted_or_skipped(tmp_path):
    folder = tmp_path / "mixed"
    write_images(folder, 2, size=40)
    Image.fromarray(np.full((30, 50), 40000, np.uint16)).save(folder / "deep.png")
    Image.new("CMYK", (20, 20), (0, 255, 0, 0)).save(folder / "cmyk.jpg")
    Image.new("P", (9, 9)).save(folder / "palette.gif")
    Image.new("RGBA", (16, 16), (255, 0, 0, 0)).save(folder / "clear.png")
    (folder / "broken.jpg").write_bytes((folder / "img_0.png").read_bytes()[:60])
    (folder / "notes.txt").write_text("not an image")
    src = load_folder(folder, 32, 3, CPU)
    assert src.size == 6
    assert any("skipped 1" in note for note in src.notes)
    grey = load_folder(folder, 32, 1, CPU)
    assert grey.shape == (1, 32, 32)


def test_folder_of_only_broken_files(tmp_path):
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "a.png").write_bytes(b"not really a png")
    with pytest.raises(UserError, match="could be read"):
        load_folder(folder, 28, 1, CPU)


def test_model_and_data_must_agree(image_folder):
    cfg = TrainConfig(model=ModelConfig(arch="mlp"), data=DataConfig(kind="folder", path=str(image_folder)))
    with pytest.raises(UserError, match="2D points"):
        build_source(cfg, CPU)
    cfg = TrainConfig(model=ModelConfig(arch="cdcgan", img_size=28),
                      data=DataConfig(kind="folder", path=str(image_folder)))
    with pytest.raises(UserError, match="needs classes"):
        build_source(cfg, CPU)


def test_mnist_from_local_root(shared_datasets):
    cfg = TrainConfig(model=ModelConfig(arch="cdcgan", img_size=32, channels=1),
                      data=DataConfig(kind="mnist", root=str(shared_datasets), download=False, limit=500))
    src = build_source(cfg, CPU)
    x, _y = src.batch(8, torch.Generator().manual_seed(0))
    assert x.shape == (8, 1, 32, 32) and len(src.class_names) == 10


def test_missing_torchvision_set_offline(tmp_path):
    cfg = TrainConfig(model=ModelConfig(arch="dcgan"),
                      data=DataConfig(kind="mnist", root=str(tmp_path), download=False))
    with pytest.raises(UserError, match="not found"):
        build_source(cfg, CPU)
