"""Classes page: open, pick a class, poster, enlarge, morph → GIF, batch export with cancel, bad models."""

from __future__ import annotations

import csv
import gc
import threading
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import QPoint, Qt

from ganstudio.classgen import generate as classgen
from ganstudio.modelfiles import library, manifest, transfer
from ganstudio.modelfiles.library import ModelEntry
from ganstudio.ui.classes.page import ALL, ClassesPage
from tests.ui.fake_studio import FakeStudio
from tests.walk.test_walk import tiny_generator_file

NAMES = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]


@pytest.fixture
def bundled(tmp_path):
    """A pretrained folder holding a tiny 10-class model with Fashion-MNIST's class names."""
    folder = tmp_path / "pretrained"
    folder.mkdir()
    path = tiny_generator_file(folder / "fashion.pt", classes=10)
    from ganstudio.modelfiles.generator import read_generator_file, save_generator_file

    weights, meta = read_generator_file(path)
    save_generator_file(path, weights, {**meta, "class_names": NAMES})
    manifest.upsert_manifest_entry(transfer.manifest_entry(path, "fashion", "Fashion"), folder)
    return folder


def settle(page: ClassesPage, qtbot) -> None:
    """Wait until the page's job thread has finished and every outcome was delivered."""
    qtbot.waitUntil(lambda: not page.runner.busy(), timeout=20_000)
    page.runner.deliver()


@pytest.fixture
def page(qtbot, tmp_path, bundled):
    plain = tiny_generator_file(tmp_path / "plain.pt")
    studio = FakeStudio([*library.bundled_models(bundled), ModelEntry("run:plain", "plain", plain, "run", "gan"),
                         ModelEntry("s", "style", tmp_path / "s.pt", "bundled", "cyclegan")], tmp_path)
    p = ClassesPage(studio)
    qtbot.addWidget(p)
    p.resize(1200, 800)
    p.show()
    settle(p, qtbot)
    yield p
    p.shutdown()
    p.close()
    p.deleteLater()
    gc.collect()  # here, on the GUI thread: a collection run by the next test's export thread must find no Qt objects


def test_opens_the_bundled_conditional_model_with_its_classes(page):
    assert page.g is not None and page.g.num_classes == 10
    items = [page.left.model_box.itemText(i) for i in range(page.left.model_box.count())]
    assert items[0].startswith("Fashion") and not any("style" in t for t in items)
    assert page.left.class_list.item(8).text() == "7  Sneaker"
    assert page.grid.images.shape == (80, 28, 28, 3)  # the poster: 10 classes × 8


def test_sneaker_grid_enlarge_morph_to_ankle_boot_gif(page, qtbot, tmp_path):
    page.select_class("Sneaker")
    settle(page, qtbot)
    assert page.selected_class() == 7 and page.grid.images.shape[0] == 8
    assert (page.grid.images == classgen.samples(page.g, [7], list(range(8)))).all()
    page.left.per_class.setValue(4)
    settle(page, qtbot)
    grid = page.grid
    k = grid.scale()
    left = (grid.width() - round((4 * 30 + 2) * k)) // 2
    top = (grid.height() - round(32 * k)) // 2
    qtbot.mouseClick(grid, Qt.LeftButton, pos=QPoint(left + int((2 + 2 * 30 + 14) * k), top + int(16 * k)))  # 3rd
    settle(page, qtbot)
    assert page.enlarged == (7, 2) and "Sneaker, seed 2" in page.left.enlarged_caption.text()
    assert page.grid.index_at(QPoint(0, 0)) is None
    page.morph_panel.start.setCurrentIndex(7)
    page.morph_panel.end.setCurrentIndex(page.morph_panel.end.findText("Ankle boot"))
    page.morph_panel.frames.setValue(6)
    assert page.make_morph()
    settle(page, qtbot)
    assert page.morph.shape == (6, 28, 28, 3)
    assert page.morph_panel.strip.images.shape == (6, 28, 28, 3)
    out = tmp_path / "morph.gif"
    assert page.export_morph(out)
    qtbot.waitUntil(lambda: not page.export_panel.exporting, timeout=20_000)
    assert out.is_file() and not page.studio.errors
    with Image.open(out) as gif:
        assert gif.n_frames == 6 and gif.size == (28 * 4, 28 * 4)
    assert '"to": "Ankle boot"' in Path(f"{out}.json").read_text()


def test_reroll_changes_the_seed_and_the_grid(page, qtbot, monkeypatch):
    before = page.grid.images.copy()
    monkeypatch.setattr("random.randrange", lambda a, b: 1234)
    page.reroll()
    settle(page, qtbot)
    assert page.left.seed.value() == 1234 and not (page.grid.images == before).all()
    page.select_class(3)
    settle(page, qtbot)
    assert page.grid.images.shape[0] == 8
    page.select_class(ALL)
    settle(page, qtbot)
    assert page.grid.images.shape[0] == 80


def test_batch_export_writes_class_folders_and_csv(page, qtbot, tmp_path):
    page.batch.per_class.setValue(2)
    assert page.export_batch(tmp_path / "samples")
    qtbot.waitUntil(lambda: not page.batch_running(), timeout=20_000)
    rows = list(csv.DictReader((tmp_path / "samples" / "labels.csv").open()))
    assert len(rows) == 20 and rows[-1]["class"] == "Ankle boot"
    assert (tmp_path / "samples" / "00_T-shirt_top").is_dir()
    assert not page.export_batch(tmp_path / "samples")  # not empty: refused before starting
    assert "not empty" in page.studio.errors[-1][0]


def test_batch_export_cancel_leaves_nothing(page, qtbot, tmp_path, monkeypatch):
    gate = threading.Event()
    real = classgen.samples

    def slow(*args):
        gate.wait(5)
        return real(*args)

    monkeypatch.setattr(classgen, "samples", slow)
    page.batch.per_class.setValue(50)
    assert page.export_batch(tmp_path / "out")
    assert page.busy_text()
    page.cancel_batch()
    gate.set()
    qtbot.waitUntil(lambda: not page.batch_running(), timeout=20_000)
    assert not (tmp_path / "out").exists() and "cancelled" in page.batch.progress.format()


def test_unconditional_model_is_refused_with_a_banner(page):
    g = page.g
    plain = page.left.model_box.itemData(page.left.model_box.count() - 1)
    assert not page.open_model(plain)
    assert "not a conditional model" in page.studio.errors[-1][0] and page.g is g


def test_tampered_bundled_file_is_refused(page, bundled):
    path = bundled / "fashion.pt"
    data = bytearray(path.read_bytes())
    data[-100] ^= 0xFF
    path.write_bytes(bytes(data))
    g = page.g
    assert not page.open_model(library.bundled_models(bundled)[0])
    assert "checksum" in page.studio.errors[-1][0] and page.g is g  # the open model is kept


def test_truncated_file_and_unknown_class(page, tmp_path):
    bad = tmp_path / "cut.pt"
    bad.write_bytes((tmp_path / "plain.pt").read_bytes()[:500])
    assert not page.open_model(bad)
    assert "truncated" in page.studio.errors[-1][0]
    from ganstudio.core.errors import UserError

    with pytest.raises(UserError, match="class 'Hat' does not exist"):
        page.select_class("Hat")


def test_morph_export_needs_a_morph(page, tmp_path):
    assert not page.export_morph(tmp_path / "x.gif")
    assert "no morph" in page.studio.errors[-1][0]


def test_forward_passes_run_off_the_gui_thread(page, qtbot, monkeypatch):
    real, threads = classgen.samples, []

    def recording(*args):
        threads.append(threading.get_ident())
        return real(*args)

    monkeypatch.setattr(classgen, "samples", recording)
    page.left.seed.setValue(5)
    settle(page, qtbot)
    page.enlarge(3)
    settle(page, qtbot)
    assert len(threads) == 2 and threading.get_ident() not in threads
    assert page.enlarged == (0, 8) and page.left.enlarged_view.pixmap().width() == 196


def test_the_enlarged_sample_exports_as_png_and_the_box_offers_only_what_applies(page, qtbot, tmp_path):
    box = page.export_panel.kind
    assert [box.itemData(i) for i in range(box.count())] == ["gif", "webp", "apng", "mp4", "sheet", "frames", "frame"]
    assert box.itemText(box.count() - 1) == "PNG: enlarged sample"  # no seed grid: the poster has its own button
    box.setCurrentIndex(box.findData("frame"))
    assert not page.export_panel.start("frame", tmp_path / "one.png")
    assert "no sample is enlarged" in page.studio.errors[-1][0]
    page.enlarge(0)
    settle(page, qtbot)
    out = tmp_path / "frame.png"
    assert page.export_panel.start("frame", out)
    qtbot.waitUntil(lambda: not page.export_panel.exporting, timeout=20_000)
    scale = page.export_panel.settings().scale
    assert Image.open(out).size == (28 * scale, 28 * scale)


def test_a_conditional_stylegan_draws_classes_and_morphs(qtbot, tmp_path):
    from tests.conftest import write_stylegan_file

    model = write_stylegan_file(tmp_path / "sg.pt", num_classes=3)
    p = ClassesPage(FakeStudio([ModelEntry("run:sg", "sg", model, "run", "gan")], tmp_path))
    qtbot.addWidget(p)
    p.resize(1200, 800)
    p.show()
    try:
        assert p.open_model(model)
        settle(p, qtbot)
        assert p.g.num_classes == 3 and p.grid.images.shape == (24, 32, 32, 3)  # 3 classes × 8
        p.select_class(2)
        settle(p, qtbot)
        assert (p.grid.images == classgen.samples(p.g, [2], list(range(8)))).all()
        p.morph_panel.start.setCurrentIndex(0)
        p.morph_panel.end.setCurrentIndex(2)
        p.morph_panel.frames.setValue(4)
        assert p.make_morph()
        settle(p, qtbot)
        assert p.morph.shape == (4, 32, 32, 3) and not (p.morph[0] == p.morph[-1]).all()
        assert not p.studio.errors
    finally:
        p.shutdown()


@pytest.mark.parametrize(("scale", "look"), [(4, "nearest"), (1, "nearest"), (2, "smooth"), (8, "nearest")])
def test_the_poster_is_saved_as_one_png_at_the_chosen_size(page, qtbot, tmp_path, scale, look):
    batch = page.batch
    assert [batch.scale.itemData(i) for i in range(batch.scale.count())] == [1, 2, 4, 8]
    assert batch.scale.currentData() == 4  # the default
    batch.scale.setCurrentIndex(batch.scale.findData(scale))
    batch.resample.setCurrentIndex(batch.resample.findData(look))
    out = tmp_path / "poster.png"
    assert page.save_grid(out)
    qtbot.waitUntil(lambda: any(s.startswith("wrote") for s in page.studio.status), timeout=20_000)
    composite = page.grid.composite()
    with Image.open(out) as im:
        assert im.size == (composite.shape[1] * scale, composite.shape[0] * scale)
        pixels = np.asarray(im.convert("RGB"))
    crisp = composite.repeat(scale, 0).repeat(scale, 1)
    assert (pixels == crisp).all() == (look == "nearest" or scale == 1)


def test_batch_export_at_the_chosen_size(page, qtbot, tmp_path):
    page.batch.per_class.setValue(1)
    page.batch.scale.setCurrentIndex(page.batch.scale.findData(8))
    assert page.export_batch(tmp_path / "big")
    qtbot.waitUntil(lambda: not page.batch_running(), timeout=20_000)
    rows = list(csv.DictReader((tmp_path / "big" / "labels.csv").open()))
    with Image.open(tmp_path / "big" / rows[0]["file"]) as im:
        assert im.size == (28 * 8, 28 * 8)
