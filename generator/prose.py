"""Untrusted Markdown from YAML, made safe to place in a generated page.

Editors write emphasis, lists, code and links; nothing they paste may become markup.
Raw HTML is shown as text (``<`` and ``&`` become entities), attribute lists and
footnote or link definitions are escaped, images are not allowed, and a link keeps its
target only if it is http(s), mailto or internal. The built site also passes every
generated page through a sanitizer (see ``sanitize.py``); this is the first fence.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

_CODE_SPAN = re.compile(r"(`+)(.+?)\1", re.DOTALL)
# An inline link [text](target "title"); the target may hold one level of parentheses.
_LINK = re.compile(r"(?<!\\)\[(?P<text>[^\[\]]*)\]\((?P<target>(?:[^()\s]|\([^()\s]*\))*)(?:\s+\"[^\"]*\")?\s*\)")
_LINE_START = re.compile(r"^([ \t]*)(\[[^\]]*\]:|\*\[|!!!|\?\?\?|:::|\{:|[|]|>)", re.MULTILINE)
ALLOWED_SCHEMES = ("http", "https", "mailto")
# Characters that make markup anywhere in a line (Python-Markdown with tables escapes them all)...
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]#|])")
# ...and those that do only at the start of a line: a list item, an ordered list, a heading.
_MD_LINE_START = re.compile(r"^(\d+(?=[.)])|(?=[-+]))")
_HTML = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})


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


def escape_text(text: str) -> str:
    """Plain text (a name, a title) as Markdown that shows exactly those characters."""
    text = " ".join(text.split())  # a title is one line
    text = _MD_SPECIAL.sub(r"\\\1", text.translate(_HTML))
    return _MD_LINE_START.sub(r"\1\\", text, count=1)


def _safe_link(match: re.Match[str]) -> str:
    text, target = match["text"], match["target"]
    if target.startswith("<") or not is_safe_url(target):
        return escape_text(text) + " (link removed)"
    return f"[{text}]({target})"


def _escape_outside_code(text: str) -> str:
    text = text.translate(_HTML)
    text = text.replace("![", "!\\[").replace("{", "\\{").replace("}", "\\}").replace("[^", "[\\^")
    text = _LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), text)
    return _LINK.sub(_safe_link, text)


def safe_markdown(text: str) -> str:
    """Escape untrusted Markdown; code spans are left to Markdown, which escapes them itself."""
    pieces, last = [], 0
    for match in _CODE_SPAN.finditer(text):
        pieces.append(_escape_outside_code(text[last:match.start()]))
        pieces.append(match.group(0))
        last = match.end()
    pieces.append(_escape_outside_code(text[last:]))
    return "".join(pieces)
