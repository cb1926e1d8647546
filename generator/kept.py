"""What loading each file gave, kept while the file is unchanged: a live preview loads again only
the files an editor saved.

A file counts as unchanged while its size, modification time and inode are. Two saves within
one tick of the file system's clock can leave all three alike, so a file modified shortly before
it was loaded is trusted only once that moment has passed: until then it is loaded again.
"""

from __future__ import annotations

import operator
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

T = TypeVar("T")

RACY_NS = 1_000_000_000  # a modification this close to the load may hide a second one


class Signature(NamedTuple):
    size: int
    mtime_ns: int
    inode: int


def signature(path: Path | os.DirEntry[str]) -> Signature:
    stat = path.stat() if isinstance(path, os.DirEntry) else os.stat(path)
    return Signature(stat.st_size, stat.st_mtime_ns, stat.st_ino)


def settled_signature(path: Path) -> Signature | None:
    """The file's signature, or None if it was modified too recently for the signature to tell a
    later save apart."""
    now = time.time_ns()
    current = signature(path)
    return current if current.mtime_ns < now - RACY_NS else None


def listing(folder: Path) -> list[os.DirEntry[str]]:
    """The entries of a folder in name order, or none if it is missing (one system call, not a stat
    per file: a live preview lists thousands of records on every save)."""
    try:
        with os.scandir(folder) as entries:
            return sorted(entries, key=lambda entry: entry.name)
    except (FileNotFoundError, NotADirectoryError):
        return []


class _Kept(NamedTuple):
    signature: Signature
    trusted: bool  # modified well before it was loaded: an equal signature means equal bytes
    value: Any


class KeptFiles:
    """Per-file results by project-relative path; ``load`` either reuses one or makes it.

    Each round of loading (``next_round``) keeps only the files it asked for, so a deleted
    file's result is let go."""

    def __init__(self, on_drop: Callable[[Any], None] | None = None) -> None:
        self._on_drop = on_drop  # told of each result no longer kept (its file changed or went)
        self._kept: dict[str, _Kept] = {}
        self._asked: dict[str, _Kept] = {}
        self._combined: dict[str, tuple[tuple[Any, ...], Any]] = {}
        self._step: Callable[[int], None] | None = None
        self.loaded: list[str] = []  # paths loaded afresh in this round

    def next_round(self, step: Callable[[int], None] | None = None) -> None:
        """A new round of loading; ``step`` is told of each file asked for (a progress bar)."""
        if self._on_drop is not None:
            for rel, kept in self._kept.items():
                if self._asked.get(rel) is not kept:
                    self._on_drop(kept.value)
        self._kept, self._asked, self.loaded = self._asked, {}, []
        self._step = step

    def load(self, path: Path | os.DirEntry[str], rel: str, make: Callable[[], T]) -> T:
        if self._step is not None:
            self._step(1)
        now = time.time_ns()
        current = signature(path)
        kept = self._kept.get(rel)
        if kept is not None and kept.trusted and kept.signature == current:
            self._asked[rel] = kept
            return kept.value  # type: ignore[no-any-return]
        value = make()
        self._asked[rel] = _Kept(current, current.mtime_ns < now - RACY_NS, value)
        self.loaded.append(rel)
        return value

    def combine(self, name: str, parts: tuple[Any, ...], make: Callable[[], T]) -> T:
        """What ``make`` builds from several files' results, built again only when one of them is
        not the very object it was last time."""
        kept = self._combined.get(name)
        if kept is not None and len(kept[0]) == len(parts) and all(map(operator.is_, kept[0], parts)):
            return kept[1]  # type: ignore[no-any-return]
        value = make()
        self._combined[name] = (parts, value)
        return value
