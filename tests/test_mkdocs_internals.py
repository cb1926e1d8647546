"""What ``generator/mkdocs_internals.py`` relies on in MkDocs and Material, checked by name and by
behaviour: an upgrade that changes any of it fails here, not as a live preview that quietly
differs from a build."""

from __future__ import annotations

import inspect
import os
import time
from pathlib import Path

import material
import mkdocs
import mkdocs.commands.build as mkdocs_build
import mkdocs.structure.pages as mkdocs_pages
import pytest
from mkdocs.config import load_config
from mkdocs.livereload import LiveReloadServer

from generator import mkdocs_internals as internals
from generator.plugin import BriefsPlugin

RELIED_ON = "generator/mkdocs_internals.py relies on it: read its docstring, then adapt it and this test"


def test_the_versions_this_was_checked_against() -> None:
    assert mkdocs.__version__ == "1.6.1", f"MkDocs {mkdocs.__version__}: {RELIED_ON}"
    assert material.__version__.startswith("9."), f"Material {material.__version__}: {RELIED_ON}"


@pytest.mark.parametrize(("name", "parameters"), [
    ("_populate_page", ["page", "config", "files", "dirty"]),
    ("_build_page", ["page", "config", "doc_files", "nav", "env", "dirty", "excluded"]),
    ("_build_theme_template", ["template_name", "env", "files", "config", "nav"]),
])
def test_mkdocs_builds_one_page_or_template_with_these_functions(name: str, parameters: list[str]) -> None:
    function = getattr(mkdocs_build, name, None)
    assert function is not None, f"mkdocs.commands.build.{name} is gone: {RELIED_ON}"
    assert list(inspect.signature(function).parameters) == parameters, f"{name} changed: {RELIED_ON}"


@pytest.mark.parametrize(("name", "parameters"), [
    ("_RawHTMLPreprocessor", []),
    ("_ExtractAnchorsTreeprocessor", ["file", "files", "config"]),
    ("_RelativePathTreeprocessor", ["file", "files", "config"]),
])
def test_mkdocs_converts_a_page_with_these_markdown_processors(name: str, parameters: list[str]) -> None:
    processor = getattr(mkdocs_pages, name, None)
    assert processor is not None, f"mkdocs.structure.pages.{name} is gone: {RELIED_ON}"
    assert list(inspect.signature(processor).parameters) == parameters, f"{name} changed: {RELIED_ON}"
    assert callable(getattr(processor, "_register", None)), f"{name}._register: {RELIED_ON}"


def test_a_part_converts_as_mkdocs_converts_its_page(built: internals.Built) -> None:
    """Links become the page's relative URLs, anchors are found, links to anchors are kept to check."""
    file = built.files.get_file_from_path("attacks/example-market-bombing.md")
    assert file is not None and file.page is not None
    text = "See [the group](../actors/example-group.md) and [a work](../sources/index.md#ref-doe2023).\n{: #here }"
    html, anchors = internals.markdown_converter(file.page, built.config, built.files)(text)
    assert html == ('<p id="here">See <a href="../../actors/example-group/">the group</a> and '
                    '<a href="../../sources/#ref-doe2023">a work</a>.</p>')
    assert anchors == {"here"}
    sources = built.files.get_file_from_path("sources/index.md")
    assert file.page.links_to_anchors is not None and sources in file.page.links_to_anchors, RELIED_ON


def test_the_live_reload_server_takes_a_builder_and_serves_a_folder() -> None:
    parameters = inspect.signature(LiveReloadServer).parameters
    assert {"builder", "host", "port", "root", "mount_path"} <= set(parameters), RELIED_ON
    for method in ("watch", "serve", "shutdown", "serve_request", "set_app"):
        assert callable(getattr(LiveReloadServer, method, None)), f"LiveReloadServer.{method}: {RELIED_ON}"


def test_the_live_reload_server_watches_files_with_its_observer(tmp_path: Path) -> None:
    """``watch`` schedules on the server's ``observer``: the one given our ``stat`` looks at the files."""
    looked_at: list[str] = []

    def stat(path: str) -> os.stat_result:
        looked_at.append(path)
        return os.stat(path)

    (tmp_path / "record.yaml").write_text("title: A\n")
    server = internals.live_reload_server(lambda: None, "127.0.0.1", 0, str(tmp_path), "/", stat=stat)
    try:
        server.watch(str(tmp_path))
        server.observer.start()
        deadline = time.monotonic() + 10
        while str(tmp_path / "record.yaml") not in looked_at and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        server.observer.stop()
        server.observer.join()
        server.server_close()
    assert str(tmp_path / "record.yaml") in looked_at, f"LiveReloadServer.observer: {RELIED_ON}"


@pytest.fixture
def built(project, tmp_path: Path) -> internals.Built:
    config_file = project("basic")
    (config_file.parent / "node_modules").symlink_to(Path(__file__).resolve().parents[1] / "node_modules")
    config = load_config(str(config_file), site_dir=str(tmp_path / "site"))
    mkdocs_build.build(config)
    plugin = config.plugins["briefs"]
    assert isinstance(plugin, BriefsPlugin) and plugin.files and plugin.nav and plugin.env
    return internals.Built(config, plugin.files, plugin.nav, plugin.env)


def test_a_page_populated_and_rendered_again_is_the_page_the_build_wrote(built: internals.Built) -> None:
    file = built.files.get_file_from_path("attacks/example-market-bombing.md")
    assert file is not None and file.page is not None
    written = Path(file.abs_dest_path).read_bytes()
    Path(file.abs_dest_path).unlink()
    built.config.plugins.on_pre_build(config=built.config)
    internals.populate(built, [file.page])
    built.config.plugins.on_env(built.env, config=built.config, files=built.files)
    internals.render(built, [file.page], built.files.documentation_pages())
    assert Path(file.abs_dest_path).read_bytes() == written


def test_the_theme_templates_are_written_again(built: internals.Built) -> None:
    page = Path(built.config.site_dir) / "404.html"  # the fixture names no address: no sitemap
    written = page.read_bytes()
    page.unlink()
    internals.render_theme_templates(built)
    assert page.read_bytes() == written


def test_material_tags_keeps_each_pages_tags_by_url_and_its_listings_in_a_set(built: internals.Built) -> None:
    plugin = internals.tags_plugin(built.config)
    assert plugin is not None, RELIED_ON
    assert isinstance(plugin.mappings.data, dict) and isinstance(plugin.listings.data, set), RELIED_ON
    page = built.files.get_file_from_path("attacks/example-market-bombing.md").page  # type: ignore[union-attr]
    assert page.url in plugin.mappings.data, RELIED_ON
    internals.forget_tags(built.config, [page.url])
    assert page.url not in plugin.mappings.data
    internals.reset_tag_listings(built.config)
    assert plugin.listings.data == set()


def test_material_tags_can_be_held_from_filling_its_listings_and_writing_its_file(built: internals.Built) -> None:
    """The tags plugin fills every listing and writes its file of every page's tags in on_env, unless
    it is disabled; held, it does neither, and is enabled again after."""
    plugin = internals.tags_plugin(built.config)
    assert plugin is not None and plugin.config.export and plugin.listings.data, RELIED_ON
    exported = Path(built.config.site_dir) / plugin.config.export_file
    written = exported.read_bytes()
    exported.unlink()

    def listed() -> int:
        return sum(len(tree.mappings) for listing in plugin.listings for tree in listing)

    before = listed()
    with internals.tags_held(built.config):
        built.config.plugins.on_env(built.env, config=built.config, files=built.files)
    assert not exported.exists() and listed() == before and plugin.config.enabled
    built.config.plugins.on_env(built.env, config=built.config, files=built.files)
    assert exported.read_bytes() == written and listed() > before, RELIED_ON  # filled again: once more each


def test_material_search_starts_a_fresh_index_on_config(built: internals.Built) -> None:
    """A partial build makes Material's search index again from the pages it renders."""
    search = built.config.plugins["material/search"]
    assert search.search_index.entries, "the build indexed the home page"
    search.on_config(built.config)
    assert search.search_index.entries == [], RELIED_ON


def test_no_other_module_imports_mkdocs_internals() -> None:
    package = Path(internals.__file__).parent
    offenders = [path.name for path in package.glob("*.py") if path.name != "mkdocs_internals.py"
                 and any(name in path.read_text() for name in ("_populate_page", "_build_page", "livereload",
                                                                 "mappings.data", "listings.data", "Treeprocessor(",
                                                                 "_RawHTMLPreprocessor"))]
    assert offenders == []


def test_converting_a_page_sets_what_a_second_core_sends_back(built: internals.Built) -> None:
    """second_core.py hands a page what ``Page.render`` sets on it; it must be all that it sets."""
    import pickle

    file = built.files.get_file_from_path("attacks/example-market-bombing.md")
    assert file is not None and file.page is not None
    page = file.page
    page.read_source(built.config)
    before = dict(vars(page))
    page.render(built.config, built.files)
    changed = {name for name, value in vars(page).items() if name not in before or before[name] is not value}
    assert changed == {"content", "toc", "_title_from_render", "present_anchor_ids", "links_to_anchors"}, RELIED_ON
    rendered = {name: vars(page)[name] for name in changed}
    assert rendered["links_to_anchors"], "the page links to an anchor of another page"

    _, done = internals.convert_page(page, built.config, built.files)
    for name in changed:
        setattr(page, name, None)
    internals.set_converted(page, pickle.loads(pickle.dumps(done)), built.files)  # as it crosses the pipe
    assert {name: vars(page)[name] for name in changed if name != "toc"} == {
        name: value for name, value in rendered.items() if name != "toc"}
    assert str(page.toc) == str(rendered["toc"]) and [a.id for a in page.toc] == [a.id for a in rendered["toc"]]
