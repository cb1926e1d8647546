"""Corpus → every generated page's Markdown, and hand-written pages with their blocks filled in."""

from __future__ import annotations

from dataclasses import dataclass

from pathlib import Path

from .charts import chart_files
from .corpus import Corpus
from .pages import build_pages
from .render import render_counts, render_page
from .vendor import vendor_files

# Hand-written pages may ask for generated blocks with these markers.
MARKERS = {"<!-- briefs:counts -->": render_counts}


@dataclass(frozen=True)
class GeneratedPage:
    path: str       # docs-relative, e.g. attacks/kerman-2024.md
    markdown: str
    source: str | None  # project-relative YAML file it comes from


def generate(corpus: Corpus) -> list[GeneratedPage]:
    return [GeneratedPage(page.path, render_page(page, corpus), page.source)
            for page in build_pages(corpus)]


def static_files(corpus: Corpus) -> dict[str, str | Path]:
    """Site path → text to write or file to copy: chart specs and the bundled browser libraries."""
    files: dict[str, str | Path] = dict(chart_files(corpus))
    files.update(vendor_files(corpus.project.root))
    return dict(sorted(files.items()))


def fill_markers(markdown: str, corpus: Corpus) -> str:
    for marker, render in MARKERS.items():
        if marker in markdown:
            markdown = markdown.replace(marker, render(corpus))
    return markdown
