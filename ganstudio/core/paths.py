"""Where things live: bundled files inside the package, and the user's data folder."""

from __future__ import annotations

import os
import sys
from pathlib import Path

_PKG = Path(__file__).resolve().parents[1]  # the ganstudio package


def _bundled(name: str) -> Path:
    """A top-level repo folder (`pretrained`, `assets`), installed or in a source checkout.

    A wheel carries them as `ganstudio/_<name>`; a source checkout or editable install has
    them beside the package.
    """
    installed = _PKG / f"_{name}"
    return installed if installed.is_dir() else _PKG.parent / name


def pretrained_dir() -> Path:
    return _bundled("pretrained")


def assets_dir() -> Path:
    return _bundled("assets")


def user_data_dir() -> Path:
    """The per-user folder for runs, imported models and downloaded datasets.

    `GANSTUDIO_HOME` overrides it (tests, portable installs); otherwise the OS convention.
    """
    override = os.environ.get("GANSTUDIO_HOME")
    if override:
        return Path(override).expanduser()
    home = Path.home()
    if sys.platform == "win32":
        return Path(os.environ.get("APPDATA", home / "AppData" / "Roaming")) / "GANStudio"
    if sys.platform == "darwin":
        return home / "Library" / "Application Support" / "GAN Studio"
    return Path(os.environ.get("XDG_DATA_HOME", home / ".local" / "share")) / "ganstudio"


def runs_dir() -> Path:
    return user_data_dir() / "runs"


def models_dir() -> Path:
    return user_data_dir() / "models"


def datasets_dir() -> Path:
    return user_data_dir() / "datasets"
