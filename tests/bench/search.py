"""A reader's first search on a built site, in headless Chromium: what it downloads and how long it waits.

A fresh browser opens the home page, presses ``s`` (Material's shortcut) and types a record's name
at a reader's pace. It counts the bytes of every search file fetched from opening the page to the
results of the whole name (the index, not the worker's code: a site serves those scripts anyway),
and times, from the first key pressed, the first results shown and, from the last key, the
results of the whole name.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from bench.children import run_child, tool
from bench.serve import copy_project
from generator.search import tokens

TESTS = Path(__file__).resolve().parents[1]
if str(TESTS) not in sys.path:
    sys.path.insert(0, str(TESTS))  # browser.py: the tests' own Chromium and file server

KEY_DELAY_MS = 80  # a steady typist
TIMEOUT_MS = 120_000  # Material's own index took 30 s at 2,000 records
SHIPPED_QUERY = "Islamic State–Khorasan Province"
TARGET_BYTES = 1_000_000  # the issue's, for a first query at the largest size
TARGET_SECONDS = 0.5

# Each key's time, and each change of the result list's first link with its time.
_WATCH = """() => {
  window.__bench = {keys: [], results: []};
  const input = document.querySelector('.md-search__input');
  input.addEventListener('keydown', () => window.__bench.keys.push(performance.now()));
  const list = document.querySelector('.md-search-result__list');
  new MutationObserver(() => {
    const first = list.querySelector('.md-search-result__item');
    const h = first && [...first.querySelectorAll('a')].map(a => new URL(a.href).searchParams.get('h')).find(h => h);
    if (h) window.__bench.results.push({at: performance.now(), h: h});
  }).observe(list, {childList: true});
}"""


# Results of the whole query: shown after the last key and highlighting its last word (Material's
# own worker leaves out the words it does not find, and both leave out none that they do).
_ANSWERS_WHOLE = "r => r.at > window.__bench.keys.at(-1) && (r.h || '').split(' ').includes(w)"


@dataclass
class FirstSearch:
    query: str
    site_bytes: int      # every search file the site has, Material's search_index.json included
    site_files: int
    index_bytes: int     # search files fetched, page load included, until the whole name's results
    files: int           # how many
    first_results: float  # seconds from the first key to the first results
    full_results: float   # seconds from the last key to the results of the whole query


def _is_index(path: str) -> bool:
    return path.startswith("/search/")


def first_search(site: Path, query: str) -> FirstSearch:
    """Type ``query`` into a fresh browser's search box on ``site``; see the module's docstring."""
    from browser import chromium, serve

    fetched: dict[str, int] = {}
    last = tokens(query)[-1]
    with serve(site) as base, chromium() as browser:
        context = browser.new_context()  # type: ignore[attr-defined]  # an empty cache: a first visit
        page = context.new_page()
        context.on("requestfinished", lambda request: _count(request, site, fetched))
        page.goto(base + "/", wait_until="networkidle")
        page.evaluate(_WATCH)
        page.keyboard.press("s")
        page.keyboard.type(query, delay=KEY_DELAY_MS)
        page.wait_for_function(f"w => window.__bench.results.some({_ANSWERS_WHOLE})", arg=last, timeout=TIMEOUT_MS)
        marks = page.evaluate("() => window.__bench")
        context.close()
    keys, results = marks["keys"], marks["results"]
    whole = next(r["at"] for r in results if r["at"] > keys[-1] and last in (r["h"] or "").split(" "))
    on_disk = [path.stat().st_size for path in (site / "search").rglob("*") if path.is_file()]
    return FirstSearch(query, sum(on_disk), len(on_disk), sum(fetched.values()), len(fetched),
                       (results[0]["at"] - keys[0]) / 1000, (whole - keys[-1]) / 1000)


def _count(request: object, site: Path, fetched: dict[str, int]) -> None:
    """Bytes as the files are on disk: what an uncompressed response carries."""
    path = urlsplit(request.url).path  # type: ignore[attr-defined]
    if _is_index(path):
        fetched[path] = (site / path.lstrip("/")).stat().st_size


def record_name(project: Path) -> str:
    """The name of the project's first actor in file order: a query a reader would type."""
    first = sorted((project / "content" / "actors").glob("*.yaml"))[0]
    return str(yaml.safe_load(first.read_text(encoding="utf-8"))["name"])


def shipped_search(project: Path, scratch: Path) -> FirstSearch:
    """A first search on the shipped content (built in a copy of it): today's size."""
    config = copy_project(project, scratch / "shipped")
    run_child([tool("briefs"), "build", "-f", str(config)])
    return first_search(config.parent / "site", SHIPPED_QUERY)


def search_report(rows: list[tuple[str, float | None, FirstSearch]], largest: str) -> list[str]:
    """One line per site: (its label, seconds to make its index in-process, a first search on it)."""
    head = (f"{'site':>9} {'index s':>8} {'index MB':>9} {'files':>6}  {'query':<31} {'KB fetched':>10} "
            f"{'files':>5} {'first results s':>15} {'whole name s':>12}")
    lines = ["search: a reader's first search in headless Chromium (a fresh cache, keys 80 ms apart)", "",
             head, "-" * len(head)]
    for label, seconds, found in rows:
        lines.append(f"{label:>9} {'n/a' if seconds is None else f'{seconds:.2f}':>8} {found.site_bytes / 1e6:>9.2f} "
                     f"{found.site_files:>6}  {found.query[:31]:<31} {found.index_bytes / 1e3:>10.1f} "
                     f"{found.files:>5} {found.first_results:>15.2f} {found.full_results:>12.2f}")
    lines += ["", "index s = search_docs + index_files in-process (within static); index MB, files = all site/search/;",
              "KB fetched = the search/ files fetched from opening the page to the whole name's results, as on disk",
              "(no compression); first results = from the first key to the first results shown; whole name = from",
              "the last key to the results of the whole name.", ""]
    found = next(found for label, _, found in rows if label == largest)
    lines.append(f"{'search at ' + largest + ', KB fetched':<32} {found.index_bytes / 1e3:>8.1f} "
                 f"{'<= ' + str(TARGET_BYTES // 1000):>8}  {'PASS' if found.index_bytes <= TARGET_BYTES else 'FAIL'}")
    lines.append(f"{'search at ' + largest + ', whole name s':<32} {found.full_results:>8.2f} "
                 f"{'<= ' + str(TARGET_SECONDS):>8}  {'PASS' if found.full_results <= TARGET_SECONDS else 'FAIL'}")
    return lines
