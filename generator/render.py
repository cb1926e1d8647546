"""One Jinja environment; templates in generator/templates make Markdown pages.

Every value a template prints is escaped as Markdown text unless it is ``Md`` (Markdown
the generator wrote or made safe), so a title from YAML can never become markup.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from jinja2 import Environment, PackageLoader, StrictUndefined

from .changes import LATEST_CHANGES, content_date, newest_days, site_history
from .corpus import Corpus
from .headmeta import yaml_string
from .models import KIND_LABELS, SLUG_PATTERN
from .notes import SOURCES_PAGE, Md, PageNotes, ref_anchor, relative, separate_markers, without_citations
from .pages import CHANGES_PAGE, FEED, INVERSE_RELATION, RELATION, Page, counts, record_path
from .prose import ALLOWED_SCHEMES, escape_text
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
                    "perpetrator_bases": perpetrator_bases,
                    "missing_facts": missing_facts, "status_meaning": STATUS_MEANING.get,
                    "ref_anchor": ref_anchor}
    env.filters["cell"] = _cell
    env.filters["md"] = Md  # only for Markdown the generator made (formatted references, anchors)
    env.filters["slug"] = _slug
    env.filters["attr"] = lambda text: Md(html.escape(str(text), quote=True))  # inside an HTML attribute
    env.filters["first_upper"] = _first_upper
    env.filters["yaml"] = lambda value: Md(yaml_string(str(value)))  # front matter: any text, read back exactly
    return env


class PageLinks:
    """Links from one page to records and sources, as relative Markdown links."""

    def __init__(self, page: str, corpus: Corpus) -> None:
        self.page, self.corpus = page, corpus

    def record(self, kind: str, id: str) -> Md:
        title = escape_text(self.corpus.title(kind, id))
        return Md(f"[{title}]({relative(self.page, record_path(kind, id))})")

    def to(self, path: str, anchor: str = "") -> Md:
        return Md(relative(self.page, path, anchor))

    def reference(self, key: str) -> Md:
        return self.to(SOURCES_PAGE, ref_anchor(key))


def render_page(page: Page, corpus: Corpus) -> str:
    notes = PageNotes(page.path, corpus.bibliography)
    template = environment().get_template(page.template)
    context = page.context | {"notes": notes, "links": PageLinks(page.path, corpus),
                              "corpus": corpus, "counts": counts(corpus)}
    body = separate_markers(_BLANK_LINES.sub("\n\n", template.render(context)).rstrip("\n"))
    definitions = notes.definitions()
    return body.rstrip("\n") + ("\n\n" + definitions if definitions else "") + "\n"


def render_counts(corpus: Corpus) -> str:
    return environment().get_template("counts.md.j2").render(counts=counts(corpus))


def render_latest(corpus: Corpus) -> str:
    """The newest updates, as on the Recent changes page, linked from the home page."""
    links = PageLinks("index.md", corpus)
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
        links=PageLinks("about.md", corpus), safe_url=link_target)
