"""How the review splits prose into statements: what counts as one sentence."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.check import load_corpus
from generator.corpus import Project
from generator.review import sentences


def texts(prose: str) -> list[str]:
    return [text for _, text in sentences(prose)]


@pytest.mark.parametrize(("prose", "expected"), [
    ("ISKP grew. It struck Kabul.", ["ISKP grew.", "It struck Kabul."]),
    ("Asked why? \"Because.\" Then more.", ["Asked why?", "\"Because.\"", "Then more."]),
    ("Michael E. Kurilla spoke. U.S. Army units left.", ["Michael E. Kurilla spoke.", "U.S. Army units left."]),
    ("Gen. Milley spoke on 3 Jan. 2024. It ended.", ["Gen. Milley spoke on 3 Jan. 2024.", "It ended."]),
    ("Run `a. B` now. Done.", ["Run `a. B` now.", "Done."]),
    ("First paragraph\n\nsecond paragraph", ["First paragraph", "second paragraph"]),
    ("Gen.\n \nA blank line ends a paragraph, even after an abbreviation.",
     ["Gen.", "A blank line ends a paragraph, even after an abbreviation."]),
    ("One.\n\nTwo.", ["One.", "Two."]),
    ("lower case. after a stop is not a new sentence", ["lower case. after a stop is not a new sentence"]),
])
def test_sentences(prose: str, expected: list[str]) -> None:
    assert texts(prose) == expected


def test_offsets_point_at_each_sentence() -> None:
    prose = "One is here.  Two [@k] follows.\n\nThree."
    assert [prose[offset:offset + len(text)] for offset, text in sentences(prose)] == [
        "One is here.", "Two [@k] follows.", "Three."]


def test_the_review_lists_the_editors_judgements_and_warns_of_uncited_names(project) -> None:
    from generator.check import load_corpus
    from generator.corpus import Project

    config = project("basic")
    group = config.parent / "content" / "actors" / "example-group.yaml"
    group.write_text(group.read_text().replace("  - {name: EG, cite: [{key: doe2023, locator: p. 12}]}",
                                               "  - EG"))
    corpus = load_corpus(Project(config.parent))
    judged = {(j.id, j.field, j.text) for j in corpus.review.judgements}
    assert ("example-market-bombing", "Attack type", "Bombing") in judged  # bare: the editors'
    assert not any(field == "Target type" for _, field, _ in judged)  # cited in the fixture
    assert ("example-market-bombing", "Geocode", "34.5, 69.2, precise to the city") in judged
    assert ("example-group", "Also known as", "The Example Front: the name the group's own statements use") in judged
    assert [str(d) for d in corpus.diagnostics] == [
        "content/actors/example-group.yaml:4:5: warning: the name 'EG' cites no source (write {name: ..., "
        "cite: [key]}, or {name: ..., editors: why} for a name the editors give) [uncited-alias]"]


# Issue 13: every position inside a block scalar names its character. Each case is the
# summary of a record: a cited sentence, an uncited one ("Second ...") and an unknown key.
BLOCKS = {
    "literal": "summary: |\n  First [@doe2023]. Second sentence, uncited. Third [@nokey].\n",
    "folded": "summary: >\n  First sentence\n  goes on [@doe2023]. Second sentence\n  uncited. Then\n"
              "  a third [@nokey].\n",
    "indicator": "summary: |4\n      First [@doe2023].\n    Second sentence, uncited. Third [@nokey].\n",
    "strip and keep": "summary: >-\n    First [@doe2023].\n\n    Second sentence.\n\n    Third [@nokey].\n\n\n"
                      "notes: |+\n  Kept [@doe2023].\n\n",
    "leading blank line": "summary: |\n\n  First [@doe2023]. Second sentence. Third [@nokey].\n",
    "header comment": "summary: >+ # folded\n  First [@doe2023].\n    more indented.\n  Second sentence.\n"
                      "  Third\n  [@nokey].\n",
    "list item": "summary: Plain [@doe2023].\nrelations:\n  - actor: example-state\n    type: adversary\n"
                 "    note: |-\n      First [@doe2023]. Second sentence. Third [@nokey].\n    cite: [doe2023]\n",
    "plain over lines": "summary: First [@doe2023].\n  Second sentence.\n  Third [@nokey].\n",
    "quoted": "summary: 'First [@doe2023]. Second sentence. Third [@nokey].'\n",
    "crlf": "summary: |\r\n  First [@doe2023].\r\n  Second sentence. Third [@nokey].\r\n",
}


@pytest.mark.parametrize("summary", BLOCKS.values(), ids=BLOCKS.keys())
def test_positions_in_a_block_scalar_name_their_character(project, summary: str) -> None:
    config = project("basic")
    record = config.parent / "content" / "actors" / "example-group.yaml"
    text = record.read_text(encoding="utf-8")
    cut = text[text.index("summary:"):text.index("founded:")] if "relations" not in summary else text[
        text.index("summary:"):text.index("tags:")]
    record.write_bytes(text.replace(cut, summary).encode("utf-8"))
    lines = record.read_bytes().decode("utf-8").splitlines()
    corpus = load_corpus(Project(Path(config.parent)))
    found = {d.code: lines[d.pos.line - 1][d.pos.col - 1:] for d in corpus.diagnostics
             if d.pos.path == "content/actors/example-group.yaml"}
    assert found["uncited-statement"].startswith("Second sentence")
    assert found["unknown-citation"].startswith("[@nokey]")


def test_sources_that_disagree_on_whether_an_actor_is_active_are_a_conflict(project) -> None:
    config = project("basic")
    group = config.parent / "content" / "actors" / "example-group.yaml"
    single = "status: {value: active, as_of: 2023, cite: [doe2023]}"
    assert single in group.read_text()
    group.write_text(group.read_text().replace(single, "status:\n  - {value: active, as_of: 2023, cite: [doe2023]}"
                                                       "\n  - {value: defunct, as_of: 2023, cite: [roe2023]}"))
    corpus = load_corpus(Project(config.parent))
    assert [d for d in corpus.diagnostics if d.severity.value == "error"] == []
    assert [(c.id, c.field, [v.value for v in c.values]) for c in corpus.review.conflicts
            if c.field == "status"] == [("example-group", "status", ["active", "defunct"])]
