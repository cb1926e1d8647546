"""Long listing pages made of parts, converted one part at a time.

The Sources page, the indexes, the timeline's table and the Review page list every record or
reference: at 2,000 records, MkDocs' Markdown takes seconds over each of them. A page template
marks each entry of such a listing as a part (``part(...)`` in ``render``): a block of its own
(a reference with its "cited by"), a row of a table, or an item of a list. MkDocs converts the
rest of the page, where each run of parts stands as a placeholder paragraph; the parts are
converted one at a time with the page's own Markdown settings, kept by their text, and put in
place of the placeholders. After a save, only the parts whose text changed are converted again.

A part must mean the same on its own as inside the page: no headings (they belong to the page's
table of contents) and no numbered notes (their numbers are the page's); ``InlineNotes`` writes a
part's citations where they stand.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field

SHAPES = ("block", "row", "item")
_NONCE = secrets.token_hex(6)  # no text in a record can spell a token or a placeholder
_TOKEN = re.compile(rf"\x02{_NONCE}:(\d+)\x03")
_TABLE_HEAD, _TABLE_END = "<tbody>\n", "\n</tbody>\n</table>"
_LIST_START, _LIST_END = "<ul>\n", "\n</ul>"

Convert = Callable[[str], tuple[str, set[str]]]  # Markdown → HTML and the anchors (ids) it has
Sanitize = Callable[[str], str]


def token(index: int) -> str:
    """What the page template prints, on a line of its own, where part ``index`` goes."""
    return f"\x02{_NONCE}:{index}\x03"


@dataclass(frozen=True)
class Run:
    """Parts that stand together: blocks one after another, the rows of one table, the items of one list."""

    shape: str
    parts: tuple[str, ...]  # each part's Markdown
    header: str = ""  # a table's header and separator lines


@dataclass(frozen=True)
class Split:
    """A page as MkDocs converts it, and the runs of parts that stand, one after another, where
    each of its placeholder paragraphs stands."""

    skeleton: str
    runs: dict[str, tuple[Run, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class Layout:
    """Where a page's parts stand: its skeleton, and for each placeholder its runs as (shape, table
    header, the parts' numbers). Worked out from the page's text alone, so a page whose parts change
    but not its text keeps it."""

    skeleton: str
    stretches: dict[str, tuple[tuple[str, str, tuple[int, ...]], ...]] = field(default_factory=dict)

    def fill(self, markdown: list[str]) -> Split:
        """The page with these parts' Markdown in its runs."""
        return Split(self.skeleton, {placeholder: tuple(Run(shape, tuple(markdown[i] for i in members), header)
                                                        for shape, header, members in stretch)
                                     for placeholder, stretch in self.stretches.items()})


def inline(text: str, parts: list[tuple[str, str]]) -> str:
    """The page's whole Markdown: each token replaced by its part's."""
    return _TOKEN.sub(lambda match: parts[int(match.group(1))][1], text) if parts else text


def split(text: str, parts: list[tuple[str, str]]) -> Split:
    """The page with each stretch of runs of parts (shape, Markdown) replaced by a placeholder paragraph."""
    return layout(text, [shape for shape, _ in parts]).fill([markdown for _, markdown in parts])


def layout(text: str, shapes: list[str]) -> Layout:
    """Where the parts (of these shapes) of a page's text stand: runs one after another, apart by
    blank lines only, make one stretch, in place of which stands one placeholder paragraph."""
    if not shapes:
        return Layout(text)
    lines, out = text.split("\n"), []
    stretches: dict[str, tuple[tuple[str, str, tuple[int, ...]], ...]] = {}
    i = 0
    while i < len(lines):
        if _TOKEN.fullmatch(lines[i]) is None:
            out.append(lines[i])
            i += 1
            continue
        stretch: list[tuple[str, str, tuple[int, ...]]] = []
        while True:
            shape = shapes[_part_index(lines[i])]
            header = ""
            if shape == "row":  # its table's header and separator lines stand just before it
                header = "\n".join(out[-2:])
                if stretch or len(out) < 2 or not all(line.startswith("|") for line in out[-2:]):
                    raise ValueError(f"a row part must follow a table's header and separator lines: {header!r}")
                del out[-2:]
            members, i = _run(lines, i, shape, shapes)
            stretch.append((shape, header, tuple(members)))
            following = next((j for j in range(i, len(lines)) if lines[j]), len(lines))
            if following == len(lines) or _TOKEN.fullmatch(lines[following]) is None \
                    or shapes[_part_index(lines[following])] == "row":
                break
            i = following
        placeholder = f"briefsrun{_NONCE}x{len(stretches)}"
        stretches[placeholder] = tuple(stretch)
        out += ["", placeholder, ""]
    return Layout("\n".join(out), stretches)


def _part_index(line: str) -> int:
    match = _TOKEN.fullmatch(line)
    assert match is not None
    return int(match.group(1))


def _run(lines: list[str], start: int, shape: str, shapes: list[str]) -> tuple[list[int], int]:
    """The parts of one run from line ``start`` on, and the line after it. Blocks may stand apart by
    blank lines; rows and items follow one another line by line."""
    members, i = [], start
    while i < len(lines):
        match = _TOKEN.fullmatch(lines[i])
        if match is not None and shapes[int(match.group(1))] == shape:
            members.append(int(match.group(1)))
            i += 1
            continue
        if shape == "block" and lines[i] == "":
            following = next((line for line in lines[i:] if line), "")
            if (next_match := _TOKEN.fullmatch(following)) and shapes[int(next_match.group(1))] == "block":
                i += 1
                continue
        break
    return members, i


Piece = tuple[str, set[str]]  # a part's HTML and its anchors
_PieceKey = tuple[str, str, str]  # shape, table header, Markdown


@dataclass
class _RunHTML:
    """A run's HTML and anchors, and each of its parts' (to convert again only the parts that
    changed when the run does)."""

    html: str
    anchors: set[str]
    pieces: dict[_PieceKey, Piece]


class PartsHTML:
    """One page's parts as HTML, kept by their text between builds; sanitized each in the element it
    stands in (a row in a table, an item in a list), so that the page is sanitized as a whole would be.
    A run whose parts are all as they were is not gone through part by part: at 2,000 records a
    page's runs hold thousands of parts, and a save changes a few."""

    def __init__(self) -> None:
        self._runs: dict[Run, _RunHTML] = {}  # the last conversion's runs
        self._before: dict[Run, _RunHTML] = {}
        self._known: dict[_PieceKey, Piece] | None = None  # the parts of the runs before, once asked for
        self._loose: dict[_PieceKey, Piece] = {}  # the parts of runs forgotten, but for those named

    def start(self) -> None:
        """A new conversion of the page: of the runs and parts before, it keeps those it uses again."""
        self._before, self._runs, self._known = self._runs, {}, None

    def forget(self, names: set[str]) -> None:
        """Parts that mention one of these file names: a link of theirs may now resolve differently."""
        for run in [run for run in self._runs if any(name in text for text in run.parts for name in names)]:
            self._loose |= self._runs.pop(run).pieces
        self._loose = {key: piece for key, piece in self._loose.items() if not any(name in key[2] for name in names)}

    def run(self, run: Run, convert: Convert, sanitize: Sanitize) -> Piece:
        """The run's HTML and the anchors in it."""
        kept = self._runs.get(run) or self._before.get(run)
        if kept is None:
            kept = self._convert_run(run, convert, sanitize)
        self._runs[run] = kept
        return kept.html, kept.anchors

    def _convert_run(self, run: Run, convert: Convert, sanitize: Sanitize) -> _RunHTML:
        if self._known is None:
            self._known = dict(self._loose)
            for before in self._before.values():
                self._known |= before.pieces
            self._loose = {}
        known = self._known
        pieces: dict[_PieceKey, Piece] = {}

        def part(shape: str, text: str) -> Piece:
            key = (shape, run.header, text)
            found = pieces.get(key) or known.get(key)
            if found is None:
                found = _convert(shape, run.header, text, convert, sanitize)
            pieces[key] = found
            return found

        parts = [part(run.shape, text) for text in run.parts]
        anchors = set().union(*(ids for _, ids in parts)) if parts else set()
        html = [piece for piece, _ in parts]
        if run.shape == "block":
            return _RunHTML("\n".join(html), anchors, pieces)
        if run.shape == "item":
            return _RunHTML(_LIST_START + "\n".join(html) + _LIST_END, anchors, pieces)
        head, _ = part("head", run.parts[0])
        return _RunHTML(head + "\n".join(html) + _TABLE_END, anchors, pieces)


def _convert(shape: str, header: str, text: str, convert: Convert, sanitize: Sanitize) -> tuple[str, set[str]]:
    if shape == "block":
        html, anchors = convert(text)
        return sanitize(html), anchors
    if shape == "item":
        html, anchors = convert(text)
        return _inside(sanitize(html), "<ul>", "</ul>").strip("\n"), anchors
    html, anchors = convert(f"{header}\n{text}")
    if shape == "head":  # the table up to its first row
        return sanitize(html[:html.index(_TABLE_HEAD)] + _TABLE_HEAD[:-1] + "</tbody></table>").removesuffix(
            "</tbody></table>") + "\n", anchors
    row = html[html.index(_TABLE_HEAD) + len(_TABLE_HEAD):html.rindex(_TABLE_END)]
    return _inside(sanitize(f"<table><tbody>{row}</tbody></table>"), "<table><tbody>", "</tbody></table>"), anchors


def _inside(html: str, start: str, end: str) -> str:
    if not (html.startswith(start) and html.endswith(end)):
        raise ValueError(f"expected one element, {start}…{end}: the part is {html[:200]!r}…")
    return html[len(start):-len(end)]
