"""Package the trained style runs into pretrained/: small fp16 style files, manifest entries, contact sheet.

    python tools/package_styles.py RUNS_DIR [--style photo2monet] [--trained-on TEXT] [--training]

Reads RUNS_DIR/<style>/ (made by tools/train_styles.py), writes pretrained/<style>.pt (both
directions, domain names for the UI), adds or replaces its entries in pretrained/manifest.json
(entries of other models are kept), and draws docs/styles.jpg from 12 held-out photos
(../shared/datasets/photos/bsds500-test, never trained on) and held-out Monet paintings. With
`--style`, only that style is repackaged; the sheet uses the bundled file of the other. A run
started with `--init` from a bundled style counts that style's steps and time as well.

`--training` keeps a style that is not yet good enough to offer: it is written as
pretrained/<style>-training.pt, its discriminators included (22 MB at the balanced size) so the
next session's D does not start afresh, with one entry of kind "training", which the app does not list
and the next session continues with `tools/train_styles.py --init <style>-training` (a machine's
run folders do not outlive its session); the bundled styles and the sheet stay as they are.
Packaging the style for real later removes its training state.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
import torch
from common import SHARED  # the shared datasets folder beside the checkout
from PIL import Image, ImageDraw

from ganstudio.core.atomic import atomic_write
from ganstudio.core.images import open_image
from ganstudio.modelfiles.checkpoint import latest_checkpoint, load_checkpoint
from ganstudio.modelfiles.generator import save_generator_file
from ganstudio.modelfiles.manifest import file_sha256, read_manifest, upsert_manifest_entry, write_manifest
from ganstudio.style.stroke import paint_image
from ganstudio.style.tiles import StyleModel, load_style_model

ROOT = Path(__file__).resolve().parents[1]
DATA = SHARED
PRETRAINED = ROOT / "pretrained"
UP_PATHS = {"resize": "bilinear resize + 3×3 convolution upsampling", "transposed": "transposed-convolution upsampling"}
LICENCE = ("Weights trained by GAN Studio's developers. Training images: CycleGAN monet2photo set (Zhu et al. 2017, "
           "research use; Monet paintings are public domain) and Alfred Sisley paintings from WikiArt (public domain).")
# style file → (domain names, manifest entries: id, title, direction, dataset)
STYLES = {
    "photo2monet": ({"A": "photo", "B": "Monet"}, [
        ("photo2monet", "Photo → Monet", "AB", "monet2photo: 1,072 photos (trainB) ↔ 1,072 Monet paintings (trainA)"),
        ("monet2photo", "Monet → photo", "BA", "monet2photo: 1,072 photos (trainB) ↔ 1,072 Monet paintings (trainA)"),
    ]),
    "photo2sisley": ({"A": "photo", "B": "Sisley"}, [
        ("photo2sisley", "Photo → Sisley", "AB",
         "1,072 monet2photo photos (trainB) ↔ 715 Sisley paintings (sisley/trainA)"),
    ]),
}
SHEET_PHOTOS = ["100007.jpg", "101027.jpg", "103006.jpg", "106005.jpg", "108004.jpg", "163004.jpg", "130014.jpg",
                "258089.jpg", "385022.jpg", "226022.jpg", "296058.jpg", "388067.jpg"]
THUMB_H = 150


def package(run: Path, style: str, target: Path, with_d: bool = False) -> tuple[Path, dict]:
    """Re-save the run's generators as `target` with readable domain names (`with_d`: its discriminators too)."""
    ckpt = load_checkpoint(latest_checkpoint(run))
    nets = ckpt["state"]["nets"]
    meta = dict(ckpt["meta"]["generator"])
    meta["domains"] = STYLES[style][0]
    stats = [json.loads(line) for line in (run / "stats.jsonl").read_text().splitlines()]
    per_line = ckpt["config"]["log_every"]
    info = {"steps": ckpt["step"], "train_time_s": round(sum(per_line / s["img_per_s"] for s in stats
                                                               if s.get("img_per_s"))),
            "final": stats[-1], "config": ckpt["config"], "continued": ""}
    init = ckpt["config"].get("init", "")
    if init:  # read before the bundled file it started from is replaced
        earlier = next(e for e in read_manifest(PRETRAINED) if e["id"] == init)
        info["steps"] += earlier["steps"]
        info["train_time_s"] += earlier["train_time_s"]
        info["continued"] = f"; {earlier['steps']} steps, then continued from that file for {ckpt['step']} more"
        meta["steps"] = info["steps"]
    weights = {f"G_{d}.{k}": v for d in ("AB", "BA") for k, v in nets[f"G_{d}"].items()}
    extra = {name: nets[name] for name in ("D_A", "D_B")} if with_d else None
    return save_generator_file(target, weights, meta, half=True, extra=extra), info


def drop_training_state(style: str) -> None:
    ident = f"{style}-training"
    models = read_manifest(PRETRAINED)
    kept = [m for m in models if m["id"] != ident]
    if len(kept) < len(models):
        write_manifest(kept, PRETRAINED)
        (PRETRAINED / f"{ident}.pt").unlink(missing_ok=True)


def cycle_error(path: Path, photos: list[Path]) -> float:
    """Mean |G_BA(G_AB(x)) − x| in 0–255 levels on held-out photos: how much of the photo survives."""
    model = load_style_model(path)
    errs = []
    for p in photos:
        img = open_image(p)
        there = styled(model, img, "AB")
        back = styled(model, there, "BA")
        errs.append(np.abs(np.asarray(back, np.float32) - np.asarray(img, np.float32)).mean())
    return float(np.mean(errs))


def styled(model: StyleModel, img: Image.Image, direction: str) -> Image.Image:
    """The picture as the Style page renders it at the default stroke size (these are no larger: their own)."""
    return paint_image(model, img, direction)[0]


def thumb(img: Image.Image) -> Image.Image:
    return img.resize((round(img.width * THUMB_H / img.height), THUMB_H), Image.Resampling.LANCZOS)


def contact_sheet(files: dict[str, Path], out: Path) -> None:
    """Rows: a held-out photo, then Monet and Sisley versions; last rows: Monet paintings → photo."""
    monet, sisley = load_style_model(files["photo2monet"]), load_style_model(files["photo2sisley"])
    rows = []
    for name in SHEET_PHOTOS:
        img = open_image(DATA / "photos" / "bsds500-test" / name)
        rows.append([thumb(img), thumb(styled(monet, img, "AB")), thumb(styled(sisley, img, "AB"))])
    for name in sorted((DATA / "monet2photo" / "testA").glob("*.jpg"))[:2]:
        img = open_image(name)
        rows.append([thumb(img), thumb(styled(monet, img, "BA"))])
    pad, head = 6, 22
    width = max(sum(t.width for t in r) + pad * (len(r) + 1) for r in rows)
    height = head + sum(THUMB_H + pad for r in rows) + pad
    sheet = Image.new("RGB", (width, height), (250, 250, 248))
    draw = ImageDraw.Draw(sheet)
    draw.text((pad, 5), "held-out photo | photo -> Monet | photo -> Sisley   "
                        "(last rows: Monet test painting | Monet -> photo)", fill=(40, 40, 40))
    y = head
    for r in rows:
        x = pad
        for t in r:
            sheet.paste(t, (x, y))
            x += t.width + pad
        y += THUMB_H + pad
    atomic_write(out, lambda fh: sheet.save(fh, format="JPEG", quality=85))


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("runs", type=Path, help="folder holding the style runs made by tools/train_styles.py")
    p.add_argument("--style", choices=sorted(STYLES), help="repackage this style only")
    p.add_argument("--trained-on", default="2-core CPU, no GPU (see bench/RESULTS.md)")
    p.add_argument("--training", action="store_true", help="keep the styles as training state, not offered")
    args = p.parse_args()
    torch.set_num_threads(1)
    held_out = sorted((DATA / "photos" / "bsds500-test").glob("*.jpg"))[-10:]
    files = {style: PRETRAINED / f"{style}.pt" for style in STYLES}
    for style, (_domains, entries) in STYLES.items():
        if args.style and style != args.style:
            continue
        suffix = "-training" if args.training else ""
        path, info = package(args.runs / style, style, PRETRAINED / f"{style}{suffix}.pt", with_d=args.training)
        if not args.training:
            files[style] = path
        cfg, m = info["config"], info["config"]["model"]
        cyc = cycle_error(path, held_out)
        print(f"{style}: {path.stat().st_size / 1e6:.1f} MB, {info['steps']} steps, cycle error {cyc:.1f}/255")
        for ident, title, direction, dataset in entries[:1] if args.training else entries:
            entry = {
                "id": ident + suffix, "title": title + (" (training state)" if args.training else ""),
                "file": path.name, "kind": "training" if args.training else "cyclegan", "direction": direction,
                "sha256": file_sha256(path), "size_bytes": path.stat().st_size,
                "architecture": f"CycleGAN ResNet generator, {m['base_ch']} base channels, {m['res_blocks']} residual "
                                f"blocks, 2 downsamplings, {UP_PATHS[m.get('upsample', 'transposed')]} (fp16); "
                                f"trained with 70×70 PatchGAN D ({m['base_ch_d']} ch)",
                "dataset": dataset, "classes": [], "resolution": m["img_size"],
                "image_size": f"trained on {m['img_size']} px crops of images resized to "
                              f"{cfg['data']['load_size']} px; applied at any size (tiled)",
                "steps": info["steps"], "batch": cfg["batch"], "train_time_s": info["train_time_s"],
                "trained_on": args.trained_on + info["continued"],
                "quality": {"cycle_l1_bsds500_10": round(cyc, 2),
                            "final_cycle_A": round(info["final"]["cycle_A"], 3),
                            "final_cycle_B": round(info["final"]["cycle_B"], 3)},
                "licence": LICENCE, "packaged": time.strftime("%Y-%m-%d"),
            }
            upsert_manifest_entry(entry, PRETRAINED)
        if not args.training:  # the style is offered now: its training state is no longer needed
            drop_training_state(style)
    if args.training:
        print(f"wrote {PRETRAINED / 'manifest.json'}; the bundled styles and docs/styles.jpg are unchanged")
        return 0
    contact_sheet(files, ROOT / "docs" / "styles.jpg")
    print(f"wrote {PRETRAINED / 'manifest.json'} and docs/styles.jpg")
    return 0


if __name__ == "__main__":
    sys.exit(main())
