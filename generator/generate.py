"""Corpus → every generated page's Markdown, and hand-written pages with their blocks filled in."""

from __future__ import annotations

import operator
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from .changes import content_date
from .charts import attack_chart_files, network_files
from .corpus import Corpus, Entry
from .exports import Exports
from .feed import atom_feed
from .kept import Signature, settled_signature
from .pagecite import citation_files
from .pages import DATA_DIR, FEED, Page, build_pages, source_path
from .parts import Split
from .progress import Progress
from .reads import changes
from .redirects import redirect_files
from .render import Rendered, render_again, render_counts, render_latest, render_page, render_publishing
from .search import SearchIndex, search_docs
from .vendor import asset_files, vendor_files

# Hand-written pages may ask for generated blocks with these markers.
MARKERS = {"<!-- briefs:counts -->": render_counts, "<!-- briefs:latest -->": render_latest,
           "<!-- briefs:publishing -->": render_publishing}


@dataclass(frozen=True)
class GeneratedPage:
    path: str       # docs-relative, e.g. attacks/kerman-2024.md
    rendered: Rendered
    source: str | None  # project-relative YAML file it comes from

    @property
    def markdown(self) -> str:
        return self.rendered.markdown

    @property
    def split(self) -> Split:
        """What MkDocs converts, and the runs of parts put in afterwards (see parts)."""
        return self.rendered.split


def generate(corpus: Corpus) -> list[GeneratedPage]:
    return Generator().update(corpus).pages


@dataclass
class Update:
    """The generated site after an update, and what differs from the one before."""

    pages: list[GeneratedPage]  # every generated page, in the order of a build
    statics: dict[str, StaticContent]  # every static file, by path
    blocks: dict[str, str]  # every block hand-written pages may ask for, by marker
    made: set[str] = field(default_factory=set)  # pages whose Markdown is new or not what it was
    removed: set[str] = field(default_factory=set)  # pages and static files no longer generated
    changed_statics: set[str] = field(default_factory=set)  # new or not what they were
    changed_blocks: set[str] = field(default_factory=set)  # markers
    content_date: str | None = None  # ISO date of the newest content (changes.content_date)


class Generator:
    """Makes the generated site from a corpus, and again from a later corpus: a page, or a part of a
    long page, is rendered again only when its context or something it looked up changed
    (``render.render_again``)."""

    def __init__(self) -> None:
        self._corpus: Corpus | None = None
        self._pages: dict[str, tuple[Page, Rendered, GeneratedPage]] = {}
        self._statics: dict[str, Static] = {}
        self._blocks: dict[str, str] = {}
        self._static_files = Statics()

    def update(self, corpus: Corpus, progress: Progress | None = None, statics: bool = True) -> Update:
        """The site of ``corpus``; without ``statics``, its pages only (``update_statics`` adds the rest)."""
        changed = changes(self._corpus, corpus) if self._corpus is not None else None
        date = content_date(corpus)
        update = Update([], {}, marker_blocks(corpus), content_date=date.isoformat() if date else None)
        pages: dict[str, tuple[Page, Rendered, GeneratedPage]] = {}
        built = build_pages(corpus)
        step = (progress or Progress()).stage("Generating pages", len(built))
        for page in built:
            step(1)
            before = self._pages.get(page.path)
            if before is None or changed is None:
                rendered = render_page(page, corpus)
            else:
                rendered = render_again(page, corpus, before[:2], changed)
            if before is not None and rendered is before[1] and page.source == before[2].source:
                generated = before[2]
            else:
                generated = GeneratedPage(page.path, rendered, page.source)
                if before is None or not rendered.same_markdown(before[1]):
                    update.made.add(page.path)
            pages[page.path] = (page, rendered, generated)  # the current page: its context holds current objects
            update.pages.append(generated)
        update.removed = self._pages.keys() - pages.keys()
        update.changed_blocks = {marker for marker, block in update.blocks.items()
                                 if self._blocks.get(marker) != block}
        self._corpus, self._pages, self._blocks = corpus, pages, update.blocks
        if statics:
            self.update_statics(corpus, update, progress)
        return update

    def update_statics(self, corpus: Corpus, update: Update, progress: Progress | None = None) -> None:
        """The static files of ``corpus``, the one ``update`` was made of, added to it."""
        update.statics = self._static_files.files(corpus, progress)
        statics = {path: self._static(path, content) for path, content in update.statics.items()}
        update.changed_statics = {path for path, static in statics.items() if static is not self._statics.get(path)}
        update.removed |= self._statics.keys() - statics.keys()
        self._statics = statics

    def _static(self, path: str, content: StaticContent) -> Static:
        """The static file as the last update had it when its content is the same, else anew."""
        before = self._statics.get(path)
        if before is not None and before.content is content and not isinstance(content, Path):
            return before  # most files, after a save: the same object, kept or made once per record
        static = Static.of(content)
        return before if static == before else static


@dataclass(frozen=True)
class Static:
    """A static file's content, and for a file to copy, what its source was when it was listed."""

    content: StaticContent
    source: Signature | None = None  # None for a copy whose source had just been modified: never equal

    @classmethod
    def of(cls, content: StaticContent) -> Static:
        return cls(content, settled_signature(content)) if isinstance(content, Path) else cls(content)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Static) or (isinstance(self.content, Path) and self.source is None):
            return False
        return (self.content, self.source) == (other.content, other.source)


StaticContent = str | bytes | Path


def static_files(corpus: Corpus) -> dict[str, StaticContent]:
    """Site path → content or file to copy: data exports, each record's YAML source and citation
    files, the changes feed, renamed records' old addresses, chart specs, the search index and the
    bundled browser libraries."""
    return Statics().files(corpus)


class Statics:
    """The static files of a corpus, and of a later one: the exports and the search index are kept
    up to date rather than made again (``exports.Exports``, ``search.SearchIndex``)."""

    def __init__(self) -> None:
        self.exports = Exports()
        self.search = SearchIndex()
        self._networks: tuple[tuple[Entry, ...], dict[str, bytes]] | None = None

    def files(self, corpus: Corpus, progress: Progress | None = None) -> dict[str, StaticContent]:
        step = (progress or Progress()).stage("Exports and search", 3)
        files: dict[str, StaticContent] = {f"{DATA_DIR}/{name}": data
                                           for name, data in self.exports.files(corpus).items()}
        step(1)
        for entry in corpus.entries():
            files[source_path(entry.kind, entry.id)] = entry.raw  # as it was read: no file to look at again
        files.update(citation_files(corpus))
        files[FEED] = atom_feed(corpus)
        files.update(redirect_files(corpus, files))  # after every record file it copies
        files.update(attack_chart_files(corpus))
        files.update(self._network_files(corpus))
        step(1)
        files.update(self.search.update(search_docs(corpus)))
        step(1)
        files.update(vendor_files(corpus.project.root))
        files.update(asset_files())
        return dict(sorted(files.items()))


    def _network_files(self, corpus: Corpus) -> dict[str, bytes]:
        """The relationship maps, made again only when an actor's record changed: they show
        nothing else (after most saves, of an attack or an option, they are as they were)."""
        actors = tuple(corpus.records["actors"].values())
        if self._networks is None or not _same_objects(self._networks[0], actors):
            self._networks = (actors, network_files(corpus))
        return self._networks[1]


def _same_objects(before: tuple[Entry, ...], now: tuple[Entry, ...]) -> bool:
    """The same records, in the same order: a live preview keeps an unchanged file's objects."""
    return len(before) == len(now) and all(map(operator.is_, before, now))


def write_static(path: Path, content: StaticContent) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, Path):
        shutil.copyfile(content, path)
    elif isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")


def marker_blocks(corpus: Corpus) -> dict[str, str]:
    """Each generated block a hand-written page may ask for, by its marker."""
    return {marker: render(corpus) for marker, render in MARKERS.items()}


def fill_markers(markdown: str, blocks: dict[str, str]) -> str:
    for marker, block in blocks.items():
        if marker in markdown:
            markdown = markdown.replace(marker, block)
    return markdown
