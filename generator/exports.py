"""Machine-readable exports of the corpus: JSON, CSV, BibTeX, STIX 2.1 and the JSON Schemas.

Pure: ``export_all`` returns file name (relative to the site's ``data/`` folder) → bytes and
writes nothing. Deterministic: no clock, no random ids, sorted keys and records, so two builds
of the same content give byte-identical files.

STIX objects are written as plain JSON data, following the STIX 2.1 specification: the stix2
library's objects validated every property on creation and cost more than every other export
together. The tests check the bundle with the OASIS stix2-validator instead.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache, partial
from typing import Any

import orjson
from pybtex.database import BibliographyData
from pybtex.database import Entry as BibEntry
from pybtex.database.output.bibtex import Writer as BibtexWriter

from .bibliography import Reference
from .bibstyle import web_addresses
from .corpus import Corpus, Entry, derived, file_facts
from .models import KINDS, SCHEMA_NAMES, Citation, PartialDate, SourcedNumber, schemas

# briefs.json groups records under Python-friendly names.
GROUPS = {"actors": "actors", "attacks": "attacks", "policy-options": "policy_options"}

CSV_COLUMNS = [
    "id", "title", "date", "date_precision", "end_date", "end_date_precision", "country", "region", "place",
    "latitude", "longitude", "geocode_precision",
    "perpetrators", "basis", "killed_low", "killed_high", "injured_low", "injured_high", "sources",
]

# Fixed forever: changing it changes every STIX id, and consumers track objects by id.
STIX_NAMESPACE = uuid.UUID("28835a38-c722-4880-a1b8-3e714e07b4c8")


def export_all(corpus: Corpus) -> dict[str, bytes]:
    """Every export file: name relative to ``data/`` → its exact bytes."""
    return Exports().files(corpus)


class Exports:
    """The export files of a corpus, and of a later one. What a record exports is made once per
    unchanged record (``corpus.derived``), what a reference exports once per unchanged reference,
    and the big files are put together from those pieces' bytes, not encoded again whole."""

    def __init__(self) -> None:
        self._references: dict[str, tuple[tuple[Reference, list[str]], bytes]] = {}
        self._bib: tuple[tuple[object, ...], bytes] | None = None

    def files(self, corpus: Corpus) -> dict[str, bytes]:
        entries = {kind: sorted_entries(corpus, kind) for kind in KINDS}
        keys = {(entry.kind, entry.id): cited_keys(corpus, entry) for kind in KINDS for entry in entries[kind]}
        groups = {GROUPS[kind]: [record_item(entry) for entry in entries[kind]] for kind in KINDS}
        groups["references"] = [self._reference_json(corpus, ref) for _, ref in
                                sorted(corpus.bibliography.references.items())]
        stix = sorted(piece for kind in KINDS for entry in entries[kind]
                      for piece in entry_stix(corpus, entry, keys[(kind, entry.id)]))
        files = {
            "briefs.json": json_document({group: items for group, items in groups.items()}),
            "attacks.csv": attacks_csv(entries["attacks"], keys),
            "references.bib": self._references_bib(corpus),
            "briefs.stix.json": json_document({"id": compact_json(stix_id("bundle", "briefs")),
                                               "objects": [piece for _, piece in stix],
                                               "type": compact_json("bundle")}),
        }
        files |= schema_files()
        files |= {f"records/{kind}/{entry.id}.json": record_json(entry) for kind in KINDS for entry in entries[kind]}
        return dict(sorted(files.items()))

    def _reference_json(self, corpus: Corpus, reference: Reference) -> bytes:
        inputs = (reference, sorted({use.id for use in corpus.cited_by.get(reference.key, [])}))
        kept = self._references.get(reference.key)
        if kept is None or kept[0] != inputs:
            kept = self._references[reference.key] = (inputs, list_item(dump_json(reference_data(*inputs))))
        return kept[1]

    def _references_bib(self, corpus: Corpus) -> bytes:
        references = corpus.bibliography.references
        cited = tuple((key, references[key], references[key].entry.original_type)
                      for key in sorted(corpus.cited_by) if key in references)
        if self._bib is None or self._bib[0] != cited:
            self._bib = (cited, references_bib(corpus))
        return self._bib[1]


def dump_json(data: Any) -> bytes:
    """Indented JSON with sorted keys and a final newline; orjson, as the standard library
    falls back to its pure-Python encoder whenever it indents."""
    return orjson.dumps(data, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS | orjson.OPT_APPEND_NEWLINE)


@lru_cache(maxsize=1)
def schema_files() -> dict[str, bytes]:
    """The JSON Schemas of the record kinds: they come from the models, so once per run."""
    return {f"schemas/{name}": dump_json(schema) for name, schema in schemas().items()}


def compact_json(value: Any) -> bytes:
    return orjson.dumps(value)


def list_item(encoded: bytes) -> bytes:
    """A ``dump_json`` document as an item of a list that is a member of a document's object."""
    return b"    " + encoded.rstrip(b"\n").replace(b"\n", b"\n    ")


def json_document(fields: dict[str, bytes | list[bytes]]) -> bytes:
    """What ``dump_json`` makes of an object whose values are given already encoded: a scalar as
    ``compact_json`` gives it, a list as ``list_item`` of the ``dump_json`` of each item. (The pieces
    put together, rather than the whole document encoded again: a live preview keeps each record's.
    One join: at 2,000 records briefs.json is 16 MB, and each copy of it counts.)"""
    if not fields:
        return b"{}\n"
    pieces: list[bytes] = []
    for name in sorted(fields):
        value = fields[name]
        pieces += [b",\n  " if pieces else b"{\n  ", compact_json(name)]
        if isinstance(value, bytes):
            pieces += [b": ", value]
        elif value:
            pieces.append(b": [\n")
            pieces += [piece for item in value for piece in (b",\n", item)][1:]  # no list of its own copied
            pieces.append(b"\n  ]")
        else:
            pieces.append(b": []")
    pieces.append(b"\n}\n")
    return b"".join(pieces)


# --- briefs.json and records/ ---------------------------------------------------------------


def sorted_entries(corpus: Corpus, kind: str) -> list[Entry]:
    records = corpus.records.get(kind, {})
    return [records[id] for id in sorted(records)]


def record_url(kind: str, id: str) -> str:
    return f"{kind}/{id}/"


def record_json(entry: Entry) -> bytes:
    """records/<kind>/<id>.json, the same object as in briefs.json, for each page to link."""
    return derived(entry, "json", partial(_record_json, entry))


def _record_json(entry: Entry) -> bytes:
    return dump_json(record_data(entry))


def record_item(entry: Entry) -> bytes:
    """The record as an item of its list in briefs.json."""
    return derived(entry, "json item", partial(_record_item, entry))


def _record_item(entry: Entry) -> bytes:
    return list_item(record_json(entry))


def record_data(entry: Entry) -> dict[str, Any]:
    """The record as the model normalised it (one mapping → a list, "key" → {key, locator})."""
    return derived(entry, "data", partial(_record_data, entry))


def _record_data(entry: Entry) -> dict[str, Any]:
    data: dict[str, Any] = entry.record.model_dump(mode="json")
    data |= {"id": entry.id, "kind": SCHEMA_NAMES[entry.kind], "source": entry.path,
             "url": record_url(entry.kind, entry.id)}
    return data


def reference_data(reference: Reference, cited_by: Iterable[str]) -> dict[str, Any]:
    # BibTeX fields stay nested: BibTeX has its own "key" and "type" fields.
    return {
        "key": reference.key,
        "type": reference.type,
        "fields": reference.fields,
        "persons": reference.persons,
        "formatted": reference.formatted.text,
        "cited_by": sorted(set(cited_by)),
    }


# --- attacks.csv -------------------------------------------------------------------------


def cited_keys(corpus: Corpus, entry: Entry) -> tuple[str, ...]:
    """Every citation key the record uses, structured or in prose, that the bibliography has; sorted."""
    references = corpus.bibliography.references
    return derived(entry, "keys", lambda: tuple(sorted(key for key in file_facts(entry).uses if key in references)),
                   inputs=corpus.bibliography)


LOWER_BOUNDS = ("exact", "approx", "at-least", "more-than")  # "more than 90": a low of 90, not met
UPPER_BOUNDS = ("exact", "approx", "at-most", "fewer-than")


def figure_range(values: list[SourcedNumber]) -> tuple[str, str]:
    """Low and high bounds over the sources; an empty cell where no source gives that bound."""
    lows = [v.value for v in values if v.qualifier in LOWER_BOUNDS]
    highs = [v.to if v.to is not None else v.value for v in values if v.qualifier in UPPER_BOUNDS]
    return (str(min(lows)) if lows else "", str(max(highs)) if highs else "")


def attack_row(entry: Entry, keys: set[str]) -> dict[str, str]:
    attack, date = entry.record, entry.record.date[0].value  # the first date is the one pages show
    end = attack.end_date[0].value if attack.end_date else None
    location = attack.location
    geocode = location.geocode if location else None
    killed_low, killed_high = figure_range(attack.casualties.killed)
    injured_low, injured_high = figure_range(attack.casualties.injured)
    return {
        "id": entry.id, "title": attack.title, "date": str(date), "date_precision": date.precision,
        "end_date": str(end or ""), "end_date_precision": end.precision if end else "",
        "country": "; ".join(location.country) if location else "",
        "region": location.region or "" if location else "", "place": location.place or "" if location else "",
        "latitude": str(geocode.latitude) if geocode else "", "longitude": str(geocode.longitude) if geocode else "",
        "geocode_precision": geocode.precision if geocode else "",
        "perpetrators": "; ".join(p.actor for p in attack.perpetrators),
        "basis": "; ".join(p.basis for p in attack.perpetrators),
        "killed_low": killed_low, "killed_high": killed_high,
        "injured_low": injured_low, "injured_high": injured_high,
        "sources": "; ".join(sorted(keys)),
    }


def attacks_csv(attacks: list[Entry], keys: dict[tuple[str, str], tuple[str, ...]]) -> bytes:
    """One row per attack, RFC 4180 (CRLF line ends), UTF-8 without a BOM."""
    rows = [derived(entry, "csv", partial(_attack_line, entry, keys[(entry.kind, entry.id)]),
                    inputs=keys[(entry.kind, entry.id)]) for entry in attacks]
    return (_csv_line(dict(zip(CSV_COLUMNS, CSV_COLUMNS, strict=True))) + "".join(rows)).encode("utf-8")


def _attack_line(entry: Entry, keys: tuple[str, ...]) -> str:
    return _csv_line(attack_row(entry, set(keys)))


def _csv_line(row: dict[str, str]) -> str:
    out = io.StringIO(newline="")
    csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\r\n").writerow(row)
    return out.getvalue()


# --- references.bib ----------------------------------------------------------------------


class RawBibtexWriter(BibtexWriter):
    """pybtex's BibTeX writer minus its LaTeX encoding.

    Parsed values are BibTeX source already; encoding them again would turn ``\\&`` into
    ``\\\\&``, ``~`` into ``\\textasciitilde`` and the ``_`` of a URL into ``\\_``.
    """

    def _encode(self, text: str) -> str:
        return text


def references_bib(corpus: Corpus) -> bytes:
    """The references the records cite, crossrefs resolved, written by pybtex."""
    references = corpus.bibliography.references
    # Fresh Entry objects: BibliographyData sets .key on what it is given, and export is pure.
    entries = {key: BibEntry(references[key].entry.original_type, fields=references[key].entry.fields,
                             persons=references[key].entry.persons)
               for key in sorted(corpus.cited_by) if key in references}
    return RawBibtexWriter(encoding="UTF-8").to_string(BibliographyData(entries)).encode("utf-8")


# --- briefs.stix.json --------------------------------------------------------------------


@lru_cache(maxsize=16384)
def stix_id(stix_type: str, name: str) -> str:
    return f"{stix_type}--{uuid.uuid5(STIX_NAMESPACE, name)}"


def timestamp(day: dt.date) -> str:
    """A STIX timestamp for the first instant of a day; created and modified carry milliseconds."""
    return f"{day.isoformat()}T00:00:00.000Z"


def period_start(date: PartialDate) -> str:
    """STIX wants a full timestamp: a year or month stands for its first instant."""
    return f"{dt.date(date.year, date.month or 1, date.day or 1).isoformat()}T00:00:00Z"


def period_end(date: PartialDate) -> str:
    """The last instant of a year, month or day."""
    return f"{date.last_day().isoformat()}T23:59:59Z"


def stix_object(stix_type: str, id: str, reviewed: dt.date, **properties: Any) -> dict[str, Any]:
    """The common properties of a STIX 2.1 object; its timestamps come from the review date."""
    return {"type": stix_type, "spec_version": "2.1", "id": id,
            "created": timestamp(reviewed), "modified": timestamp(reviewed), **properties}


def actor_type(entry: Entry) -> str:
    return "threat-actor" if entry.record.category.value == "militant-group" else "identity"


def object_id(corpus: Corpus, kind: str, id: str) -> str:
    types = {"attacks": "campaign", "policy-options": "course-of-action"}
    entry = corpus.get(kind, id)
    stix_type = types.get(kind) or (actor_type(entry) if entry else "identity")
    return stix_id(stix_type, f"{kind}/{id}")


@lru_cache(maxsize=4096)
def external_reference(reference: Reference) -> dict[str, str]:
    """One STIX external reference per BibTeX entry, shared by every object that cites it."""
    addresses = web_addresses(reference.entry)
    address = addresses.get("url") or addresses.get("doi") or addresses.get("eprint")
    extra = {"url": address.href} if address else {}
    return {"source_name": reference.key, "description": reference.formatted.text, **extra}


def external_references(corpus: Corpus, keys: Iterable[str]) -> list[dict[str, str]]:
    references = corpus.bibliography.references
    return [external_reference(references[key]) for key in sorted(set(keys)) if key in references]


def record_object(corpus: Corpus, entry: Entry, stix_type: str, keys: set[str], **properties: Any) -> dict[str, Any]:
    """A STIX domain object made from a record, with what every one of them has."""
    extra: dict[str, Any] = {}
    if entry.record.tags:
        extra["labels"] = list(entry.record.tags)
    if keys:
        extra["external_references"] = external_references(corpus, keys)
    return stix_object(stix_type, object_id(corpus, entry.kind, entry.id), entry.record.reviewed,
                       description=entry.record.summary.strip(), **properties, **extra)


def actor_object(corpus: Corpus, entry: Entry, keys: set[str]) -> dict[str, Any]:
    actor = entry.record
    if actor_type(entry) == "identity":
        identity_class = "individual" if actor.category.value == "person" else "organization"
        return record_object(corpus, entry, "identity", keys, name=actor.name, identity_class=identity_class)
    extra: dict[str, Any] = {}
    if actor.aliases:
        extra["aliases"] = [alias.name for alias in actor.aliases]
    if actor.founded:
        extra["first_seen"] = period_start(min(d.value for d in actor.founded))
    # "terrorist" is the nearest threat-actor-type-ov value for an armed non-state group.
    return record_object(corpus, entry, "threat-actor", keys, name=actor.name,
                         threat_actor_types=["terrorist"], **extra)


def attack_object(corpus: Corpus, entry: Entry, keys: set[str]) -> dict[str, Any]:
    attack = entry.record
    extra: dict[str, Any] = {"aliases": [alias.name for alias in attack.aliases]} if attack.aliases else {}
    if attack.end_date:
        extra["last_seen"] = period_end(max(d.value for d in attack.end_date))
    return record_object(corpus, entry, "campaign", keys, name=attack.title,
                         first_seen=period_start(min(d.value for d in attack.date)), **extra)


def option_object(corpus: Corpus, entry: Entry, keys: set[str]) -> dict[str, Any]:
    return record_object(corpus, entry, "course-of-action", keys, name=entry.record.title)


@dataclass
class StixLink:
    """One STIX relationship; several statements of the same link merge into one."""

    source: str
    type: str
    target: str
    reviewed: dt.date
    descriptions: list[str] = field(default_factory=list)
    keys: set[str] = field(default_factory=set)


class StixLinks:
    def __init__(self) -> None:
        self.links: dict[tuple[str, str, str], StixLink] = {}

    def add(self, source: str, type: str, target: str, reviewed: dt.date, description: str,
            cites: Iterable[Citation] = ()) -> None:
        link = self.links.setdefault((source, type, target), StixLink(source, type, target, reviewed))
        link.reviewed = max(link.reviewed, reviewed)
        if description not in link.descriptions:
            link.descriptions.append(description)
        link.keys |= {c.key for c in cites}


def record_links(corpus: Corpus, entry: Entry) -> StixLinks:
    """Whom the record links to: an attack its perpetrators, an actor its relations, an option the
    actors it addresses and that put it forward, and the attacks it responds to. No other record
    states the same link. A link to a record that does not exist (it failed validation) would
    dangle: it is left out."""
    links = StixLinks()
    me, reviewed = object_id(corpus, entry.kind, entry.id), entry.record.reviewed

    def other(kind: str, id: str) -> str | None:
        return object_id(corpus, kind, id) if corpus.get(kind, id) is not None else None

    if entry.kind == "attacks":
        for p in entry.record.perpetrators:
            if actor := other("actors", p.actor):
                # attributed-to runs campaign → threat-actor only; a state or person is related-to.
                type = "attributed-to" if actor.startswith("threat-actor--") else "related-to"
                basis = f"{p.basis} by {p.by}" if p.by else p.basis
                links.add(me, type, actor, reviewed, f"perpetrator ({basis})", p.cite)
    elif entry.kind == "actors":
        for r in entry.record.relations:
            if actor := other("actors", r.actor):
                links.add(me, "related-to", actor, reviewed, r.type.value, [*r.cite, *r.type.cite])
    else:
        for addressed in entry.record.addresses:
            if actor := other("actors", addressed.actor):
                links.add(me, "related-to", actor, reviewed, "addresses", addressed.cite)
        for id in entry.record.responds_to:
            if attack := other("attacks", id):
                links.add(me, "related-to", attack, reviewed, "responds to")
        for p in entry.record.proposers:
            if actor := other("actors", p.actor):
                links.add(actor, "related-to", me, reviewed, p.role, p.cite)
    return links


def relationship(corpus: Corpus, link: StixLink) -> dict[str, Any]:
    extra = {"external_references": external_references(corpus, link.keys)} if link.keys else {}
    return stix_object("relationship", stix_id("relationship", f"{link.source}|{link.type}|{link.target}"),
                       link.reviewed, relationship_type=link.type, source_ref=link.source,
                       target_ref=link.target, description="; ".join(link.descriptions), **extra)


def entry_stix(corpus: Corpus, entry: Entry, keys: tuple[str, ...]) -> list[tuple[str, bytes]]:
    """The STIX objects a record makes, as (id, JSON): a domain object for the record, and a
    relationship for each link it states. Made again only when the record, the works it cites or
    the records it links to changed."""
    return derived(entry, "stix", partial(_entry_stix, corpus, entry, keys), inputs=_stix_inputs(corpus, entry, keys))


def _entry_stix(corpus: Corpus, entry: Entry, keys: tuple[str, ...]) -> list[tuple[str, bytes]]:
    makers = {"actors": actor_object, "attacks": attack_object, "policy-options": option_object}
    objects = [makers[entry.kind](corpus, entry, set(keys))]
    objects += [relationship(corpus, link) for link in record_links(corpus, entry).links.values()]
    return [(obj["id"], list_item(dump_json(obj))) for obj in objects]


def _linked(entry: Entry) -> list[tuple[str, str]]:
    """The records a record links to, as (kind, id)."""
    record = entry.record
    if entry.kind == "attacks":
        return [("actors", p.actor) for p in record.perpetrators]
    if entry.kind == "actors":
        return [("actors", r.actor) for r in record.relations]
    return [("actors", a.actor) for a in record.addresses] + [("attacks", id) for id in record.responds_to] + [
        ("actors", p.actor) for p in record.proposers]


def _stix_inputs(corpus: Corpus, entry: Entry, keys: tuple[str, ...]) -> tuple[object, ...]:
    """Besides the record: the works it cites (in the bibliography), and the records it links to
    (whether they exist, whether each is a threat actor)."""
    return corpus.bibliography, keys, tuple(corpus.get(kind, id) for kind, id in _linked(entry))
