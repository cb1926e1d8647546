"""Everything ``briefs check`` reports: the corpus's own checks, then the reviewer's findings."""

from __future__ import annotations

from contextlib import nullcontext

from .corpus import Corpus, Project, read_corpus
from .kept import KeptFiles
from .memory import making_long_lived
from .progress import Progress
from .review import build_review, review_diagnostics


def load_corpus(project: Project, kept: KeptFiles | None = None, progress: Progress | None = None,
                long_lived: bool = True) -> Corpus:
    """Load and check everything; every problem becomes a diagnostic, all in one run. With ``kept``,
    files unchanged since an earlier call are not read again. ``long_lived``: what is loaded is set
    aside from the cyclic collector (memory.py); a live preview's loads after a save are not, being
    small, and to let the collector take what they replace."""
    with making_long_lived(sweep=False) if long_lived else nullcontext():
        corpus = read_corpus(project, kept, progress)
        corpus.review = build_review(corpus, project.review_period_days)
        corpus.diagnostics += review_diagnostics(corpus.review, corpus)
        corpus.diagnostics.sort()
    return corpus
