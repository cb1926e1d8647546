"""The second fence: generated page HTML passes through nh3 (Ammonia) before it is published."""

from __future__ import annotations

import nh3

TAGS = {
    "a", "abbr", "article", "blockquote", "br", "code", "del", "details", "div", "em", "figure",
    "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "li", "ol", "p", "pre", "span", "strong", "sub",
    "summary", "sup", "table", "tbody", "td", "th", "thead", "tr", "ul", "bdi", "dl", "dt", "dd",
}
ATTRIBUTES = {
    "*": {"class", "id", "title", "dir"},
    "a": {"href", "download"},  # download: a citation file saved, not shown
    "div": {"data-spec", "data-min-width", "role", "aria-label"},
    "td": {"align", "colspan", "data-label"},
    "th": {"align", "colspan"},
}


# One cleaner for every page: nh3.clean would build its rule sets again on each call.
# No rel is added to links: `target` is not allowed, so no link opens the window `noopener`
# guards, and browsers send only the origin to other sites anyway (their default referrer
# policy); on every footnote and cross-link it made pages 12% larger for nothing.
_CLEANER = nh3.Cleaner(
    tags=TAGS,
    attributes=ATTRIBUTES,
    url_schemes={"http", "https", "mailto"},
    link_rel=None,
    strip_comments=True,
)


def sanitize(html: str) -> str:
    """Keep the markup our templates make; drop scripts, event handlers and unsafe URLs."""
    return _CLEANER.clean(html)
