"""Content problems as data: every one carries its place and prints as ``path:line:col``."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


_TERMINAL_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


@dataclass(frozen=True, order=True)
class Position:
    path: str
    line: int = 1
    col: int = 1

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}"


@dataclass(frozen=True, order=True)
class Diagnostic:
    pos: Position
    severity: Severity
    code: str
    message: str
    hint: str | None = field(default=None, compare=False)

    def __str__(self) -> str:
        hint = f" ({self.hint})" if self.hint else ""
        line = f"{self.pos}: {self.severity.value}: {self.message}{hint} [{self.code}]"
        # Text from content (ids, keys, values) must not drive the terminal or reorder the line.
        return _TERMINAL_CONTROLS.sub(lambda m: f"\\u{ord(m.group(0)):04x}", line)

    def as_dict(self) -> dict[str, object]:
        return {
            "path": self.pos.path,
            "line": self.pos.line,
            "col": self.pos.col,
            "severity": self.severity.value,
            "code": self.code,
            "message": self.message,
            "hint": self.hint,
        }


def error(pos: Position, code: str, message: str, hint: str | None = None) -> Diagnostic:
    return Diagnostic(pos, Severity.ERROR, code, message, hint)


def warning(pos: Position, code: str, message: str, hint: str | None = None) -> Diagnostic:
    return Diagnostic(pos, Severity.WARNING, code, message, hint)


def has_errors(diagnostics: Iterable[Diagnostic], strict: bool = False) -> bool:
    """Errors always fail; warnings fail only in strict mode."""
    return any(d.severity is Severity.ERROR or strict for d in diagnostics)


def format_text(diagnostics: Iterable[Diagnostic]) -> str:
    return "\n".join(str(d) for d in sorted(diagnostics))


def format_json(diagnostics: Iterable[Diagnostic]) -> str:
    return json.dumps([d.as_dict() for d in sorted(diagnostics)], indent=2, ensure_ascii=False)


def summary(diagnostics: list[Diagnostic]) -> str:
    errors = sum(d.severity is Severity.ERROR for d in diagnostics)
    warnings = len(diagnostics) - errors
    return f"{errors} error(s), {warnings} warning(s)"


class ContentError(Exception):
    """Raised by adapters when content problems stop a build; carries the diagnostics."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        self.diagnostics = sorted(diagnostics)
        super().__init__(format_text(self.diagnostics) + "\n" + summary(self.diagnostics))
