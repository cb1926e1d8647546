"""Corpus → every generated page's Markdown, and hand-written pages with their blocks filled in."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from .charts import chart_files
from .corpus import Corpus
from .exports import export_all
from .feed import atom_feed
from .pagecite import citation_files
from .pages import DATA_DIR, FEED, build_pages, source_path
from .redirects import redirect_files
from .render import render_counts, render_latest, render_page, render_publishing
from .search import index_files, search_docs
from .vendor import asset_files, vendor_files

# Hand-written pages may ask for generated blocks with these markers.
MARKERS = {"<!-- briefs:counts -->": render_counts, "<!-- briefs:latest -->": render_latest,
           "<!-- briefs:publishing -->": render_publishing}


@dataclass(frozen=True)
class GeneratedPage:
    path: str       # docs-relative, e.g. attacks/kerman-2024.md
    markdown: str
    source: str | None  # project-relative YAML file it comes from


def generate(corpus: Corpus) -> list[GeneratedPage]:
    return [GeneratedPage(page.path, render_page(page, corpus), page.source)
            for page in build_pages(corpus)]


StaticContent = str | bytes | Path


def static_files(corpus: Corpus) -> dict[str, StaticContent]:
    """Site path → content or file to copy: data exports, each record's YAML source and citation
    files, the changes feed, renamed records' old addresses, chart specs, the search index and the
    bundled browser libraries."""
    files: dict[str, StaticContent] = {f"{DATA_DIR}/{name}": data for name, data in export_all(corpus).items()}
    for entry in corpus.entries():
        files[source_path(entry.kind, entry.id)] = corpus.project.root / entry.path
    files.update(citation_files(corpus))
    files[FEED] = atom_feed(corpus)
    files.update(redirect_files(corpus, files))  # after every record file it copies
    files.update(chart_files(corpus))
    files.update(index_files(search_docs(corpus)))
    files.update(vendor_files(corpus.project.root))
    files.update(asset_files())
    return dict(sorted(files.items()))


def write_static(path: Path, content: StaticContent) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, Path):
        shutil.copyfile(content, path)
    elif isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")


def marker_blocks(corpus: Corpus) -> dict[str, str]:
    """Each generated block a hand-written page may ask for, by its marker."""
    return {marker: render(corpus) for marker, render in MARKERS.items()}


def fill_markers(markdown: str, blocks: dict[str, str]) -> str:
    for marker, block in blocks.items():
        if marker in markdown:
            markdown = markdown.replace(marker, block)
    return markdown
