"""The bad-input sweep: every case of the corpus through the CLI (the image cases also go through the Style
and Train pages, in tests/ui/test_bad_images.py). Each must give one clear message, never a traceback,
hang or leftover file."""

from __future__ import annotations

import os

from tests.sweep import corpus


def test_every_bad_input_gets_one_clear_line_and_leaves_nothing(tmp_path, monkeypatch):
    cases = corpus.build(tmp_path)
    assert len(cases) >= 60 and {c.kind for c in cases} == {"image", "folder", "csv", "model", "output", "number"}
    monkeypatch.chdir(tmp_path)  # a default output name would land here
    bad = []
    for case in cases:
        outcome = corpus.run_case(case, tmp_path)
        if outcome.verdict != "clear":
            bad.append(f"{outcome.verdict}: {case.name}: {outcome.errors} left {outcome.left}")
    assert not bad, "\n".join(bad)
    stray = set(os.listdir(tmp_path)) - {"csv", "folders", "frames-full", "images", "models", "out", "usable.png"}
    assert not stray  # no default-named output (samples.png, walk.gif, stylized/, runs/) in the working folder
