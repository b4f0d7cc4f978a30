"""Save and load a lab run: settings, data, both networks and their optimisers, in one file.

Written and read through `modelfiles.torchio`, so a lab file is saved atomically and loaded
without running code, like every other file of the studio.
"""

from __future__ import annotations

from pathlib import Path

import torch

from ganstudio.core.errors import UserError
from ganstudio.lab.session import LabSession
from ganstudio.lab.settings import from_dict, to_dict
from ganstudio.modelfiles.torchio import atomic_torch_save, safe_torch_load

FORMAT, VERSION = "ganstudio-lab", 1


def save_lab(session: LabSession, path: str | Path) -> Path:
    obj = {"format": FORMAT, "version": VERSION, "settings": to_dict(session.settings),
           "step": session.step_count, "drawn": None if session.drawn is None else torch.from_numpy(session.drawn),
           "G": session.G.state_dict(), "D": session.D.state_dict(),
           "opt_g": session.opt_g.state_dict(), "opt_d": session.opt_d.state_dict(), "rng": session.gen.get_state()}
    return atomic_torch_save(obj, path)


def load_lab(path: str | Path) -> LabSession:
    """A session that continues the saved run exactly, from its step (its history starts there)."""
    obj = safe_torch_load(path, FORMAT, VERSION)
    try:
        drawn = obj["drawn"].numpy() if obj.get("drawn") is not None else None
        session = LabSession(from_dict(dict(obj["settings"])), drawn)
        session.G.load_state_dict(obj["G"])
        session.D.load_state_dict(obj["D"])
        session.opt_g.load_state_dict(obj["opt_g"])
        session.opt_d.load_state_dict(obj["opt_d"])
        session.gen.set_state(obj["rng"])
    except (KeyError, RuntimeError, ValueError, TypeError, AttributeError):
        raise UserError(f"{Path(path).name} is a damaged lab file: part of it is missing or unreadable") from None
    session.step_count = int(obj.get("step", 0))
    session.history.clear()
    session.latest = session.snapshot("init")
    session.history.append(session.latest)
    return session
