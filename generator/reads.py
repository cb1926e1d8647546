"""What rendering a page looked up besides its context, and whether a later corpus would answer
otherwise: with its context, all a generated page's Markdown depends on."""

from __future__ import annotations

from dataclasses import dataclass

from .bibliography import Reference
from .corpus import Corpus
from .models import KINDS


@dataclass(frozen=True)
class Reads:
    """What rendering looked up besides its context, with the value each had: records' titles (None:
    no such record) and references' content (None: no such reference)."""

    titles: dict[tuple[str, str], str | None]
    references: dict[str, tuple[object, ...] | None]

    def outdated(self, corpus: Corpus, changed: Changed) -> bool:
        """Would a lookup give another value now? Only what ``changed`` names can."""
        if changed.records.isdisjoint(self.titles) and changed.references.isdisjoint(self.references):
            return False  # most of the time, for most pages: said without a look-up
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
