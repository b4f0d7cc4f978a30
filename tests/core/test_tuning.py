"""The measured choices' machinery: the machine key, interleaved medians, the verdict cache."""

from __future__ import annotations

import json

import pytest

from ganstudio.core import tuning

CPUINFO = """processor\t: 0
vendor_id\t: AuthenticAMD
cpu family\t: 26
model\t\t: 2
model name\t: AMD EPYC
flags\t\t: fpu sse avx2 fma avx512f avx512_bf16 sha_ni
processor\t: 1
model name\t: another entry
"""


class FakeClock:
    """A timer that moves only when a fake step says how long it took."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(autouse=True)
def _tuning_on(monkeypatch):
    monkeypatch.delenv("GANSTUDIO_TUNING", raising=False)


def test_the_cpu_signature_names_the_model_and_only_the_flags_that_decide_speed():
    sig = tuning.cpu_signature(CPUINFO)
    assert sig.startswith("AMD EPYC (family 26 model 2) [avx2 avx512_bf16 avx512f fma]"), sig
    assert "sha_ni" not in sig and "another entry" not in sig


def test_measure_interleaves_the_variants_and_takes_medians():
    clock, calls = FakeClock(), []
    costs = {"a": [9.0, 1.0, 2.0, 3.0], "b": [9.0, 5.0, 50.0, 6.0]}  # a warm-up, then three timed calls each

    def variant(name):
        def run():
            calls.append(name)
            clock.now += costs[name].pop(0)
        return run

    medians = tuning.measure({"a": variant("a"), "b": variant("b")}, rounds=3, warmup=1, timer=clock)
    assert medians == {"a": 2.0, "b": 6.0}, "the warm-up is not timed and one outlier does not decide"
    assert calls == ["a", "b", "a", "b", "b", "a", "a", "b"], "rounds alternate their order"


def fake_steps(clock: FakeClock, costs: dict[str, float], calls: list[str]):
    def step(choice: str) -> None:
        calls.append(choice)
        clock.now += costs[choice]
    return step


@pytest.mark.parametrize(("bf16_cost", "choice", "reason"), [
    (0.5, "bf16", "measured 2.00× faster than fp32 on this CPU"),
    (1.25, "fp32", "bf16 measured 0.80× on this CPU")])
def test_the_faster_precision_wins_and_says_why(bf16_cost, choice, reason):
    clock, calls = FakeClock(), []
    v = tuning.choose_bf16("k", "this CPU", fake_steps(clock, {"fp32": 1.0, "bf16": bf16_cost}, calls), timer=clock)
    assert (v.choice, v.reason) == (choice, reason)
    assert calls.count("fp32") == calls.count("bf16") == 4, "one warm-up and three timed steps each"


def test_a_verdict_is_cached_per_key_and_reused_without_measuring():
    clock, calls = FakeClock(), []
    first = tuning.choose_bf16("machine A | dcgan", "this CPU", fake_steps(clock, {"fp32": 1.0, "bf16": 0.5}, calls),
                               timer=clock)
    calls.clear()
    again = tuning.choose_bf16("machine A | dcgan", "this CPU", fake_steps(clock, {"fp32": 0.5, "bf16": 1.0}, calls),
                               timer=clock)
    assert again.choice == first.choice == "bf16" and calls == [], "a cached verdict is not measured again"
    assert again.reason == "measured 2.00× faster than fp32 on this CPU, earlier"
    other = tuning.choose_bf16("machine B | dcgan", "this CPU", fake_steps(clock, {"fp32": 0.5, "bf16": 1.0}, calls),
                               timer=clock)
    assert other.choice == "fp32" and calls, "another machine or family is measured on its own"
    saved = json.loads(tuning.cache_path().read_text())["verdicts"]
    assert set(saved) == {"machine A | dcgan", "machine B | dcgan"}


@pytest.mark.parametrize("garbage", ["{not json", "[]", '{"version": 99, "verdicts": {}}',
                                     '{"version": 1, "verdicts": {"k": {"choice": "fp8", "speedup": 2}}}'])
def test_a_corrupt_cache_is_ignored_and_rewritten(garbage):
    path = tuning.cache_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(garbage)
    assert tuning.load_cache() == {}
    clock, calls = FakeClock(), []
    v = tuning.choose_bf16("k", "this CPU", fake_steps(clock, {"fp32": 1.0, "bf16": 0.5}, calls), timer=clock)
    assert v.choice == "bf16" and calls, "measured afresh"
    data = json.loads(path.read_text())
    assert data["version"] == tuning.VERSION and data["verdicts"]["k"]["choice"] == "bf16"
    assert [p.name for p in path.parent.iterdir()] == [path.name], "no temporary file is left beside it"


def test_without_a_way_to_measure_or_with_tuning_off_it_is_fp32(monkeypatch):
    v = tuning.choose_bf16("k", "this CPU", None)
    assert v.choice == "fp32" and "not measured" in v.reason and not tuning.cache_path().exists()
    clock, calls = FakeClock(), []
    tuning.choose_bf16("k", "this CPU", fake_steps(clock, {"fp32": 1.0, "bf16": 0.5}, calls), timer=clock)
    monkeypatch.setenv("GANSTUDIO_TUNING", "off")
    v = tuning.choose_bf16("k", "this CPU", fake_steps(clock, {"fp32": 1.0, "bf16": 0.5}, calls), timer=clock)
    assert v.choice == "fp32" and v.reason == "GANSTUDIO_TUNING is off", "off ignores even a cached verdict"


def test_an_unwritable_data_folder_only_means_measuring_again(monkeypatch, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setenv("GANSTUDIO_HOME", str(blocker / "home"))  # a folder inside a file: cannot be made
    clock, calls = FakeClock(), []
    v = tuning.choose_bf16("k", "this CPU", fake_steps(clock, {"fp32": 1.0, "bf16": 0.5}, calls), timer=clock)
    assert v.choice == "bf16" and tuning.load_cache() == {}
