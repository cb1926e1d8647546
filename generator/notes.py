"""Citations on one page: numbered notes (Python-Markdown footnotes) in order of first use."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Sequence
from functools import lru_cache
from itertools import chain
from typing import Protocol

from .bibliography import Reference
from .citations import find_citations
from .models import Citation, Cited
from .prose import escape_text, is_plain, safe_markdown

SOURCES_PAGE = "sources/index.md"
EDITORS_TITLE = "The editors' classification: no cited source states it"
EDITORS_MARK = f'<sup class="editors"><abbr title="{EDITORS_TITLE}">ed.</abbr></sup>'
EDITORS_LEGEND = "marks the editors' classification: a term no cited source states."

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


# Python-Markdown puts the footnotes where this line stands (its footnotes extension's PLACE_MARKER).
FOOTNOTES_HERE = "///Footnotes Go Here///"
# Markers side by side read 1,4; a marker after text has no separator (a CSS rule cannot tell the two).
NOTE_SEPARATOR = '<sup class="note-sep">,</sup>'
_ADJACENT_MARKERS = re.compile(r"(\[\^\d+\])(?=\[\^\d+\])")


def separate_markers(markdown: str) -> str:
    """A separator between note markers that stand side by side, wherever they came from."""
    return _ADJACENT_MARKERS.sub(lambda m: m.group(1) + NOTE_SEPARATOR, markdown) if "][^" in markdown else markdown


class References(Protocol):
    def get(self, key: str) -> Reference | None: ...


class Notes:
    """How a page's templates cite: ``cite`` a structured ``cite:`` list, ``prose`` with its [@key]
    citations, ``editors`` for the editors' own terms."""

    def __init__(self, page: str, bibliography: References) -> None:
        self.page = page
        self.bibliography = bibliography
        self.editors_marked = False

    def cite(self, citations: Sequence[Citation | Cited]) -> Md:
        raise NotImplementedError

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



class PageNotes(Notes):
    """The citations of one page: a numbered note per work and locator, in order of first use, and
    each work's full reference once, in the page's References."""

    def __init__(self, page: str, bibliography: References) -> None:
        super().__init__(page, bibliography)
        self.numbers: dict[tuple[str, str | None], int] = {}

    def _number(self, citation: Citation | Cited) -> int:
        label = (citation.key, citation.locator)
        return self.numbers.setdefault(label, len(self.numbers) + 1)

    def cite(self, citations: Sequence[Citation | Cited]) -> Md:
        """Footnote markers for a structured ``cite:`` list."""
        return Md("".join(dict.fromkeys(f"[^{self._number(c)}]" for c in citations)))

    def definitions(self) -> Md:
        """Each note as a Chicago short note linking the page's full reference; the full reference
        rides along, hidden in the list, for the tooltip a marker shows on hover."""
        lines = []
        for (key, locator), number in self.numbers.items():
            reference = self.bibliography.get(key)
            if reference is None:
                lines.append(f"[^{number}]: {escape_text(key)}" + (f", {escape_text(locator)}." if locator else "."))
                continue
            full = f'<span class="ref-full">{reference.formatted.markdown}</span>'
            lines.append(f"[^{number}]: {full}{short_note(reference, locator)}")
        return Md("\n".join(lines))

    def end_matter(self) -> Md:
        """The page's Citations (the numbered notes) and References (each work once), for its end."""
        if not self.numbers:
            return Md("")
        keys = dict.fromkeys(key for key, _ in self.numbers)
        found = (self.bibliography.get(key) for key in keys)
        works = sorted((ref for ref in found if ref is not None), key=lambda ref: ref.sort_key())
        sources = relative(self.page, SOURCES_PAGE)
        references = [f"{ref.formatted.markdown} [In Sources]({sources}#{ref_anchor(ref.key)}){{: .in-sources }}\n"
                      f"{{: #{ref_anchor(ref.key)} .reference }}" for ref in works]
        legend = f"{EDITORS_MARK} {EDITORS_LEGEND}\n{{: .editors-legend }}\n\n" if self.editors_marked else ""
        return Md(f"{legend}## Citations\n\n{FOOTNOTES_HERE}\n\n## References\n\n" + "\n\n".join(references))


class InlineNotes(Notes):
    """Citations written where they stand, each a short note linking its work on the Sources page:
    for a part of a long listing (``parts``), which is made on its own and cannot number the page's
    notes."""

    def cite(self, citations: Sequence[Citation | Cited]) -> Md:
        notes = dict.fromkeys(self._note(c.key, c.locator) for c in citations)
        return Md(f" ({'; '.join(notes)})" if notes else "")

    def _note(self, key: str, locator: str | None) -> str:
        """Abbas, “Eye on the Middle East,” para. 9: the words linked to the work on the Sources page."""
        reference = self.bibliography.get(key)
        where = escape_text(locator) if locator else ""
        if reference is None:
            return escape_text(key) + (f", {where}" if where else "")
        href = relative(self.page, SOURCES_PAGE, ref_anchor(key))
        if not reference.short.title:
            return f"[{escape_text(reference.short.author)}]({href})" + (f", {where}" if where else "")
        return f"[{_short_words(reference, ',' if where else '')}]({href})" + (f" {where}" if where else "")


def without_citations(text: str) -> Md:
    """Prose made safe with its citations left out: for a line on an index page, where the record's own
    page carries the notes."""
    groups = find_citations(text)
    starts = [0] + [group.end for group in groups]
    kept = "".join(text[start:group.start].rstrip() for start, group in zip(starts, groups, strict=False))
    return Md(" ".join(safe_markdown(kept + text[starts[-1]:]).split()))


def short_note(reference: Reference, locator: str | None) -> Md:
    """Abbas, “Eye on the Middle East,” para. 9. — the short form linked to the page's full reference."""
    short = reference.short
    where = escape_text(locator) if locator else ""
    if not short.title:
        lead = f"[{escape_text(short.author)}](#{ref_anchor(reference.key)})"
        return Md(f'<span class="ref-short">{lead}</span>' + (f", {where}." if where else "."))
    # A title that ends in its own mark (…, ?, !) takes no full stop after it.
    stop = "," if where else "" if short.title.rstrip("\u2069")[-1:] in "\u2026?!." else "."
    tail = f' <span class="locator">{where}.</span>' if where else ""
    return Md(f'<span class="ref-short">[{_short_words(reference, stop)}](#{ref_anchor(reference.key)})</span>{tail}')


def _short_words(reference: Reference, stop: str) -> str:
    """Author, “Title” (or *Title*), with ``stop`` inside the quotes as Chicago puts it."""
    short = reference.short
    title = escape_text(short.title)
    author = f"{escape_text(short.author)}, " if short.author else ""
    return f"{author}*{title}*{stop}" if short.italic else f"{author}\u201c{title}{stop}\u201d"
