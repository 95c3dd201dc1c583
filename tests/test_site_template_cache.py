"""The plugin keeps MkDocs' compiled templates for the next build (Jinja's bytecode cache); a template whose
source changes is compiled again."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemBytecodeCache, FileSystemLoader

from mentorkit.site.build import SiteContent
from mentorkit.site.plugin import MentorkitPlugin, template_cache
from mentorkit.site.session import SiteSession


def _plugin(tmp_path: Path) -> MentorkitPlugin:
    plugin = MentorkitPlugin()
    plugin._session = SiteSession(tmp_path, SiteContent(), {})
    return plugin


def test_on_env_gives_an_environment_without_a_cache_the_kits(tmp_path):
    env = _plugin(tmp_path).on_env(Environment(), config=None, files=None)  # type: ignore[arg-type]
    assert isinstance(env.bytecode_cache, FileSystemBytecodeCache)
    mine = FileSystemBytecodeCache(str(tmp_path))
    kept = _plugin(tmp_path).on_env(Environment(bytecode_cache=mine), config=None, files=None)  # type: ignore[arg-type]
    assert kept.bytecode_cache is mine, "a cache the site set up itself is kept"


def test_a_cached_template_renders_as_compiled_and_a_changed_one_is_compiled_again(tmp_path):
    templates, cache = tmp_path / "templates", tmp_path / "cache"
    templates.mkdir()
    cache.mkdir()
    (templates / "page.html").write_text("{% for x in items %}<li>{{ x }}</li>{% endfor %}")

    def render() -> str:
        env = Environment(loader=FileSystemLoader(templates), bytecode_cache=FileSystemBytecodeCache(str(cache)))
        return env.get_template("page.html").render(items=[1, 2])

    assert render() == "<li>1</li><li>2</li>"
    assert list(cache.iterdir()), "compiled once, kept"
    assert render() == "<li>1</li><li>2</li>"
    (templates / "page.html").write_text("{% for x in items %}<p>{{ x }}</p>{% endfor %}")
    assert render() == "<p>1</p><p>2</p>"


def test_the_cache_is_the_users_own_folder():
    cache = template_cache()
    assert isinstance(cache, FileSystemBytecodeCache)
    folder = Path(cache.directory)
    assert folder.is_dir() and folder.stat().st_mode & 0o077 == 0
