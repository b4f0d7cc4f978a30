"""The start page: what each page does, a picture made just now by a bundled model, one click to each.

The cards (`cards`) and the model each one shows (`common.featured`) are Qt-free; the pictures are made by
`thumbs` on the page's `JobRunner` when the page is first shown, so the window opens at once and
no forward pass runs on the GUI thread. The Latent Walk card plays its morph.
"""

from __future__ import annotations

from functools import partial

import numpy as np
from PySide6.QtCore import QTimer
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ganstudio.core.jobs import CancelCheck, Progress
from ganstudio.modelfiles import library
from ganstudio.modelfiles.library import ModelEntry
from ganstudio.ui.common.featured import featured
from ganstudio.ui.common.fit_label import FitLabel
from ganstudio.ui.common.jobs import Job, JobRunner
from ganstudio.ui.common.qimage import to_pixmap
from ganstudio.ui.start import thumbs
from ganstudio.ui.start.cards import CARDS, Card
from ganstudio.ui.studio import Studio

FPS = 12
INTRO = ("<b>GAN Studio</b> trains generative models and makes pictures with them. "
         "Each card below is a page; its picture was just made by a model that comes with the app.")


class CardView(QFrame):
    """One card: title, what the page does, the live picture and the button."""

    def __init__(self, card: Card, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.card = card
        self.setFrameShape(QFrame.Shape.StyledPanel)
        title = QLabel(f"<b>{card.title}</b>")
        title.setStyleSheet("font-size: 13pt;")
        blurb = QLabel(card.blurb)
        blurb.setWordWrap(True)
        self.picture = FitLabel("…")
        self.picture.setMinimumSize(120, 90)
        self.picture.setStyleSheet("background: #181818; color: #bbbbbb;")
        self.button = QPushButton(card.button)
        self.button.setStyleSheet("QPushButton { font-weight: bold; padding: 4px 14px; }")
        v = QVBoxLayout(self)
        v.addWidget(title)
        v.addWidget(blurb)
        v.addWidget(self.picture, 1)
        v.addWidget(self.button)
        self.frames: np.ndarray | None = None
        self.frame = 0

    def show_frames(self, frames: np.ndarray) -> None:
        self.frames, self.frame = frames, 0
        self.picture.set_picture(to_pixmap(frames[0]))

    def tick(self) -> None:
        if self.frames is not None and len(self.frames) > 1:
            self.frame = (self.frame + 1) % len(self.frames)
            self.picture.set_picture(to_pixmap(self.frames[self.frame]))


class StartPage(QWidget):
    """See the module docstring."""

    def __init__(self, studio: Studio, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.studio = studio
        self.runner = JobRunner(self)
        self.models: dict[str, ModelEntry | None] = {}
        self.cards: dict[str, CardView] = {}
        self._started = False
        intro = QLabel(INTRO)
        intro.setWordWrap(True)
        grid = QGridLayout()
        for i, card in enumerate(CARDS):
            view = self.cards[card.key] = CardView(card)
            view.button.clicked.connect(lambda _=False, c=card: self.go(c.key))
            grid.addWidget(view, i // 2, i % 2)
        v = QVBoxLayout(self)
        v.addWidget(intro)
        v.addLayout(grid, 1)
        self.timer = QTimer(self)
        self.timer.setInterval(round(1000 / FPS))
        self.timer.timeout.connect(self.cards["walk"].tick)
        self.refresh_models()
        studio.library_changed.connect(self.refresh_models)

    def refresh_models(self) -> None:
        entries = self.studio.models()
        self.models = {c.key: featured(entries, c.fits) for c in CARDS}
        for key, view in self.cards.items():
            entry = self.models[key]
            view.picture.setToolTip(f"Made just now by the bundled model “{entry.title}”" if entry else "")

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802  (Qt override)
        super().showEvent(event)
        if not self._started:
            self._started = True
            self.make_pictures()
        self.timer.start()

    def hideEvent(self, event) -> None:  # noqa: N802  (Qt override)
        super().hideEvent(event)
        self.timer.stop()

    def make_pictures(self) -> None:
        """One job per card with a model: the picture, made off the GUI thread."""
        for key, entry in self.models.items():
            if entry is None:
                self.cards[key].picture.clear_picture("no bundled model")
                continue
            self.runner.submit(Job(key, partial(_picture, key, entry), on_done=self.cards[key].show_frames,
                                   on_failed=partial(self._failed, key)))

    def _failed(self, key: str, message: str, hint: str) -> None:
        self.cards[key].picture.clear_picture("could not draw this picture")
        self.studio.show_error(message, hint)

    def go(self, key: str) -> None:
        """The card's button: its page, with the card's model when the page takes one."""
        card = next(c for c in CARDS if c.key == key)
        entry = self.models.get(key)
        if card.hands_model and entry is not None:
            self.studio.open_in_page(entry, card.page)
        else:
            self.studio.show_page(card.page)

    def shutdown(self) -> None:
        self.timer.stop()
        self.runner.shutdown()


def _picture(key: str, entry: ModelEntry, progress: Progress, cancelled: CancelCheck) -> np.ndarray:
    """A card's picture, from the bundled file checked against the manifest (here: it hashes the file)."""
    return thumbs.PICTURES[key](library.verified_path(entry))
