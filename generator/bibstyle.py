"""A Chicago-like bibliography style, written in pybtex's template language.

Field values pass through :func:`clean_latex` first, so formatted references carry
no LaTeX commands or braces. ``url``, ``doi`` and ``eprint`` are verbatim, as in biblatex:
only their braces go. Links are made only for ``http(s)`` addresses and DOIs; any other
address is refused (:func:`address_problem`), never rewritten.
"""

from __future__ import annotations

import codecs
import html
import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Any, NamedTuple
from urllib.parse import quote, urlsplit

import latexcodec  # noqa: F401  (registers the "ulatex" codec)
from pybtex.backends.markdown import Backend as MarkdownBackend
from pybtex.database import Entry, Person
from pybtex.richtext import HRef, String, Tag, Text
from pybtex.style.formatting import BaseStyle
from pybtex.style.template import FieldIsMissing, join, node, optional

from .prose import needs_isolation

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
ADDRESS_FIELDS = ("doi", "eprint", "url")  # verbatim, and shown in this order
_DOI_RESOLVER = "https://doi.org/"
_COMMAND = re.compile(r"\\[A-Za-z]+\*?\s*")
_ESCAPED = re.compile(r"\\(.)")
_SPACE = re.compile(r"\s+")
_LATEX_CHARS = re.compile(r"[\\{}$~`'-]")
# What latexcodec changes (commands, ties, dashes, quotes): without it, braces and math
# marks are all there is to drop, and the codec, slow per character, is not needed.
_FOR_LATEXCODEC = re.compile(r"[\\~]|--|''|``|[?!]`")
# What latexcodec would lose or misread, taken out before it runs: \url's argument is verbatim
# (a % in it is no comment), and an escaped special or a text symbol must not be taken for
# the braces, math marks and backslashes that cleaning drops.
_LITERAL = re.compile(
    r"\\url\s*\{(?P<url>[^{}]*)\}"
    r"|\\href\s*\{(?P<href>[^{}]*)\}\s*\{(?P<label>(?:[^{}]|\{[^{}]*\})*)\}"
    r"|\\(?P<symbol>text(?:backslash|asciicircum|asciitilde|underscore|dollar|braceleft|braceright))"
    r"(?![A-Za-z])(?:\s*\{\}|\s+)?"
    r"|\\(?P<special>[$%&#_{}])"
    r"|\\(?P<spacing>[ ,;:!/@\\-])"
)
_URL_ESCAPE = re.compile(r"\\([_%#&$~])")
_SYMBOLS = {"textbackslash": "\\", "textasciicircum": "^", "textasciitilde": "~", "textunderscore": "_",
            "textdollar": "$", "textbraceleft": "{", "textbraceright": "}"}
_SPACING = {" ": " ", ",": " ", ";": " ", ":": " ", "\\": " "}  # \! \/ \@ \- print nothing
_DOI = re.compile(r"^10\.\d+(?:\.\d+)*/\S+$")
# RFC 3986: what a URI may hold (every other character percent-encoded), one # at most.
_URI_SAFE = "-._~!$&'()*+,;=:@/?"
_URI_PART = rf"(?:[A-Za-z0-9{re.escape(_URI_SAFE)}]|%[0-9A-Fa-f]{{2}})*"
_URI = re.compile(rf"^{_URI_PART}(?:#{_URI_PART})?$")


def _decode(latex: str) -> str:
    """LaTeX accents and symbols to Unicode; commands, braces and math marks dropped."""
    if not _FOR_LATEXCODEC.search(latex):
        return latex.replace("{", "").replace("}", "").replace("$", "")
    try:
        text = codecs.decode(latex, "ulatex")  # type: ignore[call-overload]  # latexcodec: str → str
    except (ValueError, TypeError, IndexError):  # latexcodec gives up on some broken input
        text = latex
    text = _COMMAND.sub("", text)
    text = _ESCAPED.sub(r"\1", text)
    text = text.replace("{", "").replace("}", "").replace("$", "").replace("\\", "")
    return " " + text if latex[:1].isspace() else text  # latexcodec drops the space a piece starts with


def _literal(match: re.Match[str]) -> str:
    if match["url"] is not None:  # % and # are escaped in a \url inside a field (as _ often is)
        return _URL_ESCAPE.sub(r"\1", match["url"])
    if match["href"] is not None:
        return clean_latex(match["label"]) or match["href"]
    if match["symbol"]:
        return _SYMBOLS[match["symbol"]]
    if match["special"]:
        return match["special"]
    return _SPACING.get(match["spacing"], "")


@lru_cache(maxsize=65536)
def clean_latex(value: str) -> str:
    """Decode LaTeX accents and symbols to Unicode; drop commands, braces and math marks."""
    if not _LATEX_CHARS.search(value):  # most values are plain text: skip the codec
        return _SPACE.sub(" ", value).strip()
    pieces, last = [], 0
    for match in _LITERAL.finditer(value):
        pieces += [_decode(value[last:match.start()]), _literal(match)]
        last = match.end()
    pieces.append(_decode(value[last:]))
    return _SPACE.sub(" ", "".join(pieces)).strip()


def verbatim(value: str) -> str:
    """A url, doi or eprint as biblatex reads it: the BibTeX braces go, nothing else."""
    return value.replace("{", "").replace("}", "").strip()


def field_text(name: str, value: str) -> str:
    """A field as the exports give it: an address verbatim, anything else as clean text."""
    return verbatim(value) if name.lower() in ADDRESS_FIELDS else clean_latex(value)


class AddressProblem(NamedTuple):
    message: str
    hint: str


class Address(NamedTuple):
    href: str  # the link's target
    text: str  # what the reader sees


def _is_identifier(name: str, value: str) -> bool:
    """An eprint without ``://`` is an identifier (an arXiv number), shown as text."""
    return name == "eprint" and "://" not in value


def _is_web_address(value: str) -> bool:
    try:
        parts = urlsplit(value)
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)


def _unfit_characters(name: str, value: str) -> AddressProblem:
    unfit = ", ".join(f"'{char}'" for char in sorted({char for char in value if not _URI.match(char)}))
    hint = ("no LaTeX escapes: write _ and % as they are" if "\\" in value else
            f"percent-encode it, as a browser's address bar copies it: {quote(value, safe=_URI_SAFE + '%#')}")
    return AddressProblem(f"a {name} with characters a web address cannot hold ({unfit})", hint)


def address_problem(name: str, value: str) -> AddressProblem | None:
    """Why the verbatim ``url``, ``doi`` or ``eprint`` cannot be a link, or None if it can.

    A link is an http(s) address as RFC 3986 writes it (as STIX requires), or a DOI.
    """
    if _is_identifier(name, value) or (name == "doi" and _DOI.match(value)):
        return None
    if not _is_web_address(value):
        if name == "doi":
            return AddressProblem("a doi that is neither a DOI (10.…/…) nor an http(s) address",
                                  "write the DOI alone, as in doi = {10.1000/182}")
        article = "an" if name == "eprint" else "a"
        return AddressProblem(f"{article} {name} that is not an http(s) address",
                              f"only http:// and https:// addresses become links: give the work's web address, "
                              f"or remove the field and list it in unavailable = {{{name}}}")
    return None if _URI.match(value) else _unfit_characters(name, value)


def web_addresses(entry: Entry) -> dict[str, Address]:
    """Each address field that can be a link → the link, to exactly the address written.

    A DOI becomes a doi.org address, percent-encoded as the DOI Handbook asks (a # or ?
    in a DOI is no fragment or query); the reader sees the DOI as written.
    """
    addresses = {}
    for name in ADDRESS_FIELDS:
        value = verbatim(entry.fields.get(name, ""))
        if not value or _is_identifier(name, value) or address_problem(name, value):
            continue
        if name == "doi" and _DOI.match(value):
            addresses[name] = Address(_DOI_RESOLVER + quote(value, safe=_URI_SAFE.replace("?", "")),
                                      _DOI_RESOLVER + value)
        else:
            addresses[name] = Address(value, value)
    return addresses


class SiteMarkdown(MarkdownBackend):
    """pybtex's Markdown, with links as HTML elements: the target of a Markdown link ends
    at an unbalanced parenthesis and may be read as a title after a quote, while an
    attribute carries any address as it is."""

    def format_href(self, url: str, text: str, external: bool = False) -> str:
        return f'<a href="{html.escape(url)}">{text}</a>' if text else ""


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


def _is_others(person: Person) -> bool:
    """BibTeX's ``and others``: the list goes on beyond the names given."""
    return str(person) == "others"


def _name_list(persons: list[Person], invert_first: bool) -> str:
    others = _is_others(persons[-1])
    named = persons[:-1] if others else persons
    names = [isolate(person_name(p, inverted=invert_first and i == 0)) for i, p in enumerate(named)]
    if len(names) > 10:  # Chicago: the first seven, then et al.
        names, others = names[:7], True
    if others:
        return ", ".join([*names, "et al."])
    if len(names) <= 2:
        return (", and " if invert_first and len(names) == 2 else " and ").join(names)
    return ", ".join(names[:-1]) + ", and " + names[-1]


def _field(entry: Entry, name: str, isolated: bool = True) -> str:
    """The field as clean text; isolated (see ``isolate``) unless it is to be parsed."""
    value = entry.fields.get(name, "")
    value = clean_latex(value) if value else ""
    return isolate(value) if isolated else value


_PUNCTUATION = tuple(".,;:!?…")


def _ends_in_punctuation(text: Any) -> bool:
    return str(text).rstrip("\u2069").endswith(_PUNCTUATION)


def _joined(sep: str, parts: Sequence[Any]) -> Text:
    """The parts that are not empty joined by ``sep``; after a part that ends in punctuation,
    the full stop or comma of ``sep`` is left out ("Krebs, B." and "2019." take no second one)."""
    text = Text()
    for part in filter(None, parts):
        if text:
            text = Text(text, sep.lstrip(".,") if _ends_in_punctuation(text) else sep)
        text = Text(text, part)
    return text


def _closed(text: Text) -> Text:
    """The text closed by a full stop, unless it already ends in punctuation."""
    return text if _ends_in_punctuation(text) else Text(text, ".")


def _formatted(children: Any, context: dict[str, Any]) -> list[Text]:
    return [child.format_data(context) if hasattr(child, "format_data") else Text(child) for child in children]


@node
def joined(children: Any, context: dict[str, Any], sep: str = ", ") -> Text:
    return _joined(sep, _formatted(children, context))


@node
def closed(children: Any, context: dict[str, Any]) -> Text:
    """A block of the reference, closed by a full stop; a block of punctuation alone is missing."""
    text = _joined("", _formatted(children, context))
    if not any(char.isalnum() for char in str(text)):
        raise FieldIsMissing("", context["entry"])
    return _closed(text)


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
def editors_inline(children: Any, context: dict[str, Any], lead: str = "edited by") -> Text:
    """The editors after the title; where no author is named, they lead the reference instead."""
    entry = context["entry"]
    persons = entry.persons.get("editor")
    if not persons or not entry.persons.get("author"):
        raise FieldIsMissing("editor", entry)
    return Text(lead, " ", _name_list(persons, invert_first=False))


@node
def quoted_title(children: Any, context: dict[str, Any]) -> Text:
    title = _field(context["entry"], "title")
    if not title:
        raise FieldIsMissing("title", context["entry"])
    return Text("\u201c", _closed(Text(title)), "\u201d")


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


def _eprint_identifier(entry: Entry) -> str:
    """An eprint given as an identifier (an arXiv number), after its type: "arXiv: 1602.04450"."""
    value = verbatim(entry.fields.get("eprint", ""))
    if not value or not _is_identifier("eprint", value):
        return ""
    kind = _field(entry, "eprinttype", isolated=False) or _field(entry, "archiveprefix", isolated=False)
    return isolate(f"{kind}: {value}" if kind else value)


@node
def addresses(children: Any, context: dict[str, Any]) -> Text:
    """DOI, eprint and URL in biblatex's order, each a link to exactly the address written."""
    entry = context["entry"]
    links = web_addresses(entry)
    parts: list[Any] = []
    shown: set[str] = set()
    for name in ADDRESS_FIELDS:
        address = links.get(name)
        if address and address.href not in shown:  # a url may repeat the DOI's address
            shown.add(address.href)
            parts.append(HRef(address.href, String(isolate(address.text))))
        elif name == "eprint" and _eprint_identifier(entry):
            parts.append(_eprint_identifier(entry))
    if not parts:
        raise FieldIsMissing("url", entry)
    return _joined(". ", parts)


@node
def publication(children: Any, context: dict[str, Any]) -> Text:
    """Place: Publisher, Year (any part may be missing)."""
    entry = context["entry"]
    place = _field(entry, "address") or _field(entry, "location")
    publisher = (_field(entry, "publisher") or _field(entry, "institution")
                 or _field(entry, "organization") or _field(entry, "school"))
    place_of = ": " if publisher else ", "  # Place: Publisher, but Place, Year
    text = _joined(place_of, [place, _joined(", ", [publisher, entry_date(entry)[0]])])
    if not text:
        raise FieldIsMissing("publisher", entry)
    return text


@node
def periodical(children: Any, context: dict[str, Any]) -> Text:
    """*Journal* 15, no. 3A (June 2024): 1–3, or *Newspaper*, May 26, 2016."""
    entry = context["entry"]
    journal = _field(entry, "journal") or _field(entry, "journaltitle")
    volume, number = _field(entry, "volume"), _field(entry, "number") or _field(entry, "issue")
    when = date(with_day=not volume).format_data(context) if entry_date(entry)[0] else Text()
    where = pages.format_data(context) if _field(entry, "pages") else Text()
    title = Text(Tag("em", journal)) if journal else Text()
    if not volume:
        text = _joined(", ", [title, when, where])
    else:
        issue = Text(volume, ", no. ", number) if number else Text(volume)
        issue = Text(issue, " (", when, ")") if when else issue
        text = _joined(": ", [_joined(" ", [title, issue]), where])
    if not text:
        raise FieldIsMissing("journal", entry)
    return text


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
    return _joined(", ", pieces)


def _dot(part: Any) -> Any:
    """An optional block of the reference, closed by a full stop."""
    return optional[closed[part]]


_NOTE = _dot(clean_field("note"))
_ADDRESSES = _dot(addresses)


class ChicagoStyle(BaseStyle):
    """Chicago notes-bibliography, bibliography form; every type ends with the note and the addresses."""

    def format_entry(self, label: str, entry: Entry, bib_data: Any = None) -> Any:
        if not hasattr(self, f"get_{entry.type}_template"):
            entry = Entry("misc", fields=entry.fields, persons=entry.persons)
        return super().format_entry(label, entry, bib_data)

    def get_article_template(self, e: Entry) -> Any:
        return join(sep=" ")[_dot(authors), optional[quoted_title], _dot(periodical), _NOTE, _ADDRESSES]

    def get_book_template(self, e: Entry) -> Any:
        return join(sep=" ")[_dot(authors), _dot(italic("title")), _dot(editors_inline(lead="Edited by")),
                             _dot(publication), _NOTE, _ADDRESSES]

    def get_incollection_template(self, e: Entry) -> Any:
        container = joined(sep=", ")[italic("booktitle"), optional[editors_inline], optional[pages]]
        return join(sep=" ")[_dot(authors), optional[quoted_title], _dot(joined(sep=" ")["In", container]),
                             _dot(publication), _NOTE, _ADDRESSES]

    def get_techreport_template(self, e: Entry) -> Any:
        return join(sep=" ")[_dot(authors), _dot(italic("title")),
                             _dot(joined(sep=" ")[clean_field("type"), optional[clean_field("number")]]),
                             _dot(publication), _NOTE, _ADDRESSES]

    def get_misc_template(self, e: Entry) -> Any:
        return join(sep=" ")[_dot(authors), optional[quoted_title], _dot(misc_venue), _NOTE, _ADDRESSES]

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
