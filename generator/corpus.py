"""All records, source notes and references together: lookups, cross-references, backlinks."""

from __future__ import annotations

import difflib
import os
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache, partial
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

from .bibliography import Bibliography, load_bibliography
from .citations import CitationGroup, CitationSyntaxError, find_citations
from .diagnostics import Diagnostic, Position, error
from .kept import KeptFiles, listing
from .load import PosDict, load_file, text_position
from .models import KINDS, SLUG_PATTERN, Marked, RefMarker, SeedNote, walk_data
from .progress import Progress
from .validate import locate, validate

_SLUG = re.compile(SLUG_PATTERN)
T = TypeVar("T")


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
    raw: bytes  # the file's bytes, as the site serves them (its YAML source link)
    # What other modules work out from this file alone, kept as long as the file is unchanged.
    derived: dict[str, Any] = field(default_factory=dict, compare=False, repr=False, kw_only=True)

    def pos(self, loc: tuple[Any, ...]) -> Position:
        return locate(self.data, loc) or Position(self.path)


@dataclass(frozen=True)
class Entry(RecordFile):
    """A record file that validated, with its model."""

    record: Any


def derived(file: RecordFile, name: str, make: Callable[[], T], inputs: Any = None) -> T:
    """What ``make`` works out from this file (and ``inputs``, what else it reads), made once per
    file and inputs: a live preview keeps the objects of unchanged files, and so what was worked
    out from them."""
    kept = file.derived.get(name)
    if kept is None or (kept[0] is not inputs and kept[0] != inputs):
        kept = file.derived[name] = (inputs, make())
    return kept[1]  # type: ignore[no-any-return]


def corpus_derived(corpus: Corpus, name: str, make: Callable[[], T]) -> T:
    """What ``make`` works out from the whole corpus, made once per corpus: several pages and files
    of one build ask for it."""
    if name not in corpus.memo:
        corpus.memo[name] = make()
    return corpus.memo[name]  # type: ignore[no-any-return]


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
    # What other modules work out from the whole corpus, made once (see ``corpus_derived``).
    memo: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

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


class LoadedRecord(NamedTuple):
    problems: list[Diagnostic]
    file: RecordFile | None  # parsed as YAML
    entry: Entry | None  # and validated


def _load_record(kind: str, path: str, rel: str) -> LoadedRecord:
    file = Path(path)
    data, problems, text, raw = load_file(file, rel)
    if problems:
        return LoadedRecord(problems, None, None)
    record_file = RecordFile(kind, file.stem, rel, data, text, raw)
    record, problems = validate(data, KINDS[kind], rel)
    # One file, read once: what is worked out from it (its citations) serves both objects.
    entry = (Entry(kind, file.stem, rel, data, text, raw, record, derived=record_file.derived)
             if record is not None else None)
    return LoadedRecord(problems, record_file, entry)


def forget_derived(loaded: Any) -> None:
    """What was worked out from a file that changed or went: its objects and what they derived
    refer to each other, and the collector may have set them aside (memory.py); let them go."""
    if isinstance(loaded, LoadedRecord):
        for file in (loaded.file, loaded.entry):
            if file is not None:
                file.derived.clear()


def _load_kind(project: Project, kind: str, corpus: Corpus, kept: KeptFiles) -> dict[str, Entry]:
    entries: dict[str, Entry] = {}
    diagnostics = corpus.diagnostics
    folder = project.content_dir / kind
    prefix = project.rel(folder)
    for item in listing(folder):
        rel, (stem, suffix) = f"{prefix}/{item.name}", os.path.splitext(item.name)
        if suffix == ".yml":
            diagnostics.append(error(Position(rel), "file-name", "record files end in .yaml, not .yml"))
            continue
        if suffix != ".yaml" or not item.is_file():
            continue
        if not _SLUG.match(stem):
            diagnostics.append(error(Position(rel), "bad-id", f"file name '{stem}' is not an id",
                                     "ids are lowercase letters, digits and hyphens: rename the file"))
            continue
        corpus.known_ids[kind].add(stem)
        loaded = kept.load(item, rel, partial(_load_record, kind, item.path, rel))
        diagnostics += loaded.problems
        if loaded.file is not None:
            corpus.files.append(loaded.file)
        if loaded.entry is not None:
            entries[stem] = loaded.entry
    return entries


def _load_seed(path: str, rel: str) -> tuple[list[Diagnostic], SeedEntry | None]:
    file = Path(path)
    data, problems, *_ = load_file(file, rel)
    if problems:
        return problems, None
    note, problems = validate(data, SeedNote, rel)
    return problems, SeedEntry(file.stem, rel, note, data) if note is not None else None


def _load_seeds(project: Project, diagnostics: list[Diagnostic], kept: KeptFiles) -> dict[str, SeedEntry]:
    seeds: dict[str, SeedEntry] = {}
    folder = project.root / project.seeds
    prefix = project.rel(folder)
    for item in listing(folder):
        rel, (stem, suffix) = f"{prefix}/{item.name}", os.path.splitext(item.name)
        if suffix != ".yaml":
            continue
        if not _SLUG.match(stem):
            diagnostics.append(error(Position(rel), "bad-id", f"file name '{stem}' is not an id"))
            continue
        problems, seed = kept.load(item, rel, partial(_load_seed, item.path, rel))
        diagnostics += problems
        if seed is not None:
            seeds[stem] = seed
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


# Where citations are written: a cite field (loc, "", one group of one) or a prose field (loc,
# its text, its groups). A Spot is made from it only for a diagnostic.
Written = tuple[tuple[Any, ...], str, tuple[CitationGroup, ...]]


@dataclass
class FileFacts:
    """What one walk over a record file finds: citations, references by id, prose fields."""

    written: list[Written] = field(default_factory=list)  # citations, in file order
    refs: list[Marked] = field(default_factory=list)
    prose: list[Marked] = field(default_factory=list)
    citation_offsets: dict[tuple[Any, ...], list[int]] = field(default_factory=dict)  # prose loc → groups
    problems: list[Diagnostic] = field(default_factory=list)  # citations that do not parse
    uses: dict[str, list[Use]] = field(default_factory=dict)  # citation key → where this file cites it, sorted

    def spots(self, file: RecordFile, key: str) -> list[Spot]:
        """Where this file cites ``key``: one spot per citation of it."""
        return [Spot(file, loc, text, group.start) for loc, text, groups in self.written
                for group in groups for cited in group.citations if cited.key == key]


def file_facts(file: RecordFile) -> FileFacts:
    """The file's facts, worked out once per file (a live preview keeps unchanged files)."""
    return derived(file, "facts", partial(_walk, file))


def _walk(file: RecordFile) -> FileFacts:
    facts = FileFacts()
    for item in walk_data(file.data, KINDS[file.kind]):
        if not isinstance(item, Marked):
            loc, citation = item
            facts.written.append((loc, "", (CitationGroup(0, 0, (citation,)),)))
        elif isinstance(item.marker, RefMarker):
            facts.refs.append(item)
        else:
            facts.prose.append(item)
            _read_citations(file, item, facts)
    facts.uses = _uses(file, facts.written)
    return facts


def _read_citations(file: RecordFile, prose: Marked, facts: FileFacts) -> None:
    try:
        groups = find_citations(prose.value)
    except CitationSyntaxError as exc:
        facts.problems.append(error(Spot(file, prose.loc, prose.value, exc.offset).pos,
                                    "citation-syntax", str(exc)))
        return
    if groups:
        facts.citation_offsets[prose.loc] = [group.start for group in groups]
        facts.written.append((prose.loc, prose.value, groups))


def _uses(file: RecordFile, written: list[Written]) -> dict[str, list[Use]]:
    uses: dict[str, set[Use]] = defaultdict(set)
    for loc, _, groups in written:
        use = Use(file.kind, file.id, field_label(loc))  # a field is one use, however many citations it has
        for group in groups:
            for cited in group.citations:
                uses[cited.key].add(use)
    return {key: sorted(found) for key, found in uses.items()}


def _check_references(corpus: Corpus) -> None:
    """Cross-references by id and citation keys must resolve; build the "cited by" index."""
    diagnostics, keys = corpus.diagnostics, corpus.bibliography.references
    cited_by: dict[str, list[Use]] = defaultdict(list)
    for file in corpus.files:
        facts = corpus.facts[file.path] = file_facts(file)
        diagnostics += facts.problems
        for key, uses in facts.uses.items():
            if key in keys:
                cited_by[key] += uses
            else:
                diagnostics += [error(spot.pos, "unknown-citation", f"unknown citation key '{key}'",
                                      _did_you_mean(key, keys))
                                for spot in facts.spots(file, key)]
        for item in facts.refs:
            target = item.marker.kind  # type: ignore[union-attr]
            if item.value not in corpus.known_ids[target]:
                renamed = corpus.renamed.get(item.value)
                hint = (f"renamed: it is now '{renamed.id}'" if renamed and renamed.kind == target
                        else _did_you_mean(item.value, corpus.known_ids[target]))
                diagnostics.append(error(file.pos(item.loc), "unknown-id", f"unknown {target} id '{item.value}'",
                                         hint))
    corpus.cited_by = {key: sorted(uses) for key, uses in sorted(cited_by.items())}


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


def read_corpus(project: Project, kept: KeptFiles | None = None, progress: Progress | None = None) -> Corpus:
    """Load every record, note and reference and check what spans files; problems become diagnostics.

    With ``kept``, what an earlier call loaded from a file still unchanged is used again."""
    kept = kept or KeptFiles(forget_derived)
    bib_dir = project.root / project.bib
    bibs = sorted(bib_dir.glob("*.bib")) if bib_dir.is_dir() else []
    if progress is not None:
        folders = [project.content_dir / kind for kind in KINDS] + [project.root / project.seeds]
        files = len(bibs) + sum(item.name.endswith(".yaml") for folder in folders for item in listing(folder))
        kept.next_round(progress.stage("Loading records", files))
    else:
        kept.next_round()
    bibliography = load_bibliography(bibs, project.root, kept)
    corpus = Corpus(project, {}, {}, bibliography, list(bibliography.diagnostics),
                    known_ids={kind: set() for kind in KINDS})
    corpus.records = {kind: _load_kind(project, kind, corpus, kept) for kind in KINDS}
    corpus.seeds = _load_seeds(project, corpus.diagnostics, kept)
    _check_duplicate_ids(corpus)
    _check_former_ids(corpus)
    _check_references(corpus)
    _check_seeds(corpus)
    return corpus
