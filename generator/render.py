"""One Jinja environment; templates in generator/templates make Markdown pages.

Every value a template prints is escaped as Markdown text unless it is ``Md`` (Markdown
the generator wrote or made safe), so a title from YAML can never become markup.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, MutableMapping
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Any, TypeVar
from urllib.parse import urlsplit

from jinja2 import Environment, PackageLoader, StrictUndefined

from .changes import LATEST_CHANGES, content_date, newest_days, site_history
from .corpus import Corpus
from .headmeta import yaml_string
from .models import KIND_LABELS, SLUG_PATTERN
from .notes import (
    SOURCES_PAGE,
    InlineNotes,
    Md,
    PageNotes,
    ref_anchor,
    relative,
    separate_markers,
    without_citations,
)
from .pages import CHANGES_PAGE, FEED, INVERSE_RELATION, RELATION, Page, counts, record_path
from .parts import SHAPES, Layout, Split, inline, layout, token
from .prose import ALLOWED_SCHEMES, escape_text
from .reads import Changed, Lookups, Reads
from .review import differ
from .words import (
    STATUS_MEANING,
    basis_words,
    count_words,
    date_words,
    label,
    missing_facts,
    number_words,
    perpetrator_bases,
    place_words,
    span_words,
)

SLUG = re.compile(SLUG_PATTERN)
_BLANK_LINES = re.compile(r"\n{3,}")


def _finalize(value: Any) -> str:
    if isinstance(value, Md):
        return value
    if value is None:
        return ""
    return escape_text(str(value))


def _first_upper(text: str) -> Md:
    """The text with a capital first letter: plain text escaped, Markdown kept."""
    markdown = text if isinstance(text, Md) else escape_text(str(text))
    return Md(markdown[:1].upper() + markdown[1:])


def _cell(text: str) -> Md:
    """A value on one line of a table row: plain text escaped, Markdown kept, its pipes not splitting the row."""
    markdown = text if isinstance(text, Md) else escape_text(str(text))
    return Md(markdown.replace("\n", " ").replace("|", "\\|"))


def _slug(value: str) -> Md:
    if not SLUG.match(value):
        raise ValueError(f"not a slug: {value!r}")
    return Md(value)


class _Environment(Environment):
    def make_globals(self, d: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
        """A template's globals as one plain dict, not Jinja's ChainMap over the environment's: every
        render copies them into its context, and a ChainMap copies key by key in Python (a page of
        2,000 records has thousands of parts, each a render). Ours are all set before any template
        loads, as Jinja asks."""
        return {**self.globals, **(d or {})}


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = _Environment(
        loader=PackageLoader("generator", "templates"),
        autoescape=False,
        finalize=_finalize,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # package files: no stat of every template and import on every page
    )
    env.globals |= {"RELATION": RELATION, "INVERSE_RELATION": INVERSE_RELATION,
                    "KIND_LABELS": KIND_LABELS, "number_words": number_words, "differ": differ,
                    "date_words": date_words, "span_words": span_words, "place_words": place_words, "label": label,
                    "basis_words": basis_words, "without_citations": without_citations, "count_words": count_words,
                    "perpetrator_bases": perpetrator_bases,
                    "missing_facts": missing_facts, "status_meaning": STATUS_MEANING.get,
                    "ref_anchor": ref_anchor}
    env.filters["cell"] = _cell
    env.filters["md"] = Md  # only for Markdown the generator made (formatted references, anchors)
    env.filters["slug"] = _slug
    env.filters["attr"] = lambda text: Md(html.escape(str(text), quote=True))  # inside an HTML attribute
    env.filters["first_upper"] = _first_upper
    env.filters["yaml"] = lambda value: Md(yaml_string(str(value)))  # front matter: any text, read back exactly
    env.filters["one_line"] = lambda text: Md(" ".join(text.split("\n")))  # a list item stays one item
    return env


class PageLinks:
    """Links from one page to records and sources, as relative Markdown links."""

    def __init__(self, page: str, lookups: Lookups) -> None:
        self.page, self.lookups = page, lookups

    def record(self, kind: str, id: str) -> Md:
        title = escape_text(self.lookups.title(kind, id))
        return Md(f"[{title}]({relative(self.page, record_path(kind, id))})")

    def to(self, path: str, anchor: str = "") -> Md:
        return Md(relative(self.page, path, anchor))

    def reference(self, key: str) -> Md:
        return self.to(SOURCES_PAGE, ref_anchor(key))


@dataclass(frozen=True)
class RenderedPart:
    """One part of a long page (see ``parts``): its Markdown and what it was made from."""

    key: str
    template: str
    shape: str
    context: dict[str, Any]
    markdown: str
    reads: Reads


T = TypeVar("T")
Readers = tuple[dict[tuple[str, str], set[int]], dict[str, set[int]]]  # see Rendered.part_readers


@dataclass(frozen=True)
class Rendered:
    """A generated page's Markdown, and what it looked up besides its context."""

    text: str  # the Markdown, with a token where each part goes
    reads: Reads  # the page's own, outside its parts
    parts: tuple[RenderedPart, ...] = ()
    layout: Layout | None = None  # where its parts stand, from its text
    # Which parts looked up each record and reference (``part_readers``), when the page before told.
    readers: Readers | None = field(default=None, compare=False, repr=False)

    @cached_property
    def markdown(self) -> str:
        return inline(self.text, [(part.shape, part.markdown) for part in self.parts])

    @cached_property
    def split(self) -> Split:
        """The page as MkDocs converts it, and its runs of parts."""
        if self.layout is None:
            return Split(self.text)
        return self.layout.fill([part.markdown for part in self.parts])

    @cached_property
    def part_readers(self) -> Readers:
        """Which of its parts looked up each record and each reference, by number: after a save,
        only those that looked up what changed are looked at (a long page has thousands of parts)."""
        if self.readers is not None:
            return self.readers
        records: dict[tuple[str, str], set[int]] = {}
        references: dict[str, set[int]] = {}
        for index, part in enumerate(self.parts):
            for record in part.reads.titles:
                records.setdefault(record, set()).add(index)
            for key in part.reads.references:
                references.setdefault(key, set()).add(index)
        return records, references

    def with_parts(self, parts: tuple[RenderedPart, ...], made: set[int]) -> Rendered:
        """The page with the parts numbered ``made`` made again; what its parts look up is told from
        this page's, not gone through part by part again."""
        records, references = dict(self.part_readers[0]), dict(self.part_readers[1])
        for index in made:
            _move(records, index, self.parts[index].reads.titles, parts[index].reads.titles)
            _move(references, index, self.parts[index].reads.references, parts[index].reads.references)
        return Rendered(self.text, self.reads, parts, self.layout, (records, references))

    def same_markdown(self, other: Rendered) -> bool:
        """Is its Markdown ``other``'s? (Said part by part, not by putting the page together.)"""
        return self.text == other.text and len(self.parts) == len(other.parts) and all(
            a is b or a.markdown == b.markdown for a, b in zip(self.parts, other.parts, strict=True))


def _move(readers: dict[T, set[int]], index: int, before: Iterable[T], now: Iterable[T]) -> None:
    """Part ``index`` looked up ``before``, and now ``now`` (the sets are copied, not changed: the page
    before keeps its own)."""
    for read in before:
        readers[read] = readers[read] - {index}
    for read in now:
        readers[read] = readers.get(read, set()) | {index}


def render_again(page: Page, corpus: Corpus, before: tuple[Page, Rendered], changed: Changed) -> Rendered:
    """``page`` rendered as it was ``before``, with what ``changed`` since: the same Rendered when
    nothing the page or its parts were made from changed; when only what some parts looked up
    changed, those parts made again; else the whole page (reusing its parts still valid)."""
    page_before, rendered = before
    if (page.template, page.source, page.context) != (page_before.template, page_before.source,
                                                      page_before.context) or rendered.reads.outdated(corpus, changed):
        return render_page(page, corpus, rendered, changed)
    records, references = rendered.part_readers
    touched = {index for record in changed.records for index in records.get(record, ())}
    touched |= {index for key in changed.references for index in references.get(key, ())}
    parts = list(rendered.parts)
    made = {index for index in touched if parts[index].reads.outdated(corpus, changed)}
    if not made:
        return rendered
    for index in made:
        part = parts[index]
        parts[index] = render_part(page.path, corpus, part.key, part.template, part.shape, part.context)
    return rendered.with_parts(tuple(parts), made)  # the same text: the same layout


def render_part(page: str, corpus: Corpus, key: str, template: str, shape: str,
                context: dict[str, Any]) -> RenderedPart:
    lookups = Lookups(corpus)
    helpers = {"links": PageLinks(page, lookups), "notes": InlineNotes(page, lookups)}
    markdown = _BLANK_LINES.sub("\n\n", environment().get_template(template).render(context | helpers))
    return RenderedPart(key, template, shape, context, markdown.strip("\n"), lookups.reads())


class Parts:
    """``part(template, key, shape, **context)`` in a page template: renders ``template`` with
    ``context`` as one part of the page, or reuses the part of the same template and key the page
    had before when nothing it was made from changed. The template sees ``links`` and ``notes``
    (inline). Keys need not be unique: the same key again is told apart by its order."""

    def __init__(self, page: str, corpus: Corpus, before: Rendered | None, changed: Changed | None) -> None:
        self.page, self.corpus, self.changed = page, corpus, changed
        self.before = {part.key: part for part in before.parts} if before else {}
        self.made: list[RenderedPart] = []
        self.keys: set[str] = set()

    def __call__(self, template: str, key: str, shape: str, **context: Any) -> Md:
        if shape not in SHAPES:
            raise ValueError(f"{self.page}: part {key!r} has the shape {shape!r}, not one of {SHAPES}")
        key = f"{template} {key}"
        while key in self.keys:  # a record with two findings: the second is its key's next
            key += "+"
        self.keys.add(key)
        part = self.before.get(key)
        if part is None or self.changed is None or (template, shape, context) != (part.template, part.shape,
                                                                                    part.context) \
                or part.reads.outdated(self.corpus, self.changed):
            part = render_part(self.page, self.corpus, key, template, shape, context)
        self.made.append(part)
        return Md(token(len(self.made) - 1))


def render_page(page: Page, corpus: Corpus, before: Rendered | None = None, changed: Changed | None = None) -> Rendered:
    """The page's Markdown. Templates see the page's context and look up anything else through
    ``links`` and ``notes``, which note what they read: nothing else of the corpus reaches them.
    With the page as rendered ``before`` and what ``changed`` since, parts still valid are reused."""
    lookups = Lookups(corpus)
    notes = PageNotes(page.path, lookups)
    parts = Parts(page.path, corpus, before, changed)
    template = environment().get_template(page.template)
    context = page.context | {"notes": notes, "links": PageLinks(page.path, lookups), "part": parts}
    body = separate_markers(_BLANK_LINES.sub("\n\n", template.render(context)).rstrip("\n"))
    definitions = notes.definitions()
    text = body.rstrip("\n") + ("\n\n" + definitions if definitions else "") + "\n"
    shapes = [part.shape for part in parts.made]
    return Rendered(text, lookups.reads(), tuple(parts.made), layout(text, shapes) if shapes else None)


def render_counts(corpus: Corpus) -> str:
    return environment().get_template("counts.md.j2").render(counts=counts(corpus))


def render_latest(corpus: Corpus) -> str:
    """The newest updates, as on the Recent changes page, linked from the home page."""
    links = PageLinks("index.md", Lookups(corpus))
    return environment().get_template("latest.md.j2").render(
        days=newest_days(site_history(corpus), LATEST_CHANGES), links=links, changes_page=CHANGES_PAGE, feed=FEED)


_LINK_TARGET = re.compile(r"^[^\s()<>\[\]\\]+$")


def link_target(url: str) -> str:
    """A configured address as a Markdown link target, or "" when it is no http(s) or mailto address."""
    if not url or not _LINK_TARGET.match(url):
        return ""
    return url if urlsplit(url).scheme.lower() in ALLOWED_SCHEMES else ""


def contact(address: str) -> tuple[str, str]:
    """(what to show, where it links) for an email address or a web address."""
    if "@" in address and ":" not in address:
        address = "mailto:" + address
    return address.removeprefix("mailto:"), link_target(address)


def render_publishing(corpus: Corpus) -> str:
    """Who publishes the site, its licences, where corrections go, the date of its content (for About)."""
    publishing = corpus.project.publishing
    corrections = contact(publishing.corrections) if publishing.corrections else None
    return environment().get_template("publishing.md.j2").render(
        publishing=publishing, corrections=corrections, content_date=content_date(corpus),
        links=PageLinks("about.md", Lookups(corpus)), safe_url=link_target)
