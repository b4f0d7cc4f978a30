"""The Style Transfer page's file dialogs and the morph GIF they lead to. Each save dialog starts in the
folder last written to (kept in the settings), not beside the photo every time."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QFileDialog

EXPORT_FILTERS = "PNG image (*.png);;JPEG image (*.jpg *.jpeg);;WebP image (*.webp)"
PHOTO_FILTER = ("Images (*.png *.jpg *.jpeg *.webp *.bmp *.tif *.tiff *.gif);;"
                "Videos, with the video extra (*.mp4 *.m4v *.mov)")
ANIMATION_FILTERS = "GIF animation (*.gif);;WebP animation (*.webp);;MP4 video (*.mp4)"
KEY = "style/export_dir"


def start_dir(page: Any, fallback: Path) -> Path:
    """The folder the last export went to, while it exists; else `fallback` (the photo's folder)."""
    saved = Path(str(page.studio.settings.value(KEY, "")))
    return saved if str(saved) not in ("", ".") and saved.is_dir() else fallback


def remember(page: Any, folder: Path) -> None:
    page.studio.settings.setValue(KEY, str(folder))


def ask_export(page: Any) -> None:
    photo = page.current
    if photo is None:
        page.studio.show_status("add a photo first")
        return
    start = start_dir(page, photo.path.parent) / page.photo_queue.export_name(photo, page.direction_box.currentText())
    name, _ = QFileDialog.getSaveFileName(page, "Export at full size", str(start), EXPORT_FILTERS)
    if name:
        remember(page, Path(name).parent)
        page.export_current(Path(name))


def ask_gif(page: Any) -> None:
    photo = page.current
    if photo is None:
        return
    start = start_dir(page, photo.path.parent) / f"{photo.path.stem}_morph.gif"
    name, _ = QFileDialog.getSaveFileName(page, "Export morph GIF", str(start), "GIF animation (*.gif)")
    if name:
        remember(page, Path(name).parent)
        page.export_gif(Path(name))


def ask_animation(page: Any) -> None:
    photo = page.current
    if photo is None:
        return
    start = start_dir(page, photo.path.parent) / page.photo_queue.export_name(photo, page.direction_box.currentText(),
                                                                              ".gif")
    name, _ = QFileDialog.getSaveFileName(page, "Stylize every frame into", str(start), ANIMATION_FILTERS)
    if name:
        remember(page, Path(name).parent)
        page.export_animation(Path(name))


def ask_batch(page: Any) -> None:
    if not page.photos:
        page.studio.show_status("add photos first")
        return
    name = QFileDialog.getExistingDirectory(page, "Write stylized photos to", str(start_dir(page, Path.home())))
    if name:
        remember(page, Path(name))
        page.stylize_all(Path(name))


def ask_files(page: Any) -> None:
    names, _ = QFileDialog.getOpenFileNames(page, "Add photos", "", PHOTO_FILTER)
    if names:
        page.add_paths([Path(n) for n in names])


def ask_folder(page: Any) -> None:
    name = QFileDialog.getExistingDirectory(page, "Add a folder of photos")
    if name:
        page.add_paths([Path(name)])


def write_morph_gif(page: Any, target: Path) -> None:
    """The "original → stylized" morph of the current photo, from its screen-size images, at the page's strength."""
    from ganstudio.core.errors import UserError
    from ganstudio.style.photos import save_morph_gif
    from ganstudio.style.render import to_pil
    from ganstudio.style.tiles import blend, join_alpha, split_alpha

    photo = page.current
    if photo is None or photo.preview is None:
        page.studio.show_status("wait for the preview first")
        return
    original, stylized = photo.preview
    rgb, alpha = split_alpha(to_pil(original))
    after = join_alpha(blend(rgb, stylized, page.photo_queue.strength_share), alpha)
    try:
        save_morph_gif(join_alpha(rgb, alpha), after, target, page.meta(photo),
                       steps=page.result.gif_frames.value(), side=page.result.gif_side.value())
    except UserError as exc:
        page.studio.show_error(exc.message, exc.hint)
        return
    page.studio.show_status(f"wrote {target}")
