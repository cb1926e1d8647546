"""The cyclic garbage collector, kept away from the many small objects a build keeps alive.

Loading and generating make hundreds of thousands of objects (nodes, models, citations,
page text) that all live until the build ends. The collector's full passes over them free
nothing and cost a third of the generator's time (measured at 2,000 records); and once
made, they would be walked again by every full pass while MkDocs renders the pages.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def no_cyclic_gc() -> Iterator[None]:
    """Pause the cyclic collector (reference counting still frees everything it can)."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def set_aside_long_lived() -> None:
    """Leave every object alive now out of later collections, until ``release_long_lived``."""
    gc.freeze()


def release_long_lived() -> None:
    """Hand what a previous build set aside back to the collector (``mkdocs serve`` rebuilds)."""
    gc.unfreeze()
