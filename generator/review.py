"""The reviewer's findings: uncited statements, conflicting figures, incomplete or unused
references, stale records. The Review page shows them; ``briefs check`` warns about them."""

from __future__ import annotations

import bisect
import datetime as dt
import os
import re
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from pydantic import BaseModel

from .bibliography import Reference
from .corpus import Corpus, Entry, FileFacts, RecordFile, Spot, derived
from .diagnostics import Diagnostic, Position, warning
from .models import (
    AddressedActor,
    Alias,
    Casualties,
    Classified,
    Geocode,
    ProseMarker,
    SourcedActivity,
    SourcedDate,
    SourcedNumber,
    Status,
    fields_holding,
)
from .words import label

# A sentence ends at . ! or ? followed by space and a capital, or at a blank line...
_SENTENCE_END = re.compile(r"[.!?]([\"”’)]?)\s+(?=[A-Z\"“(])")  # the closing quote stays in
_BLANK_LINE = re.compile(r"\n\s*\n")  # a pattern of its own: an alternation scans three times slower
# ...but not after an initial (Michael E. Kurilla) or an abbreviation (U.S. Army, Gen. Milley).
_ABBREVIATIONS = ("Mr|Mrs|Ms|Dr|Gen|Col|Lt|St|No|Nos|vol|pp?|ch|eds?|cf|e\\.g|i\\.e|etc|vs"
                  "|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec")
_NOT_AN_END = re.compile(rf"(?:\b[A-Z]|\b(?:[A-Za-z]\.){{2,}}|\b(?:{_ABBREVIATIONS}))\.$")
_CODE = re.compile(r"`[^`]*`")
# What a reader needs to find a work; a .bib entry may list in `unavailable` what its source does not give.
NEEDED_FIELDS = {
    "url": ("url", "doi"),
    "date": ("date", "year"),
    "publisher": ("publisher", "journal", "journaltitle", "howpublished", "institution", "organization",
                  "school", "booktitle"),
}


@dataclass(frozen=True)
class Statement:
    kind: str
    id: str
    field: str
    spot: Spot  # where it stands, resolved to a line only when shown
    text: str

    @property
    def pos(self) -> Position:
        return self.spot.pos


@dataclass(frozen=True)
class Conflict:
    kind: str
    id: str
    field: str
    values: tuple[Any, ...]


@dataclass(frozen=True)
class Judgement:
    """What the editors decided rather than a source said: a term, a geocode, a name they give."""

    kind: str
    id: str
    loc: tuple[Any, ...]
    what: str  # "classification", "geocode" or "name"
    value: Any  # the model object: a term, a geocode, an alias

    @property
    def field(self) -> str:
        """The field as readers see it: "Attack type", "Relation type", "Geocode"."""
        name = next(part for part in reversed(self.loc) if isinstance(part, str) and part != "value")
        return FIELD_WORDS.get(name, name.replace("_", " ").capitalize())

    @property
    def text(self) -> str:
        """The judgement in words: a term's label, a geocode's point and precision, a name."""
        item = self.value
        if isinstance(item, Geocode):
            where = f" ({item.name})" if item.name else ""
            return f"{item.latitude}, {item.longitude}{where}, precise to {label('precision', item.precision)}"
        if isinstance(item, Alias):
            return f"{item.name}: {item.editors}"
        if isinstance(item, AddressedActor):
            return item.actor
        return label(VOCABULARY[self.field], item.value)


# The fields a judgement can sit in, as readers see them, and the vocabulary of their terms.
FIELD_WORDS = {"category": "Category", "attack_types": "Attack type", "target_types": "Target type",
               "status": "Status", "type": "Relation type", "addresses": "Addresses", "geocode": "Geocode",
               "aliases": "Also known as"}
VOCABULARY = {"Category": "category", "Attack type": "attack_type", "Target type": "target_type",
              "Status": "status", "Relation type": "relation"}


# What a reviewer should see as judgement: an uncited term or name, and every geocode.
JUDGED = (Classified, Status, AddressedActor, Geocode, Alias)


@dataclass
class Review:
    statements: int = 0  # sentences in prose fields that need a source
    uncited: list[Statement] = field(default_factory=list)
    figures: int = 0
    conflicts: list[Conflict] = field(default_factory=list)
    incomplete: list[tuple[Reference, list[str]]] = field(default_factory=list)
    acknowledged: list[tuple[Reference, list[str]]] = field(default_factory=list)
    unused: list[Reference] = field(default_factory=list)
    stale: list[tuple[str, str, dt.date]] = field(default_factory=list)
    judgements: list[Judgement] = field(default_factory=list)  # the editors' terms, names and geocodes
    uncited_aliases: list[Judgement] = field(default_factory=list)  # names with no source and no reason
    period_days: int = 365
    today: dt.date = dt.date.today()

    @property
    def coverage(self) -> float:
        total = self.statements + self.figures
        return 1.0 if total == 0 else (total - len(self.uncited)) / total


def reference_date() -> dt.date:
    """Today, or SOURCE_DATE_EPOCH's day, so that a build can be reproduced."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date() if epoch else dt.date.today()


def sentences(text: str) -> list[tuple[int, str]]:
    """(offset, sentence) for each sentence of a prose field; code spans never split one."""
    masked = _CODE.sub(lambda m: "x" * len(m.group(0)), text) if "`" in text else text
    result, start, scanned = [], 0, 0
    for cut, resume, maybe_abbreviation in _ends(masked):
        if cut < scanned:
            continue  # a blank line inside the space after a full stop
        scanned = resume
        if maybe_abbreviation and _could_abbreviate(masked, cut) \
                and _NOT_AN_END.search(masked, max(start, cut - 12), cut):
            continue
        result.append((start, text[start:cut]))
        start = resume
    result.append((start, text[start:]))
    return [(offset, s.strip()) for offset, s in result if s.strip()]


def _could_abbreviate(masked: str, cut: int) -> bool:
    """Every abbreviation ends in a letter or a dot before its stop; most sentences end in ']'."""
    before = masked[cut - 2] if cut >= 2 else ""
    return before.isalpha() or before == "."


def _ends(masked: str) -> list[tuple[int, int, bool]]:
    """(where the sentence stops, where the next starts, could the stop be an abbreviation's)."""
    ends = [(m.end(1), m.end(), not m.group(1) and m.group(0).count("\n") < 2)
            for m in _SENTENCE_END.finditer(masked)]
    if "\n" in masked:
        ends += [(m.start(), m.end(), False) for m in _BLANK_LINE.finditer(masked)]
        ends.sort()
    return ends


def _statements(corpus: Corpus, review: Review) -> None:
    """Count the sentences of prose that needs sources; keep those without a citation."""
    for file in corpus.files:
        count, uncited = derived(file, "statements", partial(_file_statements, file, corpus.facts[file.path]))
        review.statements += count
        review.uncited += uncited


def _file_statements(file: RecordFile, facts: FileFacts) -> tuple[int, list[Statement]]:
    count, uncited = 0, []
    for item in facts.prose:
        if not (isinstance(item.marker, ProseMarker) and item.marker.needs_citation):
            continue
        cited_at = facts.citation_offsets.get(item.loc, [])
        for offset, sentence in sentences(item.value):
            count += 1
            first_after = bisect.bisect_left(cited_at, offset)  # citation offsets are in order
            if first_after == len(cited_at) or cited_at[first_after] >= offset + len(sentence):
                uncited.append(Statement(file.kind, file.id, _label(item.loc),
                                         Spot(file, item.loc, item.value, offset), sentence))
    return count, uncited


def _label(loc: tuple[Any, ...]) -> str:
    return ".".join(str(p) if isinstance(p, str) else f"[{p}]" for p in loc).replace(".[", "[")


def _figures_and_conflicts(corpus: Corpus, review: Review) -> None:
    for entry in corpus.entries():
        figures, conflicts = derived(entry, "conflicts", partial(_entry_conflicts, entry))
        review.figures += figures
        review.conflicts += conflicts


def _entry_conflicts(entry: Entry) -> tuple[int, list[Conflict]]:
    figures, conflicts = 0, []
    for name, values in _sourced_fields(entry.record):
        figures += len(values)
        if differ(values):
            conflicts.append(Conflict(entry.kind, entry.id, name, tuple(values)))
    return figures, conflicts


def differ(values: list[Any]) -> bool:
    """Do the sources disagree? (Several values that are not all the same claim.)"""
    return len({(getattr(v, "qualifier", None), str(v.value)) for v in values}) > 1


def _sourced_fields(model: Any, prefix: str = "") -> list[tuple[str, list[Any]]]:
    found = []
    for name in type(model).model_fields:
        value = getattr(model, name)
        if isinstance(value, list) and value and isinstance(value[0], (SourcedNumber, SourcedDate, SourcedActivity)):
            found.append((prefix + name, value))
        elif isinstance(value, Casualties):
            found += _sourced_fields(value, prefix + name + ".")
    return found


def _judged(model: BaseModel, loc: tuple[Any, ...] = ()) -> list[tuple[tuple[Any, ...], Any]]:
    """(where, object) for every term, geocode and name inside a record."""
    found: list[tuple[tuple[Any, ...], Any]] = []
    for name in fields_holding(type(model), JUDGED):  # not the many citations and figures
        value = getattr(model, name)
        items = list(enumerate(value)) if isinstance(value, list) else [(None, value)]
        for index, item in items:
            where = loc + ((name,) if index is None else (name, index))
            if isinstance(item, JUDGED):
                found.append((where, item))
            if isinstance(item, BaseModel):
                found += _judged(item, where)
    return found


def _judgements(corpus: Corpus, review: Review) -> None:
    for entry in corpus.entries():
        judgements, uncited_aliases = derived(entry, "judgements", partial(_entry_judgements, entry))
        review.judgements += judgements
        review.uncited_aliases += uncited_aliases


def _entry_judgements(entry: Entry) -> tuple[list[Judgement], list[Judgement]]:
    judgements: list[Judgement] = []
    uncited_aliases: list[Judgement] = []
    for loc, item in _judged(entry.record):
        if isinstance(item, Geocode):
            judgements.append(Judgement(entry.kind, entry.id, loc, "geocode", item))
        elif isinstance(item, Alias):
            if item.cite:
                continue
            bucket = judgements if item.editors else uncited_aliases
            bucket.append(Judgement(entry.kind, entry.id, loc, "name", item))
        elif not item.cite:
            judgements.append(Judgement(entry.kind, entry.id, loc, "classification", item))
    return judgements, uncited_aliases


def missing_fields(reference: Reference) -> tuple[list[str], list[str]]:
    """(missing, acknowledged): needed fields absent, split by the entry's `unavailable` list."""
    fields = {k.lower() for k, v in reference.entry.fields.items() if v.strip()}
    unavailable = {w.strip().lower() for w in reference.entry.fields.get("unavailable", "").split(",")}
    missing = [need for need, names in NEEDED_FIELDS.items() if not fields & set(names)]
    return [m for m in missing if m not in unavailable], [m for m in missing if m in unavailable]


def build_review(corpus: Corpus, period_days: int = 365, today: dt.date | None = None) -> Review:
    review = Review(period_days=period_days, today=today or reference_date())
    _statements(corpus, review)
    _figures_and_conflicts(corpus, review)
    _judgements(corpus, review)
    seed_keys = {seed.note.key for seed in corpus.seeds.values()}
    for key, reference in corpus.bibliography.references.items():
        if key not in corpus.cited_by and key not in seed_keys:
            review.unused.append(reference)
            continue
        missing, acknowledged = missing_fields(reference)
        if missing:
            review.incomplete.append((reference, missing))
        if acknowledged:
            review.acknowledged.append((reference, acknowledged))
    limit = review.today - dt.timedelta(days=period_days)
    for entry in corpus.entries():
        if entry.record.reviewed < limit:
            review.stale.append((entry.kind, entry.id, entry.record.reviewed))
    return review


def review_diagnostics(review: Review, corpus: Corpus) -> list[Diagnostic]:
    found = [warning(s.pos, "uncited-statement", f"statement without a citation: \u201c{_short(s.text)}\u201d",
                     "end it with [@key] or [@key, locator]") for s in review.uncited]
    found += [warning(ref.pos, "unused-reference", f"reference '{ref.key}' is never cited")
              for ref in review.unused]
    found += [warning(ref.pos, "incomplete-reference",
                      f"reference '{ref.key}' has no {' or '.join(missing)}",
                      "add the field, or list it in `unavailable = {...}` if the source does not give it")
              for ref, missing in review.incomplete]
    for alias in review.uncited_aliases:
        entry = corpus.records[alias.kind][alias.id]
        found.append(warning(entry.pos(alias.loc), "uncited-alias",
                             f"the name '{alias.value.name}' cites no source",
                             "write {name: ..., cite: [key]}, or {name: ..., editors: why} for a name "
                             "the editors give"))
    for kind, id, reviewed in review.stale:
        entry = corpus.records[kind][id]
        found.append(warning(entry.pos(("reviewed",)), "stale-record",
                             f"last reviewed {reviewed}, more than {review.period_days} days ago"))
    return found


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"
