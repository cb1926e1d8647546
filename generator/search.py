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

import json
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mkdocs.utils.meta import get_data

from .citations import CITATION_GROUP
from .corpus import Corpus, Entry
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
_MARKS = re.compile(r"[*_`\\]+|^\s*(?:[-+>]|\d+[.)]|#+|!!!.*$)\s*", re.MULTILINE)
_SPACE = re.compile(r"\s+")
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
    text = CITATION_GROUP.sub("", markdown)
    text = _MARKS.sub("", _LINK.sub(r"\1", text))
    return _SPACE.sub(" ", text).replace(" .", ".").replace(" ,", ",").strip()


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


def _postings(docs: list[SearchDoc]) -> tuple[dict[str, Postings], dict[str, list[int]]]:
    """term → the documents that have it, under the strongest field only; name phrase → documents.

    A names posting keeps the fewest words of a name with the term: a query that is most of a
    name (``Taliban`` of ``Afghan Taliban``) ranks that record above a longer title that has it."""
    terms: dict[str, Postings] = defaultdict(lambda: [{}, {}, {}])
    phrases: dict[str, list[int]] = defaultdict(list)
    for number, doc in enumerate(docs):
        seen: set[str] = set()
        for name in doc.names:
            words = tokens(name)
            phrase = " ".join(words)
            if words and number not in phrases[phrase]:
                phrases[phrase].append(number)
            for word in words:
                terms[word][NAMES][number] = min(terms[word][NAMES].get(number, len(words)), len(words))
            seen.update(words)
        for field, text in ((SUMMARY, doc.summary), (TEXT, doc.text)):
            unseen = set(tokens(text)) - seen
            for word in unseen:
                terms[word][field][number] = 1
            seen |= unseen
    return terms, phrases


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
    terms, phrases = _postings(docs)
    encoded = {term: _encoded(postings) for term, postings in terms.items()}
    keys = _shard_keys({term: len(term) + len(_json(value)) for term, value in encoded.items()})
    shards: dict[str, dict[str, dict[str, Any]]] = defaultdict(lambda: {"terms": {}, "phrases": {}})
    for term, value in encoded.items():
        shards[keys[term]]["terms"][term] = value
    for phrase, numbers in phrases.items():
        shards[keys[phrase.split(" ", 1)[0]]]["phrases"][phrase] = numbers
    files = {f"search/terms/{shard_file(key)}.json": _json(shard) for key, shard in shards.items()}
    for start in range(0, len(docs), DOCS_PER_CHUNK):
        chunk = [_docs_row(doc) for doc in docs[start:start + DOCS_PER_CHUNK]]
        files[f"search/docs/{start // DOCS_PER_CHUNK}.json"] = _json(chunk)
    files["search/manifest.json"] = _json({
        "docs": len(docs), "chunk": DOCS_PER_CHUNK, "shards": sorted(shards),
        "pages": [number for number, doc in enumerate(docs) if not doc.is_record],
    })
    return dict(sorted(files.items()))
