"""Pandoc citations in prose: ``[@key]``, ``[@key, p. 12]``, ``[@a; @b, ch. 2]``."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from .models import Cited

# A bracket whose text starts with @ (after optional space or a minus) is a citation group.
CITATION_GROUP = re.compile(r"\[(\s*-?@[^\[\]]*)\]")
_ITEM = re.compile(r"^\s*-?@(?P<key>[\w][\w:.#$%&+?<>~/-]*?)\s*(?:,\s*(?P<locator>\S.*?))?\s*$")


@dataclass(frozen=True)
class CitationGroup:
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
        match = _ITEM.match(item)
        if not match:
            raise CitationSyntaxError(offset, body)
        citations.append(Cited(match["key"], match["locator"]))
    return tuple(citations)


def find_citations(text: str) -> Iterator[CitationGroup]:
    """Every citation group in ``text``, in order; raises CitationSyntaxError on a malformed one."""
    for match in CITATION_GROUP.finditer(text):
        yield CitationGroup(match.start(), match.end(), parse_group(match.group(1), match.start()))
