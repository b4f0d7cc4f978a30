"""The desktop entry, the AppStream metainfo and the icons agree with each other and validate."""

from __future__ import annotations

import configparser
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PIL import Image

from ganstudio.ui.app import DESKTOP_ID

ROOT = Path(__file__).resolve().parents[2]
LINUX = ROOT / "packaging" / "linux"
DESKTOP = LINUX / f"{DESKTOP_ID}.desktop"
METAINFO = LINUX / f"{DESKTOP_ID}.metainfo.xml"
HICOLOR = ROOT / "packaging" / "icons" / "hicolor"


def _tool(name: str, package: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} is not installed (apt-get install {package})")
    return path


def _entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # keys are case-sensitive
    parser.read(DESKTOP, encoding="utf-8")
    return parser["Desktop Entry"]


def test_desktop_entry_validates():
    result = subprocess.run([_tool("desktop-file-validate", "desktop-file-utils"), str(DESKTOP)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "error" not in result.stdout.lower()


def test_metainfo_validates_offline():
    result = subprocess.run([_tool("appstreamcli", "appstream"), "validate", "--no-net", str(METAINFO)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_ids_agree_across_window_entry_metainfo_and_icons():
    entry = _entry()
    assert entry["Icon"] == DESKTOP_ID
    assert entry["Exec"] == "ganstudio"  # make install-desktop replaces it with the absolute path
    root = ET.parse(METAINFO).getroot()
    assert root.findtext("id") == DESKTOP_ID
    assert root.findtext("launchable") == DESKTOP.name
    assert sorted(p.name for p in HICOLOR.glob("*/apps/*.png")) == [f"{DESKTOP_ID}.png"] * 7


def test_every_metainfo_screenshot_is_in_docs_screenshots():
    images = [el.text or "" for el in ET.parse(METAINFO).getroot().iter("image")]
    assert images
    for url in images:
        assert url.startswith("https://"), url
        relative = url.split("/main/", 1)[1]
        assert relative.startswith("docs/screenshots/")
        assert (ROOT / relative).is_file(), f"{relative} is referenced by the metainfo but missing"


def test_icons_are_square_at_the_size_their_folder_names():
    folders = sorted(HICOLOR.iterdir())
    assert {f.name for f in folders} >= {"16x16", "32x32", "48x48", "64x64", "128x128", "256x256"}
    for folder in folders:
        size = int(folder.name.split("x")[0])
        with Image.open(folder / "apps" / f"{DESKTOP_ID}.png") as icon:
            assert icon.size == (size, size)
            assert icon.mode == "RGBA"
