"""Publishing: the site's address, citation files, head metadata, redirects for renamed records,
change notes (history, Recent changes, the Atom feed, Latest) and the About page's essentials.

The fixture is built with the real MkDocs twice, without an address and with one (BRIEFS_SITE_URL);
the files are read by real parsers: pybtex, rispy and a strict RIS grammar, the CSL-JSON schema,
feedparser and the Atom elements RFC 4287 requires.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import re
import shutil
import struct
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import feedparser
import jsonschema
import markdown
import pytest
import rispy
from click.testing import CliRunner
from conftest import FIXTURES
from hypothesis import example, given, settings
from hypothesis import strategies as st
from pybtex.database import parse_string

from generator import headmeta
from generator.bibstyle import clean_latex
from generator.changes import content_date, newest_days, record_history, site_history
from generator.check import load_corpus
from generator.cli import main
from generator.corpus import Project, Publishing, publishing
from generator.headmeta import description, plain_text, shorten, yaml_string
from generator.pagecite import bibtex, csl_json, one_line, page_reference, ris
from generator.prose import safe_markdown
from generator.render import render_latest, render_publishing
from generator.site import project_for

ADDRESS = "https://briefs.example.org/iskp/"
ATOM = "{http://www.w3.org/2005/Atom}"
CSL_SCHEMA = json.loads((Path(__file__).parent / "schemas" / "csl-data.json").read_text(encoding="utf-8"))
GROUP, FORMER = "actors/example-group/", "actors/example-movement/"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def copy_basic(target: Path) -> Path:
    shutil.copytree(FIXTURES / "basic", target, ignore=shutil.ignore_patterns("expected", "site"))
    return target / "mkdocs.yml"


def build(target: Path, address: str | None, monkeypatch: pytest.MonkeyPatch) -> Path:
    config = copy_basic(target)
    with monkeypatch.context() as env:
        if address:  # and without SOURCE_DATE_EPOCH: the content's dates alone
            env.setenv("BRIEFS_SITE_URL", address)
            env.delenv("SOURCE_DATE_EPOCH", raising=False)
        else:
            env.delenv("BRIEFS_SITE_URL", raising=False)
        code, out, err = run("build", "--strict", "-f", str(config))
    assert code == 0, out + err
    return config.parent / "site"


@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> dict[str, Path]:
    """The fixture built without an address ("none") and with one ("address")."""
    monkeypatch = pytest.MonkeyPatch()
    try:
        return {"none": build(tmp_path_factory.mktemp("none") / "basic", None, monkeypatch),
                "address": build(tmp_path_factory.mktemp("address") / "basic", ADDRESS, monkeypatch)}
    finally:
        monkeypatch.undo()


def corpus_for(address: str = "", root: Path = FIXTURES / "basic"):
    return load_corpus(Project(root, site_name="Example briefs", site_url=address,
                               publishing=Publishing(publisher="The Example Editors")))


def pages(site: Path) -> list[Path]:
    """Every page of the site, without the redirect pages at renamed records' old addresses."""
    return sorted(p for p in site.rglob("*.html") if 'http-equiv="refresh"' not in p.read_text(encoding="utf-8"))


class Head(HTMLParser):
    """The <meta> and <link> elements of a page's head."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, list[str]] = {}
        self.links: dict[str, list[str]] = {}
        self._in_head = True

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if tag == "body":
            self._in_head = False
        elif self._in_head and tag == "meta":
            name = attributes.get("name") or attributes.get("property")
            if name:
                self.meta.setdefault(name, []).append(attributes.get("content", ""))
        elif self._in_head and tag == "link":
            self.links.setdefault(attributes.get("rel", ""), []).append(attributes.get("href", ""))


def head(page: Path) -> Head:
    parser = Head()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


# --- 1. The site's address -----------------------------------------------------------------

def test_without_an_address_nothing_claims_one(sites) -> None:
    site = sites["none"]
    for page in pages(site):
        found = head(page)
        assert "canonical" not in found.links, page
        assert not {"og:url", "citation_public_url"} & set(found.meta), page
    assert not (site / "sitemap.xml").exists() and not (site / "sitemap.xml.gz").exists()
    group = (site / GROUP / "index.html").read_text(encoding="utf-8")
    assert ("Example briefs, “Example Group,” last reviewed 20 November 2026, with the page's address and the "
            "date you read it.") in group
    feed = (site / "feed.xml").read_text(encoding="utf-8")
    cites = [p.read_text(encoding="utf-8") for p in (site / "data" / "cite").rglob("*.*")]
    assert not re.search(r'href="[a-z]+:', feed) and 'rel="self"' not in feed
    assert cites and not [text for text in cites if "://" in text]


def test_with_an_address_every_page_has_its_canonical_link_and_the_sitemap_lists_it(sites) -> None:
    site = sites["address"]
    expected = set()
    for page in pages(site):
        if page.name == "404.html":
            continue
        url = ADDRESS + page.relative_to(site).as_posix().removesuffix("index.html")
        assert head(page).links.get("canonical") == [url], page
        expected.add(url)
    sitemap = ET.parse(site / "sitemap.xml").getroot()
    namespace = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    listed = {url.findtext(f"{namespace}loc"): url.findtext(f"{namespace}lastmod")
              for url in sitemap.iter(f"{namespace}url")}
    assert set(listed) == expected and len(expected) >= 15
    # a record's date is its newest update; a hand-written page has none (no build date is made up)
    assert listed[ADDRESS + "attacks/example-market-bombing/"] == "2026-11-21"
    assert listed[ADDRESS + GROUP] == "2026-11-20"
    assert listed[ADDRESS] is None
    assert gzip.decompress((site / "sitemap.xml.gz").read_bytes()) == (site / "sitemap.xml").read_bytes()
    # the gzip header's time is the content's (its newest update: no SOURCE_DATE_EPOCH here), not the clock's
    mtime = struct.unpack("<I", (site / "sitemap.xml.gz").read_bytes()[4:8])[0]
    assert dt.datetime.fromtimestamp(mtime, dt.UTC).date() == dt.date(2026, 11, 21)
    assert listed[ADDRESS + "changes/"] == "2026-11-21"
    group = (site / GROUP / "index.html").read_text(encoding="utf-8")
    assert f'Example briefs, “Example Group,” <a href="{ADDRESS}{GROUP}">{ADDRESS}{GROUP}</a>, last reviewed' in group


def test_the_command_line_reads_the_address_as_mkdocs_does(tmp_path: Path, monkeypatch) -> None:
    config = copy_basic(tmp_path / "basic")
    monkeypatch.delenv("BRIEFS_SITE_URL", raising=False)
    assert project_for(config).site_url == ""
    monkeypatch.setenv("BRIEFS_SITE_URL", "https://example.org/x")
    assert project_for(config).site_url == "https://example.org/x/"
    assert project_for(config).page_url("actors/iskp/") == "https://example.org/x/actors/iskp/"


# --- 2. Citation files ---------------------------------------------------------------------

RIS_LINE = re.compile(r"^(?P<tag>[A-Z][A-Z0-9])  - (?P<value>[^\r\n]*)$")


def ris_tags(text: str) -> list[tuple[str, str]]:
    """The RIS tag grammar, strictly: CRLF lines of TAG, two spaces, hyphen, space, value;
    TY first, ER last and empty."""
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    lines = text.removesuffix("\r\n").split("\r\n")
    tags = []
    for line in lines:
        match = RIS_LINE.match(line)
        assert match, f"not an RIS line: {line!r}"
        tags.append((match["tag"], match["value"]))
    assert tags[0][0] == "TY" and tags[-1] == ("ER", "") and [t for t, _ in tags].count("ER") == 1
    return tags


@pytest.mark.parametrize("address", ["", ADDRESS])
def test_citation_files_parse_with_real_parsers(address: str) -> None:
    corpus = corpus_for(address)
    entry = corpus.get("actors", "example-group")
    reference = page_reference(corpus, entry)
    url = f"{address}{GROUP}" if address else None

    fields = parse_string(bibtex(reference), "bibtex").entries["example-briefs-example-group"]
    assert fields.type == "online"
    assert {name: clean_latex(value) for name, value in fields.fields.items()} == {
        "title": "Example Group", "organization": "Example briefs", "publisher": "The Example Editors",
        "date": "2026-11-20", "urldate": "YYYY-MM-DD", "note": "Last reviewed 20 November 2026",
        **({"url": url} if url else {})}

    text = ris(reference)
    tags = dict(ris_tags(text))
    assert tags | {"UR": tags.get("UR")} == {"TY": "ELEC", "TI": "Example Group", "T2": "Example briefs",
                                             "PB": "The Example Editors", "PY": "2026", "DA": "2026/11/20",
                                             "Y2": "YYYY/MM/DD", "N1": "Last reviewed 20 November 2026.",
                                             "ER": "", "UR": url}
    [read] = rispy.loads(text)
    assert (read["type_of_reference"], read["title"], read["secondary_title"]) == (
        "ELEC", "Example Group", "Example briefs")
    assert read.get("urls") == ([url] if url else None)

    items = json.loads(csl_json(reference))
    jsonschema.Draft7Validator(CSL_SCHEMA).validate(items)
    assert items == [{"id": "example-briefs-example-group", "type": "webpage", "title": "Example Group",
                      "container-title": "Example briefs", "publisher": "The Example Editors",
                      "issued": {"date-parts": [[2026, 11, 20]]}, "accessed": {"raw": "YYYY-MM-DD"},
                      "note": "Last reviewed 20 November 2026", **({"URL": url} if url else {})}]


HOSTILE_TITLES = [
    "Braces } { unpaired }}", "Back\\slash \\end{document} %comment", "Ampersand & hash # dollar $x$ _ ~ ^",
    "Dash -- and --- and `` quotes '' ?` !`", "Line\nER  - \nTY  - JOUR", "\x07bell\x1b[2J and \x85 NEL",
    "@misc{injected, title={x}}", "Ünïcødé – “quotes” 中文 \U0001f600",
]


@pytest.mark.parametrize("title", HOSTILE_TITLES)
def test_any_title_reaches_every_citation_file_exactly(title: str) -> None:
    corpus = corpus_for(ADDRESS)
    entry = corpus.get("actors", "example-group")
    reference = page_reference(corpus, entry)
    reference = type(reference)(**{**reference.__dict__, "title": one_line(title)})
    expected = one_line(title)
    [bib] = parse_string(bibtex(reference), "bibtex").entries.values()
    assert clean_latex(bib.fields["title"]) == expected
    tags = ris_tags(ris(reference))
    assert ("TI", expected) in tags and [t for t, _ in tags].count("TY") == 1
    [item] = json.loads(csl_json(reference))
    jsonschema.Draft7Validator(CSL_SCHEMA).validate([item])
    assert item["title"] == expected


def test_each_record_page_links_its_three_citation_files(sites) -> None:
    for which, site in sites.items():
        page = (site / GROUP / "index.html").read_text(encoding="utf-8")
        foot = page[page.index('class="page-foot"'):]
        links = re.findall(r'<a download="" href="([^"]+)">(BibTeX|RIS|CSL-JSON)</a>', foot)
        assert [name for _, name in links] == ["BibTeX", "RIS", "CSL-JSON"], which
        for href, _ in links:
            assert (site / GROUP / href).resolve().is_file(), href


# --- 3. Metadata that tools read -------------------------------------------------------------

def test_record_pages_carry_citation_open_graph_and_twitter_tags(sites) -> None:
    summary = "A militant group active in Exampleland since 2019. It has claimed several bombings."
    for which, site in sites.items():
        meta = head(site / GROUP / "index.html").meta
        expected = {"citation_title": ["Example Group"], "citation_date": ["2026/11/20"],
                    "citation_publisher": ["Example briefs"], "og:title": ["Example Group"],
                    "og:site_name": ["Example briefs"], "og:type": ["website"], "og:description": [summary],
                    "twitter:card": ["summary"], "twitter:title": ["Example Group"],
                    "twitter:description": [summary], "description": [summary]}
        if which == "address":
            expected |= {"citation_public_url": [ADDRESS + GROUP], "og:url": [ADDRESS + GROUP]}
        assert {name: meta.get(name) for name in expected} == expected, which
    # pages differ: each record's own description, not the site's
    records = [page for kind in ("actors", "attacks", "policy-options")
               for page in (sites["none"] / kind).glob("*/index.html") if "example-movement" not in str(page)]
    descriptions = {head(page).meta["description"][0] for page in records}
    assert len(descriptions) >= 4


def test_a_description_is_plain_text() -> None:
    summary = ("A *militant* group [@doe2023, p. 12] with `code`, a [link](https://example.org) and "
               "<b>tags</b> [@roe2023; @doe2023].\n\nA second paragraph & more.")
    assert plain_text(summary) == ("A militant group with code, a link and <b>tags</b>. "
                                   "A second paragraph & more.")
    long = description("word " * 100)
    assert len(long) <= 200 and long.endswith("…") and "  " not in long


def _whole_text(prose: str) -> str:
    """The prose converted in one piece, as a reader's browser shows it: what the description starts with."""
    parser = headmeta._Text()  # every piece of text, as the generator's own reader takes it
    parser.feed(markdown.markdown(safe_markdown(prose)))
    parser.close()
    return " ".join("".join(parser.parts).split())


_MARKDOWN_BITS = [*"ab *_`[]()<>&#!{}|\\~-+1.:=\n\t", "\n\n", "\n\n    ", "    ", "> ", "- ", "1. ",
                  "](https://example.org)", "word "]
_PROSE = st.lists(st.sampled_from(_MARKDOWN_BITS), max_size=40).map("".join)


@settings(max_examples=400, deadline=None)
@given(blocks=st.lists(_PROSE, min_size=1, max_size=8))
@example(blocks=["- a list item", "    its second paragraph, & more"])  # one block over a blank line
def test_a_description_from_the_opening_blocks_is_the_one_from_the_whole(blocks: list[str]) -> None:
    # A description converts a long summary block by block, and only as far as it needs.
    prose = "\n\n".join(blocks)
    whole = _whole_text(prose)
    if not headmeta._MARKUP.search(prose):
        whole = " ".join(prose.split())
    assert plain_text(prose) == whole
    assert description(prose) == shorten(whole)


def test_a_description_converts_no_more_of_a_summary_than_it_shows(monkeypatch) -> None:
    paragraph = "A *militant* group " + "word " * 60
    expected = shorten(_whole_text(paragraph))
    converted: list[str] = []
    convert = markdown.Markdown.convert
    monkeypatch.setattr(markdown.Markdown, "convert", lambda self, text: converted.append(text) or convert(self, text))
    assert description("\n\n".join([paragraph] * 20)) == expected
    assert len(converted) == 1


def test_front_matter_strings_read_back_exactly() -> None:
    import yaml

    for text in HOSTILE_TITLES + ['"quoted" \\ and \u2028 \ufeff \x00 \ud7ff']:
        assert yaml.safe_load(f"k: {yaml_string(text)}") == {"k": text}


# --- 4. Redirects for renamed records ----------------------------------------------------------

def test_a_former_address_redirects_and_its_data_stays(sites) -> None:
    for which, site in sites.items():
        redirect = (site / FORMER / "index.html").read_text(encoding="utf-8")
        canonical = ADDRESS + GROUP if which == "address" else "../example-group/"
        assert f'<link rel="canonical" href="{canonical}">' in redirect
        assert '<meta http-equiv="refresh" content="0; url=../example-group/">' in redirect
        assert '<a href="../example-group/">Example Group</a>' in redirect
        for new, old in [("data/records/actors/example-group.json", "data/records/actors/example-movement.json"),
                         ("data/src/actors/example-group.yaml", "data/src/actors/example-movement.yaml"),
                         ("data/cite/actors/example-group.ris", "data/cite/actors/example-movement.ris")]:
            assert (site / old).read_bytes() == (site / new).read_bytes()
    assert json.loads((sites["none"] / "data/records/actors/example-group.json").read_bytes())["formerly"] == [
        "example-movement"]


@pytest.mark.browser
def test_the_old_address_leads_to_the_new_page_in_chromium(sites) -> None:
    from browser import chromium, serve

    with serve(sites["none"]) as base, chromium() as browser:
        page = browser.new_page()
        page.goto(f"{base}/{FORMER}#citations")
        page.wait_for_url(f"{base}/{GROUP}#citations")
        assert page.title() == "Example Group - Example briefs"
        page.close()
        page = browser.new_page(java_script_enabled=False)  # the meta refresh alone
        page.goto(f"{base}/{FORMER}")
        page.wait_for_url(f"{base}/{GROUP}")
        page.close()


def former(tmp_path: Path, group: str, state: str) -> tuple[int, str]:
    config = copy_basic(tmp_path / "basic")
    actors = config.parent / "content" / "actors"
    text = (actors / "example-group.yaml").read_text(encoding="utf-8")
    (actors / "example-group.yaml").write_text(text.replace("formerly: [example-movement]", group),
                                               encoding="utf-8")
    (actors / "example-state.yaml").write_text((actors / "example-state.yaml").read_text(encoding="utf-8") + state,
                                               encoding="utf-8")
    code, out, _ = run("check", "-f", str(config))
    return code, out


def test_a_former_id_that_is_a_live_id_is_an_error_at_its_line(tmp_path: Path) -> None:
    code, out = former(tmp_path, "formerly: [example-movement, example-state]", "")
    assert code == 1
    assert ("content/actors/example-group.yaml:21:30: error: former id 'example-state' is the id of "
            "content/actors/example-state.yaml (a record's old address cannot redirect while a record lives "
            "there) [former-id-taken]") in out.splitlines()


def test_a_former_id_two_records_list_is_an_error_at_its_line(tmp_path: Path) -> None:
    code, out = former(tmp_path, "formerly: [example-movement]", "formerly:\n  - example-movement\n")
    assert code == 1
    assert [line for line in out.splitlines() if "former-id-taken" in line] == [
        "content/actors/example-state.yaml:6:5: error: former id 'example-movement' is also listed by "
        "content/actors/example-group.yaml (an old address can redirect to one record only) [former-id-taken]"]


def test_a_reference_to_a_former_id_names_the_new_one(tmp_path: Path) -> None:
    config = copy_basic(tmp_path / "basic")
    attack = config.parent / "content" / "attacks" / "example-market-bombing.yaml"
    attack.write_text(attack.read_text(encoding="utf-8").replace("- actor: example-group", "- actor: example-movement"),
                      encoding="utf-8")
    code, out, _ = run("check", "-f", str(config))
    assert code == 1 and "unknown actors id 'example-movement' (renamed: it is now 'example-group')" in out


# --- 5. What changed -------------------------------------------------------------------------

def test_a_record_history_is_its_notes_and_its_review_newest_first() -> None:
    corpus = corpus_for()
    attack = record_history(corpus.get("attacks", "example-market-bombing"))
    assert [(u.date.isoformat(), u.text) for u in attack] == [
        ("2026-11-21", 'Corrected the injured figure to "more than 100", as Roe gives it; the rest is unchanged.'),
        ("2026-11-20", "Checked against its sources.")]
    group = record_history(corpus.get("actors", "example-group"))  # a note on the review's day stands for it
    assert [u.date.isoformat() for u in group] == ["2026-11-20", "2026-03-02"]
    dates = [u.date for u in site_history(corpus)]
    assert dates == sorted(dates, reverse=True) and len(dates) == 6


def test_a_list_cut_short_says_how_many_of_its_last_day_it_leaves_out(monkeypatch) -> None:
    days = newest_days(site_history(corpus_for()), 3)
    assert [(d.date.isoformat(), len(d.notes), len(d.reviewed), d.more) for d in days] == [
        ("2026-11-21", 1, 0, 0), ("2026-11-20", 1, 1, 2)]
    monkeypatch.setattr("generator.render.LATEST_CHANGES", 3)
    assert render_latest(corpus_for()).splitlines()[2] == (
        "- 20 November 2026: Checked against their sources: [Example market bombing]"
        "(attacks/example-market-bombing.md) and [2 more](changes/index.md).")


def test_a_change_note_takes_no_citation(tmp_path: Path) -> None:
    config = copy_basic(tmp_path / "basic")
    group = config.parent / "content" / "actors" / "example-group.yaml"
    group.write_text(group.read_text(encoding="utf-8").replace("note: First published.",
                                                               "note: 'Added a date [@doe2023].'"), encoding="utf-8")
    code, out, _ = run("check", "-f", str(config))
    assert code == 1 and ("content/actors/example-group.yaml:24:30: error: 'changes[1].note': a change note is the "
                          "editors' own words: cite sources in the fields it changed [bad-value]") in out


def test_the_record_page_recent_changes_and_latest_read_the_same_history(sites) -> None:
    site = sites["none"]
    foot = (site / "attacks/example-market-bombing/index.html").read_text(encoding="utf-8")
    assert ('<li>21 November 2026: Corrected the injured figure to "more than 100", as Roe gives it; the rest is '
            "unchanged.</li>\n<li>20 November 2026: Checked against its sources.</li>") in foot
    changes = (site / "changes/index.html").read_text(encoding="utf-8")
    order = [changes.index(day) for day in ('id="21-november-2026"', 'id="20-november-2026"', 'id="2-march-2026"')]
    assert order == sorted(order)
    latest = render_latest(corpus_for())
    assert latest.splitlines()[:3] == [
        '- 21 November 2026: [Example market bombing](attacks/example-market-bombing.md) (attack): Corrected the '
        'injured figure to "more than 100", as Roe gives it; the rest is unchanged.',
        "- 20 November 2026: [Example Group](actors/example-group.md) (actor): Renamed from Example Movement, "
        "the name the sources no longer use.",
        "- 20 November 2026: Checked against their sources: [Example market bombing]"
        "(attacks/example-market-bombing.md), [Exampleland](actors/example-state.md), [Talks with Example Group]"
        "(policy-options/example-talks.md)."]
    assert "[All recent changes](changes/index.md)" in latest


@pytest.mark.parametrize("which", ["none", "address"])
def test_the_feed_is_atom_newest_first_one_entry_per_change(sites, which) -> None:
    site = sites[which]
    raw = (site / "feed.xml").read_bytes()
    root = ET.fromstring(raw)
    assert root.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated", "author"):  # what RFC 4287 requires of a feed
        assert len(root.findall(f"{ATOM}{name}")) == (1 if name != "author" else 1), name
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == len(site_history(corpus_for()))
    for entry in entries:
        for name in ("id", "title", "updated"):
            assert len(entry.findall(f"{ATOM}{name}")) == 1, name
        assert entry.findtext(f"{ATOM}id").startswith("urn:uuid:")
        [link] = entry.findall(f"{ATOM}link[@rel='alternate']")
        href = link.get("href")
        assert href.startswith(ADDRESS) if which == "address" else not re.match(r"^[a-z]+:|^/", href)
        assert (site / href.removeprefix(ADDRESS) / "index.html").is_file(), href
    assert len({entry.findtext(f"{ATOM}id") for entry in entries}) == len(entries)
    parsed = feedparser.parse(raw)
    assert not parsed.bozo and parsed.version == "atom10"
    updated = [e.updated for e in parsed.entries]
    assert updated == sorted(updated, reverse=True) and parsed.feed.updated == updated[0]
    assert [e.summary for e in parsed.entries][0].startswith("Corrected the injured figure")
    assert bool(root.findall(f"{ATOM}link[@rel='self']")) == (which == "address")
    # feed readers find it from any page of a published site
    assert head(site / "index.html").links.get("alternate") == (["feed.xml"] if which == "address" else None)


def test_the_feed_and_the_content_date_never_read_the_clock(monkeypatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert content_date(corpus_for()) == dt.date(2026, 11, 21)  # the newest update
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795305600")
    assert content_date(corpus_for()) == dt.date(2026, 11, 22)


# --- 6. About ----------------------------------------------------------------------------------

def test_the_about_block_says_what_is_configured_and_nothing_else(tmp_path: Path) -> None:
    settings = {"publisher": "The <Example> Editors", "text_licence": "CC BY 4.0",
                "text_licence_url": "https://creativecommons.org/licenses/by/4.0/",
                "data_licence": "ODbL", "data_licence_url": "javascript:alert(1)"}
    corpus = corpus_for()
    corpus.project = Project(FIXTURES / "basic", publishing=publishing(settings, "https://git.example.org/briefs/"))
    block = render_publishing(corpus)
    assert "- **Publisher:** The &lt;Example&gt; Editors." in block
    assert "[CC BY 4.0](https://creativecommons.org/licenses/by/4.0/)" in block
    assert "Licence of the data downloads** (the files on the [Data](data/index.md) page): ODbL." in block
    assert "[https://git.example.org/briefs/issues](https://git.example.org/briefs/issues)" in block
    assert "the content as of 22 November 2026" in block
    corpus.project = Project(FIXTURES / "basic", publishing=publishing({"corrections": "fix@example.org"}))
    block = render_publishing(corpus)
    assert "Publisher" not in block and "Licence" not in block
    assert "[fix@example.org](mailto:fix@example.org)" in block
