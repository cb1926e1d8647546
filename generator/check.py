"""Everything ``briefs check`` reports: the corpus's own checks, then the reviewer's findings."""

from __future__ import annotations

from .corpus import Corpus, Project, read_corpus
from .memory import making_long_lived
from .review import build_review, review_diagnostics


def load_corpus(project: Project) -> Corpus:
    """Load and check everything; every problem becomes a diagnostic, all in one run."""
    with making_long_lived(sweep=False):
        corpus = read_corpus(project)
        corpus.review = build_review(corpus, project.review_period_days)
        corpus.diagnostics += review_diagnostics(corpus.review, corpus)
        corpus.diagnostics.sort()
    return corpus
