"""The search index: words as a reader types them, clean snippets, names first, the same bytes twice."""

from __future__ import annotations

import json

import pytest
from conftest import FIXTURES, ROOT

from generator.check import load_corpus
from generator.corpus import Project
from generator.search import DOCS_PER_CHUNK, index_files, plain_text, search_docs, shard_file, tokens


@pytest.mark.parametrize(("text", "words"), [
    ("ISIS-K", ["isis", "k"]),
    ("Islamic State–Khorasan Province", ["islamic", "state", "khorasan", "province"]),
    ("al-Qaeda", ["al", "qaeda"]),
    ("ISKP's founders", ["iskp", "s", "founders"]),
    ("Qāsem Soleimani, U.S.", ["qasem", "soleimani", "u", "s"]),
    ("  --  ", []),
])
def test_words_are_split_at_every_mark_and_lose_case_and_accents(text: str, words: list[str]) -> None:
    assert tokens(text) == words


def test_snippets_show_the_words_not_the_citations_marks_or_link_targets() -> None:
    prose = "ISKP *claimed* it [@abbas2024, para. 3; @tarzi2024]. See [the report](https://example.org/r) `now`."
    assert plain_text(prose) == "ISKP claimed it. See the report now."


@pytest.fixture(scope="module")
def shipped() -> dict[str, bytes]:
    return index_files(search_docs(load_corpus(Project(ROOT))))


def read(files: dict[str, bytes], path: str) -> object:
    return json.loads(files[path])


def docs_of(files: dict[str, bytes]) -> list[list[str]]:
    manifest = read(files, "search/manifest.json")
    assert isinstance(manifest, dict)
    return [row for n in range(0, manifest["docs"], DOCS_PER_CHUNK)
            for row in read(files, f"search/docs/{n // DOCS_PER_CHUNK}.json")]  # type: ignore[union-attr]


def test_every_alias_is_a_phrase_of_its_record(shipped: dict[str, bytes]) -> None:
    locations = [row[0] for row in docs_of(shipped)]
    shard = read(shipped, f"search/terms/{shard_file('is')}.json")
    assert isinstance(shard, dict)
    assert [locations[n] for n in shard["phrases"]["isis k"]] == ["actors/iskp/"]
    assert [locations[n] for n in shard["phrases"]["is"]] == ["actors/islamic-state/"]


def test_tooling_pages_are_not_in_the_index_and_readers_pages_are(shipped: dict[str, bytes]) -> None:
    locations = {row[0] for row in docs_of(shipped)}
    assert {"", "about/", "actors/iskp/", "sources/#ref-tarzi2024", "sources/tarzi-2024/"} <= locations
    assert not {"editors-guide/", "review/", "tags/"} & locations


def test_snippets_are_plain_text(shipped: dict[str, bytes]) -> None:
    for location, title, kind, snippet, *_ in docs_of(shipped):
        assert not any(mark in snippet for mark in ("[@", "](", "**", "`")), (location, snippet)
        assert title and kind and snippet, location


def test_the_index_is_the_same_bytes_twice() -> None:
    first, again = (index_files(search_docs(load_corpus(Project(FIXTURES / "basic")))) for _ in range(2))
    assert first == again
