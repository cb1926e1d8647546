"""Corpus → the site's search index: small JSON files a reader's browser fetches only as a query needs them.

Material for MkDocs keeps its search box; the worker in ``generator/assets/search.js``
answers its queries from these files instead of one index of every page's text. What it fetches:

* ``search/manifest.json``: how many documents, how many to a docs chunk, and the key of every shard;
* ``search/terms/<key>.json``: the terms that start with ``key`` (the longest shard key that is a
  prefix of a term holds it), each with the documents that have it, by field: names (a record's
  name and aliases, another page's title), summary, text; and the names themselves as phrases,
  so a query that is a whole name finds its record first;
* ``search/docs/<n>.json``: location, title, kind and the opening of the summary of the
  documents numbered ``n * DOCS_PER_CHUNK`` onwards, for the results a query shows.

Documents are numbered in the order of their locations, so editing a record changes only the
shards of the terms it gains or loses and its docs chunk (adding or removing a record renumbers
the documents after it). Every file is a function of the documents alone: the same bytes twice.

Python here and the worker normalise and split text alike (``tokens``): accents and case go, and
any character that is not a letter or a digit separates words, so ``ISIS-K``, ``IS-K`` and
``Islamic State–Khorasan Province`` are words a query can hit.
"""

from __future__ import annotations

import bisect
import json
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from mkdocs.utils.meta import get_data

from .citations import CITATION_GROUP
from .corpus import Corpus, Entry, derived
from .models import KIND_LABELS, Record
from .notes import SOURCES_PAGE
from .pages import seed_title

DOCS_PER_CHUNK = 16  # a query's best results spread over few chunks, each a few KB
SHARD_LIMIT = 48_000  # bytes: a shard above it is split by one more letter of its terms
GIST_LENGTH = 160  # characters of a result's snippet
NAMES, SUMMARY, TEXT = range(3)  # fields, strongest first: a document is listed under its strongest
SOURCE_KIND, PAGE_KIND = "Source", "Page"
SOURCES_TITLE = "Sources"  # the heading of sources.md.j2
# Prose fields are Markdown: the snippet shows the words, never the marks or a link's target.
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_LINE_MARKS = re.compile(r"^\s*(?:[-+>]|\d+[.)]|#+|!!!.*$)\s*", re.MULTILINE)  # items, quotes, headings
_INLINE_MARKS = str.maketrans("", "", "*_`\\")  # emphasis, code, escapes: never the start of a line mark
_WORD = re.compile(r"[^\W_]+")  # letters and digits, as the worker's /[\p{L}\p{N}]+/u
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_NOT_WORDS = frozenset({"cite", "key", "locator", "actor", "reviewed", "coordinates", "as_of"})


def record_names(record: Record) -> list[str]:
    """A record's name (or title) and its aliases: what a reader may type to find it."""
    return [record.title, *(alias.name for alias in record.aliases)]  # type: ignore[attr-defined]


def tokens(text: str) -> list[str]:
    """Lower-case words without accents: ``Islamic State–Khorasan`` → ``islamic``, ``state``, ``khorasan``."""
    if not text.isascii():  # most text is: it has no accents to take off
        decomposed = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in decomposed if not unicodedata.category(c).startswith("M"))
    return _WORD.findall(text.lower())


def plain_text(markdown: str) -> str:
    """Prose as the words a reader sees: no citations, Markdown marks or link targets."""
    text = _LINK.sub(r"\1", CITATION_GROUP.sub("", markdown)) if "[" in markdown else markdown
    text = _LINE_MARKS.sub("", text).translate(_INLINE_MARKS)
    return " ".join(text.split()).replace(" .", ".").replace(" ,", ",")


def gist(text: str) -> str:
    """The opening of a text, cut at a word, for a result's snippet."""
    if len(text) <= GIST_LENGTH:
        return text
    return text[:GIST_LENGTH].rsplit(" ", 1)[0].rstrip(",;:") + " …"


@dataclass(frozen=True)
class SearchDoc:
    """One search result: a page, or a place on one (a reference on the Sources page)."""

    location: str  # site-relative URL
    title: str
    kind: str
    names: tuple[str, ...]
    summary: str  # plain text
    text: str     # plain text
    is_record: bool = False
    page_title: str = ""  # of the page, for a place on it: results there are grouped under it


def _strings(value: Any) -> Iterator[str]:
    """Every text in a record's fields, leaving out ids, citation keys and dates."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            if key not in _NOT_WORDS:
                yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


def record_doc(entry: Entry) -> SearchDoc:
    """A record's page: found by its names, then its summary, then the rest of its text."""
    return derived(entry, "search", partial(_record_doc, entry))


def _record_doc(entry: Entry) -> SearchDoc:
    record = entry.record
    fields = record.model_dump(exclude={"summary", "aliases", "name", "title"})
    text = " ".join(plain_text(s) for s in _strings(fields))
    return SearchDoc(f"{entry.kind}/{entry.id}/", record.title, KIND_LABELS[entry.kind],
                     tuple(record_names(record)), plain_text(record.summary), text, is_record=True)


def source_docs(corpus: Corpus) -> list[SearchDoc]:
    """Each cited work, at its entry on the Sources page, and each seed document's page."""
    sources = SOURCES_PAGE.removesuffix("index.md")
    docs = []
    for key in corpus.cited_by:
        reference = corpus.bibliography.references[key]
        title = reference.fields.get("title") or gist(reference.formatted.text)
        docs.append(SearchDoc(f"{sources}#ref-{key}", title, SOURCE_KIND, (title,), reference.formatted.text, "",
                              page_title=SOURCES_TITLE))
    for name, seed in corpus.seeds.items():
        title = seed_title(corpus, seed)
        docs.append(SearchDoc(f"{sources}{name}/", title, SOURCE_KIND, (title,), plain_text(seed.note.covers), ""))
    return docs


def page_docs(content_dir: Path) -> list[SearchDoc]:
    """Hand-written pages, but those whose front matter says ``search: {exclude: true}`` (tooling)."""
    docs = []
    for file in sorted(content_dir.glob("*.md")):
        markdown, meta = get_data(file.read_text(encoding="utf-8"))
        if (meta.get("search") or {}).get("exclude"):
            continue
        heading, _, body = _COMMENT.sub("", markdown).strip().partition("\n")
        title = heading.removeprefix("# ").strip() if heading.startswith("# ") else file.stem
        location = "" if file.stem == "index" else f"{file.stem}/"
        docs.append(SearchDoc(location, title, PAGE_KIND, (title,), "", plain_text(body)))
    return docs


def search_docs(corpus: Corpus) -> list[SearchDoc]:
    """Every document readers can find, in the order of their locations (their numbers)."""
    docs = [record_doc(entry) for entry in corpus.entries()]
    docs += source_docs(corpus) + page_docs(corpus.project.content_dir)
    return sorted(docs, key=lambda doc: doc.location)



# --------------------------------------------------------------------------- the index files

Postings = list[dict[int, int]]  # per field: document number → for names, the words of its shortest name


@dataclass(frozen=True)
class DocTerms:
    """What one document puts in the index, each term under its strongest field only.

    A names posting keeps the fewest words of a name with the term: a query that is most of a
    name (``Taliban`` of ``Afghan Taliban``) ranks that record above a longer title that has it."""

    names: dict[str, int]  # term → the words of the document's shortest name with it
    phrases: tuple[str, ...]  # each name as a phrase
    summary: frozenset[str]
    text: frozenset[str]


def doc_terms(doc: SearchDoc) -> DocTerms:
    names: dict[str, int] = {}
    phrases: dict[str, None] = {}
    for name in doc.names:
        words = tokens(name)
        if words:
            phrases[" ".join(words)] = None
        for word in words:
            names[word] = min(names.get(word, len(words)), len(words))
    summary = frozenset(tokens(doc.summary)) - names.keys()
    text = frozenset(tokens(doc.text)) - names.keys() - summary
    return DocTerms(names, tuple(phrases), summary, text)


def _encoded(postings: Postings) -> list[list[int]]:
    """Names as flat pairs (number, words), the other fields as numbers, all ascending."""
    names = [value for number in sorted(postings[NAMES]) for value in (number, postings[NAMES][number])]
    return [names, *(sorted(field) for field in postings[SUMMARY:])]


def _shard_keys(sizes: dict[str, int]) -> dict[str, str]:
    """term → its shard key: its first two letters, one more wherever a shard outgrows SHARD_LIMIT."""
    keys = {term: term[:2] for term in sizes}
    while True:
        totals: dict[str, int] = defaultdict(int)
        for term, key in keys.items():
            totals[key] += sizes[term]
        full = {key for key, total in totals.items() if total > SHARD_LIMIT}
        longer = {term: term[:len(key) + 1] for term, key in keys.items() if key in full and len(term) > len(key)}
        if not longer:
            return keys
        keys.update(longer)


def _json(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")


def shard_file(key: str) -> str:
    """A shard's file name: its key, or for letters beyond ASCII their UTF-8 in hex after an underscore."""
    return key if key.isascii() else "_" + key.encode("utf-8").hex()


def _docs_row(doc: SearchDoc) -> list[str]:
    row = [doc.location, doc.title, doc.kind, gist(doc.summary or doc.text)]
    return row + [doc.page_title] if doc.page_title else row


def index_files(docs: list[SearchDoc]) -> dict[str, bytes]:
    """Site path → bytes of every search file, the same bytes for the same documents."""
    return SearchIndex().update(docs)


class SearchIndex:
    """The search files of a list of documents, kept up to date with the list. When every document
    stands where it stood (same locations, so the same numbers), only the terms the changed
    documents gained or lost, their shards and the changed documents' chunks are made again; when
    documents come or go, every number after them moves, and everything is made again."""

    def __init__(self) -> None:
        self.docs: list[SearchDoc | None] = []
        self.doc_terms: list[DocTerms] = []
        self.terms: dict[str, Postings] = {}
        self.phrases: dict[str, list[int]] = {}
        self.encoded: dict[str, tuple[list[list[int]], int]] = {}  # term → its postings as written, their size
        self.groups: dict[str, set[str]] = defaultdict(set)  # a term's first two letters → the terms
        self.group_phrases: dict[str, set[str]] = defaultdict(set)  # the same, for phrases by their first word
        self.shard_keys: dict[str, set[str]] = defaultdict(set)  # group → its shards' keys
        self.files: dict[str, bytes] = {}

    def update(self, docs: list[SearchDoc]) -> dict[str, bytes]:
        """Site path → bytes of every search file for ``docs``."""
        if [doc.location for doc in docs] != [doc.location if doc else None for doc in self.docs]:
            self.__init__()  # type: ignore[misc]  # the numbers moved: start afresh
            self.docs, self.doc_terms = [None] * len(docs), [_NO_TERMS] * len(docs)
        touched: set[str] = set()
        touched_phrases: set[str] = set()
        changed = [number for number, doc in enumerate(docs) if doc != self.docs[number]]
        for number in changed:
            terms = doc_terms(docs[number])
            self._replace(number, self.doc_terms[number], terms, touched, touched_phrases)
            self.doc_terms[number] = terms
        self.docs = list(docs)
        for term in touched:
            self._encode(term)
        for group in {term[:2] for term in touched} | {_group(phrase) for phrase in touched_phrases}:
            self._shards(group)
        for chunk in sorted({number // DOCS_PER_CHUNK for number in changed}):
            rows = [_docs_row(doc) for doc in docs[chunk * DOCS_PER_CHUNK:(chunk + 1) * DOCS_PER_CHUNK]]
            self.files[f"search/docs/{chunk}.json"] = _json(rows)
        self.files["search/manifest.json"] = _json({
            "docs": len(docs), "chunk": DOCS_PER_CHUNK, "shards": sorted(set().union(*self.shard_keys.values())),
            "pages": [number for number, doc in enumerate(docs) if not doc.is_record],
        })
        return dict(sorted(self.files.items()))

    def _replace(self, number: int, old: DocTerms, new: DocTerms, touched: set[str], touched_phrases: set[str]) -> None:
        """Document ``number``'s postings: ``old`` out, ``new`` in, noting the terms whose postings changed."""
        gained = (dict(new.names.items() - old.names.items()), dict.fromkeys(new.summary - old.summary, 1),
                  dict.fromkeys(new.text - old.text, 1))
        lost = (old.names.keys() - new.names.keys(), old.summary - new.summary, old.text - new.text)
        for field in (NAMES, SUMMARY, TEXT):
            for term, value in gained[field].items():
                postings = self.terms.get(term)
                if postings is None:
                    postings = self.terms[term] = [{}, {}, {}]
                postings[field][number] = value
            for term in lost[field]:
                del self.terms[term][field][number]
            touched.update(gained[field], lost[field])
        for phrase in set(old.phrases) ^ set(new.phrases):
            numbers = self.phrases.setdefault(phrase, [])
            if phrase in new.phrases:
                bisect.insort(numbers, number)
                self.group_phrases[_group(phrase)].add(phrase)
            else:
                numbers.remove(number)
            if not numbers:
                del self.phrases[phrase]
                self.group_phrases[_group(phrase)].discard(phrase)
            touched_phrases.add(phrase)

    def _encode(self, term: str) -> None:
        if any(self.terms[term]):
            value = _encoded(self.terms[term])
            self.encoded[term] = (value, len(term) + len(_json(value)))
            self.groups[term[:2]].add(term)
        else:
            del self.terms[term], self.encoded[term]
            self.groups[term[:2]].discard(term)

    def _shards(self, group: str) -> None:
        """The shards of the terms that begin with ``group``: what they hold, and their keys."""
        keys = _shard_keys({term: self.encoded[term][1] for term in self.groups[group]})
        shards: dict[str, dict[str, dict[str, Any]]] = defaultdict(lambda: {"terms": {}, "phrases": {}})
        for term in self.groups[group]:
            shards[keys[term]]["terms"][term] = self.encoded[term][0]
        for phrase in self.group_phrases[group]:
            shards[keys[phrase.split(" ", 1)[0]]]["phrases"][phrase] = self.phrases[phrase]
        for key in self.shard_keys[group] - shards.keys():
            del self.files[f"search/terms/{shard_file(key)}.json"]
        for key, shard in shards.items():
            self.files[f"search/terms/{shard_file(key)}.json"] = _json(shard)
        self.shard_keys[group] = set(shards)


_NO_TERMS = DocTerms({}, (), frozenset(), frozenset())


def _group(phrase: str) -> str:
    """A phrase is filed with its first word."""
    return phrase.split(" ", 1)[0][:2]
