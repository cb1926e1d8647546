"""Compiled theme templates reused across rebuilds, never stale."""

from pathlib import Path

from jinja2 import Environment, FileSystemLoader

from generator.compiled import CompiledTemplates

BLOCK = "{% if true %}\nshown\n{% endif %}\n"


def _environment(folder: Path, cache: CompiledTemplates, **settings: bool) -> Environment:
    """A new environment per build, as MkDocs makes for its theme."""
    return Environment(loader=FileSystemLoader(folder), bytecode_cache=cache, **settings)


def test_a_rebuild_reuses_what_the_last_build_compiled(tmp_path: Path) -> None:
    (tmp_path / "page.html").write_text(BLOCK)
    cache = CompiledTemplates()
    first = _environment(tmp_path, cache).get_template("page.html")
    again = _environment(tmp_path, cache).get_template("page.html")
    assert again.root_render_func.__code__ is first.root_render_func.__code__


def test_an_edited_template_is_compiled_afresh(tmp_path: Path) -> None:
    template = tmp_path / "page.html"
    template.write_text(BLOCK)
    cache = CompiledTemplates()
    _environment(tmp_path, cache).get_template("page.html")
    template.write_text(BLOCK.replace("shown", "edited"))
    assert _environment(tmp_path, cache).get_template("page.html").render() == "\nedited\n"


def test_other_compiler_settings_do_not_share_code(tmp_path: Path) -> None:
    (tmp_path / "page.html").write_text(BLOCK)
    cache = CompiledTemplates()
    assert _environment(tmp_path, cache).get_template("page.html").render() == "\nshown\n"
    trimmed = _environment(tmp_path, cache, trim_blocks=True).get_template("page.html")
    assert trimmed.render() == "shown\n"
