"""The one image-grid widget: crisp whole-number enlargement, cell lookup, clicks only when clickable."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPoint, Qt

from ganstudio.ui.common.image_grid import PAD, ImageGrid


def cells(n: int = 6, side: int = 8) -> np.ndarray:
    return np.stack([np.full((side, side, 3), 40 * i, np.uint8) for i in range(n)])


def test_cells_scale_by_whole_numbers_and_clicks_name_the_cell(qtbot):
    grid = ImageGrid()
    qtbot.addWidget(grid)
    grid.resize(400, 300)
    grid.set_images(cells(), 3)
    assert grid.composite().shape == (2 * 8 + 3 * PAD, 3 * 8 + 4 * PAD, 3)
    k = grid.scale()  # min(400 / 32, 300 / 22) = 12.5, rounded down to whole pixels
    assert k == 12 and grid.pixmap().width() == round((3 * 8 + 4 * PAD) * k)
    left = (400 - round((3 * 8 + 4 * PAD) * k)) // 2
    top = (300 - round((2 * 8 + 3 * PAD) * k)) // 2
    centre = QPoint(left + int((PAD + 2 * (8 + PAD) + 4) * k), top + int((PAD + 8 + PAD + 4) * k))
    assert grid.index_at(centre) == 5 and grid.index_at(QPoint(left + 1, top + 1)) is None
    with qtbot.waitSignal(grid.cell_clicked) as clicked:
        qtbot.mouseClick(grid, Qt.MouseButton.LeftButton, pos=centre)
    assert clicked.args == [5]


def test_a_strip_is_not_clickable_and_clearing_shows_text(qtbot):
    strip = ImageGrid(clickable=False)
    qtbot.addWidget(strip)
    strip.resize(300, 100)
    strip.set_images(cells(4), 4)
    seen: list[int] = []
    strip.cell_clicked.connect(seen.append)
    qtbot.mouseClick(strip, Qt.MouseButton.LeftButton, pos=strip.rect().center())
    assert seen == []
    strip.clear_images("nothing yet")
    assert strip.text() == "nothing yet" and len(strip.images) == 0 and strip.index_at(QPoint(150, 50)) is None


def test_seed_picker_selects_outlines_and_enlarges_one_sample(qtbot):
    grid = ImageGrid(min_side=180)
    qtbot.addWidget(grid)
    grid.resize(300, 300)
    grid.show()
    nine = np.stack([np.full((8, 8, 3), 20 * i, np.uint8) for i in range(9)])
    grid.set_images(nine, 3, [str(s) for s in range(100, 109)])
    small = grid.cell_rect(4)
    with qtbot.waitSignal(grid.cell_clicked) as clicked:
        qtbot.mouseClick(grid, Qt.MouseButton.LeftButton, pos=small.center())
    assert clicked.args == [4] and grid.current == 4
    picture = grid.grab().toImage()
    edge = picture.pixelColor(small.left() + 1, small.center().y())
    assert (edge.red(), edge.green(), edge.blue()) == (0xF0, 0xA0, 0x30)  # the selected cell is outlined
    with qtbot.waitSignal(grid.activated) as activated:
        qtbot.mouseDClick(grid, Qt.MouseButton.LeftButton, pos=small.center())
    assert activated.args == [4] and grid.enlarged
    assert grid.cell_rect(4).width() > 2 * small.width() and grid.cell_rect(3).isEmpty()
    assert grid.index_at(grid.rect().center()) == 4
    qtbot.mouseDClick(grid, Qt.MouseButton.LeftButton, pos=grid.rect().center())
    assert not grid.enlarged and grid.cell_rect(4) == small
    grid.set_images(cells(2), 2)  # fewer samples than the selection: nothing is selected
    assert grid.current == -1 and grid.captions == []


def test_a_grid_shrunk_by_an_uneven_factor_is_smoothed_not_unevenly_sampled(qtbot):
    stripes = np.zeros((1, 64, 64, 3), np.uint8)
    stripes[:, :, ::2] = 255  # one-pixel black and white columns
    grid = ImageGrid(clickable=False, min_side=10)
    qtbot.addWidget(grid)
    grid.show()
    grid.resize(47, 47)  # 68 px picture (with gutters) into 47 px: no whole factor fits
    grid.set_images(stripes, 1)
    assert grid.scale() != int(grid.scale())
    image = grid.pixmap().toImage()
    row = image.height() // 2
    greys = {image.pixelColor(x, row).red() for x in range(4, image.width() - 4)}
    assert any(40 < g < 215 for g in greys)  # blended columns, not a random pick of black or white
    grid.resize(290, 290)  # room for a whole factor (4): crisp pixels again
    image = grid.pixmap().toImage()
    assert {image.pixelColor(x, image.height() // 2).red() for x in range(8, image.width() - 8)} <= {0, 255}
