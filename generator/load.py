"""Read YAML with LibYAML's C parser, keeping the line and column of every node.

Only the safe core is accepted: mappings, sequences, strings and null. Every other
scalar stays the text the editor typed (``NO``, ``1.10`` and ``22:22`` are strings),
so YAML 1.1 surprises cannot corrupt data; pydantic turns text into numbers and dates
where the model asks for them. Aliases are refused, so an alias bomb cannot expand.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .diagnostics import Diagnostic, Position, error

MAX_DEPTH = 32
MAX_BYTES = 2_000_000
# LibYAML composes nested collections recursively in C: bound the nesting before it parses.
_OPENERS = re.compile(rb"[\[{]")

STR_TAG = "tag:yaml.org,2002:str"
NULL_TAG = "tag:yaml.org,2002:null"
MAP_TAG = "tag:yaml.org,2002:map"
SEQ_TAG = "tag:yaml.org,2002:seq"


class _Loader(yaml.CSafeLoader):
    """CSafeLoader whose only implicit type is null: everything else resolves to str."""

    yaml_implicit_resolvers: dict[str | None, list[tuple[str, re.Pattern[str]]]] = {}


_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
for _first in ["~", "n", "N", ""]:
    _Loader.yaml_implicit_resolvers.setdefault(_first, []).append((NULL_TAG, _NULL))
_Loader.yaml_implicit_resolvers.setdefault(None, []).append((NULL_TAG, _NULL))


class PosDict(dict[str, Any]):
    """A mapping that remembers where it and each of its keys and values stand."""

    pos: Position
    key_pos: dict[str, Position]
    value_pos: dict[str, Position]


class PosList(list[Any]):
    pos: Position
    item_pos: list[Position]


class _Builder:
    def __init__(self, path: str) -> None:
        self.path = path
        self.diagnostics: list[Diagnostic] = []
        self._seen: set[int] = set()

    def pos(self, node: Node) -> Position:
        mark = node.start_mark
        return Position(self.path, mark.line + 1, mark.column + 1)

    def value_pos(self, node: Node) -> Position:
        """Where a value's text starts: a block scalar (| or >) starts on the next line."""
        if isinstance(node, ScalarNode) and node.style in ("|", ">"):
            return Position(self.path, node.start_mark.line + 2, 1)
        return self.pos(node)

    def build(self, node: Node, depth: int = 0) -> Any:
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
        if isinstance(node, MappingNode):
            return self._mapping(node, depth)
        if isinstance(node, SequenceNode):
            return self._sequence(node, depth)
        return self._scalar(node)

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
        result.pos, result.key_pos, result.value_pos = self.pos(node), {}, {}
        for key_node, value_node in node.value:
            key = self.build(key_node, depth + 1)
            if not isinstance(key, str) or not isinstance(key_node, ScalarNode):
                self.diagnostics.append(error(self.pos(key_node), "yaml-key", "a key must be plain text"))
                continue
            if key in result:
                first = result.key_pos[key]
                self.diagnostics.append(
                    error(self.pos(key_node), "duplicate-key",
                          f"duplicate key '{key}' (first at line {first.line})")
                )
                continue
            result[key] = self.build(value_node, depth + 1)
            result.key_pos[key] = self.pos(key_node)
            result.value_pos[key] = self.value_pos(value_node)
        return result

    def _sequence(self, node: SequenceNode, depth: int) -> PosList | None:
        if not self._check_tag(node, SEQ_TAG):
            return None
        result = PosList(self.build(item, depth + 1) for item in node.value)
        result.pos, result.item_pos = self.pos(node), [self.value_pos(item) for item in node.value]
        return result

    def _scalar(self, node: ScalarNode) -> str | None:
        if node.tag == NULL_TAG:
            return None
        if node.tag != STR_TAG:
            self._check_tag(node, STR_TAG)
            return None
        return str(node.value)


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


def _too_deep(raw: bytes, path: str) -> Diagnostic | None:
    # Cheap upper bound on flow nesting; block nesting is bounded by indentation.
    if len(_OPENERS.findall(raw)) <= MAX_DEPTH:
        return None
    depth = 0
    for index, byte in enumerate(raw):
        if byte in b"[{":
            depth += 1
            if depth > MAX_DEPTH:
                line, col = _line_col(raw[: index + 1].decode("utf-8", "replace"), index)
                return error(Position(path, line, col), "yaml-depth",
                             f"nesting deeper than {MAX_DEPTH} levels")
        elif byte in b"]}":
            depth = max(0, depth - 1)
    return None


def parse(text: str, path: str) -> tuple[Any, list[Diagnostic]]:
    """Parse one YAML document from text; problems become diagnostics, never exceptions."""
    if "\x00" in text:
        line, col = _line_col(text, text.index("\x00"))
        return None, [error(Position(path, line, col), "yaml-syntax", "NUL byte in file")]
    deep = _too_deep(text.encode("utf-8"), path)
    if deep:
        return None, [deep]
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        message = " ".join(filter(None, [exc.context, exc.problem])) or "invalid YAML"
        return None, [error(Position(path, line, col), "yaml-syntax", message)]
    except yaml.reader.ReaderError as exc:
        line, col = _line_col(text, exc.position)
        return None, [error(Position(path, line, col), "yaml-syntax",
                            f"character {exc.character!r} is not allowed in YAML")]
    except yaml.YAMLError as exc:  # LibYAML reports some problems without a mark
        return None, [error(Position(path, 1, 1), "yaml-syntax", str(exc).splitlines()[0])]
    finally:
        loader.dispose()
    if node is None:
        return None, [error(Position(path, 1, 1), "empty-file", "the file is empty")]
    builder = _Builder(path)
    data = builder.build(node)
    return data, builder.diagnostics


def load_file(file: Path, path: str) -> tuple[Any, list[Diagnostic]]:
    """Read and parse a YAML file; ``path`` is how diagnostics name it."""
    raw = file.read_bytes()
    if len(raw) > MAX_BYTES:
        return None, [error(Position(path), "file-size", f"file larger than {MAX_BYTES} bytes")]
    text, problems = decode(raw, path)
    if text is None:
        return None, problems
    return parse(text, path)
