"""Latent Walk page with a StyleGAN model: the style panel, live mixing, held layers, the mixing grid."""

from __future__ import annotations

import numpy as np
from PIL import Image

from ganstudio.modelfiles.library import ModelEntry
from ganstudio.ui.walk.page import WalkPage
from tests.conftest import write_stylegan_file
from tests.ui.fake_studio import FakeStudio
from tests.walk.test_walk import tiny_generator_file


def test_style_panel_mixes_live_holds_layers_and_exports_the_grid(qtbot, tmp_path):
    model = write_stylegan_file(tmp_path / "style.pt")
    dcgan = tiny_generator_file(tmp_path / "dc.pt")
    studio = FakeStudio([ModelEntry("sg", "Style", model, "run", "gan"), ModelEntry("dc", "DC", dcgan, "run", "gan")],
                        tmp_path)
    page = WalkPage(studio)
    qtbot.addWidget(page)
    page.resize(1200, 900)
    page.show()
    try:
        assert page.open_model(model)
        qtbot.waitUntil(lambda: len(page.seeds.grid.images) == 16, timeout=10_000)
        assert page.style_panel.isVisible()
        qtbot.waitUntil(lambda: page.session.mix_image is not None, timeout=10_000)
        plain = page.session.mix_image.copy()
        assert np.array_equal(plain, page.session.g.generate(page.session.g.latents([0]))[0])

        page.style_panel.use["fine"].setChecked(True)  # colours from seed 33
        qtbot.waitUntil(lambda: not np.array_equal(page.session.mix_image, plain), timeout=10_000)

        page.seeds.grid.select(1)
        page.pin_selected()
        page.seeds.grid.select(2)
        page.pin_selected()
        page.style_panel.hold.setChecked(True)
        page.style_panel.moving.setCurrentIndex(page.style_panel.moving.findData("coarse"))
        walk = page.walk()
        assert walk.mix == "fine=33" and walk.moving == "coarse"
        groups = page.session.g.layer_groups()
        ws = page.session.renderer.plan.ws
        assert ws is not None and torch_equal_rows(ws[:, groups["middle"]])

        out = tmp_path / "grid.png"
        page.style_panel.rows.setText("1-2")
        page.style_panel.cols.setText("3,4,5")
        assert page.style_panel.export_grid(out)
        qtbot.waitUntil(out.exists, timeout=10_000)
        w, h = Image.open(out).size
        assert w > h  # 4 columns (corner + 3 seeds) by 3 rows

        page.style_panel.rows.setText("ten")
        assert not page.style_panel.export_grid(tmp_path / "bad.png")
        assert studio.errors and "seed" in studio.errors[-1][0]

        assert page.open_model(dcgan)  # a DCGAN has no style layers: the panel goes away
        assert not page.style_panel.isVisible()
    finally:
        page.shutdown()


def torch_equal_rows(t) -> bool:
    return bool((t == t[:1]).all())
