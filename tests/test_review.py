"""How the review splits prose into statements: what counts as one sentence."""

from __future__ import annotations

import pytest

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
