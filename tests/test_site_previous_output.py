"""A new build into the folder of an old one: the old files go while the new site is built, the folder as MkDocs
would leave it (site/mkdocs_api.py moves them aside and deletes them in a thread)."""

from __future__ import annotations

from pathlib import Path

from mentorkit.site.mkdocs_api import _previous_output_removed_meanwhile


def _old_site(site: Path) -> None:
    (site / "assets" / "js").mkdir(parents=True)
    (site / "assets" / "js" / "app.js").write_text("old")
    (site / "index.html").write_text("old")
    (site / "removed-page").mkdir()
    (site / "removed-page" / "index.html").write_text("old")
    (site / ".nojekyll").write_text("")  # hidden entries stay, as MkDocs keeps them
    (site / ".git").mkdir()


def test_the_old_files_are_gone_before_the_build_and_nothing_is_left_beside_the_folder(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    _old_site(site)
    (tmp_path / "other").write_text("not ours")
    with _previous_output_removed_meanwhile(site):
        assert sorted(p.name for p in site.iterdir()) == [".git", ".nojekyll"]
        (site / "index.html").write_text("new")  # the build writes the same names again
        (site / "assets").mkdir()
    assert sorted(p.relative_to(site).as_posix() for p in site.rglob("*")) == [
        ".git", ".nojekyll", "assets", "index.html"]
    assert (site / "index.html").read_text() == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other", "site"]


def test_the_old_files_go_even_when_the_build_fails(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    _old_site(site)
    try:
        with _previous_output_removed_meanwhile(site):
            raise RuntimeError("the build failed")
    except RuntimeError:
        pass
    assert sorted(p.name for p in site.iterdir()) == [".git", ".nojekyll"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_a_missing_or_empty_site_folder_is_left_to_mkdocs(tmp_path):
    with _previous_output_removed_meanwhile(tmp_path / "site"):
        assert not (tmp_path / "site").exists()
    (tmp_path / "site").mkdir()
    with _previous_output_removed_meanwhile(tmp_path / "site"):
        pass
    assert [p.name for p in tmp_path.iterdir()] == ["site"]
