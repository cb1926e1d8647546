"""One Jinja environment; templates in generator/templates make Markdown pages.

Every value a template prints is escaped as Markdown text unless it is ``Md`` (Markdown
the generator wrote or made safe), so a title from YAML can never become markup.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

from .bibliography import Reference
from .corpus import Corpus
from .models import KIND_LABELS, KINDS, SLUG_PATTERN
from .notes import SOURCES_PAGE, Md, PageNotes, ref_anchor, relative, separate_markers, without_citations
from .pages import INVERSE_RELATION, RELATION, Page, counts, latest_reviewed, record_path
from .prose import escape_text
from .review import differ
from .words import (
    STATUS_MEANING,
    basis_words,
    count_words,
    date_words,
    label,
    missing_facts,
    number_words,
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


def _cell(text: str) -> Md:
    """A value on one line of a table row: plain text escaped, Markdown kept, its pipes not splitting the row."""
    markdown = text if isinstance(text, Md) else escape_text(str(text))
    return Md(markdown.replace("\n", " ").replace("|", "\\|"))


def _slug(value: str) -> Md:
    if not SLUG.match(value):
        raise ValueError(f"not a slug: {value!r}")
    return Md(value)


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
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
                    "missing_facts": missing_facts, "status_meaning": STATUS_MEANING.get,
                    "ref_anchor": ref_anchor}
    env.filters["cell"] = _cell
    env.filters["md"] = Md  # only for Markdown the generator made (formatted references, anchors)
    env.filters["slug"] = _slug
    env.filters["first_upper"] = lambda text: Md(text[:1].upper() + text[1:])
    return env


@dataclass(frozen=True)
class Reads:
    """What rendering looked up besides its context, with the value each had: records' titles (None:
    no such record) and references' content (None: no such reference)."""

    titles: dict[tuple[str, str], str | None]
    references: dict[str, tuple[object, ...] | None]

    def outdated(self, corpus: Corpus, changed: Changed) -> bool:
        """Would a lookup give another value now? Only what ``changed`` names can."""
        return any(title != _title(corpus, *record) for record, title in self.titles.items()
                   if record in changed.records) or any(
            content != _content(corpus.bibliography.get(key)) for key, content in self.references.items()
            if key in changed.references)


@dataclass(frozen=True)
class Changed:
    """Records (kind, id) and references (key) that are not what they were: saved, added or deleted."""

    records: frozenset[tuple[str, str]]
    references: frozenset[str]


def changes(before: Corpus, after: Corpus) -> Changed:
    records = {(kind, id) for kind in KINDS
               for id in before.records[kind].keys() | after.records[kind].keys()
               if before.records[kind].get(id) is not after.records[kind].get(id)}
    old, new = before.bibliography.references, after.bibliography.references
    references = {key for key in old.keys() | new.keys() if old.get(key) != new.get(key)}
    return Changed(frozenset(records), frozenset(references))


def _title(corpus: Corpus, kind: str, id: str) -> str | None:
    entry = corpus.get(kind, id)
    return entry.record.title if entry else None


def _content(reference: Reference | None) -> tuple[object, ...] | None:
    return reference.content if reference else None


class Lookups:
    """The corpus as a page's rendering may see it beyond its context, each look-up noted."""

    def __init__(self, corpus: Corpus) -> None:
        self.corpus = corpus
        self.titles: dict[tuple[str, str], str | None] = {}
        self.references: dict[str, tuple[object, ...] | None] = {}

    def title(self, kind: str, id: str) -> str:
        title = self.titles[(kind, id)] = _title(self.corpus, kind, id)
        return id if title is None else title

    def get(self, key: str) -> Reference | None:
        reference = self.corpus.bibliography.get(key)
        self.references[key] = _content(reference)
        return reference

    def reads(self) -> Reads:
        return Reads(self.titles, self.references)


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
class Rendered:
    """A generated page's Markdown and what it was made from."""

    page: Page
    markdown: str
    reads: Reads

    def still_valid(self, page: Page, corpus: Corpus, changed: Changed) -> bool:
        """Would rendering ``page`` give this Markdown again? Yes when it is the same page, its context
        is equal and nothing it looked up changed."""
        return (page.template, page.source, page.context) == (self.page.template, self.page.source,
                                                              self.page.context) \
            and not self.reads.outdated(corpus, changed)


def render_page(page: Page, corpus: Corpus) -> Rendered:
    """The page's Markdown. Templates see the page's context and look up anything else through
    ``links`` and ``notes``, which note what they read: nothing else of the corpus reaches them."""
    lookups = Lookups(corpus)
    notes = PageNotes(page.path, lookups)
    template = environment().get_template(page.template)
    context = page.context | {"notes": notes, "links": PageLinks(page.path, lookups)}
    body = separate_markers(_BLANK_LINES.sub("\n\n", template.render(context)).rstrip("\n"))
    definitions = notes.definitions()
    markdown = body.rstrip("\n") + ("\n\n" + definitions if definitions else "") + "\n"
    return Rendered(page, markdown, lookups.reads())


def render_counts(corpus: Corpus) -> str:
    return environment().get_template("counts.md.j2").render(counts=counts(corpus))


def render_latest(corpus: Corpus) -> str:
    """The most recently reviewed records, as links from the home page."""
    links = PageLinks("index.md", Lookups(corpus))
    return environment().get_template("latest.md.j2").render(entries=latest_reviewed(corpus), links=links,
                                                             KIND_LABELS=KIND_LABELS)
