"""The MkDocs adapter: generated pages as in-memory files, live reload, diagnostics as a clean failure."""

from __future__ import annotations

import logging
import re
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

from jinja2 import Environment
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from .check import load_corpus
from .citations import find_citations
from .compiled import THEME_TEMPLATES
from .corpus import Corpus, Project, publishing
from .diagnostics import Severity, format_text, summary
from .generate import GeneratedPage, Generator, StaticContent, Update, fill_markers
from .kept import KeptFiles
from .mdext import REQUIRED
from .memory import making_long_lived, release_long_lived
from .mkdocs_internals import inclusion, markdown_converter
from .parts import Convert, PartsHTML, Run
from .progress import Advance, Progress, no_step
from .sanitize import sanitize
from .second_core import SecondCore, convert_on_two_cores
from .vendor import SCRIPT, STYLESHEET, THEME

log = logging.getLogger("mkdocs.plugins.briefs")


def page_file(config: MkDocsConfig, page: GeneratedPage, in_parts: bool = True) -> File:
    """The page for MkDocs: whole, or (in a live preview) its skeleton, its parts coming in on_page_content."""
    file = File.generated(config, page.path, content=page.split.skeleton if in_parts else page.markdown)
    file.edit_uri = page.source
    return file


def static_file(config: MkDocsConfig, path: str, content: StaticContent) -> File:
    if isinstance(content, Path):
        return File.generated(config, path, abs_src_path=str(content))
    return File.generated(config, path, content=content)


class BriefsConfig(Config):
    content = c.Type(str, default="content")
    bib = c.Type(str, default="bib")
    seeds = c.Type(str, default="seeds")
    review_period_days = c.Type(int, default=365)
    # What the About page says (generator.corpus.Publishing); unset, it says nothing of it.
    publisher = c.Optional(c.Type(str))
    text_licence = c.Optional(c.Type(str))
    text_licence_url = c.Optional(c.Type(str))
    data_licence = c.Optional(c.Type(str))
    data_licence_url = c.Optional(c.Type(str))
    corrections = c.Optional(c.Type(str))  # an email or web address; default: the repository's issues


def _title_casefold(mapping: Any) -> str:
    return str(mapping.item.title).casefold()


def _sort_tags_as_readers_do(config: MkDocsConfig) -> None:
    """Material's tags listing sorts by code point: "al-Qaeda" after "Zamir Kabulov". Readers expect
    the alphabet, so tags and their pages sort case-insensitively unless the project chose otherwise."""
    from material.plugins.tags import item_title, tag_name, tag_name_casefold

    tags = config.plugins.get("material/tags")
    if tags is None:
        return
    if tags.config.tags_sort_by is tag_name:
        tags.config.tags_sort_by = tag_name_casefold
    if tags.config.listings_sort_by is item_title:
        tags.config.listings_sort_by = _title_casefold


class BriefsPlugin(BasePlugin[BriefsConfig]):
    def __init__(self) -> None:
        self.corpus: Corpus | None = None  # the CLI may hand over a corpus it already checked
        self.project: Project | None = None
        self.generated: set[str] = set()
        self.blocks: dict[str, str] = {}  # generated blocks for hand-written pages, by marker
        self.content_date: str | None = None  # ISO date of the newest content (changes.content_date)
        self.runs: dict[str, dict[str, tuple[Run, ...]]] = {}  # a long page's runs, by placeholder (see parts)
        self.filled: dict[str, dict[str, str]] = {}  # and their (sanitized) HTML, by the placeholder's paragraph
        self.parts_html: dict[str, PartsHTML] = {}  # kept across a live preview's builds
        self.converters: dict[str, tuple[Files, Convert]] = {}
        self.sanitizer: ThreadPoolExecutor | None = None
        self.second_core: SecondCore | None = None  # converting half of a build's pages
        self.sanitizing: list[tuple[Page, Future[str]]] = []
        # A live preview keeps its generator, and what the last build was made of (MkDocs' own objects).
        self.generator: Generator | None = None
        self.kept: KeptFiles | None = None
        self.progress = Progress()  # the command line shows a build's stages on a terminal
        self.converting: Advance = no_step
        self.writing: Advance = no_step
        self.update: Update | None = None
        self.files: Files | None = None
        self.nav: Navigation | None = None
        self.env: Environment | None = None

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        if not config.repo_url:  # no repository: no edit links to nowhere
            config.edit_uri = None
        for extension in REQUIRED:  # what the generated pages are written for
            if extension not in config.markdown_extensions:
                config.markdown_extensions.append(extension)
        if str(THEME) not in config.theme.dirs:  # after a project's own custom_dir, before Material's
            config.theme.dirs.insert(1 if config.theme.custom_dir else 0, str(THEME))
        if STYLESHEET not in config.extra_css:
            config.extra_css.append(STYLESHEET)
        if SCRIPT not in map(str, config.extra_javascript):
            config.extra_javascript.append(SCRIPT)  # type: ignore[arg-type]  # MkDocs reads a str as a script
        _sort_tags_as_readers_do(config)
        self.project = self.project_in(config)
        return config

    def project_in(self, config: MkDocsConfig) -> Project:
        """Where this site's content is, by the plugin's settings and the site's."""
        root = Path(config.config_file_path).resolve().parent
        return Project(root, self.config.content, self.config.bib, self.config.seeds,
                       self.config.review_period_days, config.site_name, config.site_url or "",
                       publishing(dict(self.config), config.repo_url))

    def _load(self) -> Corpus:
        assert self.project is not None
        corpus, self.corpus = self.corpus or load_corpus(self.project, self.kept), None
        errors = [d for d in corpus.diagnostics if d.severity is Severity.ERROR]
        if errors:
            raise PluginError(f"briefs: content has problems:\n{format_text(corpus.diagnostics)}\n"
                              f"{summary(corpus.diagnostics)}")
        for diagnostic in corpus.diagnostics:
            log.warning(str(diagnostic))
        return corpus

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        release_long_lived()  # the corpus the CLI loaded, or a previous build's under mkdocs serve
        with making_long_lived(sweep=True):  # the generated pages and files live to the end of the build
            return self._add_files(files, config)

    def _add_files(self, files: Files, config: MkDocsConfig) -> Files:
        assert self.project is not None
        generator = self.generator or Generator()  # a build's own is let go with the corpus it holds
        self.update = generator.update(self._load(), self.progress)  # the corpus is held by the generator only
        self.adopt(self.update)
        for file in list(files):
            if file.src_uri.endswith((".yaml", ".yml")):
                files.remove(file)
            elif file.is_documentation_page():
                file.edit_uri = f"{self.project.content}/{file.src_uri}"
        for page in self.update.pages:
            files.append(page_file(config, page, in_parts=self.in_parts))
        for path, content in self.update.statics.items():
            files.append(static_file(config, path, content))
        find_citations.cache_clear()  # it holds every prose text: the pages are made
        return files

    def adopt(self, update: Update) -> None:
        """The generated pages MkDocs is about to convert: which they are, their parts, the blocks."""
        self.generated = {page.path for page in update.pages}
        self.runs = {page.path: page.split.runs for page in update.pages if page.split.runs and self.in_parts}
        self.filled = {path: html for path, html in self.filled.items() if path in self.runs}
        self.blocks = update.blocks
        self.content_date = update.content_date

    @property
    def in_parts(self) -> bool:
        """Are long pages converted part by part? Only in a live preview, which keeps its generator and
        converts again only the parts a save changed; a build converts each page whole, in one call
        (the same HTML: tests/test_parts.py)."""
        return self.generator is not None

    def forget_links_to(self, names: set[str]) -> None:
        """Pages came or went: parts that mention their file names are converted again."""
        for parts in self.parts_html.values():
            parts.forget(names)

    @event_priority(-100)  # last: the pages are the ones every plugin left
    def on_nav(self, nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
        self.nav = nav  # what a live preview's partial builds render pages with
        pages = files.documentation_pages(inclusion=inclusion(serving=False))  # a build's: MkDocs converts them next
        self.converting = self._stage("Converting pages", len(pages))
        self.writing = self._stage("Writing pages", len(pages))
        if not self.in_parts:
            self.second_core = convert_on_two_cores(config, files, [file.page for file in pages if file.page])
        return nav

    def _stage(self, label: str, total: int) -> Advance:
        """A stage that shows when its first page comes: pages are converted, then written."""
        started: list[Advance] = []

        def step(steps: int) -> None:
            if not started:
                started.append(self.progress.stage(label, total))
            started[0](steps)

        return step

    def on_page_context(self, context: Any, page: Page, **kwargs: Any) -> Any:
        self.writing(1)
        return context

    def on_post_build(self, config: MkDocsConfig) -> None:
        self._end_progress()

    def _end_progress(self) -> None:
        """The build shown is over: a live preview's partial builds after it show nothing."""
        self.progress.finish()
        self.progress, self.converting, self.writing = Progress(), no_step, no_step

    def on_pre_build(self, config: MkDocsConfig) -> None:
        # nh3 lets go of the GIL: on a second core it cleans each page while MkDocs converts
        # the next ones' Markdown, instead of adding its seconds to the build.
        self.sanitizer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="briefs-sanitize")

    @event_priority(101)  # first: before any plugin's on_env loads a template or reads a page
    def on_env(self, env: Environment, config: MkDocsConfig, files: Files) -> Environment:
        env.bytecode_cache = THEME_TEMPLATES  # mkdocs serve rebuilds reuse what earlier builds compiled
        self.env, self.files = env, files
        self._stop_second_core()
        for page, cleaned in self.sanitizing:
            page.content = cleaned.result()
        self._stop_sanitizing()
        return env

    def on_build_error(self, error: Exception) -> None:
        self._stop_second_core()
        self._stop_sanitizing()
        self._end_progress()

    def _stop_second_core(self) -> None:
        if self.second_core is not None:
            self.second_core.close()
            self.second_core = None

    def _stop_sanitizing(self) -> None:
        if self.sanitizer is not None:
            self.sanitizer.shutdown(cancel_futures=True)
        self.sanitizer, self.sanitizing = None, []

    def on_page_markdown(self, markdown: str, page: Page, **kwargs: Any) -> str:
        self.converting(1)
        # MkDocs dates every page by the clock (its sitemap's lastmod, the gzip header of sitemap.xml.gz):
        # the content's own dates instead, so that two builds of the same content are the same bytes.
        briefs = page.meta.get("briefs")
        updated = briefs.get("updated") if isinstance(briefs, dict) else None
        page.update_date = str(updated or self.content_date or page.update_date)
        if page.file.src_uri in self.generated:
            return markdown
        return fill_markers(markdown, self.blocks)

    @event_priority(-100)  # last: the fence sees the HTML every other plugin has made
    def on_page_content(self, html: str, page: Page, **kwargs: Any) -> str:
        if page.file.src_uri not in self.generated:
            return html
        if page.title:
            # Material prints the title through `striptags`, which would unescape a record's name
            # into live markup in <title>; given as meta, it is printed as the escaped text it is.
            page.meta["title"] = page.title
        assert self.sanitizer is not None
        self.filled[page.file.src_uri] = self._runs_html(page, kwargs["config"], kwargs["files"])
        self.sanitizing.append((page, self.sanitizer.submit(sanitize, html)))
        return ""  # until on_env: no unsanitized HTML is ever the page's content

    @event_priority(100)  # first: any other plugin sees the whole page
    def on_post_page(self, output: str, page: Page, **kwargs: Any) -> str:
        """A long page's runs of parts, put in place of their placeholders only now, in the written
        page: until then the page's content is short, and so is what plugins (search, tags) and the
        theme go over."""
        filled = self.filled.get(page.file.src_uri)
        if not filled:
            return output
        done: set[str] = set()

        def fill(match: re.Match[str]) -> str:  # each in its first place, as str.replace(..., 1) would
            placeholder = match.group()
            if placeholder in done:
                return placeholder
            done.add(placeholder)
            return filled[placeholder]

        # One pass: a page of 2,000 references has a run per letter, and its HTML is megabytes long.
        return re.sub("|".join(map(re.escape, filled)), fill, output)

    def _runs_html(self, page: Page, config: MkDocsConfig, files: Files) -> dict[str, str]:
        """The page's runs of parts as (sanitized) HTML, by placeholder; their anchors are the page's."""
        runs = self.runs.get(page.file.src_uri)
        if not runs:
            return {}
        parts = self.parts_html.setdefault(page.file.src_uri, PartsHTML())
        parts.start()
        convert = self._converter(page, config, files)
        found = {placeholder: [parts.run(run, convert, sanitize) for run in stretch]
                 for placeholder, stretch in runs.items()}
        anchors = (ids for stretch in found.values() for _, ids in stretch)
        page.present_anchor_ids = (page.present_anchor_ids or set()).union(*anchors)
        return {f"<p>{placeholder}</p>": "\n".join(html for html, _ in stretch)
                for placeholder, stretch in found.items()}

    def _converter(self, page: Page, config: MkDocsConfig, files: Files) -> Convert:
        """The page's Markdown converter, made on the first part that needs it: making one costs as
        much as converting a dozen parts, so a live preview keeps it while the site's files stay."""
        made: list[Convert] = []

        def convert(text: str) -> tuple[str, set[str]]:
            if not made:
                kept = self.converters.get(page.file.src_uri)
                if kept is None or kept[0] is not files:
                    kept = self.converters[page.file.src_uri] = (files, markdown_converter(page, config, files))
                made.append(kept[1])
            return made[0](text)

        return convert

    def on_serve(self, server: Any, config: MkDocsConfig, builder: Any) -> Any:
        assert self.project is not None
        for path in self.project.watched:
            if path.exists():
                server.watch(str(path))
        return server
