"""The settings table: one tip per setting, shared by the Train form and `ganstudio train --help`."""

from __future__ import annotations

from ganstudio.cli.main import build_parser
from ganstudio.train.fields import BY_NAME, FIELDS, cli_fields, config_value, form_fields


def _train_actions() -> dict[str, object]:
    sub = next(a for a in build_parser()._actions if a.dest == "command").choices["train"]
    return {a.dest: a for a in sub._actions}


def test_every_cli_flag_of_a_setting_has_its_tip_as_help() -> None:
    actions = _train_actions()
    for f in cli_fields():
        assert actions[f.name].help.replace("%%", "%").startswith(f.tip), f.name  # argparse reads % as a format
        assert actions[f.name].option_strings[0] == f.flag


def test_flags_keep_their_types_choices_and_defaults() -> None:
    a = _train_actions()
    assert a["steps"].type("12") == 12 and a["lr_g"].type("0.001") == 0.001 and a["channels"].choices == [1, 3]
    assert a["img_size"].type is int and a["img_size"].choices is None  # a CycleGAN crop is any multiple of 4
    assert a["device"].default == "auto" and a["device"].choices is None
    assert a["precision"].choices == ["auto", "fp32", "bf16"]
    assert a["loss"].choices == ["bce", "lsgan", "hinge", "wgan-gp"]
    assert a["lr_decay"].metavar == "SHARE"
    args = build_parser().parse_args(["train", "--no-ema", "--minibatch-std"])
    assert args.ema is False and args.minibatch_std is True and args.spectral_norm is None


def test_names_are_unique_and_every_form_row_has_a_tip() -> None:
    assert len(BY_NAME) == len(FIELDS)
    for section in ("data", "model", "run"):
        assert all(f.tip and f.label for f in form_fields(section))
    assert "lambda_cycle" not in {f.name for f in form_fields("run")}  # command line only


def test_settings_apply_to_their_models_and_give_off_values_elsewhere() -> None:
    codes, channels, gp = BY_NAME["latent_codes"], BY_NAME["channels"], BY_NAME["gp_weight"]
    assert codes.applies("mlp") and not codes.applies("dcgan")
    assert config_value(codes, 50, "dcgan") == 0 and config_value(codes, 50, "mlp") == 50
    assert config_value(channels, 1, "cyclegan") == 3 and config_value(channels, 1, "mlp") == 1
    assert gp.applies("dcgan", "wgan-gp") and not gp.applies("dcgan", "hinge")
    assert BY_NAME["ema_half_life"].applies("mlp", on=frozenset({"ema"}))
    assert not BY_NAME["ema_half_life"].applies("mlp")


def test_applicable_keeps_only_the_settings_of_the_model_and_data() -> None:
    from ganstudio.core.config import DataConfig, ModelConfig, TrainConfig, to_dict
    from ganstudio.train.fields import applicable

    cdcgan = to_dict(TrainConfig(model=ModelConfig(arch="cdcgan", num_classes=10), data=DataConfig(kind="mnist"),
                                 loss="hinge", ema=False))
    kept = applicable(cdcgan)
    assert kept["model"]["num_classes"] == 10 and "cond_d" in kept["model"]
    assert not {"hidden", "layers", "res_blocks", "base_ch_d", "max_ch"} & set(kept["model"])
    assert set(kept["data"]) == {"kind", "root", "download", "limit"}
    assert "gp_weight" not in kept and "ema_half_life" not in kept and "lambda_cycle" not in kept
    assert kept["steps"] == cdcgan["steps"] and kept["out_dir"] == cdcgan["out_dir"]  # no row: always shown
    wgan = applicable({**cdcgan, "loss": "wgan-gp", "ema": True})
    assert "gp_weight" in wgan and "ema_half_life" in wgan
    cycle = applicable(to_dict(TrainConfig(model=ModelConfig(arch="cyclegan", img_size=96),
                                           data=DataConfig(kind="folder", path="a", path_b="b"))))
    assert {"res_blocks", "base_ch_d", "img_size"} <= set(cycle["model"]) and "z_dim" not in cycle["model"]
    assert cycle["data"] == {"kind": "folder", "path": "a", "path_b": "b", "load_size": 0, "limit": 0}
    assert "lambda_cycle" in cycle and "n_critic" not in cycle and "ema" not in cycle
