"""The commands on the published site: build, serve (preview) and export (for Zensical), MkDocs run in-process."""

from __future__ import annotations

from pathlib import Path

import click

from .shell import main, resolve_root, root_option


@main.group("site")
def site_group() -> None:
    """Build, preview or export the program's site.

    MkDocs runs inside mentorkit, so nothing else needs to be installed or on PATH.
    """


@site_group.command("build")
@root_option
@click.option("--strict", is_flag=True, help="Fail on any warning (a broken link, a page missing from the nav), "
                                             "as the Check and Publish workflows do.")
@click.option("-d", "--site-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Write the site to this folder (default: site/, as mkdocs.yml says).")
@click.option("-q", "--quiet", is_flag=True, help="Show only warnings and errors.")
def site_build(root: Path | None, strict: bool, site_dir: Path | None, quiet: bool) -> None:
    """Build the site (what the Publish workflow deploys)."""
    from ..site import mkdocs_api

    out = mkdocs_api.build(resolve_root(root), strict=strict, site_dir=site_dir, quiet=quiet)
    click.echo(f"The site is in {out}; open index.html there, or preview it with `mentorkit site serve`.")


@site_group.command("serve")
@root_option
@click.option("-a", "--dev-addr", metavar="IP:PORT", default=None,
              help="Where to serve the preview (default: 127.0.0.1:8000, only this computer).")
@click.option("--open", "open_browser", is_flag=True, help="Open the preview in the web browser once it is built.")
def site_serve(root: Path | None, dev_addr: str | None, open_browser: bool) -> None:
    """Preview the site on this computer.

    It is served at http://127.0.0.1:8000/ and rebuilt whenever a file is saved; Ctrl+C stops it.
    """
    from ..site import mkdocs_api

    mkdocs_api.serve(resolve_root(root), dev_addr=dev_addr, open_browser=open_browser)


@site_group.command("export")
@click.argument("out", type=click.Path(file_okay=False, path_type=Path))
@root_option
def site_export(out: Path, root: Path | None) -> None:
    """Write the site's pages filled in, for Zensical.

    OUT gets docs/ (every page, the generated ones included) and a mkdocs.yml without the mentorkit plugin;
    then `zensical build -f OUT/mkdocs.yml` builds the site (docs/install.md).
    """
    from ..site.export import export

    written = export(resolve_root(root), out)
    click.echo(f"wrote {written}; build it with: zensical build -f {written}")
