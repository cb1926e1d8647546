"""Everything the live preview uses of MkDocs' and Material's internals, and nothing else.

A live preview renders again a few pages of a site MkDocs has already built. MkDocs 1.6 has no
public interface for that, so this module calls what its own ``build()`` calls for one page or one
theme template (``mkdocs.commands.build._populate_page``, ``_build_page``, ``_build_theme_template``),
serves the site with MkDocs' live-reload server (``mkdocs.livereload.LiveReloadServer``, the one
``mkdocs serve`` uses; its ``observer`` replaced by the same watchdog observer with a ``stat`` of our
own), converts parts of a long page as MkDocs converts the page (with the Markdown processors of
``mkdocs.structure.pages``: ``_RawHTMLPreprocessor``, ``_ExtractAnchorsTreeprocessor``,
``_RelativePathTreeprocessor``), and keeps Material's tags plugin, which gathers every page's tags, in step
with pages that are added, removed or rendered again (its ``mappings`` and ``listings``).

A build on two cores (second_core.py) converts a page in a child process as ``_populate_page``
does, bar the plugins' events (``MkDocsConfig._current_page``, ``Page.read_source``, ``Page.render``),
and hands this process what ``Page.render`` sets: ``content``, ``toc``, ``_title_from_render``,
``present_anchor_ids`` and ``links_to_anchors``.

The risk is bounded but real: MkDocs 1.6.1 is the last 1.x release (MkDocs 2 is another program),
and a 1.x bug-fix release, or a Material release, may still rename or change any of these.
``tests/test_mkdocs_internals.py`` checks each one by name and behaviour, so an upgrade fails there,
loudly, rather than as a preview that quietly differs from a build.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, NamedTuple

import markdown
from jinja2 import Environment
from mkdocs.commands.build import _build_page, _build_theme_template, _populate_page
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.livereload import LiveReloadServer
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import (
    Page,
    _ExtractAnchorsTreeprocessor,
    _RawHTMLPreprocessor,
    _RelativePathTreeprocessor,
)
from watchdog.observers.polling import PollingObserverVFS

TAGS_PLUGINS = ("material/tags", "tags")
WATCH_INTERVAL = 0.5  # seconds between two looks at the watched files, as under mkdocs serve


@dataclass
class Built:
    """What MkDocs built a site from; partial builds change it and render with it."""

    config: MkDocsConfig
    files: Files
    nav: Navigation
    env: Environment


def populate(built: Built, pages: Iterable[Page]) -> None:
    """Read each page's Markdown and convert it, with every plugin's page events, as a build does."""
    for page in pages:
        _populate_page(page, built.config, built.files)


def render(built: Built, pages: Iterable[Page], doc_files: Sequence[File]) -> None:
    """Render each page through the theme and write it, as a build does, with the site's pages
    (``Files.documentation_pages``: those a build, or ``mkdocs serve``, renders)."""
    for page in pages:
        _build_page(page, built.config, doc_files, built.nav, built.env, excluded=page.file.inclusion.is_excluded())


def render_theme_templates(built: Built) -> None:
    """The theme's own files (sitemap.xml, 404.html), which list or link every page."""
    for name in built.config.theme.static_templates:
        _build_theme_template(name, built.env, built.files, built.config, built.nav)


def inclusion(serving: bool) -> Callable[[Any], bool]:
    from mkdocs.structure.files import InclusionLevel

    return InclusionLevel.is_in_serve if serving else InclusionLevel.is_included  # type: ignore[return-value]


def markdown_converter(page: Page, config: MkDocsConfig, files: Files) -> Callable[[str], tuple[str, set[str]]]:
    """Markdown → HTML as MkDocs converts ``page``: the site's extensions, links to other pages made
    relative URLs (and checked), and the anchors the HTML has. For parts of a long page (``parts``)."""
    md = markdown.Markdown(extensions=config.markdown_extensions, extension_configs=config.mdx_configs or {})
    raw_html = _RawHTMLPreprocessor()
    raw_html._register(md)
    anchors = _ExtractAnchorsTreeprocessor(page.file, files, config)
    anchors._register(md)
    links = _RelativePathTreeprocessor(page.file, files, config)
    links._register(md)

    def convert(text: str) -> tuple[str, set[str]]:
        md.reset()
        anchors.present_anchor_ids = set()
        if page.links_to_anchors is not None:
            links.links_to_anchors = page.links_to_anchors  # checked with the page's own, at the build's end
        html = md.convert(text)
        return html, anchors.present_anchor_ids | raw_html.present_anchor_ids

    return convert


class Converted(NamedTuple):
    """What ``Page.render`` sets on a page, as it pickles: the files linked to, by their path."""

    content: str
    toc: Any
    title: str | None
    anchors: set[str] | None
    links: dict[str, dict[str, str]] | None


def convert_page(page: Page, config: MkDocsConfig, files: Files) -> tuple[str, Converted]:
    """(the Markdown, what converting it set): ``_populate_page`` without the plugins' events."""
    config._current_page = page
    try:
        page.read_source(config)
        markdown = page.markdown
        assert markdown is not None
        page.render(config, files)
    finally:
        config._current_page = None
    links = page.links_to_anchors
    return markdown, Converted(page.content or "", page.toc, page._title_from_render, page.present_anchor_ids,
                               None if links is None else {file.src_uri: found for file, found in links.items()})


def set_converted(page: Page, done: Converted, files: Files) -> None:
    """Leave ``page`` as converting it here would have."""
    page.content, page.toc, page._title_from_render, page.present_anchor_ids = (
        done.content, done.toc, done.title, done.anchors)
    if done.links is not None:
        linked = {path: files.get_file_from_path(path) for path in done.links}
        page.links_to_anchors = {file: done.links[path] for path, file in linked.items() if file is not None}


def tags_plugin(config: MkDocsConfig) -> Any | None:
    return next((config.plugins[name] for name in TAGS_PLUGINS if name in config.plugins), None)


def forget_tags(config: MkDocsConfig, urls: Iterable[str]) -> None:
    """Material's tags plugin keeps every page's tags by URL: a removed page's must go with it."""
    plugin = tags_plugin(config)
    if plugin is not None and plugin.mappings is not None:
        for url in urls:
            plugin.mappings.data.pop(url, None)


def order_tags(config: MkDocsConfig, pages: Iterable[Page]) -> None:
    """The plugin keeps pages' tags in the order their pages were read (its tags.json lists them so):
    a partial build reads some pages again, and adds new ones last; a build reads all in order."""
    plugin = tags_plugin(config)
    if plugin is not None and plugin.mappings is not None:
        kept = plugin.mappings.data
        plugin.mappings.data = {page.url: kept[page.url] for page in pages if page.url in kept}


def reset_tag_listings(config: MkDocsConfig) -> None:
    """Listings are gathered afresh from the pages that hold them, as those pages are populated
    again; left in place, the plugin would add every page to its old listings a second time."""
    plugin = tags_plugin(config)
    if plugin is not None and plugin.listings is not None:
        plugin.listings.data.clear()


@contextmanager
def tags_held(config: MkDocsConfig) -> Iterator[None]:
    """Material's tags plugin fills every listing and writes every page's tags to a file (tags.json)
    in each build's ``on_env``: within this block it does neither (a live preview does both later,
    with the pages that hold the listings). Its tags on the pages rendered meanwhile are unchanged:
    they depend on each listing's page and settings, which stay, not on what the listings hold."""
    plugin = tags_plugin(config)
    if plugin is None or not plugin.config.enabled:
        yield
        return
    plugin.config.enabled = False
    try:
        yield
    finally:
        plugin.config.enabled = True


def live_reload_server(builder: Callable[[], None], host: str, port: int, root: str, mount_path: str,
                       stat: Callable[[str], os.stat_result] = os.stat) -> Any:
    """The server ``mkdocs serve`` uses: it serves ``root``, calls ``builder`` after a watched file
    changes, and reloads the browsers once the builder has returned. It looks at the watched files
    as ``mkdocs serve`` does, with watchdog's polling observer, but through ``stat``."""
    server = LiveReloadServer(builder=builder, host=host, port=port, root=root, mount_path=mount_path)
    # PollingObserverVFS is PollingObserver with its stat and listdir given (it is not a subclass)
    server.observer = PollingObserverVFS(stat, os.scandir, polling_interval=WATCH_INTERVAL)  # type: ignore[assignment]
    return server


log = logging.getLogger("mkdocs.plugins.briefs")
