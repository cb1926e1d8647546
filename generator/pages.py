"""Corpus → the pages to generate: path, template and context. Pure: nothing is written here."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field, replace
from functools import partial
from typing import Any

from .bibliography import Reference
from .changes import RECENT_CHANGES, content_date, last_updated, newest_days, record_history, site_history
from .charts import attack_rows, chart_notes
from .corpus import Corpus, Entry, Project, RecordFile, SeedEntry, derived, file_facts
from .headmeta import description, highwire_date
from .models import KIND_LABELS, KINDS, Actor, Attack, Relation
from .networks import SITE_MAP_LIMIT, neighbours, network_path
from .notes import SOURCES_PAGE
from .words import field_words, label, list_words

INVERSE_RELATION = {
    "ally": "Ally of", "affiliate": "Has affiliate", "splinter": "Has splinter group",
    "rival": "Rival of", "sponsor": "Sponsored by", "adversary": "Adversary of",
    "leader": "Led by", "member": "Has member",
}
RELATION = {
    "ally": "Ally of", "affiliate": "Affiliate of", "splinter": "Splinter of", "rival": "Rival of",
    "sponsor": "Sponsor of", "adversary": "Adversary of", "leader": "Leader of", "member": "Member of",
}


@dataclass(frozen=True)
class Page:
    path: str
    template: str
    context: dict[str, Any]
    source: str | None = None  # the YAML file the page is made from, for "edit this page"


REVIEW_PAGE = "review/index.md"
CHANGES_PAGE = "changes/index.md"
FEED = "feed.xml"
TIMELINE_PAGE = "timeline/index.md"


DATA_DIR = "data"
DATA_PAGE = f"{DATA_DIR}/index.md"


def source_path(kind: str, id: str) -> str:
    """Where the site serves a record's YAML file."""
    return f"{DATA_DIR}/src/{kind}/{id}.yaml"


def json_path(kind: str, id: str) -> str:
    return f"{DATA_DIR}/records/{kind}/{id}.json"


def cite_path(kind: str, id: str, extension: str) -> str:
    """Where the site serves a record page's citation file (``bib``, ``ris`` or ``json``)."""
    return f"{DATA_DIR}/cite/{kind}/{id}.{extension}"


CITATION_FORMATS = {"bib": "BibTeX", "ris": "RIS", "json": "CSL-JSON"}


def record_data_paths(kind: str, id: str) -> list[str]:
    """Every file the site serves for one record besides its page: its data and its citation files."""
    return [source_path(kind, id), json_path(kind, id), *(cite_path(kind, id, ext) for ext in CITATION_FORMATS)]


def record_path(kind: str, id: str) -> str:
    return f"{kind}/{id}.md"


@dataclass
class Links:
    """Who points at whom, computed once for the whole corpus."""

    relations_in: dict[str, list[tuple[Entry, Relation]]] = field(default_factory=lambda: defaultdict(list))
    attacks_by: dict[str, list[tuple[Entry, list[Any]]]] = field(default_factory=lambda: defaultdict(list))
    options_for_actor: dict[str, list[tuple[Entry, str]]] = field(default_factory=lambda: defaultdict(list))
    options_for_attack: dict[str, list[Entry]] = field(default_factory=lambda: defaultdict(list))


def build_links(corpus: Corpus) -> Links:
    links = Links()
    for entry in corpus.records["actors"].values():
        for relation in entry.record.relations:
            links.relations_in[relation.actor].append((entry, relation))
    for entry in corpus.records["attacks"].values():
        # An actor named twice (two sources attributing the attack to it) lists the attack once.
        by_actor: dict[str, list[Any]] = defaultdict(list)
        for perpetrator in entry.record.perpetrators:
            by_actor[perpetrator.actor].append(perpetrator)
        for actor, perpetrators in by_actor.items():
            links.attacks_by[actor].append((entry, perpetrators))
    for entry in corpus.records["policy-options"].values():
        roles: dict[str, list[str]] = defaultdict(list)
        for proposer in entry.record.proposers:
            roles[proposer.actor].append(proposer.role)
        for addressed in entry.record.addresses:
            roles[addressed.actor].append("addresses")
        for actor, names in roles.items():
            links.options_for_actor[actor].append(
                (entry, list_words([label("option_role", name) for name in dict.fromkeys(names)])))
        for attack in entry.record.responds_to:
            links.options_for_attack[attack].append(entry)
    for items in links.attacks_by.values():
        items.sort(key=lambda pair: (pair[0].record.date[0].value.sort_key(), pair[0].id))
    return links


def slugify(text: str) -> str:
    return "-".join(re.findall(r"[a-z0-9]+", text.lower()))


def page_tags(entry: Entry) -> list[str]:
    """The record's tags, and for an attack its country, so readers can filter by country."""
    return derived(entry, "tags", partial(_page_tags, entry))


def _page_tags(entry: Entry) -> list[str]:
    tags = list(entry.record.tags)
    if isinstance(entry.record, Attack) and entry.record.location:
        tags += [slugify(country) for country in entry.record.location.country if slugify(country)]
    return sorted(set(tags))


# Relations that say what an actor is part of, or who is part of it: the key-facts box lists them,
# in this order, from this actor's side ("out") and from the other's ("in").
FACT_RELATIONS = [("leader", "in", "Led by"), ("leader", "out", "Leader of"), ("member", "out", "Member of"),
                  ("member", "in", "Members"), ("affiliate", "out", "Affiliate of"), ("affiliate", "in", "Affiliates"),
                  ("splinter", "out", "Splinter of"), ("splinter", "in", "Splinter groups"),
                  ("sponsor", "in", "Sponsored by")]


def actor_relations(entry: Entry, relations_in: list[tuple[Entry, Relation]]) -> tuple[list[Any], list[Any]]:
    """(key facts, table rows): facts as (label, [(other id, relation)]), rows as (label, other id, relation)."""
    out = [(r.type.value, "out", r.actor, r) for r in entry.record.relations]
    inward = [(r.type.value, "in", source.id, r) for source, r in relations_in]
    facts = [(title, [(other, r) for kind, side, other, r in out + inward if (kind, side) == (k, d)])
             for k, d, title in FACT_RELATIONS]
    rows = [((RELATION if side == "out" else INVERSE_RELATION)[kind], other, r)
            for kind, side, other, r in out + inward]
    return [(title, items) for title, items in facts if items], rows


def proposer_groups(option: Any) -> list[tuple[str, list[Any]]]:
    """The option's proposers by role, as readers see the roles: "Proposed by", "Discussed by"."""
    groups: dict[str, list[Any]] = {}
    for proposer in option.proposers:
        groups.setdefault(label("proposer", proposer.role), []).append(proposer)
    return list(groups.items())


def record_head(entry: Entry) -> dict[str, str]:
    """What the page's <head> says of it (see ``headmeta``): plain text, escaped by the theme template."""
    return {"title": entry.record.title, "description": description(entry.record.summary),
            "date": highwire_date(entry.record.reviewed), "updated": last_updated(entry).isoformat()}


def _record_page(corpus: Corpus, links: Links, entry: Entry) -> Page:
    """The record's page; the same Page object while the record and what links it are unchanged
    (a live preview then compares two contexts by identity, not value by value)."""
    linked = (links.relations_in.get(entry.id, []), links.attacks_by.get(entry.id, []),
              links.options_for_actor.get(entry.id, []), links.options_for_attack.get(entry.id, []))
    return derived(entry, "page", partial(_make_record_page, corpus.project, linked, entry),
                   inputs=(corpus.project, linked))


def _make_record_page(project: Project, linked: tuple[list[Any], ...], entry: Entry) -> Page:
    relations_in, attacks_by, options_for_actor, options_for_attack = linked
    context: dict[str, Any] = {"entry": entry, "record": entry.record, "kind_label": KIND_LABELS[entry.kind],
                               "page_tags": page_tags(entry), "head": record_head(entry),
                               "site_name": project.site_name,
                               "page_url": project.page_url(f"{entry.kind}/{entry.id}/"),
                               "yaml_path": source_path(entry.kind, entry.id),
                               "json_path": json_path(entry.kind, entry.id),
                               "citation_files": [(name, cite_path(entry.kind, entry.id, extension))
                                                  for extension, name in CITATION_FORMATS.items()],
                               "history": record_history(entry)}
    if isinstance(entry.record, Actor):
        relation_facts, relations = actor_relations(entry, relations_in)
        context |= {"network": network_path(entry.id) if relations else None, "relation_facts": relation_facts,
                    "relations": relations, "attacks": attacks_by, "options": options_for_actor}
    elif isinstance(entry.record, Attack):
        context |= {"options": options_for_attack}
    else:
        context |= {"proposer_facts": proposer_groups(entry.record)}
    template = {"actors": "actor.md.j2", "attacks": "attack.md.j2", "policy-options": "option.md.j2"}
    return Page(record_path(entry.kind, entry.id), template[entry.kind], context, source=entry.path)


# The Actors index, one section per kind of actor.
ACTOR_GROUPS = [("Militant groups", ("militant-group",)), ("States and governments", ("state", "government")),
                ("Organisations", ("organisation",)), ("People", ("person",))]


def _index_page(corpus: Corpus, links: Links, kind: str) -> Page:
    entries = list(corpus.records[kind].values())
    if kind == "attacks":
        entries.sort(key=lambda e: (e.record.date[0].value.sort_key(), e.id))
    else:
        entries.sort(key=lambda e: (e.record.title.casefold(), e.id))
    context: dict[str, Any] = {"entries": entries, "kind": kind}
    if kind == "actors":
        context["groups"] = [(title, [e for e in entries if e.record.category.value in categories])
                             for title, categories in ACTOR_GROUPS]
        related = sum(1 for ids in neighbours(corpus).values() if ids)
        context["network"] = {"related": related, "drawn": 0 < related <= SITE_MAP_LIMIT}
    return Page(f"{kind}/index.md", f"index-{kind}.md.j2", context)


def citing_records(corpus: Corpus) -> dict[str, list[tuple[str, str, list[str]]]]:
    """Citation key → (kind, id, sections) per record that cites it, in record order; sections as
    readers see them."""
    found: dict[str, list[tuple[str, str, list[str]]]] = defaultdict(list)
    for file in corpus.files:
        for key, citing in derived(file, "citing", partial(_citing, file)).items():
            found[key].append(citing)
    return {key: sorted(items, key=lambda item: item[:2]) for key, items in found.items()}


def _citing(file: RecordFile) -> dict[str, tuple[str, str, list[str]]]:
    """Each key the file cites, with the sections that cite it, in field order, each once."""
    return {key: (file.kind, file.id, list(dict.fromkeys(field_words(use.field) for use in uses)))
            for key, uses in file_facts(file).uses.items()}


LETTER_INDEX_FROM = 30  # references: fewer fit in a few screens and need no index


def letter_groups(references: list[Reference]) -> list[tuple[str, str, list[Reference]]]:
    """(letter, its anchor, the references filed under it), for references in sorted order;
    a name that starts with a digit or a sign is filed under "#"."""
    groups: dict[str, list[Reference]] = {}
    for reference in references:
        first = reference.sort_key()[0][:1].upper()
        groups.setdefault(first if first.isalpha() else "#", []).append(reference)
    return [(letter, letter_anchor(letter), refs) for letter, refs in groups.items()]


def letter_anchor(letter: str) -> str:
    if letter == "#":
        return "letter-other"
    return "letter-" + (letter.lower() if letter.isascii() else f"u{ord(letter):04x}")


def _sources_page(corpus: Corpus, citing: dict[str, list[tuple[str, str, list[str]]]]) -> Page:
    references = sorted((corpus.bibliography.references[key] for key in corpus.cited_by),
                        key=lambda ref: ref.sort_key())
    seeds = sorted(corpus.seeds.values(), key=lambda s: s.name)
    cited_by = {ref.key: citing[ref.key] for ref in references}
    # A short list is read whole; a long one is filed by letter, with an A–Z bar to jump by.
    groups = letter_groups(references) if len(references) >= LETTER_INDEX_FROM else [("", "", references)]
    return Page(SOURCES_PAGE, "sources.md.j2", {"groups": groups, "seeds": [(seed, seed_title(corpus, seed))
                                                                             for seed in seeds],
                                                "cited_by": cited_by})


def seed_title(corpus: Corpus, seed: SeedEntry) -> str:
    """A source document's title: its reference's, or the key it has no reference for."""
    reference = corpus.bibliography.references.get(seed.note.key)
    return reference.fields.get("title", seed.note.key) if reference else seed.note.key


def _seed_page(corpus: Corpus, seed: SeedEntry, citing: dict[str, list[tuple[str, str, list[str]]]]) -> Page:
    reference = corpus.bibliography.references.get(seed.note.key)
    uses = citing.get(seed.note.key, [])
    return Page(f"sources/{seed.name}.md", "seed.md.j2",
                {"seed": seed, "reference": reference, "uses": uses}, source=seed.path)


def build_pages(corpus: Corpus) -> list[Page]:
    """Every generated page, in a stable order."""
    links = build_links(corpus)
    pages = [_index_page(corpus, links, kind) for kind in KINDS]
    pages += [_record_page(corpus, links, entry) for entry in corpus.entries()]
    citing = citing_records(corpus)
    pages.append(_sources_page(corpus, citing))
    pages.append(Page(REVIEW_PAGE, "review.md.j2", {"review": corpus.review}))
    rows = attack_rows(corpus)
    pages.append(Page(TIMELINE_PAGE, "timeline.md.j2", {"rows": rows, **chart_notes(rows)}))
    pages.append(Page(DATA_PAGE, "data.md.j2", {"counts": counts(corpus)}))
    pages.append(Page(CHANGES_PAGE, "changes.md.j2", {"days": newest_days(site_history(corpus), RECENT_CHANGES)}))
    pages += [_seed_page(corpus, seed, citing) for seed in corpus.seeds.values()]
    # A page made from many records changes with any of them: it is as new as the content (the sitemap's date).
    updated = {"updated": content_date(corpus)}
    return [page if "head" in page.context else replace(page, context=page.context | updated) for page in pages]


def counts(corpus: Corpus) -> dict[str, int]:
    return {
        "actors": len(corpus.records["actors"]),
        "attacks": len(corpus.records["attacks"]),
        "policy-options": len(corpus.records["policy-options"]),
        "references": len(corpus.cited_by),
    }
