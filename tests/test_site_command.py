"""`mentorkit site build|serve|export`: MkDocs (and the Zensical route) through the kit, nothing else on PATH.

The build must be the very site `mkdocs build` makes (compared byte for byte), without Material's end-of-life
banner and without colour under NO_COLOR; the preview must serve the generated pages and rebuild on a saved change;
the export must build with the real Zensical, offline.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from mentorkit.cli import main

REPO = Path(__file__).resolve().parent.parent
EPOCH = "1767225600"
ANSI = "\x1b["


def copy_site_sources(dest: Path) -> Path:
    for name in ("program", "agendas", "participants", "docs", "templates"):
        shutil.copytree(REPO / name, dest / name)
    shutil.copy(REPO / "mkdocs.yml", dest / "mkdocs.yml")
    return dest


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def run(args: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess:
    """A fresh process with a plain environment: no NO_MKDOCS_2_WARNING from the caller, no terminal."""
    base = {k: v for k, v in os.environ.items() if k not in ("NO_MKDOCS_2_WARNING", "NO_COLOR", "FORCE_COLOR")}
    base["PYTHONPATH"] = str(REPO / "scripts")
    return subprocess.run([sys.executable, *args], cwd=cwd, env={**base, **env}, capture_output=True, text=True,
                          timeout=600)


@pytest.mark.slow
def test_site_build_makes_the_site_mkdocs_makes_without_banner_or_colour(tmp_path):
    ours = run(["-m", "mentorkit", "site", "build", "--strict", "-d", str(tmp_path / "ours")], REPO,
               SOURCE_DATE_EPOCH=EPOCH, NO_COLOR="1")
    assert ours.returncode == 0, ours.stderr
    theirs = run(["-m", "mkdocs", "build", "--strict", "-d", str(tmp_path / "theirs")], REPO,
                 SOURCE_DATE_EPOCH=EPOCH, NO_MKDOCS_2_WARNING="1")
    assert theirs.returncode == 0, theirs.stderr
    mine, reference = tree(tmp_path / "ours"), tree(tmp_path / "theirs")
    assert "programs/index.html" in mine and "calendar/index.html" in mine
    assert sorted(mine) == sorted(reference)
    assert [name for name in mine if mine[name] != reference[name]] == []
    output = ours.stdout + ours.stderr
    assert "end of life" not in output and "Zensical" not in output and "MkDocs 2" not in output
    assert ANSI not in output
    assert "INFO    -  Documentation built in" in ours.stderr  # MkDocs' own lines, as its command prints them
    assert ours.stdout.startswith(f"The site is in {tmp_path / 'ours'};")


@pytest.mark.slow  # a whole MkDocs build in a subprocess
def test_strict_build_stops_on_a_warning_with_a_message_and_no_traceback(tmp_path):
    root = copy_site_sources(tmp_path / "repo")
    with (root / "docs" / "faq.md").open("a", encoding="utf-8") as fh:
        fh.write("\nSee [the old page](no-such-page.md).\n")
    result = CliRunner().invoke(main, ["site", "build", "--strict", "-q", "--root", str(root),
                                       "-d", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert "faq.md" in result.stderr and "no-such-page.md" in result.stderr  # MkDocs' warning names file and link
    assert "Error: the site was not built: --strict" in result.stderr
    assert "Traceback" not in result.output + result.stderr
    # without --strict the same site builds, with the warning shown
    lenient = CliRunner().invoke(main, ["site", "build", "-q", "--root", str(root), "-d", str(tmp_path / "out")])
    assert lenient.exit_code == 0, lenient.stderr
    assert "no-such-page.md" in lenient.stderr and (tmp_path / "out" / "faq" / "index.html").is_file()


def test_a_folder_without_mkdocs_yml_is_a_clear_error(base_workspace):
    for command in (["site", "build"], ["site", "serve"]):
        result = CliRunner().invoke(main, [*command, "--root", str(base_workspace)])
        assert result.exit_code == 1
        assert result.stderr == f"Error: {base_workspace / 'mkdocs.yml'} not found: run this in the program " \
                                "repository, or pass --root\n"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, until: float) -> str:
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.read().decode("utf-8")
        except OSError:
            if time.monotonic() > until:
                raise
            time.sleep(0.5)


@pytest.mark.slow
def test_site_serve_previews_the_generated_pages_and_rebuilds_on_a_save(tmp_path):
    root = copy_site_sources(tmp_path / "repo")
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("NO_MKDOCS_2_WARNING",)}
    env.update(PYTHONPATH=str(REPO / "scripts"), NO_COLOR="1", no_proxy="127.0.0.1", NO_PROXY="127.0.0.1")
    server = subprocess.Popen([sys.executable, "-m", "mentorkit", "site", "serve", "--dev-addr", f"127.0.0.1:{port}"],
                              cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        base = f"http://127.0.0.1:{port}/"
        deadline = time.monotonic() + 300
        assert "Programs" in _get(base + "programs/", deadline)  # a page the mentorkit plugin generates
        faq = root / "docs" / "faq.md"
        faq.write_text(faq.read_text(encoding="utf-8") + "\nA sentence added while the preview runs.\n",
                       encoding="utf-8")
        while "A sentence added while the preview runs." not in _get(base + "faq/", deadline):
            assert time.monotonic() < deadline, "the preview was not rebuilt after a save"
            time.sleep(0.5)
    finally:
        server.terminate()
        _, err = server.communicate(timeout=60)
    assert "end of life" not in err and ANSI not in err
    assert f"Serving on http://127.0.0.1:{port}/" in err


@pytest.mark.slow
def test_the_zensical_route_builds_the_exported_site_offline(tmp_path):
    """`mentorkit site export` then the real Zensical (the test extra installs it), which needs no network."""
    out = tmp_path / "prerendered"
    result = CliRunner().invoke(main, ["site", "export", str(out), "--root", str(REPO)])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"wrote {out / 'mkdocs.yml'}; build it with: zensical build -f {out / 'mkdocs.yml'}\n"
    config = yaml.safe_load((out / "mkdocs.yml").read_text(encoding="utf-8"))
    assert "mentorkit" not in str(config.get("plugins"))
    nowhere = "http://127.0.0.1:9"  # any download would fail: the build must not need one
    env = {k: v for k, v in os.environ.items() if k.lower() != "no_proxy"}
    env.update(http_proxy=nowhere, https_proxy=nowhere, HTTP_PROXY=nowhere, HTTPS_PROXY=nowhere)
    build = subprocess.run([sys.executable, "-m", "zensical", "build", "--strict", "-f", str(out / "mkdocs.yml")],
                           cwd=out, env=env, capture_output=True, text=True, timeout=600)
    assert build.returncode == 0, build.stdout + build.stderr
    site = out / "site"
    demo = yaml.safe_load((REPO / "program" / "grow.yaml").read_text(encoding="utf-8"))
    page = (site / "programs" / "grow" / "index.html").read_text(encoding="utf-8")
    assert demo["title"] in page  # a page the plugin would generate, built without the plugin
    assert (site / "calendar" / "index.html").is_file() and any(site.rglob("*.ics"))
