"""The Latent Walk page's project files: save the walk, or open one (its model, keyframes and settings)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ganstudio.core.errors import UserError


def save(page: Any, path: Path) -> bool:
    """Write the page's walk and model as a project; False (with a banner) if it cannot."""
    from ganstudio.walk.project import save_project

    try:
        save_project(path, page.session.g, page.walk())
    except UserError as exc:
        page.studio.show_error(exc.message, exc.hint)
        return False
    page.studio.show_status(f"saved {path}")
    return True


def open_(page: Any, path: Path) -> bool:
    """Open a project (or an export's sidecar) on the page; False (with a banner) if it does not fit."""
    from ganstudio.walk.project import load_project, model_changed

    try:
        loaded = load_project(path)
    except UserError as exc:
        page.studio.show_error(exc.message, exc.hint)
        return False
    if not loaded.model_path.exists():
        page.studio.show_error(f"the project's model {loaded.model_path} is not there",
                               "open the model with “Open file…”, then open the project again")
        return False
    g = page.session.g
    same_model = g is not None and g.path.resolve() == loaded.model_path.resolve()
    if not same_model and not page.open_model(loaded.model_path):
        return False
    if not page.apply_walk(loaded.walk):
        return False
    if model_changed(loaded, page.session.g):
        page.studio.show_error("the model file differs from the one this project was made with",
                               "the frames will not match the original export")
    page.studio.show_status(f"opened {path.name}")
    return True
