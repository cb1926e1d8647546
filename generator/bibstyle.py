"""A Chicago-like bibliography style, written in pybtex's template language.

Field values pass through :func:`clean_latex` first, so formatted references carry
no LaTeX commands or braces. Links are made only for ``http(s)`` URLs and DOIs.
"""

from __future__ import annotations

import codecs
import re
from functools import lru_cache
from typing import Any
from urllib.parse import quote, urlsplit

import latexcodec  # noqa: F401  (registers the "ulatex" codec)
from pybtex.database import Entry, Person
from pybtex.richtext import HRef, String, Tag, Text
from pybtex.style.formatting import BaseStyle
from pybtex.style.template import FieldIsMissing, join, node, optional, words

from .prose import needs_isolation

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
_URL_IN_COMMAND = re.compile(r"\\(?:url|href)\s*\{([^{}]*)\}(?:\s*\{([^{}]*)\})?")
_COMMAND = re.compile(r"\\[A-Za-z]+\*?\s*")
_ESCAPED = re.compile(r"\\(.)")
_SPACE = re.compile(r"\s+")


_LATEX_CHARS = re.compile(r"[\\{}$~`'-]")


@lru_cache(maxsize=65536)
def clean_latex(value: str) -> str:
    """Decode LaTeX accents and symbols to Unicode; drop commands, braces and math marks."""
    if not _LATEX_CHARS.search(value):  # most values are plain text: skip the codec
        return _SPACE.sub(" ", value).strip()
    try:
        text = codecs.decode(value, "ulatex")  # type: ignore[call-overload]  # latexcodec: str → str
    except (ValueError, TypeError, IndexError):  # latexcodec gives up on some broken input
        text = value
    text = _URL_IN_COMMAND.sub(lambda m: m.group(2) or m.group(1), text)
    text = _COMMAND.sub("", text)
    text = _ESCAPED.sub(r"\1", text)
    text = text.replace("{", "").replace("}", "").replace("$", "").replace("\\", "")
    return _SPACE.sub(" ", text).strip()


def safe_url(url: str) -> str | None:
    """The URL if it is http(s), percent-encoded so Markdown and HTML cannot be broken out of."""
    url = clean_latex(url).strip()
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError:
        return None
    if scheme not in ("http", "https"):
        return None
    return quote(url, safe=":/?#@!$&'*+,;=%~-._")


def person_name(person: Person, inverted: bool = False) -> str:
    first = " ".join(person.first_names + person.middle_names)
    last = " ".join(person.prelast_names + person.last_names)
    lineage = " ".join(person.lineage_names)
    if inverted and first:
        name = f"{last}, {first}" + (f", {lineage}" if lineage else "")
    else:
        name = " ".join(filter(None, [first, last, lineage]))
    return clean_latex(name)


def isolate(text: str) -> str:
    """Right-to-left text between FSI and PDI: it cannot reorder the reference around it."""
    return f"\u2068{text}\u2069" if text and needs_isolation(text) else text


def _name_list(persons: list[Person], invert_first: bool) -> str:
    names = [isolate(person_name(p, inverted=invert_first and i == 0)) for i, p in enumerate(persons)]
    if len(names) > 10:  # Chicago: the first seven, then et al.
        names = names[:7] + ["et al."]
        return ", ".join(names)
    if len(names) <= 2:
        return (", and " if invert_first and len(names) == 2 else " and ").join(names)
    return ", ".join(names[:-1]) + ", and " + names[-1]


def _field(entry: Entry, name: str, isolated: bool = True) -> str:
    """The field as clean text; isolated (see ``isolate``) unless it is to be parsed."""
    value = entry.fields.get(name, "")
    value = clean_latex(value) if value else ""
    return isolate(value) if isolated else value


@node
def clean_field(children: Any, context: dict[str, Any], name: str) -> Text:
    value = _field(context["entry"], name)
    if not value:
        raise FieldIsMissing(name, context["entry"])
    return Text(value)


@node
def authors(children: Any, context: dict[str, Any]) -> Text:
    """Authors, else editors marked "ed.", else the organisation or institution."""
    entry = context["entry"]
    for role, suffix in (("author", ""), ("editor", ", ed.")):
        persons = entry.persons.get(role)
        if persons:
            plural = ", eds." if suffix and len(persons) > 1 else suffix
            return Text(_name_list(persons, invert_first=True) + plural)
    for name in ("organization", "institution"):
        if _field(entry, name):
            return Text(_field(entry, name))
    raise FieldIsMissing("author", entry)


@node
def editors_inline(children: Any, context: dict[str, Any]) -> Text:
    persons = context["entry"].persons.get("editor")
    if not persons:
        raise FieldIsMissing("editor", context["entry"])
    return Text("edited by ", _name_list(persons, invert_first=False))


@node
def quoted_title(children: Any, context: dict[str, Any]) -> Text:
    title = _field(context["entry"], "title")
    if not title:
        raise FieldIsMissing("title", context["entry"])
    end = "" if title.rstrip("\u2069")[-1:] in ("?", "!", ".") else "."
    return Text("\u201c", title, end, "\u201d")


@node
def italic(children: Any, context: dict[str, Any], name: str) -> Text:
    value = _field(context["entry"], name)
    if not value:
        raise FieldIsMissing(name, context["entry"])
    return Text(Tag("em", value))


def entry_date(entry: Entry) -> tuple[str, str, str]:
    """(year, month name, day) from biblatex ``date`` or BibTeX ``year``/``month``/``day``."""
    date = _field(entry, "date", isolated=False)
    match = re.match(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?", date)
    if match:
        year, month, day = match.groups()
    else:
        year, month, day = (_field(entry, "year", isolated=False), _field(entry, "month", isolated=False),
                            _field(entry, "day", isolated=False))
    if month and month.isdigit() and 1 <= int(month) <= 12:
        month = MONTHS[int(month) - 1]
    return year or "", month or "", str(int(day)) if day and day.isdigit() else ""


@node
def date(children: Any, context: dict[str, Any], with_day: bool = True) -> Text:
    year, month, day = entry_date(context["entry"])
    if not year:
        raise FieldIsMissing("year", context["entry"])
    if month and day and with_day:
        return Text(f"{month} {day}, {year}")
    return Text(" ".join(filter(None, [month, year])))


@node
def pages(children: Any, context: dict[str, Any]) -> Text:
    value = _field(context["entry"], "pages")
    if not value:
        raise FieldIsMissing("pages", context["entry"])
    return Text(re.sub(r"\s*-+\s*", "\u2013", value))


@node
def link(children: Any, context: dict[str, Any]) -> Text:
    """The DOI as a link, else the URL as a link; unsafe URLs are left out."""
    entry = context["entry"]
    doi = _field(entry, "doi", isolated=False)
    if doi:
        doi = re.sub(r"^https?://(dx\.)?doi\.org/", "", doi)
        url = safe_url("https://doi.org/" + doi)
        if url:
            return Text(HRef(url, String("https://doi.org/" + doi)))
    url = safe_url(entry.fields.get("url", ""))
    if not url:
        raise FieldIsMissing("url", entry)
    return Text(HRef(url, String(isolate(clean_latex(entry.fields["url"])))))


@node
def publication(children: Any, context: dict[str, Any]) -> Text:
    """Place: Publisher, Year (any part may be missing)."""
    entry = context["entry"]
    place = _field(entry, "address") or _field(entry, "location")
    publisher = (_field(entry, "publisher") or _field(entry, "institution")
                 or _field(entry, "organization") or _field(entry, "school"))
    year = entry_date(entry)[0]
    tail = ", ".join(filter(None, [publisher, year]))
    text = ": ".join(filter(None, [place, tail]))
    if not text:
        raise FieldIsMissing("publisher", entry)
    return Text(text)


@node
def periodical(children: Any, context: dict[str, Any]) -> Text:
    """*Journal* 15, no. 3A (June 2024): 1–3, or *Newspaper*, May 26, 2016."""
    entry = context["entry"]
    journal = _field(entry, "journal") or _field(entry, "journaltitle")
    volume, number = _field(entry, "volume"), _field(entry, "number") or _field(entry, "issue")
    when = date(with_day=not volume).format_data(context) if entry_date(entry)[0] else Text()
    parts: list[Any] = [Tag("em", journal)] if journal else []
    if volume:
        parts += [" ", volume] + ([", no. ", number] if number else [])
        parts += [" (", when, ")"] if when else []
    elif when:
        parts += [", " if parts else "", when]
    if _field(entry, "pages"):
        parts += [": " if volume else ", ", pages.format_data(context)]
    if not parts:
        raise FieldIsMissing("journal", entry)
    return Text(*parts)


@node
def misc_venue(children: Any, context: dict[str, Any]) -> Text:
    """Where a miscellaneous work appeared and when; the organisation too when an author leads."""
    entry = context["entry"]
    parts = [_field(entry, "howpublished"), _field(entry, "journal")]
    if entry.persons.get("author") or entry.persons.get("editor"):
        parts.append(_field(entry, "organization") or _field(entry, "institution"))
    pieces: list[Any] = [Tag("em", p) if p == _field(entry, "journal") else p for p in dict.fromkeys(parts) if p]
    if entry_date(entry)[0]:
        pieces.append(date.format_data(context))
    if not pieces:
        raise FieldIsMissing("howpublished", entry)
    return join(sep=", ")[tuple(pieces)].format_data(context)


def _dot(part: Any) -> Any:
    """An optional block of the reference, closed by a full stop."""
    return optional[join[part, "."]]


class ChicagoStyle(BaseStyle):
    """Chicago notes-bibliography, bibliography form."""

    def format_entry(self, label: str, entry: Entry, bib_data: Any = None) -> Any:
        if not hasattr(self, f"get_{entry.type}_template"):
            entry = Entry("misc", fields=entry.fields, persons=entry.persons)
        return super().format_entry(label, entry, bib_data)

    def get_article_template(self, e: Entry) -> Any:
        return join(sep=" ")[_dot(authors), optional[quoted_title], _dot(periodical), _dot(link)]

    def get_book_template(self, e: Entry) -> Any:
        return join(sep=" ")[_dot(authors), _dot(italic("title")),
                             _dot(words["Edited by", editors_inline]),
                             _dot(publication), _dot(link)]

    def get_incollection_template(self, e: Entry) -> Any:
        container = join(sep=", ")[italic("booktitle"), optional[editors_inline], optional[pages]]
        return join(sep=" ")[_dot(authors), optional[quoted_title], _dot(words["In", container]),
                             _dot(publication), _dot(link)]

    def get_techreport_template(self, e: Entry) -> Any:
        return join(sep=" ")[_dot(authors), _dot(italic("title")),
                             _dot(join(sep=" ")[clean_field("type"), optional[clean_field("number")]]),
                             _dot(publication), _dot(link)]

    def get_misc_template(self, e: Entry) -> Any:
        return join(sep=" ")[_dot(authors), optional[quoted_title], _dot(misc_venue), _dot(link)]

    get_inbook_template = get_incollection_template
    get_inproceedings_template = get_incollection_template
    get_conference_template = get_incollection_template
    get_proceedings_template = get_book_template
    get_collection_template = get_book_template
    get_mvbook_template = get_book_template
    get_report_template = get_techreport_template
    get_phdthesis_template = get_techreport_template
    get_mastersthesis_template = get_techreport_template
    get_manual_template = get_book_template
    get_online_template = get_misc_template
    get_unpublished_template = get_misc_template


_MAIN_TITLE = re.compile(r"\s*(?::|\s\|\s|\s[\u2013\u2014]\s)\s*")  # a subtitle starts after ':', ' | ' or a dash
_SHORT_WORDS = 5  # Chicago shortens a title to "no more than four words"; one more reads better


def _family(person: Person) -> str:
    return clean_latex(" ".join(person.prelast_names + person.last_names)) or person_name(person)


def short_author(entry: Entry) -> str:
    """Chicago's short note: "Tarzi", "Allison and Morell", "Goody et al.", else the organisation."""
    for role in ("author", "editor"):
        persons = entry.persons.get(role, [])
        names = [_family(p) for p in persons if str(p) != "others"]
        if names:
            if len(names) > 3 or len(names) < len(persons):
                return isolate(names[0]) + " et al."
            return isolate(", ".join(names[:-1]) + (", and " if len(names) > 2 else " and ") + names[-1]
                           if len(names) > 1 else names[0])
    return _field(entry, "organization") or _field(entry, "institution")


def short_title(entry: Entry) -> str:
    """The main title, before any subtitle, at most a few words: "Eye on the Middle East"."""
    title = _field(entry, "title", isolated=False)
    main = _MAIN_TITLE.split(title, maxsplit=1)[0] or title
    words = main.split()
    return isolate(" ".join(words[:_SHORT_WORDS - 1]) + "\u2026" if len(words) > _SHORT_WORDS + 1 else main)


# Entry types whose title the style sets in italics; the others' titles stand in quotation marks.
ITALIC_TITLES = {"book", "collection", "proceedings", "manual", "mvbook", "techreport", "report", "phdthesis",
                 "mastersthesis"}
