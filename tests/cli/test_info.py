"""`ganstudio info` shows only the settings that apply to the model, for every bundled model and a run."""

from __future__ import annotations

import json

import pytest

from ganstudio.cli.main import main
from ganstudio.modelfiles.manifest import read_manifest

ONLY = {  # a model setting → the models it applies to
    "hidden": {"mlp"}, "layers": {"mlp"}, "latent_codes": {"mlp"}, "res_blocks": {"cyclegan"},
    "base_ch_d": {"cyclegan"}, "num_classes": {"cdcgan", "stylegan"}, "cond_d": {"cdcgan"},
    "max_ch": {"stylegan"}, "mapping_layers": {"stylegan"}, "minibatch_std": {"dcgan", "cdcgan"},
    "z_dim": {"mlp", "dcgan", "cdcgan", "stylegan"}, "channels": {"dcgan", "cdcgan", "stylegan"},
}
TV = {"mnist", "fashion-mnist", "cifar10"}
DATA = {"name": {"toy"}, "root": TV, "download": TV,
        "path_b": {"unpaired"}, "load_size": {"unpaired"}, "path": {"csv", "folder", "unpaired"}}
MODELS = [m["id"] for m in read_manifest() if m.get("kind") in ("gan", "cyclegan")]


def _check(model: dict, data: dict) -> None:
    arch = model["arch"]
    kind = "unpaired" if arch == "cyclegan" else data["kind"]
    assert not [k for k in model if k in ONLY and arch not in ONLY[k]], arch
    assert not [k for k in data if k in DATA and kind not in DATA[k]], kind


@pytest.mark.parametrize("model_id", MODELS)
def test_info_of_every_bundled_model_shows_only_what_applies(model_id, capsys) -> None:
    assert main(["info", model_id, "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    _check(info["model"], info["data"])
    assert info["model"]["arch"] and info["data"]["kind"]
    if info["model"]["arch"] == "cdcgan":
        assert info["model"]["num_classes"] == len(info["class_names"]) == 10
    elif not info["model"].get("num_classes"):
        assert "class_names" not in info


def test_bundled_models_are_all_checked() -> None:
    assert {"mnist-cdcgan", "ring8-mlp", "photo2monet", "monet-stylegan"} <= set(MODELS)


def test_info_of_a_checkpoint_filters_its_run_config(tmp_path, capsys) -> None:
    out = tmp_path / "toy"
    assert main(["train", "--model", "mlp", "--data", "ring8", "--steps", "4", "--batch", "16", "--device", "cpu",
                 "--ckpt-every", "4", "--no-ema", "-o", str(out)]) == 0
    capsys.readouterr()
    assert main(["info", str(out), "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    config = info["config"]
    _check(config["model"], config["data"])
    _check(info["generator"]["model"], info["generator"]["data"])
    assert config["steps"] == 4 and config["loss"] == "bce" and config["data"] == {"kind": "toy", "name": "ring8"}
    for key in ("lambda_cycle", "pool_size", "r1_gamma", "augment", "gp_weight", "ema_half_life", "n_samples"):
        assert key not in config, key
