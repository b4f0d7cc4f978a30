"""How photos reach the Style Transfer page: dropped or pasted files and pixels, and what is said about the
files that were refused. The page keeps the queue; these functions only hand it paths."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QMimeData
from PySide6.QtGui import QImage

from ganstudio.style.queue import Added


def refusals(added: Added) -> str:
    """One line naming the refused files and why (three at most, then a count); '' when none were."""
    refused = [f"{path.name}: {reason}" for path, reason in added.rejected if reason != "already in the queue"]
    more = f" and {len(refused) - 3} more" if len(refused) > 3 else ""
    return "; ".join(refused[:3]) + more if refused else ""


def add_mime(page: Any, mime: QMimeData) -> bool:
    """Files (URLs) or pixels from a drop or the clipboard; False when it held neither."""
    paths = [Path(u.toLocalFile()) for u in mime.urls() if u.isLocalFile()] if mime.hasUrls() else []
    if paths:
        page.add_paths(paths)
    elif mime.hasImage():
        add_qimage(page, QImage(mime.imageData()))
    return bool(paths) or mime.hasImage()


def add_qimage(page: Any, image: QImage) -> None:
    """Pasted pixels, kept as a PNG in the page's temporary folder and queued like a file."""
    if image.isNull():
        page.studio.show_error("the pasted picture could not be read")
        return
    folder: Path = page.paste_dir
    path = folder / f"pasted-{len(list(folder.iterdir())) + 1}.png"
    if not image.save(str(path)):
        page.studio.show_error("could not keep the pasted picture", f"is {folder} writable?")
        return
    page.add_paths([path])
