"""Pandoc citations in prose, and the notes they become."""

from __future__ import annotations

import pytest
from conftest import FIXTURES
from hypothesis import example, given, settings
from hypothesis import strategies as st

from generator.check import load_corpus
from generator.citations import CITATION_GROUP, CitationSyntaxError, find_citations, parse_group
from generator.corpus import Project
from generator.models import Citation
from generator.notes import PageNotes


def groups(text: str) -> list[list[tuple[str, str | None]]]:
    return [[(c.key, c.locator) for c in g.citations] for g in find_citations(text)]


def test_pandoc_forms() -> None:
    assert groups("A [@doe2023].") == [[("doe2023", None)]]
    assert groups("A [@doe2023, p. 12].") == [[("doe2023", "p. 12")]]
    assert groups("A [@a; @b, ch. 2; @c:d]") == [[("a", None), ("b", "ch. 2"), ("c:d", None)]]
    assert groups("mail me at a@b.org [not a citation]") == []


def test_malformed_citation() -> None:
    with pytest.raises(CitationSyntaxError, match=r"malformed citation '\[@\]'"):
        list(find_citations("x [@]"))


def _by_definition(text: str) -> list[tuple[int, int, tuple[object, ...]]] | int:
    """Each bracket that starts with @ is a group of ';'-separated items (or the offset of the
    first that does not parse)."""
    try:
        return [(m.start(), m.end(), parse_group(m.group(1), m.start())) for m in CITATION_GROUP.finditer(text)]
    except CitationSyntaxError as exc:
        return exc.offset


def _found(text: str) -> list[tuple[int, int, tuple[object, ...]]] | int:
    try:
        return [(g.start, g.end, g.citations) for g in find_citations.__wrapped__(text)]
    except CitationSyntaxError as exc:
        return exc.offset


# Prose made of what citations are made of, and what could break one: brackets, separators,
# line breaks (a locator stops at one), other white space, and words.
_PIECES = ["[", "]", "@", "-", ";", ",", " ", "\n", "\t", "\u2028", "\x1c", "p.", "12", "doe2023", "a:b", "é", "x#y",
           "[@", "[@k", ", p. 3", "]."]
_PROSE = st.lists(st.sampled_from(_PIECES), max_size=30).map("".join)


@settings(max_examples=3000, deadline=None)
@given(_PROSE)
@example("A [@k, p. 3\n4] and [@a; @b, ch. 2] [ -@c , 5 ]")
@example("[@k, ;] [@k,p;] [@k, p. 3 ;] [@k ,] [@k p]")
def test_citations_are_found_in_one_pass_as_the_definition_reads_them(text: str) -> None:
    assert _found(text) == _by_definition(text)


@pytest.fixture(scope="module")
def notes() -> PageNotes:
    corpus = load_corpus(Project(FIXTURES / "basic"))
    return PageNotes("attacks/x.md", corpus.bibliography)


def test_notes_are_numbered_by_first_use_and_reused(notes: PageNotes) -> None:
    text = notes.prose("One [@doe2023, p. 3]. Two [@roe2023; @doe2023, p. 3].")
    assert text == "One[^1]. Two[^2][^1]."  # render_page separates the two (separate_markers)
    assert notes.cite([Citation(key="roe2023")]) == "[^2]"


def test_a_note_is_a_short_note_with_its_locator_linking_the_full_reference(notes: PageNotes) -> None:
    notes.prose("x [@doe2023, p. 3]")
    full = ("Doe, Jane, and Jörg Müller\\. “Bombings in Exampleland: A Survey\\.” *Journal of Examples* 4, "
            "no\\. 2 \\(June 2023\\): 10–25\\. <a href=\"https://doi.org/10.1234/example.2023\">"
            "https://doi\\.org/10\\.1234/example\\.2023</a>\\.")
    assert notes.definitions().splitlines()[0] == (
        f'[^1]: <span class="ref-full">{full}</span><span class="ref-short">'
        '[Doe and Müller, “Bombings in Exampleland,”](#ref-doe2023)</span> <span class="locator">p. 3.</span>')
    # Each work once, in the page's References; the notes above only point at it.
    end = notes.end_matter()
    assert end.count('href="https://doi.org/10.1234/example.2023"') == 1
    assert "{: #ref-doe2023 .reference }" in end and end.index("## Citations") < end.index("## References")


def test_markers_side_by_side_are_separated_and_a_marker_after_text_is_not(notes: PageNotes) -> None:
    from generator.notes import NOTE_SEPARATOR, separate_markers

    assert separate_markers("one[^1][^2] two[^3]. three[^4]") == f"one[^1]{NOTE_SEPARATOR}[^2] two[^3]. three[^4]"


def test_prose_cannot_inject_markup(notes: PageNotes) -> None:
    text = notes.prose('<script>alert(1)</script> [x](javascript:alert(1)) {: onclick="x"} ![i](data:x)')
    assert "<script" not in text and "javascript:" not in text.split("(link removed)")[-1]
    assert text.startswith("&lt;script&gt;alert(1)&lt;/script&gt; x (link removed) \\{: onclick=")
    assert "!\\[i](data:x)" in text
