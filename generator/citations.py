"""Pandoc citations in prose: ``[@key]``, ``[@key, p. 12]``, ``[@a; @b, ch. 2]``."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from .models import Cited

# A bracket whose text starts with @ (after optional space or a minus) is a citation group.
_GROUP_BODY = r"\s*-?@[^\[\]]*"
CITATION_GROUP = re.compile(rf"\[({_GROUP_BODY})\]")
# Greedy, no backtracking: a key has no space or comma, a locator ends at its last non-space.
_KEY = r"\w[\w:.#$%&+?<>~/-]*"
_ITEM = re.compile(rf"\s*-?@(?P<key>{_KEY})\s*(?:,\s*(?P<locator>\S(?:.*\S)?))?\s*")
# The groups of CITATION_GROUP in one pass. Most cite one source: the first branch reads its key
# and locator at once (_ITEM's, with no ';' or bracket); any other group is its body, parsed below.
_GROUPS = re.compile(rf"\[(?:\s*-?@(?P<key>{_KEY})\s*(?:,\s*(?P<locator>[^\s\[\];](?:[^\n\[\];]*[^\s\[\];])?))?\s*"
                     rf"|(?P<body>{_GROUP_BODY}))\]")


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
    if "@" not in text:
        return ()
    groups = []
    for match in _GROUPS.finditer(text):
        key, locator, body = match.group("key", "locator", "body")
        start = match.start()
        citations = (Cited(key, locator),) if body is None else parse_group(body, start)
        groups.append(CitationGroup(start, match.end(), citations))
    return tuple(groups)
