"""Untrusted Markdown from YAML, made safe to place in a generated page.

Editors write emphasis, lists, code and links; nothing they paste may become markup.
Raw HTML is shown as text (``<`` and ``&`` become entities), attribute lists and
footnote or link definitions are escaped, images are not allowed, and a link keeps its
target only if it is http(s), mailto or internal. The built site also passes every
generated page through a sanitizer (see ``sanitize.py``); this is the first fence.

Nothing is left for Markdown to guess: a code span becomes a ``<code>`` element whose
text is escaped here (Markdown's own block rules would otherwise see raw HTML at the
start of a line inside it), every bracket that is not part of a link checked here is
escaped (so no reference, footnote or image link can form), and a link is written back
in one plain form, ``[text](target)``, so Markdown reads the same target we checked.
"""

from __future__ import annotations

import html
import re
import unicodedata
from functools import lru_cache
from urllib.parse import urlsplit

# A code span: a run of backticks, text without a blank line, the same run again.
_CODE_SPAN = re.compile(r"(?<![`\\])(`+)(?!`)((?:(?!\n[ \t]*\n).)+?)(?<!`)\1(?!`)", re.DOTALL)
# Blocks of the admonition, details and similar extensions start a line with three marks:
# the first becomes an entity, which shows the same and starts nothing.
_LINE_START = re.compile(r"^([ \t]*)([!?:])(?=\2\2)", re.MULTILINE)
# In text that is not code, one of: an escape the editor wrote (kept as it is); an image
# (shown as text); an inline link [text](target "title"), whose target may hold one level
# of parentheses; a character that could start other markup or end a table cell. With every
# other "[" escaped, a lone "]" cannot close anything.
_INLINE = re.compile(
    r"(?P<escape>\\[!-/:-@\[-`{-~])"
    r"|(?P<image>!\[)"
    r"|(?P<link>\[(?P<text>(?:[^\[\]\\`\n]|\n(?![ \t]*\n))*)\]"
    r"\([ \t]*(?P<target>(?:[^()\s\\]|\([^()\s\\]*\))*)(?:[ \t]+(?:\"[^\"\n]*\"|'[^'\n]*'))?[ \t]*\))"
    r"|(?P<special>[\[{}`|])"
)
_INLINE_MARKS = ("\\", "!", "[", "{", "}", "`", "|")  # what any match of _INLINE starts with
ALLOWED_SCHEMES = ("http", "https", "mailto")
# Characters that make markup anywhere in a line (Python-Markdown with tables escapes them all)...
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]#|])")
# ...and those that do only at the start of a line: a list item, an ordered list, a heading.
_MD_LINE_START = re.compile(r"^(\d+(?=[.)])|(?=[-+]))")
_HTML = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
# Right-to-left letters and the bidi controls: text with them is isolated (<bdi>, or closed
# at the end of each line of prose), so that it cannot reorder the page text around it.
_RTL = frozenset({"R", "AL", "LRE", "RLE", "LRO", "RLO", "PDF", "LRI", "RLI", "FSI", "PDI"})
_OPENERS = {"\u202a": "\u202c", "\u202b": "\u202c", "\u202d": "\u202c", "\u202e": "\u202c",
            "\u2066": "\u2069", "\u2067": "\u2069", "\u2068": "\u2069"}
_BIDI_CONTROL = re.compile("[\u202a-\u202e\u2066-\u2069]")
# A backtick cannot open a code span and a pipe cannot split a table cell as an entity,
# whatever the escapes around it (prose goes into table cells too).
_ENTITY = {"`": "&#96;", "|": "&#124;"}


def is_safe_url(url: str) -> bool:
    """http(s), mailto, or a path inside the site (no scheme, no //host)."""
    stripped = url.strip()
    if not stripped or any(ord(c) < 32 for c in stripped):
        return not stripped
    try:
        parts = urlsplit(stripped)
    except ValueError:
        return False
    if parts.scheme:
        return parts.scheme.lower() in ALLOWED_SCHEMES
    return not stripped.startswith(("//", "\\\\", "/\\"))


def needs_isolation(text: str) -> bool:
    """Could the text reorder what stands around it: a right-to-left letter or a bidi control?"""
    return not text.isascii() and any(unicodedata.bidirectional(c) in _RTL for c in text)


@lru_cache(maxsize=65536)
def escape_text(text: str) -> str:
    """Plain text (a name, a title) as Markdown that shows exactly those characters.

    Right-to-left text is isolated in <bdi>, as HTML advises for names of unknown
    direction: an override (U+202E) in a name reverses the name, not the rest of the line.
    """
    text = " ".join(text.split())  # a title is one line
    escaped = _MD_LINE_START.sub(r"\1\\", _MD_SPECIAL.sub(r"\\\1", text.translate(_HTML)), count=1)
    return f"<bdi>{escaped}</bdi>" if needs_isolation(text) else escaped


def close_bidi(line: str) -> str:
    """The line with every embedding, override or isolate it opens closed at its end."""
    if not _BIDI_CONTROL.search(line):
        return line
    stack: list[str] = []
    for char in line:
        if char in _OPENERS:
            stack.append(_OPENERS[char])
        elif char == "\u2069":  # a PDI closes its isolate and whatever was opened inside it
            while stack and stack.pop() != "\u2069":
                pass
        elif char == "\u202c" and stack and stack[-1] == "\u202c":
            stack.pop()
    return line + "".join(reversed(stack))


def _safe_target(target: str) -> bool:
    """Is the target, as the browser reads it from the href, a link we allow?"""
    url = html.unescape(target)
    return not any(c in url for c in "<>\"'`") and is_safe_url(url)


def _inline(match: re.Match[str]) -> str:
    if match["escape"]:  # an escaped pipe too must not split a table cell, whatever follows
        return "&#124;" if match["escape"] == "\\|" else match["escape"]
    if match["image"]:  # shown as typed: images are not allowed
        return "!\\["
    if match["special"]:
        return _ENTITY.get(match["special"]) or "\\" + match["special"]
    text = _INLINE.sub(_inline, match["text"])  # braces; no brackets or backticks are in it
    if not _safe_target(match["target"]):
        return text + " (link removed)"
    return f"[{text}]({match['target']})"


def _escape_outside_code(text: str) -> str:
    # Each step first asks, at memchr speed, whether the text holds anything it would change:
    # most prose holds none of it, and the regular expressions scan far slower.
    if "&" in text or "<" in text or ">" in text:
        text = text.translate(_HTML)
    if "!!!" in text or "???" in text or ":::" in text:
        text = _LINE_START.sub(lambda m: f"{m.group(1)}&#{ord(m.group(2))};", text)
    if any(mark in text for mark in _INLINE_MARKS):
        text = _INLINE.sub(_inline, text)
    return text


def _code(content: str) -> str:
    """A code span as an element: its text shown as typed, line breaks as spaces."""
    return f"<code>{escape_text(content)}</code>"


_CHANGED_BY_ESCAPING = ("&", "<", ">", "`", *_INLINE_MARKS)


def is_plain(text: str) -> bool:
    """Would ``safe_markdown`` leave the text exactly as it is? Most prose: no markup in it."""
    return (not any(c in text for c in _CHANGED_BY_ESCAPING) and "???" not in text and ":::" not in text
            and not _BIDI_CONTROL.search(text))


def safe_markdown(text: str) -> str:
    """Escape untrusted Markdown; code spans become <code> elements with their text escaped.

    A bidi control stays in force to the end of its line only, not over the citation
    markers or the page text that follow.
    """
    if _BIDI_CONTROL.search(text):
        text = "\n".join(close_bidi(line) for line in text.split("\n"))
    if "`" not in text:
        return _escape_outside_code(text)
    pieces, last = [], 0
    for match in _CODE_SPAN.finditer(text):
        pieces.append(_escape_outside_code(text[last:match.start()]))
        pieces.append(_code(match.group(2)))
        last = match.end()
    pieces.append(_escape_outside_code(text[last:]))
    return "".join(pieces)
