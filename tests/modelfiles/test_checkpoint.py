import pytest
import torch

from ganstudio.core.atomic import FILE_MODE, atomic_file, atomic_write
from ganstudio.core.errors import UserError
from ganstudio.modelfiles.checkpoint import FORMAT, VERSION, load_checkpoint, save_checkpoint
from ganstudio.modelfiles.torchio import atomic_torch_save, safe_torch_load


def test_failed_write_leaves_old_file_untouched(tmp_path):
    target = tmp_path / "model.pt"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError), atomic_file(target) as fh:
        fh.write(b"half of the new")
        raise RuntimeError("disk went away")
    assert target.read_bytes() == b"old"
    assert list(tmp_path.iterdir()) == [target], "no temporary file may be left behind"


def test_unwritable_folder_is_a_user_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(UserError, match="cannot write"):
        atomic_torch_save({"a": 1}, blocker / "sub" / "x.pt")


def test_keep_last_k(tmp_path):
    for step in (10, 20, 30, 40):
        save_checkpoint(tmp_path, step, {"steps": 1}, {"nets": {}}, {}, keep_last=2)
    names = sorted(p.name for p in (tmp_path / "checkpoints").iterdir())
    assert names == ["ckpt_00000030.pt", "ckpt_00000040.pt"]
    assert load_checkpoint(tmp_path)["step"] == 40


class Evil:
    def __reduce__(self):
        return (print, ("pwned",))


def test_malicious_pickle_is_refused(tmp_path):
    path = tmp_path / "evil.pt"
    torch.save({"format": FORMAT, "version": VERSION, "payload": Evil()}, path)
    with pytest.raises(UserError, match="refusing"):
        safe_torch_load(path, FORMAT, VERSION)


def test_foreign_truncated_and_newer_files(tmp_path):
    foreign = tmp_path / "foreign.pt"
    torch.save({"state_dict": {"w": torch.zeros(2)}}, foreign)
    with pytest.raises(UserError, match="not a GAN Studio"):
        load_checkpoint(foreign)
    good = tmp_path / "ckpt_00000001.pt"
    save_checkpoint(tmp_path, 1, {}, {"nets": {}}, {}, keep_last=5)
    data = (tmp_path / "checkpoints" / good.name).read_bytes()
    good.write_bytes(data[: len(data) // 2])
    with pytest.raises(UserError, match="truncated"):
        load_checkpoint(good)
    newer = tmp_path / "newer.pt"
    torch.save({"format": FORMAT, "version": VERSION + 1}, newer)
    with pytest.raises(UserError, match="newer GAN Studio"):
        load_checkpoint(newer)
    text = tmp_path / "notes.pt"
    text.write_text("hello")
    with pytest.raises(UserError):
        load_checkpoint(text)


def test_atomic_files_get_the_same_permissions_as_open(tmp_path):
    """A finished file is readable like any other the user makes (mkstemp alone would give 0600)."""
    path = atomic_write(tmp_path / "f.bin", lambda fh: fh.write(b"x"))
    plain = tmp_path / "plain.bin"
    plain.write_bytes(b"x")
    assert path.stat().st_mode & 0o777 == plain.stat().st_mode & 0o777 == FILE_MODE


def test_atomic_folder_appears_whole_or_not_at_all(tmp_path):
    from ganstudio.core.atomic import DIR_MODE, atomic_folder

    with atomic_folder(tmp_path / "done") as tmp:
        (tmp / "a.txt").write_text("a")
    assert (tmp_path / "done" / "a.txt").read_text() == "a"
    assert (tmp_path / "done").stat().st_mode & 0o777 == DIR_MODE
    with pytest.raises(KeyboardInterrupt), atomic_folder(tmp_path / "cancelled") as tmp:
        (tmp / "a.txt").write_text("a")
        raise KeyboardInterrupt
    assert sorted(p.name for p in tmp_path.iterdir()) == ["done"]
