"""Citations on one page: numbered notes (Python-Markdown footnotes) in order of first use."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Sequence
from functools import lru_cache
from itertools import chain

from .bibliography import Bibliography
from .citations import find_citations
from .models import Citation, Cited
from .prose import escape_text, is_plain, safe_markdown

SOURCES_PAGE = "sources/index.md"
EDITORS_TITLE = "The editors' classification: no cited source states it"
EDITORS_MARK = f'<sup class="editors"><abbr title="{EDITORS_TITLE}">ed.</abbr></sup>'

_ANCHOR_SAFE = re.compile(r"^[A-Za-z0-9_.:-]+$")


class Md(str):
    """Markdown the generator wrote or made safe; templates print it as it is."""


def ref_anchor(key: str) -> str:
    """The stable anchor of a reference on the Sources page."""
    safe = key if _ANCHOR_SAFE.match(key) else re.sub(r"[^A-Za-z0-9_.:-]", "-", key)
    return f"ref-{safe}"


def relative(from_page: str, to_page: str, anchor: str = "") -> str:
    """A link from one generated page to another, as MkDocs resolves it (to the .md file)."""
    to_dir, _, name = to_page.rpartition("/")
    up = _relative_dir(from_page.rpartition("/")[0], to_dir)
    target = name if up == "." else f"{up}/{name}"
    return target + (f"#{anchor}" if anchor else "")


@lru_cache(maxsize=1024)
def _relative_dir(from_dir: str, to_dir: str) -> str:
    """Pages live in a handful of folders: the path between two is worked out once."""
    return posixpath.relpath(to_dir or ".", from_dir or ".")


class PageNotes:
    def __init__(self, page: str, bibliography: Bibliography) -> None:
        self.page = page
        self.bibliography = bibliography
        self.numbers: dict[tuple[str, str | None], int] = {}
        self.editors_marked = False

    def _number(self, citation: Citation | Cited) -> int:
        label = (citation.key, citation.locator)
        return self.numbers.setdefault(label, len(self.numbers) + 1)

    def cite(self, citations: Sequence[Citation | Cited]) -> Md:
        """Footnote markers for a structured ``cite:`` list."""
        return Md("".join(f"[^{self._number(c)}]" for c in citations))

    def editors(self) -> Md:
        """The mark of an editors' classification: a term no cited source states."""
        self.editors_marked = True
        return Md(EDITORS_MARK)

    def cite_beyond(self, citations: Sequence[Citation | Cited], note: str | None) -> Md:
        """Markers for the citations a value's note has not already given."""
        given = {(c.key, c.locator) for group in find_citations(note or "") for c in group.citations}
        return self.cite([c for c in citations if (c.key, c.locator) not in given])

    def prose(self, text: str | None) -> Md:
        """Untrusted Markdown made safe, with its [@key] citations as footnote markers."""
        if not text:
            return Md("")
        groups = find_citations(text)
        starts = [0] + [group.end for group in groups]  # one more than groups: the text after the last
        # A note hugs its word: the text before a citation loses its trailing space.
        segments = [text[start:group.start].rstrip() for start, group in zip(starts, groups, strict=False)]
        segments.append(text[starts[-1]:])
        if not is_plain("".join(segments)):  # one scan of the field spares one per segment
            segments = [safe_markdown(segment) for segment in segments]
        markers = [self.cite(group.citations) for group in groups]
        return Md("".join(chain.from_iterable(zip(segments, [*markers, ""], strict=True))).strip())

    def definitions(self) -> Md:
        lines = []
        for (key, locator), number in self.numbers.items():
            reference = self.bibliography.get(key)
            text = reference.formatted.markdown if reference else escape_text(key)
            where = f" ({escape_text(locator)})" if locator else ""
            link = relative(self.page, SOURCES_PAGE, ref_anchor(key))
            lines.append(f"[^{number}]: {text}{where} [In Sources]({link})")
        return Md("\n".join(lines))
