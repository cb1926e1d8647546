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
def making_long_lived(*, sweep: bool) -> Iterator[None]:
    """Pause the cyclic collector while making objects that live to the end of the run.

    Reference counting still frees everything it can. On the way out, everything alive is
    set aside (``gc.freeze``) before the collector resumes: resuming alone would start with
    a pass over all of it (half a second after loading 2,000 records), and so would every
    full pass after, until ``release_long_lived``. Nested uses leave it to the outermost.

    Freezing keeps what the block dropped in reference cycles too. With ``sweep`` that is
    collected first, in a pass over the block's own objects (Jinja contexts, pydantic schema
    builders: 0.01 s at 2,000 records). Loading goes without: it makes no cycles, the pass
    would cost 0.24 s there, and a build releases what loading set aside before it starts.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            if sweep:
                gc.collect(0)  # the block's objects are all in the youngest generation: none was collected
            gc.freeze()
            gc.enable()


def release_long_lived() -> None:
    """Hand what loading or a previous build set aside back to the collector."""
    gc.unfreeze()
