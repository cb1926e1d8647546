"""A build's Markdown conversion on two cores: a forked child converts every other page.

Converting each page's Markdown to HTML is most of a large build, and Python-Markdown holds the
interpreter's lock, so threads would not help. On a machine with a second core, the build forks
once MkDocs has its pages. The child reads and converts every other page as MkDocs would, and
sends back what MkDocs' conversion sets on the page. When MkDocs comes to such a page, this
process takes the child's result if the page's Markdown, after every plugin's ``on_page_markdown``,
is the one the child converted; otherwise it converts the page itself. The warnings the child's
conversion logged are logged here, in the page's turn, so ``--strict`` counts them. A page ends as
a build on one core leaves it: tests/test_second_core.py compares the two sites byte for byte.

Only where it is safe:
- on Linux, in a process that runs no other thread (a lock held by one would stay held in the
  child), so a live preview, which serves from threads, converts on one core;
- every Markdown extension is Python-Markdown's own or ours, which keep nothing across pages (an
  extension that gathers anchors for a plugin, such as mkdocs-autorefs', would gather them in the
  child);
- every plugin is one whose page events change nothing but the Markdown.
``BRIEFS_CORES=1`` turns it off.
"""

from __future__ import annotations

import gc
import hashlib
import logging
import os
import pickle
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from functools import partial
from importlib.metadata import entry_points
from typing import NamedTuple

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from .mkdocs_internals import Converted, convert_page, set_converted

# Modules whose Markdown extensions keep no state from one page to the next.
_STATELESS_EXTENSIONS = ("markdown.extensions.", "generator.mdext")
# Plugins whose page events before the conversion change only the page's Markdown.
_PAGE_SAFE_PLUGINS = frozenset(["search", "material/search", "tags", "material/tags", "briefs"])

log = logging.getLogger("mkdocs.plugins.briefs")


def wanted(config: MkDocsConfig, pages: int) -> bool:
    """Is a second core there, needed and safe for this build?"""
    # macOS has fork too, but its system libraries may not survive one without an exec.
    return (os.environ.get("BRIEFS_CORES", "") != "1" and sys.platform.startswith("linux") and pages >= 2
            and _cores() >= 2 and threading.active_count() == 1 and safe_to_share(config))


def safe_to_share(config: MkDocsConfig) -> bool:
    """Would a page converted in a child be the page converted here? Not with an extension that
    keeps something from page to page, nor with a plugin that may change more than the Markdown."""
    if not set(config.plugins) <= _PAGE_SAFE_PLUGINS:
        return False
    return all(module.startswith(_STATELESS_EXTENSIONS) for module in extension_modules(config))


def _cores() -> int:
    """The cores this process may run on."""
    return len(os.sched_getaffinity(0))


def extension_modules(config: MkDocsConfig) -> list[str]:
    """The module of each Markdown extension, short names read as Python-Markdown reads them."""
    named = {point.name: point.value for point in entry_points(group="markdown.extensions")}
    return [named.get(ext, ext).split(":")[0] if isinstance(ext, str) else type(ext).__module__
            for ext in config.markdown_extensions]


def _digest(markdown: str) -> bytes:
    return hashlib.blake2b(markdown.encode("utf-8", "surrogatepass"), digest_size=16).digest()


class _Result(NamedTuple):
    digest: bytes  # of the Markdown converted
    converted: Converted
    records: list[logging.LogRecord]  # what the conversion logged


class SecondCore:
    """The child converting its share of the pages, and what it has sent back so far."""

    def __init__(self, pid: int, pipe: int, pages: Sequence[Page]) -> None:
        self.pid, self.pages = pid, pages
        self.results: dict[int, _Result | None] = {}
        self.finished = False  # the child has sent all it will
        self.arrived = threading.Condition()
        self.taken = 0
        self.reader = threading.Thread(target=self._read, args=(pipe,), name="briefs-second-core", daemon=True)
        self.reader.start()

    @classmethod
    def start(cls, pages: Sequence[Page], config: MkDocsConfig, files: Files) -> SecondCore:
        """Fork a child converting every other page of ``pages`` (those MkDocs converts, in its order)."""
        share = pages[1::2]
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: it never returns
            os.close(read)
            _child(share, config, files, write)
        os.close(write)
        core = cls(pid, read, share)
        for index, page in enumerate(share):
            # MkDocs calls page.render(config, files): this instance's, until close() takes it away.
            page.render = partial(core._render, page, index)  # type: ignore[method-assign]
        return core

    def _read(self, pipe: int) -> None:
        with os.fdopen(pipe, "rb") as stream:
            while True:
                try:
                    index, result = pickle.load(stream)
                except Exception:  # the end, or a child killed mid-page: this process converts the rest
                    break
                with self.arrived:
                    self.results[index] = result
                    self.arrived.notify_all()
        with self.arrived:
            self.finished = True
            self.arrived.notify_all()

    def _render(self, page: Page, index: int, config: MkDocsConfig, files: Files) -> None:
        with self.arrived:
            self.arrived.wait_for(lambda: index in self.results or self.finished)
            result = self.results.pop(index, None)
        if result is None or page.markdown is None or result.digest != _digest(page.markdown):
            Page.render(page, config, files)  # a plugin changed its Markdown, or the child failed on it
            return
        for record in result.records:
            logging.getLogger(record.name).handle(record)
        set_converted(page, result.converted, files)
        self.taken += 1

    def close(self) -> None:
        """The pages are converted (or the build failed): the child ends, the pages are MkDocs' again."""
        for page in self.pages:
            page.__dict__.pop("render", None)
        try:
            os.kill(self.pid, signal.SIGKILL)  # done already, or no longer needed
        except ProcessLookupError:
            pass
        os.waitpid(self.pid, 0)
        self.reader.join()
        log.info("briefs: %d pages were converted on a second core", self.taken)


def _child(pages: Sequence[Page], config: MkDocsConfig, files: Files, pipe: int) -> None:
    """Convert each page, send back what the conversion set and logged, and exit."""
    status = 0
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
        gc.freeze()  # what the parent made stays untouched: the collector does not go over it again
        records: list[logging.LogRecord] = []
        logging.Logger.handle = _keep(records)  # type: ignore[method-assign,assignment]
        with os.fdopen(pipe, "wb") as stream:
            for index, page in enumerate(pages):
                records.clear()
                pickle.dump((index, _convert(page, config, files, records)), stream)
                stream.flush()
    except BaseException:  # the parent stopped reading, or converts what is left itself
        status = 1
    finally:
        os._exit(status)


def _keep(records: list[logging.LogRecord]) -> Callable[[logging.Logger, logging.LogRecord], None]:
    def handle(logger: logging.Logger, record: logging.LogRecord) -> None:
        record.msg, record.args = record.getMessage(), None  # the arguments may not pickle
        record.exc_info = None
        records.append(record)

    return handle


def _convert(page: Page, config: MkDocsConfig, files: Files, records: list[logging.LogRecord]) -> _Result | None:
    try:
        markdown, done = convert_page(page, config, files)
    except Exception:  # this process meets the same problem in the page's turn, and reports it
        return None
    return _Result(_digest(markdown), done, list(records))


def convert_on_two_cores(config: MkDocsConfig, files: Files, pages: Sequence[Page]) -> SecondCore | None:
    """A second core converting half of ``pages``, if it is there, needed and safe."""
    return SecondCore.start(pages, config, files) if wanted(config, len(pages)) else None
