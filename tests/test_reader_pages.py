"""What a reader sees on the built pages, measured in a real headless Chromium: notes, references,
key facts, plain words, phones and the dark scheme (the record pages of the shipped content and of
the fixture)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from browser import chromium, serve
from click.testing import CliRunner
from conftest import FIXTURES, ROOT

from generator.cli import main
from generator.words import LABELS

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


def build(config: Path) -> Path:
    result = CliRunner().invoke(main, ["build", "--strict", "-f", str(config)])
    assert result.exit_code == 0, result.output
    return config.parent / "site"


@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> dict[str, Path]:
    target = tmp_path_factory.mktemp("basic") / "basic"
    shutil.copytree(FIXTURES / "basic", target, ignore=shutil.ignore_patterns("expected", "site"))
    return {"fixture": build(target / "mkdocs.yml"), "shipped": build(ROOT / "mkdocs.yml")}


@pytest.fixture(scope="module")
def browser():
    with chromium() as browser:
        yield browser


def pages(site: Path, kinds: tuple[str, ...] = ("actors", "attacks", "policy-options")) -> list[str]:
    """Site paths of every record page (and, with index=True, the index pages)."""
    return sorted(f"/{p.parent.relative_to(site).as_posix()}/" for kind in kinds
                  for p in (site / kind).glob("*/index.html"))


INDEXES = ["/", "/actors/", "/attacks/", "/policy-options/", "/timeline/", "/sources/", "/review/", "/data/"]


def each_page(browser, site: Path, paths: list[str], script: str, **context: object) -> dict[str, object]:
    """The script's result on each page, keyed by path."""
    found = {}
    with serve(site) as base:
        page = browser.new_page(**context)
        for path in paths:
            page.goto(base + path, wait_until="networkidle")
            found[path] = page.evaluate(script)
        page.close()
    return found


SEPARATORS = """() => {
  // A separator stands only between two note markers; a marker after text has none, and no
  // marker draws one of its own (the old CSS rule put a comma before any marker after a marker).
  const wrong = [];
  for (const sep of document.querySelectorAll('article sup.note-sep')) {
    const before = sep.previousSibling, after = sep.nextSibling;
    const marker = n => n && n.nodeType === 1 && n.matches('sup[id^="fnref"]');
    if (!marker(before) || !marker(after)) wrong.push(sep.parentElement.textContent.slice(0, 80));
  }
  for (const sup of document.querySelectorAll('article sup[id^="fnref"]')) {
    const content = getComputedStyle(sup, '::before').content;
    if (content !== 'none' && content !== 'normal') wrong.push('generated ' + content);
  }
  return wrong;
}"""


@pytest.mark.parametrize("which", ["fixture", "shipped"])
def test_note_markers_are_separated_only_from_each_other(browser, sites, which) -> None:
    site = sites[which]
    found = each_page(browser, site, pages(site) + ["/review/"], SEPARATORS)
    assert {path: wrong for path, wrong in found.items() if wrong} == {}


URLS_SHOWN = """() => {
  // Each external link a reader can see in the article, and how often.
  const counts = {};
  for (const a of document.querySelectorAll('article a[href^="http"]')) {
    if (a.offsetParent === null) continue;  // the hidden full reference a tooltip shows
    counts[a.href] = (counts[a.href] || 0) + 1;
  }
  return counts;
}"""


@pytest.mark.parametrize("which", ["fixture", "shipped"])
def test_each_work_is_referenced_once_per_page(browser, sites, which) -> None:
    site = sites[which]
    found = each_page(browser, site, pages(site), URLS_SHOWN)
    repeated = {path: {url: n for url, n in counts.items() if n > 1} for path, counts in found.items()}
    assert {path: urls for path, urls in repeated.items() if urls} == {}
    assert any(found.values()), "no record page shows a reference's link"


def test_no_link_to_a_placeholder_repository(sites) -> None:
    for site in sites.values():
        hits = [p for p in site.rglob("*") if p.is_file() and p.suffix in (".html", ".xml", ".json", ".js")
                and b"example.invalid" in p.read_bytes()]
        assert hits == []


TABLES_FIT = """() => [...document.querySelectorAll('article table')].filter(
  t => t.getBoundingClientRect().width > t.closest('article').getBoundingClientRect().width + 1
).map(t => t.querySelector('th, td')?.textContent)"""


@pytest.mark.parametrize("which", ["fixture", "shipped"])
def test_no_table_is_wider_than_a_phone(browser, sites, which) -> None:
    site = sites[which]
    found = each_page(browser, site, pages(site) + INDEXES, TABLES_FIT, viewport=PHONE)
    assert {path: tables for path, tables in found.items() if tables} == {}


VISIBLE_TEXT = """() => {
  const article = document.querySelector('article').cloneNode(true);
  article.querySelectorAll('.md-tags, code, .ref-full').forEach(e => e.remove());
  return article.innerText;
}"""
# The codes of our vocabularies that are not plain words ("in-place", "private-citizens"), and "lapsed".
CODES = sorted({term for vocabulary in LABELS.values() for term in vocabulary if "-" in term} | {"lapsed"})
ISO_DATE = re.compile(r"\b\d{4}-\d{2}(?:-\d{2})?\b")


@pytest.mark.parametrize("which", ["fixture", "shipped"])
def test_readers_see_words_not_codes(browser, sites, which) -> None:
    site = sites[which]
    found = each_page(browser, site, pages(site), VISIBLE_TEXT)
    problems = {}
    for path, text in found.items():
        codes = [code for code in CODES if re.search(rf"(?<![\w-]){re.escape(code)}(?![\w-])", text)]
        dates = ISO_DATE.findall(text)
        words = [w for w in ("seeds", "The seeds", "not given, ", "Places not given") if w in text]
        if codes or dates or words:
            problems[path] = codes + dates + words
    assert problems == {}


KEY_FACTS_FIRST = """() => {
  const box = document.querySelector('article .key-facts'), h2 = document.querySelector('article h2');
  if (!box) return 'no key facts';
  if (h2 && !(box.compareDocumentPosition(h2) & Node.DOCUMENT_POSITION_FOLLOWING)) return 'after ' + h2.id;
  return box.querySelectorAll('dt').length ? '' : 'empty';
}"""


@pytest.mark.parametrize("which", ["fixture", "shipped"])
def test_key_facts_come_first_on_every_record_page(browser, sites, which) -> None:
    site = sites[which]
    found = each_page(browser, site, pages(site), KEY_FACTS_FIRST)
    assert {path: problem for path, problem in found.items() if problem} == {}


def test_a_page_says_once_which_facts_no_source_gives(browser, sites) -> None:
    found = each_page(browser, sites["shipped"], ["/attacks/kabul-airport-2021/"],
                      "() => document.querySelector('.key-facts').innerText")
    text = found["/attacks/kabul-airport-2021/"]
    assert "The sources give no casualty figures." in text
    assert "not given" not in text


def test_the_dark_scheme_follows_the_readers_preference(browser, sites) -> None:
    scheme = "() => document.body.getAttribute('data-md-color-scheme')"
    for preference, expected in (("dark", "slate"), ("light", "default")):
        found = each_page(browser, sites["shipped"], ["/actors/iskp/"], scheme, color_scheme=preference)
        assert found == {"/actors/iskp/": expected}


AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
PAGE_KINDS = ["/", "/actors/", "/actors/iskp/", "/attacks/", "/attacks/kerman-2024/", "/policy-options/",
              "/policy-options/intelligence-sharing-with-taliban/", "/sources/", "/sources/tarzi-2024/",
              "/timeline/", "/review/", "/data/", "/about/"]


@pytest.mark.parametrize("preference", ["light", "dark"])
def test_axe_finds_no_serious_violation_on_any_page_kind(browser, sites, preference) -> None:
    assert AXE.exists(), "run `make test` (it runs npm ci) to install axe-core"
    found = {}
    with serve(sites["shipped"]) as base:
        page = browser.new_page(color_scheme=preference)
        for path in PAGE_KINDS:
            page.goto(base + path, wait_until="networkidle")
            page.add_script_tag(path=str(AXE))
            violations = page.evaluate("async () => (await axe.run(document)).violations"
                                       ".map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.length}))")
            serious = [v for v in violations if v["impact"] in ("serious", "critical")]
            if serious:
                found[path] = serious
        page.close()
    assert found == {}
