"""Built pages in headless Chromium: no console errors, search by alias, nothing leaves the origin."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest
from browser import chromium, serve
from click.testing import CliRunner
from conftest import FIXTURES, ROOT

from generator.cli import main

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


def search(browser, site: Path, query: str) -> list[str]:
    with serve(site) as base:
        page = browser.new_page()
        page.goto(base + "/", wait_until="networkidle")
        page.keyboard.press("s")  # Material's shortcut focuses the search box
        page.keyboard.type(query, delay=20)
        page.wait_for_selector(".md-search-result__item", timeout=10_000)
        links = page.eval_on_selector_all(".md-search-result__item a", "els => els.map(e => e.href)")
        page.close()
    return links


def test_search_finds_a_record_by_alias(browser, fixture_site: Path) -> None:
    links = search(browser, fixture_site, "Example Front")
    assert links[0].endswith("/actors/example-group/"), links


def test_hovering_a_note_marker_shows_the_reference(browser, fixture_site: Path) -> None:
    with serve(fixture_site) as base:
        page = browser.new_page()
        page.goto(base + "/attacks/example-market-bombing/", wait_until="networkidle")
        page.hover("sup[id^='fnref'] a")
        tooltip = page.wait_for_selector(".md-tooltip2--active, .md-tooltip2", timeout=5_000)
        assert tooltip is not None
        assert "Bombings in Exampleland" in tooltip.inner_text()
        page.close()
