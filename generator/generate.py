"""Corpus → every generated page's Markdown, and hand-written pages with their blocks filled in."""

from __future__ import annotations

from dataclasses import dataclass

from .corpus import Corpus
from .pages import build_pages
from .render import render_counts, render_page

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


def fill_markers(markdown: str, corpus: Corpus) -> str:
    for marker, render in MARKERS.items():
        if marker in markdown:
            markdown = markdown.replace(marker, render(corpus))
    return markdown
