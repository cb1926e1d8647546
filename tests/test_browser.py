"""Built pages in headless Chromium: no console errors, search by every name and alias, nothing leaves the origin."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest
from browser import chromium, serve
from click.testing import CliRunner
from conftest import FIXTURES, ROOT
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from generator.check import load_corpus
from generator.cli import main
from generator.corpus import Project
from generator.search import record_names, tokens

pytestmark = pytest.mark.browser


def build(config: Path) -> Path:
    result = CliRunner().invoke(main, ["build", "--strict", "-f", str(config)])
    assert result.exit_code == 0, result.output
    return config.parent / "site"


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory) -> Path:
    import shutil

    target = tmp_path_factory.mktemp("basic") / "basic"
    shutil.copytree(FIXTURES / "basic", target, ignore=shutil.ignore_patterns("expected", "site"))
    return build(target / "mkdocs.yml")


@pytest.fixture(scope="module")
def real_site() -> Path:
    return build(ROOT / "mkdocs.yml")


def html_pages(site: Path) -> list[str]:
    return sorted("/" + p.relative_to(site).as_posix().removesuffix("index.html")
                  for p in site.rglob("index.html"))


@pytest.fixture(scope="module")
def browser():
    with chromium() as browser:
        yield browser


def visit_all(browser, site: Path) -> tuple[int, list[str], set[str]]:
    """Open every page; return how many, the console errors, and every origin requested."""
    errors: list[str] = []
    origins: set[str] = set()
    with serve(site) as base:
        page = browser.new_page()
        page.on("console", lambda m: errors.append(f"{page.url}: {m.text}") if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(f"{page.url}: {e}"))
        page.on("request", lambda r: origins.add(urlsplit(r.url)._replace(path="", query="", fragment="").geturl()))
        paths = html_pages(site)
        for path in paths:
            response = page.goto(base + path, wait_until="networkidle")
            assert response is not None and response.ok, path
        page.close()
    return len(paths), errors, origins - {base}


@pytest.mark.parametrize("which", ["fixture_site", "real_site"])
def test_every_page_loads_without_errors_or_outside_requests(browser, which, request) -> None:
    site = request.getfixturevalue(which)
    count, errors, outside = visit_all(browser, site)
    assert count >= 8
    assert errors == []
    assert {o for o in outside if not o.startswith("data:")} == set()


def type_query(page, query: str) -> list[str]:
    """Type ``query`` into Material's search box, as a reader does; the result links once they answer it."""
    page.fill(".md-search__input", "")
    page.keyboard.type(query, delay=10)
    # Results update as each key is typed: wait for those of the whole query (its words are `h`).
    words = " ".join(sorted(set(tokens(query))))
    try:
        page.wait_for_function("w => [...document.querySelectorAll('.md-search-result__item a')].some(a => "
                               "[...new Set(new URL(a.href).searchParams.get('h').split(' '))].sort().join(' ') === w)",
                               arg=words, timeout=5_000)
    except PlaywrightTimeout:
        return []
    return page.eval_on_selector_all(".md-search-result__item > a", "els => els.map(e => e.href)")


def search_table(browser, site: Path, names: dict[str, str]) -> list[tuple[str, str, str]]:
    """(query, expected path, first result's path) for each name → record path."""
    rows = []
    with serve(site) as base:
        page = browser.new_page()
        page.goto(base + "/", wait_until="networkidle")
        page.keyboard.press("s")  # Material's shortcut focuses the search box
        for query, expected in names.items():
            links = type_query(page, query)
            rows.append((query, expected, urlsplit(links[0]).path if links else "(no result)"))
        page.close()
    return rows


def record_name_queries(root: Path) -> dict[str, str]:
    """Every name and alias of every record → the record's page."""
    corpus = load_corpus(Project(root))
    return {name: f"/{entry.kind}/{entry.id}/" for entry in corpus.entries() for name in record_names(entry.record)}


@pytest.mark.parametrize(("which", "root"), [("fixture_site", FIXTURES / "basic"), ("real_site", ROOT)])
def test_every_name_and_alias_finds_its_record_first(browser, which, root, request) -> None:
    names = record_name_queries(root)
    rows = search_table(browser, request.getfixturevalue(which), names)
    table = "\n".join(f"{'ok ' if first == expected else 'MISS'} {query!r:45} → {first}"
                      + ("" if first == expected else f"  (expected {expected})") for query, expected, first in rows)
    print(f"\nsearch, {which}: query → first result\n{table}")
    assert len(rows) == len(names) >= 5
    assert all(first == expected for _, expected, first in rows), table


def test_a_name_with_markup_shows_as_text_in_search_results(browser, project) -> None:
    config = project("basic")
    record = config.parent / "content" / "actors" / "example-group.yaml"
    name = "<img src=x onerror=alert(1)>Group &amp; co"
    record.write_text(record.read_text(encoding="utf-8").replace("name: Example Group", f'name: "{name}"'),
                      encoding="utf-8")
    dialogs: list[str] = []
    with serve(build(config)) as base:
        page = browser.new_page()
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.goto(base + "/", wait_until="networkidle")
        page.keyboard.press("s")
        assert urlsplit(type_query(page, "onerror Group")[0]).path == "/actors/example-group/"
        title = page.inner_text(".md-search-result__item h1")
        page.close()
    assert (title, dialogs) == (name, [])


def test_hovering_a_note_marker_shows_the_reference(browser, fixture_site: Path) -> None:
    with serve(fixture_site) as base:
        page = browser.new_page()
        page.goto(base + "/attacks/example-market-bombing/", wait_until="networkidle")
        page.hover("sup[id^='fnref'] a")
        tooltip = page.wait_for_selector(".md-tooltip2--active, .md-tooltip2", timeout=5_000)
        assert tooltip is not None
        assert "Bombings in Exampleland" in tooltip.inner_text()
        page.close()


def crawl(browser, site: Path) -> tuple[int, int, list[str]]:
    """Follow every same-origin link and anchor from every page; return pages, links, broken."""
    broken: list[str] = []
    ids: dict[str, set[str]] = {}
    links: list[tuple[str, str]] = []
    with serve(site) as base:
        page = browser.new_page()
        for path in html_pages(site):
            page.goto(base + path, wait_until="domcontentloaded")
            ids[path] = set(page.eval_on_selector_all("[id]", "els => els.map(e => e.id)"))
            hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
            links += [(path, href) for href in hrefs if href.startswith(base)]
        page.close()
        for source, href in links:
            target = urlsplit(href)
            is_file = target.path.endswith("/") or "." in target.path.rsplit("/", 1)[-1]
            path = target.path if is_file else target.path + "/"
            file = site / path.lstrip("/")
            if path.endswith("/"):
                file = file / "index.html"
            if not file.exists():
                broken.append(f"{source} -> {href}")
            elif target.fragment and path in ids and target.fragment not in ids[path]:
                broken.append(f"{source} -> {href} (no such anchor)")
    return len(ids), len(links), broken


def test_crawl_finds_no_broken_link_or_anchor(browser, real_site: Path) -> None:
    pages, links, broken = crawl(browser, real_site)
    assert pages >= 30 and links >= 500
    assert broken == []


def test_site_opened_from_disk_links_to_index_files(browser, real_site: Path) -> None:
    page = browser.new_page()
    page.goto((real_site / "index.html").as_uri(), wait_until="load")
    page.click("a[href*='attacks/index.html'], .md-typeset a[href*='attacks']")
    page.wait_for_load_state("load")
    assert page.url.endswith("/attacks/index.html")
    assert "Attacks" in page.inner_text("h1")
    page.close()
