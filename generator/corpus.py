"""All records, source notes and references together: lookups, cross-references, backlinks."""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

from .bibliography import Bibliography, load_bibliography
from .citations import CitationSyntaxError, find_citations
from .diagnostics import Diagnostic, Position, error
from .load import PosDict, load_file, text_position
from .models import KINDS, SLUG_PATTERN, Cited, Marked, RefMarker, SeedNote, walk_data
from .validate import locate, validate

_SLUG = re.compile(SLUG_PATTERN)


@dataclass(frozen=True)
class Publishing:
    """What the About page tells readers: who publishes the site, under which licences, where corrections go.
    Empty means not configured, and pages say nothing rather than guess."""

    publisher: str = ""
    text_licence: str = ""
    text_licence_url: str = ""
    data_licence: str = ""
    data_licence_url: str = ""
    corrections: str = ""  # an email address or a web address (an issue tracker, a form)


def publishing(settings: dict[str, Any], repo_url: str | None = None) -> Publishing:
    """The About page's essentials from the `briefs` plugin's settings; corrections default to the
    repository's issue tracker when the site names a repository."""
    values = {name: str(settings.get(name) or "").strip() for name in Publishing.__dataclass_fields__}
    if not values["corrections"] and repo_url:
        values["corrections"] = repo_url.rstrip("/") + "/issues"
    return Publishing(**values)


@dataclass(frozen=True)
class Project:
    """Where the content lives; by default the fixed layout below the project root."""

    root: Path
    content: str = "content"
    bib: str = "bib"
    seeds: str = "seeds"
    review_period_days: int = 365
    site_name: str = "briefs"
    site_url: str = ""  # the published address, for "cite this page"; empty: site-relative paths
    publishing: Publishing = Publishing()

    def page_url(self, path: str) -> str:
        """The full address of a site path (``actors/iskp/``), or "" when the site has no address."""
        return f"{self.site_url.rstrip('/')}/{path}" if self.site_url else ""

    @property
    def content_dir(self) -> Path:
        return self.root / self.content

    @property
    def watched(self) -> list[Path]:
        return [self.root / self.content, self.root / self.bib, self.root / self.seeds]

    def rel(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()


@dataclass(frozen=True)
class RecordFile:
    """A record file that parsed as YAML, valid or not: its references are checked either way."""

    kind: str
    id: str
    path: str
    data: PosDict
    text: str  # as read, for positions inside values

    def pos(self, loc: tuple[Any, ...]) -> Position:
        return locate(self.data, loc) or Position(self.path)


@dataclass(frozen=True)
class Entry(RecordFile):
    """A record file that validated, with its model."""

    record: Any


class Use(NamedTuple):
    """Where a record or reference is used: record ``kind/id``, at field ``field``."""

    kind: str
    id: str
    field: str


@dataclass(frozen=True)
class SeedEntry:
    name: str
    path: str
    note: SeedNote
    data: PosDict


@dataclass
class Corpus:
    project: Project
    records: dict[str, dict[str, Entry]]
    seeds: dict[str, SeedEntry]
    bibliography: Bibliography
    diagnostics: list[Diagnostic] = field(default_factory=list)
    files: list[RecordFile] = field(default_factory=list)
    known_ids: dict[str, set[str]] = field(default_factory=dict)  # valid or not, so no error cascades
    cited_by: dict[str, list[Use]] = field(default_factory=dict)
    facts: dict[str, FileFacts] = field(default_factory=dict)  # by record file path
    review: Any = None  # the reviewer's findings (review.Review), added by check.load_corpus
    renamed: dict[str, Entry] = field(default_factory=dict)  # a former id → the record that now has it

    def get(self, kind: str, id: str) -> Entry | None:
        return self.records.get(kind, {}).get(id)

    def title(self, kind: str, id: str) -> str:
        entry = self.get(kind, id)
        return entry.record.title if entry else id

    def entries(self) -> list[Entry]:
        return [entry for kind in KINDS for entry in self.records[kind].values()]


def _did_you_mean(name: str, choices: Any) -> str | None:
    close = difflib.get_close_matches(name, list(choices), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else None


def _load_kind(project: Project, kind: str, corpus: Corpus) -> dict[str, Entry]:
    entries: dict[str, Entry] = {}
    diagnostics = corpus.diagnostics
    folder = project.content_dir / kind
    for file in sorted(folder.glob("*")) if folder.is_dir() else []:
        rel = project.rel(file)
        if file.suffix == ".yml":
            diagnostics.append(error(Position(rel), "file-name", "record files end in .yaml, not .yml"))
            continue
        if file.suffix != ".yaml" or not file.is_file():
            continue
        if not _SLUG.match(file.stem):
            diagnostics.append(error(Position(rel), "bad-id", f"file name '{file.stem}' is not an id",
                                     "ids are lowercase letters, digits and hyphens: rename the file"))
            continue
        corpus.known_ids[kind].add(file.stem)
        data, problems, text = load_file(file, rel)
        diagnostics += problems
        if problems:
            continue
        corpus.files.append(RecordFile(kind, file.stem, rel, data, text))
        record, problems = validate(data, KINDS[kind], rel)
        diagnostics += problems
        if record is not None:
            entries[file.stem] = Entry(kind, file.stem, rel, data, text, record)
    return entries


def _load_seeds(project: Project, diagnostics: list[Diagnostic]) -> dict[str, SeedEntry]:
    seeds: dict[str, SeedEntry] = {}
    folder = project.root / project.seeds
    for file in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
        rel = project.rel(file)
        if not _SLUG.match(file.stem):
            diagnostics.append(error(Position(rel), "bad-id", f"file name '{file.stem}' is not an id"))
            continue
        data, problems, _ = load_file(file, rel)
        diagnostics += problems
        if problems:
            continue
        note, problems = validate(data, SeedNote, rel)
        diagnostics += problems
        if note is not None:
            seeds[file.stem] = SeedEntry(file.stem, rel, note, data)
    return seeds


@lru_cache(maxsize=4096)
def field_label(loc: tuple[Any, ...]) -> str:
    """The field a citation supports, for readers: casualties.killed, not casualties.killed[0].cite[0]."""
    names = [str(part) for part in loc if isinstance(part, str) and part != "cite"]
    return ".".join(names)


class Spot(NamedTuple):
    """A place in a record file: a field, or an offset in a prose field. Resolved to a line
    only when a diagnostic needs it (most citations never do)."""

    file: RecordFile
    loc: tuple[Any, ...]
    text: str = ""
    offset: int = 0

    @property
    def pos(self) -> Position:
        base = self.file.pos(self.loc)
        return text_position(self.file.text, base, self.text, self.offset) if self.text else base


@dataclass
class FileFacts:
    """What one walk over a record file finds: citations, references by id, prose fields."""

    citations: list[tuple[Spot, tuple[Cited, ...]]] = field(default_factory=list)  # those written together
    refs: list[Marked] = field(default_factory=list)
    prose: list[Marked] = field(default_factory=list)
    citation_offsets: dict[tuple[Any, ...], list[int]] = field(default_factory=dict)  # prose loc → groups


def file_facts(file: RecordFile, diagnostics: list[Diagnostic]) -> FileFacts:
    facts = FileFacts()
    for item in walk_data(file.data, KINDS[file.kind]):
        if not isinstance(item, Marked):
            loc, citation = item
            facts.citations.append((Spot(file, loc), (citation,)))
        elif isinstance(item.marker, RefMarker):
            facts.refs.append(item)
        else:
            facts.prose.append(item)
            try:
                groups = find_citations(item.value)
            except CitationSyntaxError as exc:
                diagnostics.append(error(Spot(file, item.loc, item.value, exc.offset).pos,
                                         "citation-syntax", str(exc)))
                continue
            if groups:
                facts.citation_offsets[item.loc] = [group.start for group in groups]
            facts.citations += [(Spot(file, item.loc, item.value, group.start), group.citations)
                                for group in groups]
    return facts


def _check_references(corpus: Corpus) -> None:
    """Cross-references by id and citation keys must resolve; build the "cited by" index."""
    diagnostics, keys = corpus.diagnostics, corpus.bibliography.references
    cited_by: dict[str, set[tuple[str, str, str]]] = defaultdict(set)
    for file in corpus.files:
        facts = corpus.facts[file.path] = file_facts(file, diagnostics)
        for spot, citations in facts.citations:
            use = (file.kind, file.id, field_label(spot.loc))
            for citation in citations:
                if citation.key in keys:
                    cited_by[citation.key].add(use)
                else:
                    diagnostics.append(error(spot.pos, "unknown-citation",
                                             f"unknown citation key '{citation.key}'",
                                             _did_you_mean(citation.key, keys)))
        for item in facts.refs:
            target = item.marker.kind  # type: ignore[union-attr]
            if item.value not in corpus.known_ids[target]:
                renamed = corpus.renamed.get(item.value)
                hint = (f"renamed: it is now '{renamed.id}'" if renamed and renamed.kind == target
                        else _did_you_mean(item.value, corpus.known_ids[target]))
                diagnostics.append(error(file.pos(item.loc), "unknown-id", f"unknown {target} id '{item.value}'",
                                         hint))
    corpus.cited_by = {key: sorted(map(Use._make, uses)) for key, uses in sorted(cited_by.items())}


def _check_seeds(corpus: Corpus) -> None:
    seen: dict[str, str] = {}
    for seed in corpus.seeds.values():
        key, pos = seed.note.key, locate(seed.data, ("key",)) or Position(seed.path)
        if key not in corpus.bibliography.references:
            corpus.diagnostics.append(error(pos, "unknown-citation", f"unknown citation key '{key}'",
                                            _did_you_mean(key, corpus.bibliography.references)))
        elif key in seen:
            corpus.diagnostics.append(error(pos, "duplicate-seed", f"'{key}' already has a note in {seen[key]}"))
        seen[key] = seed.path


def _check_duplicate_ids(corpus: Corpus) -> None:
    owner: dict[str, Entry] = {}
    for entry in corpus.entries():
        if entry.id in owner:
            corpus.diagnostics.append(error(Position(entry.path), "duplicate-id",
                                            f"id '{entry.id}' is also used by {owner[entry.id].path}",
                                            "ids are unique across all record kinds"))
        owner.setdefault(entry.id, entry)


def _check_former_ids(corpus: Corpus) -> None:
    """A former id keeps its address for one record only: never a live id's, never another record's."""
    live = {id: kind for kind, ids in corpus.known_ids.items() for id in ids}
    for entry in corpus.entries():
        for index, former in enumerate(entry.record.formerly):
            pos = entry.pos(("formerly", index))
            if former in live:
                owner = f"{corpus.project.content}/{live[former]}/{former}.yaml"
                corpus.diagnostics.append(error(pos, "former-id-taken", f"former id '{former}' is the id of {owner}",
                                                "a record's old address cannot redirect while a record lives there"))
            elif former in corpus.renamed:
                corpus.diagnostics.append(error(pos, "former-id-taken",
                                                f"former id '{former}' is also listed by {corpus.renamed[former].path}",
                                                "an old address can redirect to one record only"))
            else:
                corpus.renamed[former] = entry


def read_corpus(project: Project) -> Corpus:
    """Load every record, note and reference and check what spans files; problems become diagnostics."""
    bib_dir = project.root / project.bib
    bibliography = load_bibliography(sorted(bib_dir.glob("*.bib")) if bib_dir.is_dir() else [], project.root)
    corpus = Corpus(project, {}, {}, bibliography, list(bibliography.diagnostics),
                    known_ids={kind: set() for kind in KINDS})
    corpus.records = {kind: _load_kind(project, kind, corpus) for kind in KINDS}
    corpus.seeds = _load_seeds(project, corpus.diagnostics)
    _check_duplicate_ids(corpus)
    _check_former_ids(corpus)
    _check_references(corpus)
    _check_seeds(corpus)
    return corpus
