"""Every lesson's claim holds on the run it starts, headless."""

from __future__ import annotations

import pytest

from ganstudio.lab.lessons import COURSE, LESSONS, check, lesson
from ganstudio.lab.settings import check as check_settings


@pytest.mark.parametrize("key", [x.key for x in LESSONS])
def test_lesson_claim_holds(key):
    holds, figures = check(lesson(key))
    assert holds, f"{key}: {figures}"


def test_lessons_are_complete_and_their_settings_valid():
    assert [x.key for x in LESSONS] == ["minimax", "vanishing", "collapse", "instability", "evaluation"]
    assert [x.key for x in COURSE] == [*(x.key for x in LESSONS), "images"]  # then the step to images
    for x in LESSONS:
        check_settings(x.preset)
        if x.fix is not None:
            check_settings(x.fix)
            assert x.fix_label and x.fix != x.preset
        sentences = x.text.count(". ") + 1
        assert 2 <= sentences <= 3 and x.question.endswith("?") and x.claim


def test_a_claim_that_is_false_is_reported_false():
    """The check judges the figures: a claim reversed fails on the same run."""
    vanishing = lesson("vanishing")
    holds, figures = check(vanishing)
    swapped = {**figures, "grad_g_saturating": figures["grad_g_non_saturating"],
               "grad_g_non_saturating": figures["grad_g_saturating"]}
    assert holds and not vanishing.holds(swapped)
