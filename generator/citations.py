"""Pandoc citations in prose: ``[@key]``, ``[@key, p. 12]``, ``[@a; @b, ch. 2]``."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from .models import Cited

# A bracket whose text starts with @ (after optional space or a minus) is a citation group.
CITATION_GROUP = re.compile(r"\[(\s*-?@[^\[\]]*)\]")
# Greedy, no backtracking: a key has no space or comma, a locator ends at its last non-space.
_ITEM = re.compile(r"\s*-?@(?P<key>\w[\w:.#$%&+?<>~/-]*)\s*(?:,\s*(?P<locator>\S(?:.*\S)?))?\s*")


class CitationGroup(NamedTuple):
    start: int
    end: int
    citations: tuple[Cited, ...]


class CitationSyntaxError(ValueError):
    def __init__(self, offset: int, text: str) -> None:
        self.offset = offset
        super().__init__(f"malformed citation '[{text}]'; write [@key] or [@key, p. 12]")


def parse_group(body: str, offset: int) -> tuple[Cited, ...]:
    citations = []
    for item in body.split(";"):
        match = _ITEM.fullmatch(item)
        if not match:
            raise CitationSyntaxError(offset, body)
        citations.append(Cited(match["key"], match["locator"]))
    return tuple(citations)


# The check and the page notes read the same prose: parse each text once per process.
@lru_cache(maxsize=1 << 18)
def find_citations(text: str) -> tuple[CitationGroup, ...]:
    """Every citation group in ``text``, in order; raises CitationSyntaxError on a malformed one."""
    return tuple(CitationGroup(match.start(), match.end(), parse_group(match.group(1), match.start()))
                 for match in CITATION_GROUP.finditer(text))
