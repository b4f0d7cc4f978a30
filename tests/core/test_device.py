"""What the status line says about the compute device."""

from __future__ import annotations

import pytest
import torch

from ganstudio.core.device import describe


@pytest.mark.parametrize("threads, text", [(1, "CPU (1 thread)"), (2, "CPU (2 threads)")])
def test_the_cpu_is_described_with_its_thread_count(monkeypatch, threads, text):
    monkeypatch.setattr(torch, "get_num_threads", lambda: threads)
    assert describe(torch.device("cpu")) == text
