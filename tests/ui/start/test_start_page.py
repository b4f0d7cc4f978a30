"""The start page: live pictures from bundled models, and one click to each page."""

from __future__ import annotations

from ganstudio.ui.main_window import MainWindow
from ganstudio.ui.start.page import StartPage

WAIT = 60_000


def test_the_window_opens_on_the_start_page_with_live_pictures(qtbot, window):
    page = window.pages["Start"]
    assert isinstance(page, StartPage) and window.stack.currentWidget() is page
    qtbot.waitUntil(lambda: all(c.frames is not None for c in page.cards.values()), timeout=WAIT)
    assert len(page.cards["walk"].frames) > 1  # a morph, played on the page
    first = page.cards["walk"].frame
    qtbot.waitUntil(lambda: page.cards["walk"].frame != first, timeout=WAIT)
    assert all(c.frames.ndim == 4 and c.frames.shape[-1] == 3 for c in page.cards.values())


def test_two_clicks_reach_a_morph_of_a_bundled_model(qtbot, window):
    page = window.pages["Start"]
    page.cards["walk"].button.click()
    walk = window.pages["Latent Walk"]
    assert window.stack.currentWidget() is walk and walk.session.g is not None
    assert walk.frame_count() > 0  # a first walk through three seeds, ready to play
    walk.playback.play_button.click()
    qtbot.waitUntil(lambda: walk.session.frame_index > 0, timeout=WAIT)
    walk.set_playing(False)


def test_the_other_cards_open_their_pages(qtbot, window):
    page = window.pages["Start"]
    page.cards["style"].button.click()
    style = window.pages["Style Transfer"]
    assert window.stack.currentWidget() is style and style.style_box.currentData() is not None
    page.cards["train"].button.click()
    assert window.stack.currentWidget() is window.pages["Train"]
    page.cards["classes"].button.click()
    assert window.stack.currentWidget() is window.pages["Classes"] and window.pages["Classes"].g is not None


def test_the_walk_page_opens_with_a_bundled_model(qtbot, window):
    window.show_page("Latent Walk")
    walk = window.pages["Latent Walk"]
    assert walk.session.g is not None and walk.model_bar.model_box.currentData() is not None


def test_the_window_reopens_on_the_last_page_used(qtbot, settings):
    settings.setValue("window/page", "Classes")
    win = MainWindow(settings)
    qtbot.addWidget(win)
    assert win.stack.currentWidget() is win.pages["Classes"]
    for p in win.pages.values():
        if hasattr(p, "shutdown"):
            p.shutdown()
