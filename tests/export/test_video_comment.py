"""An MP4's comment stays within one command-line argument, however long the provenance."""

from __future__ import annotations

import json
from pathlib import Path

from ganstudio.export import writers


def test_a_long_provenance_names_its_sidecar_instead():
    short = writers.provenance_json({"seed": 1})
    assert writers.video_comment(short, Path("walk.mp4")) == short
    long = writers.provenance_json({"styles": "A" * 200_000})  # a walk through a 128 px projected photo
    comment = writers.video_comment(long, Path("out/walk.mp4"))
    assert len(comment) < writers.MAX_VIDEO_COMMENT and json.loads(comment)["provenance"] == "walk.mp4.json"
