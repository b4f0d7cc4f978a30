"""The Style Transfer page's state without Qt: the queue of photos, the chosen style and strength.

The page renders a `StyleQueue` and feeds it what its jobs report; tests drive it directly. A
photo's computed images belong to the style they were made with: choosing another style or
direction forgets them, so nothing stale is ever shown or exported.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

import numpy as np
from PIL import Image

from ganstudio.core.images import IMAGE_SUFFIXES, is_image_path
from ganstudio.export.writers import VIDEO_HINT
from ganstudio.style import animation
from ganstudio.style.photos import styled_name
from ganstudio.style.stroke import DEFAULT_STROKE, check_stroke
from ganstudio.style.tiles import DEFAULT_OVERLAP, DEFAULT_TILE


class Status(str, Enum):
    """What has happened to a photo, as the queue list shows it."""

    WAITING = "waiting"
    RENDERING = "rendering…"
    PREVIEWED = "preview"
    RENDERED = "full size"
    QUEUED = "queued"
    EXPORTING = "exporting…"
    SAVED = "saved"
    FAILED = "failed"
    CANCELLED = "cancelled"

    def __str__(self) -> str:
        return str(self.value)


@dataclass
class QueuedPhoto:
    """A photo in the queue and what has been computed for it with the current style."""

    path: Path
    status: Status = Status.WAITING
    message: str = ""  # why it failed
    notes: list[str] = field(default_factory=list)
    preview: tuple[np.ndarray, np.ndarray] | None = None  # original, stylized: the render at screen size
    full: np.ndarray | None = None  # stylized at full size, full strength
    full_wanted: bool = False  # "Render full size" was asked while its preview was still being made
    animated: bool = False  # a GIF / WebP of several frames or a video: it can be stylized as an animation

    @property
    def label(self) -> str:
        """The queue list's line for this photo."""
        return self.path.name if self.status is Status.WAITING else f"{self.path.name} — {self.status}"


@dataclass
class Added:
    """What `StyleQueue.add` did: the photos it queued and, for the rest, why not."""

    photos: list[QueuedPhoto] = field(default_factory=list)
    rejected: list[tuple[Path, str]] = field(default_factory=list)


def collect_photos(items: list[str]) -> list[Path]:
    """Files as given, and the images inside folders (sorted); order kept, duplicates dropped."""
    found: list[Path] = []
    for item in items:
        path = Path(item).expanduser()
        if path.is_dir():
            found += sorted(p for p in path.rglob("*") if is_image_path(p))
        else:
            found.append(path)
    return list(dict.fromkeys(found))


def rejection(path: Path, known: set[Path]) -> str:
    """Why `path` cannot join a queue holding `known` ('' when it can)."""
    if path in known:
        return "already in the queue"
    if path.is_dir():
        return "the folder holds no photos"
    if not path.exists():
        return "file not found"
    video = path.suffix.lower() in animation.VIDEO_SUFFIXES
    if not video and path.suffix.lower() not in IMAGE_SUFFIXES:
        return "not an image file"
    if not path.is_file():  # a pipe or a device: opening it could block forever
        return "not a regular file (a pipe or a device)"
    if video:
        return "" if animation.video_reader_available() else f"{animation.VIDEO_READ_MISSING} ({VIDEO_HINT})"
    if not _readable(path):
        return "not a readable image (damaged, or another format)"
    return ""


def _readable(path: Path) -> bool:
    """Whether Pillow recognises the file's header (cheap: the pixels are not decoded)."""
    try:
        with Image.open(path):
            return True
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return False


class StyleQueue:
    """Photos waiting for a style, the current selection, and the style, direction, stroke size and strength."""

    def __init__(self) -> None:
        self.photos: list[QueuedPhoto] = []
        self.current_index = -1
        self.model_path: Path | None = None
        self.direction = "AB"
        self.strength = 100  # percent
        self.tile, self.overlap = DEFAULT_TILE, DEFAULT_OVERLAP
        self.stroke = DEFAULT_STROKE
        self.generation = 0  # counts style changes: a job's result made with an older style is dropped

    # -- photos --------------------------------------------------------------------------
    def add(self, paths: list[Path]) -> Added:
        """Queue files and the photos inside folders; the first new one becomes current."""
        out = Added()
        known = {p.path for p in self.photos}
        for path in [Path(p).expanduser() for p in paths]:
            found = collect_photos([str(path)]) if path.is_dir() else [path]
            for photo in found or [path]:
                reason = rejection(photo, known)
                if reason:
                    out.rejected.append((photo, reason))
                else:
                    known.add(photo)
                    out.photos.append(QueuedPhoto(photo, animated=animation.is_animation(photo)))
        if out.photos:
            self.current_index = len(self.photos)
            self.photos += out.photos
        return out

    def remove(self, index: int) -> QueuedPhoto | None:
        """Take a photo out; the selection stays on the same row (or the new last one)."""
        if not 0 <= index < len(self.photos):
            return None
        photo = self.photos.pop(index)
        self.current_index = min(self.current_index, len(self.photos) - 1)
        return photo

    def select(self, index: int) -> QueuedPhoto | None:
        self.current_index = index if 0 <= index < len(self.photos) else -1
        return self.current

    @property
    def current(self) -> QueuedPhoto | None:
        return self.photos[self.current_index] if 0 <= self.current_index < len(self.photos) else None

    def index_of(self, photo: QueuedPhoto) -> int:
        """The row of `photo`, -1 once it was removed (a late job result then changes nothing shown)."""
        return next((i for i, p in enumerate(self.photos) if p is photo), -1)

    # -- style ---------------------------------------------------------------------------
    def set_style(self, model_path: Path | None, direction: str) -> None:
        """A new style or direction: what was computed no longer applies. The same one again (the
        library was refreshed after an import) keeps every render."""
        if (model_path, direction) == (self.model_path, self.direction):
            return
        self.model_path, self.direction = model_path, direction
        self._forget()

    def set_stroke(self, stroke: str) -> None:
        """Another stroke size paints other strokes: what was computed no longer applies."""
        if check_stroke(stroke) != self.stroke:
            self.stroke = stroke
            self._forget()

    def _forget(self) -> None:
        self.generation += 1
        for photo in self.photos:
            photo.preview, photo.full, photo.full_wanted = None, None, False
            if photo.status is Status.RENDERING:
                photo.status = Status.WAITING

    def set_strength(self, percent: int) -> None:
        self.strength = min(max(int(percent), 0), 100)

    @property
    def strength_share(self) -> float:
        return self.strength / 100

    def export_name(self, photo: QueuedPhoto, style: str, suffix: str = ".png") -> str:
        """`<stem>_<style><suffix>` (style as "photo → Monet"), the name exports and batches start from."""
        return styled_name(photo.path.stem, style, suffix)

    # -- what jobs report ----------------------------------------------------------------
    def set_status(self, photo: QueuedPhoto, status: Status, message: str = "") -> None:
        photo.status, photo.message = status, message

    def rendered(self, photo: QueuedPhoto, full: np.ndarray | None, preview: tuple[np.ndarray, np.ndarray],
                 notes: list[str], generation: int) -> None:
        """A preview (`full` None: a photo larger than the screen copy) or a full-size render came back."""
        if generation != self.generation:
            return
        photo.notes, photo.preview = list(notes), preview
        if full is not None:
            photo.full = full
        self.set_status(photo, Status.PREVIEWED if photo.full is None else Status.RENDERED)

    def needs_preview(self) -> QueuedPhoto | None:
        """The current photo when it has no render to show yet and none is being made."""
        photo = self.current
        if photo is None or photo.preview is not None or photo.status is Status.RENDERING:
            return None
        return photo
