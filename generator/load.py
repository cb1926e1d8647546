"""Read YAML with LibYAML's C parser, keeping the line and column of every node.

Only the safe core is accepted: mappings, sequences, strings and null. Every other
scalar stays the text the editor typed (``NO``, ``1.10`` and ``22:22`` are strings),
so YAML 1.1 surprises cannot corrupt data; pydantic turns text into numbers and dates
where the model asks for them. Aliases are refused, so an alias bomb cannot expand, and
so is an anchor nothing uses: it is a value that starts with ``&`` and lost its start.

The tokens are scanned first: nesting is bounded there, before LibYAML's recursive
composer could overflow the C stack (``- - - - ...`` on one line), and the few invalid
shapes LibYAML lets through (a comment glued to a value, flow lines not indented, a
lone ``-`` in ``[...]``) are reported as the errors the YAML spec says they are.
"""

from __future__ import annotations

import bisect
import re
from pathlib import Path
from typing import Any, NamedTuple

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.tokens import (
    AliasToken,
    AnchorToken,
    BlockEndToken,
    BlockMappingStartToken,
    BlockSequenceStartToken,
    DirectiveToken,
    FlowMappingEndToken,
    FlowMappingStartToken,
    FlowSequenceEndToken,
    FlowSequenceStartToken,
    ScalarToken,
    TagToken,
    Token,
)

from .diagnostics import Diagnostic, Position, error

MAX_DEPTH = 32
MAX_BYTES = 2_000_000
_OPEN = (BlockMappingStartToken, BlockSequenceStartToken, FlowMappingStartToken, FlowSequenceStartToken)
_CLOSE = (BlockEndToken, FlowMappingEndToken, FlowSequenceEndToken)
_FLOW_OPEN = (FlowMappingStartToken, FlowSequenceStartToken)
_FLOW_CLOSE = (FlowMappingEndToken, FlowSequenceEndToken)
# LibYAML's line breaks (YAML 1.1): NEL, LS and PS too.
_BREAK = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")
_BLOCK_HEADER = re.compile(r"[|>](?:[1-9][-+]?|[-+][1-9]?)?(?:[ \t]|$)")

STR_TAG = "tag:yaml.org,2002:str"
NULL_TAG = "tag:yaml.org,2002:null"
MAP_TAG = "tag:yaml.org,2002:map"
SEQ_TAG = "tag:yaml.org,2002:seq"


_NULLS = frozenset(["~", "null", "Null", "NULL", ""])


class _Loader(yaml.CSafeLoader):
    """CSafeLoader whose only implicit type is null: everything else resolves to str."""

    def resolve(self, kind: type[Node], value: Any, implicit: tuple[bool, bool]) -> str:
        # LibYAML's composer calls this for every untagged node: a set lookup, not
        # PyYAML's general resolver with its regular expressions and path resolvers.
        if kind is ScalarNode:
            return NULL_TAG if implicit[0] and value in _NULLS else STR_TAG
        return SEQ_TAG if kind is SequenceNode else MAP_TAG


class PosDict(dict[str, Any]):
    """A mapping that remembers where it and each of its keys and values stand.

    Marks are kept as LibYAML's 0-based (line, column) numbers; a Position is made only
    when a diagnostic asks for one, so loading pays for a tuple per key, no more.
    """

    __slots__ = ("path", "mark", "marks")
    path: str
    mark: tuple[int, int]
    marks: dict[str, tuple[int, int, int, int]]  # key → key line, key column, value line, value column

    @property
    def pos(self) -> Position:
        return Position(self.path, self.mark[0] + 1, self.mark[1] + 1)

    def key_pos(self, key: str) -> Position:
        line, col, _, _ = self.marks[key]
        return Position(self.path, line + 1, col + 1)

    def value_pos(self, key: str) -> Position:
        _, _, line, col = self.marks[key]
        return Position(self.path, line + 1, col + 1)


class PosList(list[Any]):
    __slots__ = ("path", "mark", "item_marks")
    path: str
    mark: tuple[int, int]
    item_marks: list[tuple[int, int]]

    @property
    def pos(self) -> Position:
        return Position(self.path, self.mark[0] + 1, self.mark[1] + 1)

    def item_pos(self, index: int) -> Position:
        line, col = self.item_marks[index]
        return Position(self.path, line + 1, col + 1)


_CONTENT = re.compile(r"[^\s]")


def _block_start(text: str, node: Node) -> tuple[int, int]:
    """Where a block scalar's (| or >) text starts: its first character after the header line."""
    mark = node.start_mark
    header_end = _BREAK.search(text, mark.index)
    first = _CONTENT.search(text, header_end.end(), node.end_mark.index) if header_end else None
    if header_end is None or first is None:  # nothing but blank lines
        return mark.line + 1, 0
    breaks = list(_BREAK.finditer(text, header_end.start(), first.start()))  # the header's, blank lines'
    return mark.line + len(breaks), first.start() - breaks[-1].end()


def text_position(source: str, base: Position, value: str, offset: int) -> Position:
    """Where ``value[offset]`` stands in the file, for a value whose text starts at ``base``.

    Plain and block scalars (| and >, with any indentation indicator and chomping) hold the
    source's characters in order, bar the indentation and the line breaks folding turns into
    spaces: so the n-th character that is not white space is the n-th in the source too.
    A quoted value starts after its quote; an escape before ``offset`` shifts the column.
    """
    lines = _Lines(source)
    if not 0 < base.line <= len(lines):
        return base
    start = lines.starts[base.line - 1] + base.col - 1
    if source[start:start + 1] in ("'", '"') and not value.lstrip().startswith(source[start]):
        start += 1  # the opening quote
    found = _nth_content(source, start, len(_CONTENT.findall(value, 0, offset)))
    if found is None:
        return base
    line = bisect.bisect_right(lines.starts, found) - 1
    return Position(base.path, line + 1, found - lines.starts[line] + 1)


def _nth_content(source: str, start: int, wanted: int) -> int | None:
    """The index of the character after ``wanted`` non-space characters from ``start``."""
    for match in _CONTENT.finditer(source, start):
        if wanted == 0:
            return match.start()
        wanted -= 1
    return None


class _Builder:
    def __init__(self, path: str, text: str, aliases_possible: bool) -> None:
        self.path = path
        self.text = text
        self.diagnostics: list[Diagnostic] = []
        # Without an '&' in the text there is no anchor, so no alias: nothing to track.
        self._seen: set[int] | None = set() if aliases_possible else None
        # Shapes whose indentation LibYAML does not check: the token scan looks at them.
        self.multiline = False  # a flow collection or a quoted or plain value over several lines
        self.flow = False  # a [...] or {...} collection
        self.blank_block_start = False  # a block scalar (| or >) that starts with an empty line

    def pos(self, node: Node) -> Position:
        mark = node.start_mark
        return Position(self.path, mark.line + 1, mark.column + 1)

    def build(self, node: Node, depth: int = 0) -> Any:
        if self._seen is not None:
            if id(node) in self._seen:
                self.diagnostics.append(
                    error(self.pos(node), "yaml-alias", "aliases (*name) are not allowed; write the value out")
                )
                return None
            self._seen.add(id(node))
        if depth > MAX_DEPTH:
            self.diagnostics.append(
                error(self.pos(node), "yaml-depth", f"nesting deeper than {MAX_DEPTH} levels")
            )
            return None
        cls = node.__class__
        if cls is ScalarNode:
            return self._scalar(node)
        if node.flow_style:
            self.flow = True
            self.multiline = self.multiline or node.end_mark.line > node.start_mark.line
        if cls is MappingNode:
            return self._mapping(node, depth)
        return self._sequence(node, depth)

    def _check_tag(self, node: Node, allowed: str) -> bool:
        if node.tag in (allowed, NULL_TAG if allowed == STR_TAG else allowed):
            return True
        self.diagnostics.append(
            error(self.pos(node), "yaml-tag", f"tag {node.tag!r} is not allowed; only plain YAML values")
        )
        return False

    def _mapping(self, node: MappingNode, depth: int) -> PosDict | None:
        if not self._check_tag(node, MAP_TAG):
            return None
        result = PosDict()
        mark = node.start_mark
        result.path, result.mark, result.marks = self.path, (mark.line, mark.column), {}
        marks = result.marks
        for key_node, value_node in node.value:
            reported = len(self.diagnostics)
            key = self.build(key_node, depth + 1)
            if not isinstance(key, str) or key_node.__class__ is not ScalarNode:
                if len(self.diagnostics) == reported:  # not already refused for its tag or depth
                    self.diagnostics.append(error(self.pos(key_node), "yaml-key", "a key must be plain text"))
                continue
            if key in result:
                self.diagnostics.append(
                    error(self.pos(key_node), "duplicate-key",
                          f"duplicate key '{key}' (first at line {result.key_pos(key).line})")
                )
                continue
            result[key] = self.build(value_node, depth + 1)
            key_mark = key_node.start_mark
            marks[key] = (key_mark.line, key_mark.column, *self._value_mark(value_node))
        return result

    def _sequence(self, node: SequenceNode, depth: int) -> PosList | None:
        if not self._check_tag(node, SEQ_TAG):
            return None
        result = PosList([self.build(item, depth + 1) for item in node.value])
        mark = node.start_mark
        result.path, result.mark = self.path, (mark.line, mark.column)
        result.item_marks = [self._value_mark(item) for item in node.value]
        return result

    def _value_mark(self, node: Node) -> tuple[int, int]:
        """Where a value's text starts: a block scalar's on a line after its header."""
        if node.__class__ is ScalarNode and node.style in ("|", ">"):
            return _block_start(self.text, node)
        mark = node.start_mark
        return mark.line, mark.column

    def _scalar(self, node: ScalarNode) -> str | None:
        value = node.value
        if node.style in ("|", ">"):
            if not value or value[0] in "\n\r":
                self.blank_block_start = True
        elif node.end_mark.line > node.start_mark.line:
            self.multiline = True
        if node.tag == STR_TAG:
            return value
        if node.tag != NULL_TAG:
            self._check_tag(node, STR_TAG)
        return None


def _line_col(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def decode(raw: bytes, path: str) -> tuple[str | None, list[Diagnostic]]:
    """UTF-8 text of a file, or a diagnostic at the first byte that is not UTF-8."""
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return None, [error(Position(path, line, col), "encoding",
                            f"file is not UTF-8 (byte 0x{raw[exc.start]:02x})",
                            "save the file as UTF-8")]


class _Lines:
    """The text's lines as LibYAML counts them."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0] + [m.end() for m in _BREAK.finditer(text)]

    def __getitem__(self, line: int) -> str:
        start = self.starts[line]
        end = self.starts[line + 1] if line + 1 < len(self.starts) else len(self.text)
        return self.text[start:end].rstrip("\r\n\x85\u2028\u2029")

    def __len__(self) -> int:
        return len(self.starts)


def _syntax_error(exc: yaml.YAMLError, path: str, text: str) -> Diagnostic:
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        message = " ".join(filter(None, [exc.context, exc.problem])) or "invalid YAML"
        at_tab = mark is not None and 0 <= mark.index < len(text) and text[mark.index] == "\t"
        return error(Position(path, line, col), "yaml-syntax", message,
                     "indent with spaces: a tab cannot indent YAML" if at_tab else None)
    if isinstance(exc, yaml.reader.ReaderError):
        line, col = _line_col(text, exc.position)
        return error(Position(path, line, col), "yaml-syntax",
                     f"character {exc.character!r} is not allowed in YAML")
    # LibYAML reports some problems without a mark
    return error(Position(path, 1, 1), "yaml-syntax", (str(exc).splitlines() or ["invalid YAML"])[0])


def _scan(text: str, path: str) -> tuple[list[Token], Diagnostic | None]:
    """Every token, or the first syntax error, or where nesting first goes too deep.

    Scanning is iterative; composing nodes is recursive in C, so the depth is bounded here,
    before the composer runs (the root collection is level 0, as in ``_Builder``).
    """
    loader = _Loader(text)
    tokens: list[Token] = []
    depth = 0
    try:
        while (token := loader.get_token()) is not None:
            if isinstance(token, _OPEN):
                depth += 1
                if depth > MAX_DEPTH + 1:
                    mark = token.start_mark
                    return tokens, error(Position(path, mark.line + 1, mark.column + 1), "yaml-depth",
                                         f"nesting deeper than {MAX_DEPTH} levels")
            elif isinstance(token, _CLOSE):
                depth -= 1
            tokens.append(token)
    except yaml.YAMLError as exc:
        return tokens, _syntax_error(exc, path, text)
    finally:
        loader.dispose()
    return tokens, None


def _leading_spaces(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _lenient(tokens: list[Token], text: str, path: str) -> Diagnostic | None:
    """The first invalid shape LibYAML accepts without a word, per the YAML 1.2 spec."""
    lines = _Lines(text)
    problems: list[Diagnostic] = []

    def report(line: int, col: int, message: str) -> None:
        problems.append(error(Position(path, line + 1, col + 1), "yaml-syntax", message))

    blocks: list[int] = []  # columns of the open block collections
    flow, last_line = 0, 0
    spans: list[tuple[int, int]] = []  # where a '#' is part of a value, not a comment
    for token in tokens:
        start, end = token.start_mark, token.end_mark
        indent = blocks[-1] if blocks else -1
        if isinstance(token, (BlockMappingStartToken, BlockSequenceStartToken)):
            blocks.append(start.column)
        elif isinstance(token, BlockEndToken) and blocks:
            blocks.pop()
        if flow and start.line > last_line:  # the first token of a line inside [...] or {...}
            if _leading_spaces(lines[start.line]) <= indent:
                report(start.line, _leading_spaces(lines[start.line]),
                       "a line inside [...] or {...} must be indented more than its parent "
                       "with spaces (tabs do not indent)")
        if isinstance(token, _FLOW_OPEN):
            flow += 1
        elif isinstance(token, _FLOW_CLOSE):
            flow = max(0, flow - 1)
        if isinstance(token, (ScalarToken, AnchorToken, AliasToken, TagToken, DirectiveToken)):
            spans.append((start.index, end.index))
        if isinstance(token, ScalarToken):
            style = token.style or ""
            if style in ("|", ">"):
                _check_block_scalar(token, lines, indent, report)
            else:
                for line in range(start.line + 1, min(end.line, len(lines) - 1) + 1):
                    body = lines[line]
                    if body.strip(" \t") and _leading_spaces(body) <= indent:
                        report(line, _leading_spaces(body),
                               "a continued value must be indented more than its parent "
                               "with spaces (tabs do not indent)")
                first = text[start.index:start.index + 2]
                if flow and not style and first[:1] in ("-", "?", ":") and (
                        len(first) < 2 or first[1] in " \t\r\n,[]{}"):
                    report(start.line, start.column,
                           f"a plain '{first[:1]}' is not allowed inside [...] or {{...}}; quote it")
        last_line = max(last_line, end.line)
    _check_comments(text, spans, report)
    return min(problems) if problems else None


def _check_block_scalar(token: ScalarToken, lines: _Lines, indent: int, report: Any) -> None:
    start = token.start_mark
    header = lines[start.line][start.column:]
    if not _BLOCK_HEADER.match(header):
        report(start.line, start.column + 1, "a comment needs a space before '#'")
        return
    if any(c.isdigit() for c in header.split("#")[0]):
        return  # an explicit indentation indicator: LibYAML checks it
    widest = 0
    for line in range(start.line + 1, len(lines)):
        body = lines[line]
        if not body.strip(" "):
            widest = max(widest, len(body))
            continue
        spaces = _leading_spaces(body)
        if indent < spaces < widest:
            report(line, spaces, "a leading empty line of a block scalar (| or >) has more spaces "
                                 "than its first line")
        return


def _check_comments(text: str, spans: list[tuple[int, int]], report: Any) -> None:
    """A '#' that LibYAML took for a comment though nothing separates it from the value before."""
    starts = [s for s, _ in spans]
    line_starts = _Lines(text).starts
    comment_end = -1  # a '#' inside a comment is just text
    for match in re.finditer("#", text):
        index = match.start()
        i = bisect.bisect_right(starts, index) - 1
        if index < comment_end or (i >= 0 and spans[i][0] <= index < spans[i][1]):
            continue
        line = bisect.bisect_right(line_starts, index) - 1
        if index > line_starts[line] and text[index - 1] not in " \t\ufeff":
            report(line, index - line_starts[line], "a comment needs a space before '#'")
            return
        comment_end = line_starts[line + 1] if line + 1 < len(line_starts) else len(text)


# Cheap signs, read off the raw text, that a file needs the token scan below. Most records
# show none, and skip it: the scan costs more than LibYAML's whole parse. The builder adds
# the signs it sees in the nodes (multi-line values, flow collections, blank block starts).
_GLUED_COMMENT = re.compile(r"[^\s]#")
_ANCHOR = re.compile(r"&[^\s]")
_COMMENT_ON_BLOCK_HEADER = re.compile(r"[|>][-+0-9]*#")
_PLAIN_INDICATOR_IN_FLOW = re.compile(r"[\[{,][ \t]*[-?:](?:[ \t,\]}]|$)", re.MULTILINE)
# LibYAML's composer recurses once per level: well below this, it cannot overflow the C stack.
_SAFE_NESTING = 1000


def _could_nest_deeply(text: str) -> bool:
    """Block nesting needs a column per level, flow nesting a bracket: bound both."""
    if text.count("[") + text.count("{") >= _SAFE_NESTING:
        return True
    return len(text) >= _SAFE_NESTING and max(map(len, text.splitlines())) >= _SAFE_NESTING


def _needs_scan(text: str) -> bool:
    if _could_nest_deeply(text) or ("&" in text and _ANCHOR.search(text)):
        return True
    return "#" in text and bool(_GLUED_COMMENT.search(text) or _COMMENT_ON_BLOCK_HEADER.search(text))


def parse(text: str, path: str) -> tuple[Any, list[Diagnostic]]:
    """Parse one YAML document from text; problems become diagnostics, never exceptions."""
    text = text.removeprefix("\ufeff")  # LibYAML skips a BOM without counting it
    if "\x00" in text:
        line, col = _line_col(text, text.index("\x00"))
        return None, [error(Position(path, line, col), "yaml-syntax", "NUL byte in file")]
    tokens: list[Token] | None = None
    problem: Diagnostic | None = None
    if _needs_scan(text):
        tokens, problem = _scan(text, path)
        if problem and problem.code == "yaml-depth":
            return None, [problem]
    # After a syntax error the composer stops at the same token or earlier (at a parser
    # error such as a second document), so it never nests deeper than the scan did.
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.YAMLError as exc:
        return None, [_syntax_error(exc, path, text)]
    finally:
        loader.dispose()
    if problem:
        return None, [problem]
    if node is None:
        return None, [error(Position(path, 1, 1), "empty-file", "the file is empty")]
    builder = _Builder(path, text, aliases_possible="&" in text)
    data = builder.build(node)
    if tokens is None and (builder.multiline or builder.blank_block_start
                           or (builder.flow and _PLAIN_INDICATOR_IN_FLOW.search(text))):
        tokens, problem = _scan(text, path)  # safe now: the composer has already nested it
    if tokens is None:
        return data, builder.diagnostics
    problem = problem or _lenient(tokens, text, path)
    if problem:
        return None, [problem]
    return data, builder.diagnostics + _anchors(tokens, path)


def _anchors(tokens: list[Token], path: str) -> list[Diagnostic]:
    """An anchor nothing refers to is a value that starts with '&': ``name: &Co Ltd`` loses "&Co".

    Where the file has aliases, their errors already say it all.
    """
    if any(isinstance(token, AliasToken) for token in tokens):
        return []
    return [error(Position(path, t.start_mark.line + 1, t.start_mark.column + 1), "yaml-anchor",
                  f"anchors (&name) are not allowed; '&{t.value}' here is read as one, not as text",
                  "quote a value that starts with '&'")
            for t in tokens if isinstance(t, AnchorToken)]


class Loaded(NamedTuple):
    data: Any
    diagnostics: list[Diagnostic]
    text: str  # the file's text, for positions inside values (see ``text_position``)
    raw: bytes = b""  # the file as read


def load_file(file: Path, path: str) -> Loaded:
    """Read and parse a YAML file; ``path`` is how diagnostics name it."""
    raw = file.read_bytes()
    if len(raw) > MAX_BYTES:
        return Loaded(None, [error(Position(path), "file-size", f"file larger than {MAX_BYTES} bytes")], "")
    text, problems = decode(raw, path)
    if text is None:
        return Loaded(None, problems, "")
    return Loaded(*parse(text, path), text, raw)
