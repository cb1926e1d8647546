"""What a page's <head> tells other tools: its title, a one-line description, its date.

The values ride in each generated page's front matter (``briefs:``), so that the theme template
(``theme/briefs.html``) reads them from ``page.meta`` under the plugin and under plain MkDocs alike.
They are plain text: the template escapes them, and nothing here is markup.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
from html.parser import HTMLParser

import markdown

from .citations import find_citations
from .prose import safe_markdown

DESCRIPTION_LENGTH = 200  # about what search results and link previews show


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


# Text without these has no Markdown to render: most summaries, once their citations are out.
_MARKUP = re.compile(r"[*_`\[\]<>&#!{}|\\~]|^\s*(?:[-+]|\d+[.)])\s", re.MULTILINE)


# A blank line before an unindented line ends every block Markdown has here (no raw HTML, and no
# link definitions: safe_markdown escapes both): the text before it reads the same converted alone.
_BLOCK_BREAK = re.compile(r"\n[ \t]*\n(?=\S)")


_local = threading.local()


def _converter() -> markdown.Markdown:
    """This thread's converter: making one costs as much as converting a paragraph."""
    if not hasattr(_local, "converter"):
        _local.converter = markdown.Markdown()
    return _local.converter  # type: ignore[no-any-return]


def plain_text(prose: str, enough: int | None = None) -> str:
    """Prose as a reader would read it aloud: no citations, no note markers, no Markdown, one line.
    With ``enough``, the opening blocks only, up to the first past that many characters: a
    description needs the start of a long summary, and converting the rest would cost most."""
    groups = find_citations(prose)
    starts = [0] + [group.end for group in groups]
    kept = "".join(prose[start:group.start].rstrip() for start, group in zip(starts, groups, strict=False))
    kept += prose[starts[-1]:]
    if not _MARKUP.search(kept):
        return " ".join(kept.split())
    texts, length, converter = [], 0, _converter()
    for block in _BLOCK_BREAK.split(safe_markdown(kept)):
        parser = _Text()
        parser.feed(converter.reset().convert(block))
        parser.close()
        texts.append(" ".join("".join(parser.parts).split()))
        length += len(texts[-1]) + 1
        if enough is not None and length > enough + 1:
            break
    return " ".join(text for text in texts if text)


def shorten(text: str, limit: int = DESCRIPTION_LENGTH) -> str:
    """The text, or its first words up to ``limit`` characters and an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[:limit - 1]
    return (cut.rsplit(" ", 1)[0] if " " in cut else cut).rstrip(" ,;:") + "…"


def description(summary: str) -> str:
    return shorten(plain_text(summary, enough=DESCRIPTION_LENGTH))


def highwire_date(day: dt.date) -> str:
    """A date as Highwire Press tags write it, the form Google Scholar asks for (2024/03/22)."""
    return day.strftime("%Y/%m/%d")


# Letters, digits and plain punctuation: what a front matter string keeps as it is.
_NOT_PLAIN = re.compile(r"[^a-zA-Z0-9 .,:;/?'()-]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def yaml_string(text: str) -> str:
    """Any text as a YAML double-quoted scalar that every YAML reader (MkDocs' front matter) reads back
    exactly. Only letters, digits and plain punctuation stay as they are; every other character is an
    escape, so that not even a Markdown or HTML reader of the raw page finds markup in it."""
    return '"' + _NOT_PLAIN.sub(_escape, text) + '"'
