"""The Style page's model without Qt: adding with reasons, removing, selection, style changes, results."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ganstudio.style.queue import Status, StyleQueue
from tests.style.style_fixtures import write_photo


def test_add_queues_files_and_folder_photos_and_says_why_others_were_not(tmp_path):
    folder = tmp_path / "photos"
    folder.mkdir()
    write_photo(folder / "b.png")
    write_photo(folder / "a.jpg")
    (folder / "notes.txt").write_text("not a photo")
    empty = tmp_path / "empty"
    empty.mkdir()
    (tmp_path / "readme.txt").write_text("x")
    single = write_photo(tmp_path / "single.png")
    q = StyleQueue()
    added = q.add([single, folder, empty, tmp_path / "gone.png", tmp_path / "readme.txt"])
    assert [p.path.name for p in added.photos] == ["single.png", "a.jpg", "b.png"]
    assert [(p.name, why) for p, why in added.rejected] == [
        ("empty", "the folder holds no photos"), ("gone.png", "file not found"), ("readme.txt", "not an image file")]
    assert q.current is q.photos[0]
    again = q.add([single, write_photo(tmp_path / "new.png")])
    assert again.rejected == [(single, "already in the queue")]
    assert q.current is not None and q.current.path.name == "new.png" and len(q.photos) == 4


def test_remove_keeps_the_selection_in_range(tmp_path):
    q = StyleQueue()
    q.add([write_photo(tmp_path / f"{n}.png") for n in "abc"])
    assert q.select(2) is q.photos[2]
    removed = q.remove(2)
    assert removed is not None and removed.path.name == "c.png"
    assert q.current_index == 1 and q.index_of(removed) == -1
    assert q.remove(7) is None and q.select(-3) is None and q.current is None


def test_a_style_change_forgets_results_and_drops_late_ones(tmp_path):
    q = StyleQueue()
    q.add([write_photo(tmp_path / "a.png")])
    photo = q.photos[0]
    img = np.zeros((4, 4, 3), np.uint8)
    q.set_status(photo, Status.RENDERING)
    assert q.needs_preview() is None  # one is on its way
    old = q.generation
    q.set_style(Path("other.pt"), "BA")
    assert photo.status is Status.WAITING and q.needs_preview() is photo
    q.rendered(photo, img, (img, img), ["note"], old)  # made with the previous style
    assert photo.preview is None and photo.full is None
    q.rendered(photo, img, (img, img), ["note"], q.generation)
    assert photo.full is img and photo.status is Status.RENDERED and photo.label == "a.png — full size"
    assert q.export_name(photo, "painting → photo", ".webp") == "a_painting-to-photo.webp"


def test_strength_is_clamped_percent(tmp_path):
    q = StyleQueue()
    q.set_strength(140)
    assert q.strength == 100
    q.set_strength(-5)
    assert q.strength == 0
    q.set_strength(80)
    assert q.strength_share == 0.8


def test_choosing_the_same_style_again_keeps_what_was_computed(tmp_path):
    q = StyleQueue()
    q.add([write_photo(tmp_path / "a.png")])
    q.set_style(Path("s.pt"), "AB")
    img = np.zeros((4, 4, 3), np.uint8)
    q.rendered(q.photos[0], img, (img, img), [], q.generation)
    q.set_style(Path("s.pt"), "AB")
    assert q.photos[0].full is img
    q.set_style(Path("s.pt"), "BA")
    assert q.photos[0].full is None


def test_files_that_are_not_readable_images_are_refused(tmp_path):
    fake = tmp_path / "fake.png"
    fake.write_bytes(b"not a png at all")
    added = StyleQueue().add([fake])
    assert added.photos == [] and added.rejected == [(fake, "not a readable image (damaged, or another format)")]
