"""End to end: real MkDocs builds of the fixture and of the shipped content."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner
from conftest import FIXTURES, ROOT

from generator.check import load_corpus
from generator.cli import main
from generator.corpus import Project
from generator.models import schemas
from generator.schemas import SCHEMA_DIR, schema_text


def mkdocs(config: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "-f", str(config), *args],
                          capture_output=True, text=True, cwd=config.parent)


def test_plain_mkdocs_build_fails_cleanly_with_the_same_messages(project) -> None:
    result = mkdocs(project("mistakes"), "-d", "out")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert ("content/attacks/example-market-bombing.yaml:19:1: error: unknown field 'sumary' "
            "(did you mean 'summary'?) [unknown-field]") in result.stderr
    assert "16 error(s), 5 warning(s)" in result.stderr


def test_fixture_builds_strict_with_plain_mkdocs(project) -> None:
    result = mkdocs(project("basic"), "--strict", "-d", "out")
    assert result.returncode == 0, result.stderr


def test_a_real_corpus_needs_no_invented_place_or_date(project) -> None:
    """Modelled on ATT&CK's campaigns: spans from first to last sighting, several countries and no
    place, no location at all, a sourced and an editors' classification. It builds, strict."""
    config = project("campaigns")
    result = mkdocs(config, "--strict", "-d", "out")
    assert result.returncode == 0, result.stderr
    index = (config.parent / "out" / "attacks" / "index.html").read_text()
    assert "January 2010 – February 2016" in index and "December 2015 – January 2016" in index
    storm = (config.parent / "out" / "attacks" / "operation-dust-storm" / "index.html").read_text()
    assert re.search(r"<dt>Until</dt>\s*<dd><span class=\"fact-value\">February 2016", storm)
    assert "Japan, South Korea and United States" in storm
    assert re.search(r"Unknown<sup class=\"editors\"><abbr title=\"The editors", storm)  # the editors' term
    assert re.search(r"Government<sup", storm) and "Government<sup class=\"editors\"" not in storm  # cited
    power = (config.parent / "out" / "attacks" / "ukraine-power-2015" / "index.html").read_text()
    assert "The sources give no place, perpetrator or casualty figures." in power


def test_schemas_in_the_repo_match_the_models() -> None:
    folder = ROOT / "content" / SCHEMA_DIR
    for name, schema in schemas().items():
        assert (folder / name).read_text(encoding="utf-8") == schema_text(schema), (
            f"{name} is stale: run `briefs schema`")


def test_shipped_content_passes_strict_check() -> None:
    result = CliRunner().invoke(main, ["check", "--strict", "-f", str(ROOT / "mkdocs.yml")])
    assert result.exit_code == 0, result.stdout
    assert result.stderr == "0 error(s), 0 warning(s)\n"


def test_every_shipped_record_starts_with_its_schema_line() -> None:
    for path in sorted((ROOT / "content").glob("*/*.yaml")):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert re.fullmatch(r"# yaml-language-server: \$schema=\.\./schemas/[a-z-]+\.schema\.json", first), path


def test_every_attack_page_shows_its_casualties_with_citations() -> None:
    from generator.generate import generate

    corpus = load_corpus(Project(ROOT))
    pages = {page.path: page.markdown for page in generate(corpus)}
    attacks = corpus.records["attacks"]
    assert len(attacks) >= 5
    for id, entry in attacks.items():
        lines = pages[f"attacks/{id}.md"].splitlines()
        for label, values in (("Killed", entry.record.casualties.killed),
                              ("Injured", entry.record.casualties.injured)):
            if not values:  # said once, in words, not as a row of "not given"
                assert label not in lines
                assert any(line.startswith('<p class="key-facts__missing">The sources give no') for line in lines)
                continue
            row = lines[lines.index(label) + 1]  # a row of the key-facts box: the label, then ":   value"
            for value in values:
                assert f"{value.value:,}" in row, (id, label, row)
            assert row.count("[^") >= sum(len(v.cite) and 1 for v in values), (id, row)


def test_fixture_corpus_is_the_golden_one() -> None:
    assert load_corpus(Project(FIXTURES / "basic")).diagnostics == []


def test_the_build_lets_the_corpus_go_once_the_pages_are_made(project, monkeypatch) -> None:
    """MkDocs renders thousands of pages after ours are made: not on a heap that still holds
    every record's YAML tree, model and citation."""
    import weakref

    from generator import plugin
    from generator.site import build_site, project_for

    config = project("basic")
    handed = [load_corpus(project_for(config))]
    corpus = weakref.ref(handed[0])
    released = []
    monkeypatch.setattr(plugin, "sanitize", lambda html: released.append(corpus() is None) or html)
    build_site(handed.pop(), config, strict=True)
    assert released and all(released), "the corpus was still alive while MkDocs rendered the pages"


def test_generated_pages_are_published_as_the_sanitizer_returns_them(project, monkeypatch) -> None:
    """The second fence is wired in: what nh3 returns, cleaning beside MkDocs, is what a
    generated page publishes; hand-written pages and the tags listing are left as they are."""
    from generator import plugin
    from generator.site import build_site, project_for

    config = project("basic")
    monkeypatch.setattr(plugin, "sanitize", lambda html: html.replace("Example", "Cleaned"))
    build_site(load_corpus(project_for(config)), config, strict=True)
    site = config.parent / "site"

    def article(page: str) -> str:
        html = (site / page / "index.html").read_text(encoding="utf-8")
        return html[html.index("<article"):html.index("</article>")]

    # Long pages too: their parts (Sources entries, index rows) are cleaned one by one.
    for page in ("attacks/example-market-bombing/", "actors/example-group/", "actors/", "sources/"):
        assert "Cleaned" in article(page) and "Example" not in article(page), page
    assert "Example" in article("")
    assert "Example market bombing" in article("tags/")


# Surnames that start with a digit, an accent, lower case and each plain letter but Q.
SURNAMES = ["3GPP", "Öcalan", "al-Istrabadi", *(f"{letter}arsen" for letter in "ABCDEFGHIJKLMNOPRSTUVWXYZ"),
            "Ocampo", "Obama"]


def test_a_long_sources_page_is_filed_by_letter_with_an_a_to_z_bar(project) -> None:
    config = project("basic")
    root = config.parent
    keys = [f"ref{n}" for n in range(len(SURNAMES))]
    (root / "bib" / "many.bib").write_text("".join(
        f"@misc{{{key}, author={{{{{name}}}}}, title={{T}}, howpublished={{P}}, year=2020, "
        f"url={{https://example.org/{n}}}}}\n"
        for n, (key, name) in enumerate(zip(keys, SURNAMES, strict=True))), encoding="utf-8")
    record = root / "content" / "actors" / "example-state.yaml"
    record.write_text(record.read_text(encoding="utf-8").replace(
        "[@doe2023]", "[@doe2023; " + "; ".join(f"@{key}" for key in keys) + "]"), encoding="utf-8")
    result = mkdocs(config, "--strict", "-d", "out")
    assert result.returncode == 0, result.stderr
    html = (root / "out" / "sources" / "index.html").read_text(encoding="utf-8")
    bar = re.search(r'<p class="letter-index">(.*?)</p>', html, re.DOTALL)
    assert bar is not None
    targets = re.findall(r'href="#(letter-[^"]+)">([^<]+)</a>', bar.group(1))
    letters = [letter for _, letter in targets]
    assert letters == ["#", *"ABCDEFGHIJKLMNOPRSTUVWXYZ"]  # Öcalan under O, al-Istrabadi under A
    for anchor, letter in targets:
        assert re.search(rf'<h3 id="{anchor}">{re.escape(letter)}<a', html), anchor
        assert f'href="#{anchor}"' in html.split('class="md-nav md-nav--secondary"')[1], f"{anchor} not in the TOC"
    for key in [*keys, "doe2023", "roe2023"]:
        assert f'id="ref-{key}"' in html, key
    o_section = html.split('id="letter-o"')[1].split('id="letter-p"')[0]
    assert re.findall(r"(Obama|Öcalan|Ocampo|Oarsen)", o_section) == ["Oarsen", "Obama", "Öcalan", "Ocampo"]
