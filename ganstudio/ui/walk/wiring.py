"""The Latent Walk page's signal wiring: which panel control calls which page action.

Kept apart from the page so the page reads as its actions; nothing here holds state.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ganstudio.ui.walk.page import WalkPage


def connect_panels(page: WalkPage) -> None:
    """Connect every panel's signals to the page."""
    bar = page.model_bar
    bar.model_box.activated.connect(page._on_model_chosen)
    bar.model_file_chosen.connect(page.open_model)
    bar.project_chosen.connect(lambda name: page.open_project(Path(name)))
    bar.save_project_chosen.connect(lambda name: page.save_project(Path(name)))
    p = page.seeds
    p.seed_start.valueChanged.connect(lambda v: page._set_grid(seed_start=v))
    p.grid_size.currentIndexChanged.connect(lambda i: page._set_grid(grid_size=p.grid_size.currentData()))
    p.grid_class.currentIndexChanged.connect(lambda i: page._set_grid(grid_class=p.grid_class.currentData()))
    p.psi.valueChanged.connect(page._on_psi)
    p.grid.cell_clicked.connect(page._on_grid_selected)
    p.grid.activated.connect(page._on_grid_selected)  # a double-click selects the sample it enlarges
    p.pin_button.clicked.connect(page.pin_selected)
    p.free_button.clicked.connect(page.edit_selected_as_free)
    p.nudge_button.clicked.connect(page.nudge)
    p.pin_free_button.clicked.connect(page.pin_free)
    k = page.keys
    k.timeline.order_changed.connect(page._on_order_changed)
    k.timeline.currentRowChanged.connect(lambda row: page._change(page.session.select, row))
    k.key_frames.valueChanged.connect(page._on_key_edited)
    k.key_class.currentIndexChanged.connect(page._on_key_edited)
    k.left_button.clicked.connect(lambda: page.move_selected_key(-1))
    k.right_button.clicked.connect(lambda: page.move_selected_key(1))
    k.remove_button.clicked.connect(page.remove_selected_key)
    page.path.changed.connect(lambda: page._change(lambda: page.session.update(**page.path.values())))
    style = page.style_panel
    style.changed.connect(lambda: page._change(lambda: page.session.update(**style.values())))
    pb = page.playback
    pb.play_button.toggled.connect(page.set_playing)
    pb.scrub.valueChanged.connect(page.show_frame)
    pb.fps.valueChanged.connect(page._on_fps)
    pb.play_timer.timeout.connect(page._tick)
