"""At 1280×720 the window fits and no button's text is cut off, on every page."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QAbstractButton


def _clipped_buttons(page) -> list[str]:
    return [b.text() for b in page.findChildren(QAbstractButton)
            if b.isVisibleTo(page) and b.text() and b.width() < b.minimumSizeHint().width()]


@pytest.mark.parametrize("title", ["Train", "Style Transfer", "Latent Walk", "Classes", "Learn"])
def test_every_page_fits_1280_by_720_with_whole_buttons(qtbot, window, title):
    window.resize(1280, 720)
    window.sidebar.setCurrentRow(list(window.pages).index(title))
    qtbot.wait(50)
    assert window.minimumSizeHint().width() <= 1280 and window.width() == 1280
    assert window.minimumSizeHint().height() <= 720 and window.height() == 720
    assert _clipped_buttons(window.pages[title]) == []


def test_the_walk_page_with_a_stylegan_still_fits_1280_by_720(qtbot, window, tmp_path, monkeypatch):
    from tests.conftest import write_stylegan_file

    window.resize(1280, 720)
    page = window.pages["Latent Walk"]
    monkeypatch.setattr(page, "ask_keep_keyframes", lambda question: False)  # the starter walk's keyframes
    window.sidebar.setCurrentRow(list(window.pages).index("Latent Walk"))
    assert page.open_model(write_stylegan_file(tmp_path / "sg.pt"))
    qtbot.wait(50)
    assert page.style_panel.isVisibleTo(page)
    assert window.minimumSizeHint().height() <= 720 and window.height() == 720
    assert _clipped_buttons(page) == []


def test_the_banner_and_the_export_options_do_not_move_the_page(qtbot, window):
    window.resize(1280, 720)
    window.sidebar.setCurrentRow(list(window.pages).index("Latent Walk"))
    qtbot.wait(50)
    page = window.pages["Latent Walk"]
    top = page.mapTo(window, page.rect().topLeft())
    window.studio.show_error("something went wrong", "try again")
    qtbot.wait(20)
    assert window.banner.isVisible() and page.mapTo(window, page.rect().topLeft()) == top
    assert window.banner.width() > 600  # across the page, over it
    panel = page.export_panel
    heights = set()
    for i in range(panel.kind.count()):
        panel.kind.setCurrentIndex(i)
        qtbot.wait(1)
        heights.add(panel.sizeHint().height())
    assert len(heights) == 1


JARGON = ("D steps per G step", "(EMA)", "minibatch std", "Pillow", "RuntimeError", "_ab.")


def test_pages_speak_plain_words_with_tooltips_for_the_terms(qtbot, window):
    from PySide6.QtWidgets import QCheckBox, QLabel

    window.show_page("Train")
    form = window.pages["Train"].form
    form.kind.setCurrentIndex(form.kind.findData("mnist"))  # the image GAN's settings
    widgets = [w for page in window.pages.values() for kind in (QLabel, QCheckBox) for w in page.findChildren(kind)]
    texts = {w.text(): w for w in widgets}
    assert not [t for t in texts if any(j in t for j in JARGON)]
    assert texts["Truncation (ψ)"].toolTip().startswith("Truncation (ψ)")
    assert "Discriminator steps" in texts and "(D) updates" in form.widgets["n_critic"].toolTip()
    assert texts["Average the generator over time"].toolTip().endswith("(an exponential moving average, EMA).")
    assert "minibatch standard deviation" in texts["Check batch variety"].toolTip()


def test_the_file_menu_and_shortcuts(qtbot, window, monkeypatch, tmp_path):
    from PySide6.QtGui import QKeySequence

    from tests.walk.test_walk import tiny_generator_file

    actions = window.actions_by_name
    assert [actions[k].shortcut().toString() for k in ("export", "save", "quit")] == ["Ctrl+E", "Ctrl+S", "Ctrl+Q"]
    window.show_page("Latent Walk")
    walk = window.pages["Latent Walk"]  # shown: it opened a bundled model with a first walk
    walk.ask_keep_keyframes = lambda question: False
    window.open_model_file(tiny_generator_file(tmp_path / "g.pt"))
    assert walk.session.g.path == tmp_path / "g.pt"
    walk.session.starter()
    walk._walk_changed()
    assert walk.play_shortcut.key() == QKeySequence(" ")
    walk.play_shortcut.activated.emit()
    assert walk.session.playing
    walk.play_shortcut.activated.emit()
    assert not walk.session.playing
    asked = []
    monkeypatch.setattr(walk.export_panel, "browse", lambda: asked.append("walk"))
    actions["export"].trigger()
    assert asked == ["walk"]
    window.show_page("Train")
    actions["save"].trigger()  # nothing running: says so
    actions["export"].trigger()
    assert asked == ["walk"]


@pytest.mark.parametrize("size", [(1280, 720), (1920, 1080)])
def test_no_scroll_area_without_a_sideways_bar_cuts_its_content(qtbot, window, size):
    """A scroll area that never scrolls sideways must be at least as wide as what it holds (at 1280 px the
    Latent Walk's settings lost the end of "Loop (return to the first keyframe)" under the scroll bar)."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QScrollArea

    window.resize(*size)
    for title, page in window.pages.items():
        window.sidebar.setCurrentRow(list(window.pages).index(title))
        qtbot.wait(20)
        for scroll in page.findChildren(QScrollArea):
            if not scroll.isVisibleTo(page) or scroll.widget() is None:
                continue
            if scroll.horizontalScrollBarPolicy() == Qt.ScrollBarPolicy.ScrollBarAlwaysOff:
                room = scroll.viewport().width()
                assert scroll.widget().minimumSizeHint().width() <= room, (title, size)
