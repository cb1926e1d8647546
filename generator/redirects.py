"""A renamed record keeps its old addresses: a redirect page where its page was, and its data files
(YAML, JSON, citations) copied where they were.

The redirect page has mkdocs-redirects' form, written here so that no plugin or network is needed:
a canonical link to the new page, a script that carries the #fragment along, a meta refresh for
browsers without scripts, and a visible link for readers whose browser follows neither. Data files
are copied rather than redirected: a static host cannot redirect a JSON or YAML request, and a
script that fetches the old address gets the record it asked for, under its new id.
"""

from __future__ import annotations

import html
import json
from collections.abc import Mapping
from pathlib import Path

from .corpus import Corpus, Entry
from .pages import record_data_paths

StaticContent = str | bytes | Path  # as generate.static_files gives it


def redirect_page(entry: Entry, target: str, canonical: str) -> str:
    """The page served at a former address; ``target`` is relative, ``canonical`` the full address
    when the site has one (else relative too)."""
    title = html.escape(" ".join(entry.record.title.split()))
    href, canonical_href = html.escape(target), html.escape(canonical)
    script_target = json.dumps(target).replace("<", "\\u003c")
    return (
        "<!doctype html>\n"
        '<html lang="en">\n'
        "<head>\n"
        '<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width,initial-scale=1">\n'
        f"<title>Moved: {title}</title>\n"
        f'<link rel="canonical" href="{canonical_href}">\n'
        '<meta name="robots" content="noindex">\n'
        f"<script>var anchor=window.location.hash.substr(1);location.href={script_target}"
        '+(anchor?"#"+anchor:"")</script>\n'
        f'<meta http-equiv="refresh" content="0; url={href}">\n'
        "</head>\n"
        "<body>\n"
        f'<p>This page has moved to <a href="{href}">{title}</a>.</p>\n'
        "</body>\n"
        "</html>\n"
    )


def redirect_files(corpus: Corpus, files: Mapping[str, StaticContent]) -> dict[str, StaticContent]:
    """Site path → content at every former address: the redirect pages, and copies of the data files
    ``files`` holds for the record under its new id."""
    redirects: dict[str, StaticContent] = {}
    for former, entry in sorted(corpus.renamed.items()):
        new_page = f"{entry.kind}/{entry.id}/"
        canonical = corpus.project.page_url(new_page) or f"../{entry.id}/"
        redirects[f"{entry.kind}/{former}/index.html"] = redirect_page(entry, f"../{entry.id}/", canonical)
        for new, old in zip(record_data_paths(entry.kind, entry.id), record_data_paths(entry.kind, former),
                            strict=True):
            if new in files:
                redirects[old] = files[new]
    return redirects
