"""BibTeX references: parse with pybtex, resolve crossrefs, format once per reference.

A formatted reference is kept, keyed on the entry's content, for the next build in the same
process: while ``mkdocs serve`` rebuilds after a YAML save, no reference is formatted again,
and after a .bib save only the entries that changed are.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property, partial
from pathlib import Path
from typing import Any, NamedTuple

import pybtex.errors
from pybtex.backends.plaintext import Backend as TextBackend
from pybtex.database import BibliographyData, Entry, InvalidNameString, Person
from pybtex.database.input.bibtex import Parser
from pybtex.scanner import PybtexSyntaxError

from .bibstyle import (
    ADDRESS_FIELDS,
    ITALIC_TITLES,
    ChicagoStyle,
    SiteMarkdown,
    address_problem,
    entry_date,
    field_text,
    person_name,
    short_author,
    short_title,
    verbatim,
)
from .diagnostics import Diagnostic, Position, error, warning
from .kept import KeptFiles

_ENTRY_START = re.compile(r"^[ \t]*@[ \t]*(\w+)[ \t]*[{(][ \t]*([^,\s]+)[ \t]*,", re.MULTILINE)
_STYLE = ChicagoStyle()
# Backend instances reused: render_as() looks each one up through entry points every call.
_TEXT = TextBackend()
_MARKDOWN = SiteMarkdown()
_FORMATTED: dict[tuple[object, ...], Formatted] = {}  # entry content → its formatting
_FORMATTED_LIMIT = 50_000  # entries; past it the cache starts again


@dataclass(frozen=True)
class Formatted:
    text: str      # plain Unicode, no LaTeX
    markdown: str  # escaped Markdown with safe links


@dataclass(frozen=True)
class ShortNote:
    author: str  # "Abbas", "Allison and Morell", "U.S. Department of State"
    title: str  # "Eye on the Middle East"; empty for an untitled work
    italic: bool  # a book or a report: *Title*; an article or a chapter: “Title”


@dataclass(eq=False)  # equal when the same entry stands at the same place: see __eq__
class Reference:
    key: str
    type: str
    entry: Entry
    pos: Position
    _formatted: Formatted | None = field(default=None, repr=False)

    @cached_property
    def fields(self) -> dict[str, str]:
        return {name.lower(): field_text(name, value) for name, value in self.entry.fields.items()}

    @cached_property
    def persons(self) -> dict[str, list[str]]:
        return {role.lower(): [person_name(p) for p in people]
                for role, people in self.entry.persons.items()}

    @property
    def formatted(self) -> Formatted:
        if self._formatted is None:
            content = self.content
            self._formatted = _FORMATTED.get(content)
            if self._formatted is None:
                if len(_FORMATTED) >= _FORMATTED_LIMIT:
                    _FORMATTED.clear()
                self._formatted = _FORMATTED[content] = self._format()
        return self._formatted

    @cached_property
    def content(self) -> tuple[object, ...]:
        """Everything the formatting reads: the key (the fallback text), type, fields and names."""
        people = tuple((role, tuple(str(person) for person in persons))
                       for role, persons in self.entry.persons.items())
        return (self.key, self.entry.type, tuple(self.entry.fields.items()), people)

    def __eq__(self, other: object) -> bool:
        # By value: after a .bib save, an entry that did not change is equal to its former self,
        # so the pages that cite only such entries are not made again.
        return isinstance(other, Reference) and (self.pos, self.entry.original_type, self.content) == (
            other.pos, other.entry.original_type, other.content)

    def __hash__(self) -> int:
        return hash((self.key, self.pos))

    def _format(self) -> Formatted:
        rich = _STYLE.format_entry(self.key, self.entry).text
        text = rich.render(_TEXT).strip()
        return Formatted(text, rich.render(_MARKDOWN).strip()) if text.strip(". ") else Formatted(self.key, self.key)

    @cached_property
    def short(self) -> ShortNote:
        """The work as a Chicago short note names it: its authors' family names and a short title."""
        author, title = short_author(self.entry), short_title(self.entry)
        if not title:  # an untitled work: who, where, when
            where = self.fields.get("howpublished") or self.fields.get("organization") or ""
            author = ", ".join(dict.fromkeys(p for p in (author, where, entry_date(self.entry)[0]) if p))
        return ShortNote(author or ("" if title else self.key), title, italic=self.type in ITALIC_TITLES)

    def sort_key(self) -> tuple[str, str, str]:
        """By first name as a reader files it, accents aside: Öcalan between Obama and Ocampo."""
        return self._sort_key

    @cached_property
    def _sort_key(self) -> tuple[str, str, str]:
        people = self.entry.persons.get("author") or self.entry.persons.get("editor") or []
        first = person_name(people[0], inverted=True) if people else self.fields.get(
            "organization", self.fields.get("title", self.key))
        unaccented = "".join(c for c in unicodedata.normalize("NFKD", first) if not unicodedata.combining(c))
        return (unaccented.casefold(), entry_date(self.entry)[0], self.key)


class Place(NamedTuple):
    """Where an entry starts, and its key as spelled there."""

    line: int
    offset: int
    key: str


class ParsedFile(NamedTuple):
    data: BibliographyData | None
    text: str
    places: dict[str, list[Place]]  # see _entry_places
    diagnostics: list[Diagnostic]


@dataclass
class Bibliography:
    references: dict[str, Reference]
    diagnostics: list[Diagnostic]

    def get(self, key: str) -> Reference | None:
        return self.references.get(key)


def _entry_places(text: str) -> dict[str, list[Place]]:
    """Each key, casefolded as BibTeX compares keys → where the entries with that key start."""
    places: dict[str, list[Place]] = {}
    line, counted_to = 1, 0
    for match in _ENTRY_START.finditer(text):
        line += text.count("\n", counted_to, match.start())
        counted_to = match.start()
        if match.group(1).lower() not in ("string", "preamble", "comment"):
            key = match.group(2)
            places.setdefault(key.casefold(), []).append(Place(line, match.start(), key))
    return places


def _spelled(first: str, again: str) -> str:
    return f" as '{first}'" if first != again else ""


def _field_position(text: str, rel: str, entry: Place, name: str) -> Position:
    """Where the entry writes the field, or where it starts."""
    match = re.compile(rf"(?<![\w-]){name}\s*=", re.IGNORECASE).search(text, entry.offset)
    if match is None:
        return Position(rel, entry.line)
    line = entry.line + text.count("\n", entry.offset, match.start())
    return Position(rel, line, match.start() - text.rfind("\n", 0, match.start()))


def _address_problems(entry: Entry, text: str, rel: str, place: Place) -> list[Diagnostic]:
    """A url, doi or eprint that cannot be a link is refused: never rewritten, never dropped unsaid."""
    found = []
    for name in ADDRESS_FIELDS:
        value = verbatim(entry.fields.get(name, ""))
        problem = address_problem(name, value) if value else None
        if problem:
            found.append(error(_field_position(text, rel, place, name), "bad-url",
                               f"reference '{place.key}' has {problem.message}: '{value}'", problem.hint))
    return found


class _Parser(Parser):
    """pybtex's BibTeX parser, noting the entry in which each problem without a line (a name
    with too many commas, a field given twice) was found."""

    def __init__(self, problems: list[Exception]) -> None:
        super().__init__()
        self.problems = problems
        self.entry_of: dict[int, str] = {}  # id(problem) → its entry's key

    def process_entry(self, entry_type: str, key: str, fields: Any) -> None:
        known = len(self.problems)
        super().process_entry(entry_type, key, fields)
        self.entry_of |= {id(problem): key for problem in self.problems[known:]}


def _parse_file(file: Path, rel: str) -> ParsedFile:
    raw = file.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        return ParsedFile(None, "", {}, [error(Position(rel, line), "encoding", "file is not UTF-8")])
    places = _entry_places(text)
    diagnostics = []
    with pybtex.errors.capture() as problems:
        parser = _Parser(problems)
        data = parser.parse_string(text)
    for problem in problems:
        key = parser.entry_of.get(id(problem), "")
        line = getattr(problem, "lineno", None) or places.get(key.casefold(), [Place(1, 0, key)])[0].line
        message = str(problem)
        if isinstance(problem, PybtexSyntaxError):
            message = re.sub(r"^(syntax error in line \d+: |undefined string in line \d+: )", "", message)
            message = ("undefined @string macro " + message
                       if type(problem).__name__ == "UndefinedMacro" else message)
        hint = "join names with 'and': {Case, A. and Lassalle, D.}" if isinstance(problem, InvalidNameString) else None
        if "repeated bibliography entry" not in message:
            diagnostics.append(error(Position(rel, line), "bibtex-syntax", message, hint))
    return ParsedFile(data, text, places, diagnostics)


def _inherit(child: Entry, parent: Entry) -> Entry:
    """BibTeX crossref: the child takes the fields it lacks from its parent."""
    fields = dict(parent.fields)
    if "title" in parent.fields and "booktitle" not in child.fields:
        fields["booktitle"] = parent.fields["title"]
    fields.pop("title", None)
    fields.update(child.fields)
    fields.pop("crossref", None)
    persons: dict[str, list[Person]] = {r: list(p) for r, p in parent.persons.items() if r != "author"}
    persons.update({r: list(p) for r, p in child.persons.items()})
    return Entry(child.type, fields=fields, persons=persons)


def load_bibliography(files: list[Path], root: Path, kept: KeptFiles | None = None) -> Bibliography:
    """Every reference in ``files``; with ``kept``, a .bib file unchanged since it was last parsed is not
    parsed again, and when none changed the references are the same objects as last time."""
    kept = kept or KeptFiles()
    parsed = []
    for file in sorted(files):
        rel = file.relative_to(root).as_posix()
        parsed.append((rel, kept.load(file, rel, partial(_parse_file, file, rel))))
    return kept.combine("bibliography", tuple(file for _, file in parsed), partial(_references, parsed))


def _references(parsed: list[tuple[str, ParsedFile]]) -> Bibliography:
    references: dict[str, Reference] = {}
    by_folded: dict[str, Reference] = {}  # BibTeX keys differ by more than case
    diagnostics: list[Diagnostic] = []
    for rel, (data, text, places, problems) in parsed:
        diagnostics += problems
        if data is None:
            continue
        for key, entry in data.entries.items():  # pybtex keeps the first of keys equal but for case
            first, *again = places.get(key.casefold(), [Place(1, 0, key)])
            for place in again:
                diagnostics.append(error(Position(rel, place.line), "duplicate-reference",
                                         f"duplicate BibTeX key '{place.key}' "
                                         f"(first at line {first.line}{_spelled(first.key, place.key)})"))
            earlier = by_folded.get(key.casefold())
            if earlier is not None:
                diagnostics.append(error(Position(rel, first.line), "duplicate-reference",
                                         f"duplicate BibTeX key '{first.key}' "
                                         f"(first at {earlier.pos}{_spelled(earlier.key, first.key)})"))
                continue
            references[key] = by_folded[key.casefold()] = Reference(
                key, entry.type.lower(), entry, Position(rel, first.line))
            diagnostics += _address_problems(entry, text, rel, first)
    _resolve_crossrefs(references, diagnostics)
    return Bibliography(dict(sorted(references.items())), diagnostics)


def _resolve_crossrefs(references: dict[str, Reference], diagnostics: list[Diagnostic]) -> None:
    by_folded = {key.casefold(): ref for key, ref in references.items()}
    for ref in references.values():
        target = ref.entry.fields.get("crossref")
        if not target:
            continue
        parent = by_folded.get(target.strip().casefold())
        if parent is None:
            diagnostics.append(warning(ref.pos, "unknown-crossref",
                                       f"reference '{ref.key}' has crossref '{target}', which is not defined"))
            continue
        ref.entry = _inherit(ref.entry, parent.entry)
