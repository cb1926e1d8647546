"""Where a long build is: records loaded, pages generated, pages converted and written, n of N.

On a terminal each stage is a bar (click's progress bar); elsewhere (CI, a pipe) nothing is shown.
Messages logged while a bar is drawn (MkDocs' warnings, the live preview's lines) are printed on
lines of their own above it, never mixed into it.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TextIO

import click

Advance = Callable[[int], None]


class Progress:
    """Stages one after another; ``stage`` ends the one before. This one shows no stage: only
    messages, each on a line."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr

    def stage(self, label: str, total: int) -> Advance:
        return no_step

    def finish(self) -> None:
        """The last stage is over."""

    def message(self, text: str) -> None:
        """A line for the reader, wherever a bar stands."""
        self.stream.write(text + "\n")
        self.stream.flush()


def no_step(steps: int) -> None:
    """Steps of a stage nobody is shown."""


class Bars(Progress):
    """A bar per stage on a terminal."""

    def __init__(self, stream: TextIO) -> None:
        super().__init__(stream)
        self.bar: Any = None

    def stage(self, label: str, total: int) -> Advance:
        self.finish()
        # Redrawn at most about 200 times: a bar must not slow down what it measures.
        self.bar = click.progressbar(length=max(total, 1), label=f"{label:<18}", file=self.stream, show_pos=True,
                                     show_eta=False, update_min_steps=max(1, total // 200))
        self.bar.__enter__()
        return self.bar.update  # type: ignore[no-any-return]

    def finish(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None

    def message(self, text: str) -> None:
        if self.bar is None:
            super().message(text)
            return
        self.stream.write(f"\r\033[K{text}\n{self.bar.format_progress_line()}")  # the bar again, below it
        self.stream.flush()


def progress_for(stream: TextIO) -> Progress:
    """Bars on a terminal; nothing when output goes to a file or a pipe."""
    return Bars(stream) if stream.isatty() else Progress(stream)


class ProgressLogHandler(logging.Handler):
    """Log records printed through ``progress``, so that they stand on lines of their own."""

    def __init__(self, progress: Progress, level: int, fmt: str) -> None:
        super().__init__(level)
        self.progress = progress
        self.setFormatter(logging.Formatter(fmt))

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.progress.message(self.format(record))
        except Exception:  # a log line must never break the build
            self.handleError(record)


@contextmanager
def logs_above(progress: Progress, logger: str = "mkdocs", level: int = logging.WARNING,
               fmt: str = "%(message)s") -> Iterator[None]:
    """While bars are drawn, ``logger``'s messages are printed through ``progress`` (on a terminal
    only: elsewhere they are printed as they always were)."""
    if not isinstance(progress, Bars):
        yield
        return
    handler = ProgressLogHandler(progress, level, fmt)
    logging.getLogger(logger).addHandler(handler)
    try:
        yield
    finally:
        logging.getLogger(logger).removeHandler(handler)
        progress.finish()
