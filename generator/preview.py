"""A live preview: one full build, then after each save a build of only what the save touched.

The generator (``generate.Generator``) says which generated pages' Markdown and which static files
changed; this module hands MkDocs exactly those, plus the pages whose HTML depends on them in
MkDocs' own ways: hand-written pages with a changed block, pages whose links point at a page that
came or went, tag listings, the pages Material's search index is made of, and the theme's sitemap.
Everything else stays as the last build wrote it. The result is the site a full build makes
(``tests/test_preview.py`` checks it byte for byte after random edits).

Under ``briefs serve`` a save that neither adds nor removes a page writes the pages of records and
source notes first. The pages made from many records (the indexes, Sources, Review, Timeline, tag
listings, the home page's blocks) and the data files (exports, search index, charts) follow once the
browsers reload (``finish``): they are what grows with the corpus, and a request for one of them
waits until it is written.

What the generator does not track falls back to a full build, said in one line: mkdocs.yml,
hand-written pages and other files in the docs folder, theme overrides, and any MkDocs plugin this
module does not know how to keep in step.
"""

from __future__ import annotations

import gc
import logging
import os
import threading
from collections.abc import Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files, set_exclusions
from mkdocs.structure.pages import Page

from . import mkdocs_internals as internals
from .check import load_corpus
from .corpus import Corpus, Project, forget_derived
from .diagnostics import Diagnostic, Severity
from .generate import Generator, StaticContent, Update
from .kept import KeptFiles, Signature, signature
from .memory import release_long_lived
from .plugin import BriefsPlugin, page_file, static_file
from .progress import Progress
from .vendor import ASSETS, THEME

log = logging.getLogger("mkdocs.plugins.briefs")

# Plugins whose state a partial build keeps in step; with any other, every build is a full one.
KNOWN_PLUGINS = {"briefs", "material/search", "material/tags"}
TAGS_DIRECTIVE = "<!-- material/tags"


@dataclass
class Site:
    """The last good build: MkDocs' objects, and what partial builds need to know about them."""

    built: internals.Built
    plugin: BriefsPlugin
    project: Project
    base: list[File]  # the files a build lists before the generated ones: hand-written pages, assets
    outside: dict[str, Signature]  # files a change of which needs a full build
    partial: bool  # False: a plugin this module does not know; every change is built in full
    markers: dict[str, list[File]] = field(default_factory=dict)  # hand-written pages by block marker
    listings: list[File] = field(default_factory=list)  # pages with a tag listing
    _pages: dict[bool | None, tuple[Files, Sequence[File]]] = field(default_factory=dict)

    def documentation_pages(self, serving: bool | None = None) -> Sequence[File]:
        """The site's pages (those a build, or with ``serving`` set those ``mkdocs serve``, renders):
        found once per collection of files, not by each step of a save (11,000 files at 2,000 records)."""
        kept = self._pages.get(serving)
        if kept is None or kept[0] is not self.built.files:
            files = self.built.files
            found = (files.documentation_pages() if serving is None
                     else files.documentation_pages(inclusion=internals.inclusion(serving)))
            kept = self._pages[serving] = (files, found)
        return kept[1]


class FullBuild(Exception):
    """A change a partial build cannot make: the whole site is built again."""


class Preview:
    """Builds a project's site into ``site_dir`` and keeps it up to date with its files."""

    def __init__(self, config_file: Path, site_dir: Path, serve_url: str | None = None,
                 progress: Progress | None = None) -> None:
        self.config_file, self.site_dir, self.serve_url = config_file, site_dir, serve_url
        self.progress = progress or Progress()  # shown during full builds
        self.kept = KeptFiles(forget_derived)
        self.site: Site | None = None
        self.problems: list[Diagnostic] = []  # content errors the site does not show yet
        # What a save left for after the browsers reloaded (``finish``): pages made from many records, data files.
        self.pending: Pending | None = None
        self.statics: dict[str, StaticContent] = {}  # the static files written last, by site path
        self.lock = threading.RLock()  # one build at a time: a save's, or the rest of the last

    # ------------------------------------------------------------------ full builds

    def build(self) -> None:
        """A full build, as ``mkdocs build`` (or the first build of ``mkdocs serve``) makes it; with
        content errors, none (``problems`` names them) and the site stays as it was."""
        with self.lock:
            self.pending = None
            self._build_all()

    def _build_all(self) -> None:
        config = self._config()
        plugin = config.plugins["briefs"]
        assert isinstance(plugin, BriefsPlugin)
        if self.site is not None:  # the last build's objects were set aside (memory.py): let them go
            self.site = None
            release_long_lived()
            gc.collect()
        corpus = load_corpus(plugin.project_in(config), self.kept, self.progress)
        if any(d.severity is Severity.ERROR for d in corpus.diagnostics):
            self.progress.finish()
            self.problems = corpus.diagnostics
            return
        plugin.progress = self.progress
        plugin.corpus, plugin.generator, plugin.kept = corpus, Generator(), self.kept
        del corpus  # the generator holds it from here
        mkdocs_build(config, serve_url=self.serve_url)
        assert plugin.files is not None and plugin.nav is not None and plugin.env is not None
        gc.collect()  # the build's garbage, then what lives on set aside from the collector (memory.py):
        gc.freeze()  # the collector then goes over what each save makes, not over the whole site
        self.problems = []
        generated = plugin.generated | set(plugin.update.statics if plugin.update else ())
        base = [file for file in plugin.files if file.src_uri not in generated]
        assert plugin.project is not None
        self.site = Site(internals.Built(config, plugin.files, plugin.nav, plugin.env), plugin, plugin.project, base,
                         outside_files(config), partial=set(config.plugins) <= KNOWN_PLUGINS)
        self.statics = plugin.update.statics if plugin.update else {}
        for file in base:
            if file.is_documentation_page():
                text = file.content_string
                for marker in plugin.blocks:
                    if marker in text:
                        self.site.markers.setdefault(marker, []).append(file)
                if TAGS_DIRECTIVE in text:
                    self.site.listings.append(file)

    def _config(self) -> MkDocsConfig:
        config = load_config(str(self.config_file), site_dir=str(self.site_dir))
        config.plugins.on_startup(command="serve" if self.serve_url else "build", dirty=False)
        if self.serve_url:
            config.site_url = self.serve_url
        return config

    # ------------------------------------------------------------------ after a save

    def rebuild(self, data_later: bool = False) -> str:
        """Bring the site up to date with the project's files; one line says what was done. With
        ``data_later``, a save that neither adds nor removes a page leaves the pages made from many
        records and the data files (exports, search index, charts, citation files) to ``finish``: the
        pages of the records it changed show first."""
        with self.lock:
            self.finish()
            return self._rebuild(data_later)

    def _rebuild(self, data_later: bool) -> str:
        site = self.site
        if site is None:
            self._build_all()
            return "built the whole site"
        if (reason := self._needs_full_build(site)) is not None:
            log.info(f"briefs: {reason}: rebuilding the whole site")
            self._build_all()
            return f"{reason}: built the whole site"
        corpus = load_corpus(site.project, self.kept, long_lived=False)
        errors = [d for d in corpus.diagnostics if d.severity is Severity.ERROR]
        if errors:
            self.problems = corpus.diagnostics
            return f"content has {len(errors)} error(s): the site shows them"
        self.problems = []
        generator = site.plugin.generator
        assert generator is not None
        update = generator.update(corpus, statics=False)
        later = data_later and {page.path for page in update.pages} == site.plugin.generated
        if not later:
            generator.update_statics(corpus, update)
        try:
            pages, left = self._apply(site, update, later)
        except Exception as exc:  # the site is half updated: make it whole
            return self._recover(exc)
        if later:
            self.pending = Pending(corpus, update, left)
            return f"rendered {len(pages)} page(s); {len(left)} more and the data files next"
        self.statics = update.statics
        return f"rendered {len(pages)} page(s)"

    def finish(self) -> None:
        """The pages and data files the last save left for later, if it did."""
        with self.lock:
            if self.pending is None or self.site is None:
                return
            pending, self.pending = self.pending, None
            site = self.site
            assert site.plugin.generator is not None
            site.plugin.generator.update_statics(pending.corpus, pending.update)
            try:
                self._apply_statics(site, pending.update, pending.pages)
            except Exception as exc:
                self._recover(exc)
            self.statics = pending.update.statics

    def _recover(self, exc: Exception) -> str:
        """The site is half updated: make it whole."""
        reason = str(exc) if isinstance(exc, FullBuild) else f"a partial build failed ({exc!r})"
        log.info(f"briefs: {reason}: rebuilding the whole site")
        self._build_all()
        return f"{reason}: built the whole site"

    def waits_for(self, path: str) -> bool:
        """Is this site path a page or a data file the last save has yet to write? (Copies of files,
        the theme's and the browser libraries, never change with a save.)"""
        if self.pending is None:
            return False
        content = self.statics.get(path)
        return (content is not None and not isinstance(content, Path)) or path in self.pending.addresses

    def _needs_full_build(self, site: Site) -> str | None:
        if not site.partial:
            return f"plugins other than {', '.join(sorted(KNOWN_PLUGINS))} are in use"
        now = outside_files(site.built.config)
        changed = sorted({path for path, _ in set(now.items()) ^ set(site.outside.items())})
        if not changed:
            return None
        path = Path(changed[0])
        return f"{path.relative_to(site.project.root) if path.is_relative_to(site.project.root) else path} changed"

    def _apply(self, site: Site, update: Update, data_later: bool = False) -> tuple[list[Page], list[Page]]:
        """(the pages built, the pages left for ``finish``: with ``data_later``, those made from many records)"""
        built, config, plugin = site.built, site.built.config, site.plugin
        before = dict(built.files.src_uris)
        generated = {page.path: page for page in update.pages}
        added = [path for path in generated if path not in before]
        gone = [before[path] for path in update.removed if path in before]
        if config.nav is None and (added or any(file.is_documentation_page() for file in gone)):
            raise FullBuild("pages came or went, and the navigation lists every page")
        files: dict[str, File] = {}
        for page in update.pages:
            file = before.get(page.path)
            if file is None:
                file = page_file(config, page)
            elif page.path in update.made:
                file.content_string = page.split.skeleton
            files[page.path] = file
        files |= _static_files(config, before, update)
        fresh = [file for path, file in files.items() if before.get(path) is not file]
        set_exclusions(fresh, config)
        if fresh or gone:  # files came or went: a collection in the order a build lists them
            built.files = Files(site.base + list(files.values()))
        for file in fresh:
            if file.is_documentation_page():
                Page(None, file, config)
        plugin.adopt(update)
        pages, left = self._to_populate(site, update, added, gone), []
        if data_later:
            of_one = {page.path for page in update.pages if page.source}  # a record's or a source note's
            left = [page for page in pages if page.file.src_uri not in of_one]
            pages = [page for page in pages if page.file.src_uri in of_one]
        self._build(site, pages, [files[path] for path in update.changed_statics], gone,
                    pages_changed=bool(added) or any(file.is_documentation_page() for file in gone),
                    listings_later=data_later)
        return pages, left

    def _apply_statics(self, site: Site, update: Update, pages: list[Page]) -> None:
        """The pages and data files a save left for later; pages that name a file that came or went, again."""
        built, config = site.built, site.built.config
        before = dict(built.files.src_uris)
        statics = _static_files(config, before, update)
        fresh = [file for path, file in statics.items() if before.get(path) is not file]
        gone = [before[path] for path in update.removed if path in before]
        if fresh or gone:
            set_exclusions(fresh, config)
            built.files = Files(site.base + [before[page.path] for page in update.pages] + list(statics.values()))
            wanted = self._mentioning(site, update, [file.src_uri for file in fresh + gone])
            wanted |= {page.file.src_uri for page in pages}
            pages = [file.page for file in site.documentation_pages() if file.src_uri in wanted and file.page]
        self._build(site, pages, [statics[path] for path in update.changed_statics], gone, pages_changed=False)

    def _mentioning(self, site: Site, update: Update, paths: list[str]) -> set[str]:
        """The pages whose Markdown names one of these files: a link of theirs may now resolve otherwise."""
        names = {os.path.basename(path) for path in paths}
        if not names:
            return set()
        site.plugin.forget_links_to(names)
        markdown = {page.path: page.markdown for page in update.pages}
        return {file.src_uri for file in site.documentation_pages()
                if any(name in (markdown.get(file.src_uri) or file.content_string) for name in names)}

    def _to_populate(self, site: Site, update: Update, added: list[str], gone: list[File]) -> list[Page]:
        """The pages whose HTML may differ: their Markdown changed or came, a block they ask for
        changed, a link of theirs points at a page that came or went; and every tag listing."""
        wanted = set(update.made) | set(added)
        for marker in update.changed_blocks:
            wanted |= {file.src_uri for file in site.markers.get(marker, [])}
        gone_pages = [file.src_uri for file in gone if file.is_documentation_page()]
        wanted |= self._mentioning(site, update, added + gone_pages)
        if wanted and internals.tags_plugin(site.built.config) is not None:
            wanted |= {file.src_uri for file in site.listings}
        return [file.page for file in site.documentation_pages()
                if file.src_uri in wanted and file.page is not None]

    def _build(self, site: Site, pages: list[Page], statics: list[File], gone: list[File], pages_changed: bool,
               listings_later: bool = False) -> None:
        """What ``mkdocs build`` does, for these pages and files only; with ``listings_later``, the tags
        plugin's listings and its file of every page's tags are left to ``finish``, with the pages that
        hold the listings."""
        built, config = site.built, site.built.config
        nav_titles = _nav_titles(site)
        config.plugins.on_pre_build(config=config)
        try:
            internals.forget_tags(config, [file.url for file in gone if file.is_documentation_page()])
            if any(page.file in site.listings for page in pages):
                internals.reset_tag_listings(config)
            dates = [page.update_date for page in pages]
            internals.populate(built, pages)
            internals.order_tags(config, [file.page for file in site.documentation_pages() if file.page])
            with internals.tags_held(config) if listings_later else nullcontext():
                built.env = config.plugins.on_env(built.env, config=config, files=built.files)
            for file in gone:  # first: a renamed record's redirect is written where its page was
                _remove_output(file, self.site_dir)
                file.page = None  # a page and its file refer to each other: let both go
            for file in statics:
                file.copy_file()
            if pages_changed or [page.update_date for page in pages] != dates:  # the sitemap's dates
                internals.render_theme_templates(built)
            search = config.plugins.get("material/search")
            if search is not None:
                search.on_config(config)  # a fresh index, of the pages rendered below
            # Pages compare by title and URL, not identity: keep their ids. None: every page's nav changed.
            rendered = {id(page) for page in pages} if _nav_titles(site) == nav_titles else None
            serving = self.serve_url is not None
            doc_files = site.documentation_pages(serving)
            to_render = [file.page for file in doc_files if file.page is not None and (
                rendered is None or id(file.page) in rendered or _searched(file.page, search))]
            internals.render(built, to_render, doc_files)
            config.plugins.on_post_build(config=config)
        except Exception as exc:
            config.plugins.on_build_error(error=exc)
            raise


@dataclass
class Pending:
    """What a save left for ``finish``: its data files, and the pages made from many records."""

    corpus: Corpus
    update: Update
    pages: list[Page]

    @property
    def addresses(self) -> set[str]:
        """The pages' site paths, as a request names them ("attacks/", "attacks/index.html")."""
        return {address for page in self.pages for address in (page.file.url, page.file.dest_uri)}


def _static_files(config: MkDocsConfig, before: dict[str, File], update: Update) -> dict[str, File]:
    """The update's static files for MkDocs: a build's File refilled where it can take the new content."""
    files: dict[str, File] = {}
    for path, content in update.statics.items():
        file = before.get(path)
        if file is None or (path in update.changed_statics and not _refill(file, content)):
            file = static_file(config, path, content)
        files[path] = file
    return files


def _refill(file: File, content: StaticContent) -> bool:
    """A static file's new content, in the File a build made; False if it cannot take it."""
    if isinstance(content, Path):
        return file.abs_src_path == str(content)  # the same file to copy, again
    if file.abs_src_path is not None:
        return False
    if isinstance(content, bytes):
        file.content_bytes = content
    else:
        file.content_string = content
    return True


def _searched(page: Page, search: Any) -> bool:
    """Does Material's search index this page? (Its index is made again from every such page.)"""
    return search is not None and not (page.meta.get("search") or {}).get("exclude")


def _nav_titles(site: Site) -> list[tuple[str | None, str]]:
    return [(page.title, page.url) for page in site.built.nav.pages]


def _remove_output(file: File, site_dir: Path) -> None:
    path = Path(file.abs_dest_path)
    path.unlink(missing_ok=True)
    folder = path.parent
    while folder != site_dir and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


def outside_files(config: MkDocsConfig) -> dict[str, Signature]:
    """The files a change of which the generator cannot follow: mkdocs.yml, the docs folder's files
    other than YAML, theme overrides and the generator's own theme and assets."""
    roots = [Path(config.docs_dir)] + [Path(folder) for folder in (config.theme.custom_dir,) if folder]
    roots += [THEME, ASSETS]
    found = {config.config_file_path: signature(Path(config.config_file_path))} if config.config_file_path else {}
    for root in roots:
        for folder, _, names in os.walk(root):
            for name in names:
                if not name.endswith((".yaml", ".yml")):
                    path = os.path.join(folder, name)
                    found[path] = signature(Path(path))
    return found
