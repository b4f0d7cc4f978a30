"""The pages of the main window, in sidebar order: (title, "module:Class").

Each page is a QWidget built as `Page(studio, parent=None)`; it may define
`open_model(entry_or_path)` so the library's "Open in …" can hand it a model.
A page module is imported only when the window is built, so a broken page shows an error
instead of taking the window down.
"""

from __future__ import annotations

PAGES: list[tuple[str, str]] = [
    ("Start", "ganstudio.ui.start.page:StartPage"),
    ("Train", "ganstudio.ui.train.page:TrainPage"),
    ("Style Transfer", "ganstudio.ui.style.page:StylePage"),
    ("Latent Walk", "ganstudio.ui.walk.page:WalkPage"),
    ("Classes", "ganstudio.ui.classes.page:ClassesPage"),
    ("Learn", "ganstudio.ui.learn.page:LearnPage"),
]
