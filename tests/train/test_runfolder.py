

def test_a_new_run_never_lands_in_an_old_one(tmp_path):
    from ganstudio.train.runfolder import new_run_name, unused_run_dir

    assert unused_run_dir(tmp_path / "monet64") == tmp_path / "monet64"  # new
    (tmp_path / "monet64").mkdir()
    assert unused_run_dir(tmp_path / "monet64") == tmp_path / "monet64"  # empty
    (tmp_path / "monet64" / "config.json").write_text("{}")
    (tmp_path / "monet64-2").mkdir()
    assert unused_run_dir(tmp_path / "monet64") == tmp_path / "monet64-3"
    assert new_run_name("my paintings/2026", "stylegan").startswith("stylegan-my-paintings-2026-")
