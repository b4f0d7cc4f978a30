"""Where things live: bundled files inside the package, and the user's data folder."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

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

    `GANSTUDIO_HOME` overrides it (tests, portable installs); otherwise the OS convention as
    platformdirs knows it (XDG_DATA_HOME on Linux, the roaming AppData on Windows, Application
    Support on macOS).
    """
    override = os.environ.get("GANSTUDIO_HOME")
    if override:
        return Path(override).expanduser()
    return platformdirs.user_data_path("ganstudio", appauthor=False, roaming=True)


def runs_dir() -> Path:
    return user_data_dir() / "runs"


def models_dir() -> Path:
    return user_data_dir() / "models"


def datasets_dir() -> Path:
    return user_data_dir() / "datasets"
