"""Latent walk speed: preview frames/s and GIF export time, each beside a plain baseline run in the same process.

    .venv/bin/python bench/walk_bench.py [--repeats 3] [--skip-naive-gif]

1. Preview: a 64 px DCGAN generator (the 64 px preset: z 100, base width 64, RGB) rendering
   walk frames. Baseline: one `Generator.generate` call per frame (what a simple preview loop
   does). Ours: `walk.Renderer.render` on batches of frames under inference mode, as the
   page's preview worker does while playing (batch 16) and exports do (batch 32).
   Target ≥ 30 frames/s.
2. GIF: 120 frames of 256 px written with `export.write_animation` (one shared palette).
   Baselines: Pillow saving the RGB frames with its defaults (it converts each frame to an
   adaptive palette and diffs frames), and per-frame `quantize()` then save. Frames are a
   cross-fade walk through four real photos from ../shared/datasets/photos (photographic
   detail is the hard case for a palette); without the shared data, the generator's frames
   ×4. Target ≤ 3 s.
3. With --page: the Latent Walk page itself playing a 4-keyframe walk at 30 fps (offscreen Qt):
   frames actually shown per second once playing, i.e. whether the preview keeps up.

Timings are the median of --repeats runs; the CPU may be shared, so compare ratios.
"""

from __future__ import annotations

import argparse
import itertools
import os
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
import torch
from common import SHARED  # the shared datasets folder beside the checkout
from PIL import Image

from ganstudio.core.config import ModelConfig
from ganstudio.export import writers as export
from ganstudio.modelfiles.generator import Generator, generator_meta, load_generator, save_generator_file
from ganstudio.models import build_generator
from ganstudio.walk.render import Renderer, plan
from ganstudio.walk.timeline import Keyframe, Walk

PHOTOS = SHARED / "photos" / "bsds500-test"
PREVIEW_FRAMES = 96
GIF_FRAMES = 120


def median_time(fn, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def generator_64(folder: Path) -> Generator:
    torch.manual_seed(0)
    cfg = ModelConfig(arch="dcgan", z_dim=100, img_size=64, channels=3, base_ch=64)
    net = build_generator(cfg)
    path = save_generator_file(folder / "g64.pt", net.state_dict(), generator_meta(cfg, steps=0))
    return load_generator(path, "cpu")


def bench_preview(g: Generator, repeats: int) -> None:
    walk = Walk(keyframes=tuple(Keyframe(seed=s, frames=PREVIEW_FRAMES // 4) for s in (1, 2, 3, 4)), interp="slerp")
    renderer = Renderer(g, plan(g, walk))
    z = renderer.plan.z
    renderer.render(range(8))  # warm-up (allocations, oneDNN kernels)

    def frame_by_frame():
        for i in range(PREVIEW_FRAMES):
            g.generate(z[i:i + 1])

    def batched(size: int):
        def run():
            for start in range(0, PREVIEW_FRAMES, size):
                renderer.render(range(start, min(PREVIEW_FRAMES, start + size)))
        return run

    runs = {"baseline": frame_by_frame, **{f"batch {size}": batched(size) for size in (16, 32)}}
    times: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(repeats):  # interleaved, so a busy moment on a shared CPU hits every variant alike
        for name, fn in runs.items():
            times[name].append(median_time(fn, 1))
    fps = {name: PREVIEW_FRAMES / statistics.median(t) for name, t in times.items()}
    print(f"preview, 64 px generator ({sum(p.numel() for p in g.net.parameters()) / 1e6:.1f} M params), "
          f"{PREVIEW_FRAMES} frames, {torch.get_num_threads()} threads, load average {os.getloadavg()[0]:.1f}")
    print(f"  baseline: one generate() per frame      {fps['baseline']:7.1f} frames/s")
    for size in (16, 32):
        f = fps[f"batch {size}"]
        print(f"  Renderer, batches of {size:<2}               {f:7.1f} frames/s   ×{f / fps['baseline']:.2f}")


def photo_walk() -> np.ndarray | None:
    """120 frames of 256 px cross-fading through four photos (a closed loop)."""
    files = sorted(PHOTOS.glob("*.jpg"))[:4]
    if len(files) < 4:
        return None
    pics = []
    for f in files:
        im = Image.open(f).convert("RGB")
        side = min(im.size)
        left, top = (im.width - side) // 2, (im.height - side) // 2
        square = im.crop((left, top, left + side, top + side)).resize((256, 256), Image.LANCZOS)
        pics.append(np.asarray(square, np.float32))
    frames = []
    for i in range(GIF_FRAMES):
        seg, t = divmod(i * 4 / GIF_FRAMES, 1)
        a, b = pics[int(seg)], pics[(int(seg) + 1) % 4]
        frames.append(((1 - t) * a + t * b).round().astype(np.uint8))
    return np.stack(frames)


def bench_gif(g: Generator, repeats: int, skip_naive: bool, folder: Path) -> None:
    frames = photo_walk()
    source = "photo cross-fade"
    if frames is None:
        walk = Walk(keyframes=tuple(Keyframe(seed=s, frames=GIF_FRAMES // 4) for s in (1, 2, 3, 4)))
        small = Renderer(g, plan(g, walk)).render_all()
        frames = np.repeat(np.repeat(small, 4, 1), 4, 2)
        source = "generator frames ×4 (no shared photos)"
    print(f"GIF export, {len(frames)} frames of {frames.shape[2]}×{frames.shape[1]} px ({source})")
    out = folder / "walk.gif"

    def ours():
        export.write_animation(frames, out, fps=24, palette="shared")

    def pillow_default():
        pics = [Image.fromarray(f) for f in frames]
        pics[0].save(folder / "naive.gif", save_all=True, append_images=pics[1:], duration=42, loop=0)

    def pillow_quantize():
        pics = [Image.fromarray(f).quantize() for f in frames]
        pics[0].save(folder / "quant.gif", save_all=True, append_images=pics[1:], duration=42, loop=0)

    t_ours = median_time(ours, repeats)
    size = out.stat().st_size / 1e6
    err = np.abs(np.stack([np.asarray(f.convert("RGB")) for f in _frames(out)]).astype(int) - frames).mean()
    print(f"  export.write_animation (shared palette) {t_ours:6.2f} s   {size:.1f} MB, mean abs error {err:.1f}/255")
    t_pf = median_time(lambda: export.write_animation(frames, out, fps=24, palette="per-frame"), 1)
    print(f"  export.write_animation (per-frame)      {t_pf:6.2f} s   ×{t_pf / t_ours:.1f} slower than shared")
    if not skip_naive:
        t_q = median_time(pillow_quantize, 1)
        print(f"  baseline: per-frame quantize() + save   {t_q:6.2f} s   ours ×{t_q / t_ours:.1f} faster")
        t_d = median_time(pillow_default, 1)
        print(f"  baseline: Pillow default save           {t_d:6.2f} s   ours ×{t_d / t_ours:.1f} faster")


def _frames(path: Path):
    im = Image.open(path)
    for i in range(im.n_frames):
        im.seek(i)
        yield im.copy()


def bench_page(g: Generator, seconds: float = 5.0) -> None:
    """Frames the page shows per second while playing at 30 fps (rendering in its job runner)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QObject, QSettings, Signal
    from PySide6.QtWidgets import QApplication

    from ganstudio.ui.walk.page import WalkPage

    class Studio(QObject):
        library_changed = Signal()
        device_name = "CPU"

        def __init__(self) -> None:
            super().__init__()
            self.settings = QSettings()

        def show_error(self, message: str, hint: str = "") -> None:
            print(f"  error: {message} {hint}")

        def show_status(self, text: str) -> None:
            pass

        def models(self) -> list:
            return []

    app = QApplication.instance() or QApplication([])
    page = WalkPage(Studio())  # the page imports nothing else from the window
    page.open_model(g.path)
    while not page.session.grid_seeds_shown:  # the seed grid renders in the page's job runner
        app.processEvents()
        time.sleep(0.002)
    for i in (0, 5, 10, 15):
        page.seeds.grid.select(i)
        page.pin_selected()
    page.playback.fps.setValue(30)
    shown: list[tuple[float, int]] = []
    draw = page.playback.draw
    page.playback.draw = lambda frame: (shown.append((time.perf_counter(), page.session.frame_index)), draw(frame))
    page.playback.play_button.setChecked(True)
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < seconds + 1:
        app.processEvents()
        time.sleep(0.002)
    page.shutdown()
    steady = [index for t, index in shown if t > t0 + 1]  # after the first second: playing, not starting
    changes = sum(1 for a, b in itertools.pairwise(steady) if a != b)  # a frame drawn twice counts once
    print(f"page playing at 30 fps, 64 px: {changes / seconds:.1f} new frames shown per second")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--skip-naive-gif", action="store_true", help="skip the slow Pillow baselines")
    ap.add_argument("--page", action="store_true", help="also measure the Walk page playing (needs PySide6)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        g = generator_64(Path(tmp))
        bench_preview(g, args.repeats)
        bench_gif(g, args.repeats, args.skip_naive_gif, Path(tmp))
        if args.page:
            bench_page(g)


if __name__ == "__main__":
    main()
