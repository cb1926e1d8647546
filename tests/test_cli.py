"""The briefs command as editors type it: exit codes, messages, files written or left alone."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from generator.cli import main


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def tree_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for file in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(file.relative_to(folder).as_posix().encode() + b"\0" + file.read_bytes())
    return digest.hexdigest()


def test_check_clean_project(project) -> None:
    code, out, err = run("check", "-f", str(project("basic")))
    assert (code, out, err) == (0, "", "0 error(s), 0 warning(s)\n")


def test_warnings_pass_unless_strict(project) -> None:
    config = project("basic")
    with (config.parent / "bib" / "refs.bib").open("a") as bib:
        bib.write("\n@book{nobody1999, title={Nobody Cites This}, year=1999}\n")
    assert run("check", "-f", str(config))[0] == 0
    code, out, _ = run("check", "--strict", "-f", str(config))
    assert code == 1
    assert out == "bib/refs.bib:21:1: warning: reference 'nobody1999' is never cited [unused-reference]\n"


def test_json_format(project) -> None:
    code, out, _ = run("check", "--format", "json", "-f", str(project("mistakes")))
    assert code == 1
    problems = json.loads(out)
    assert len(problems) == 21
    assert {"path": "bib/more.bib", "line": 8, "col": 1, "severity": "warning",
            "code": "unused-reference", "message": "reference 'broken' is never cited", "hint": None} in problems


def test_usage_errors_exit_2(tmp_path: Path, monkeypatch) -> None:
    assert run("check", "--no-such-option")[0] == 2
    monkeypatch.chdir(tmp_path)
    code, _, err = run("check")
    assert code == 2 and "no mkdocs.yml here or above" in err
    assert run("check", "--format", "xml")[0] == 2


def test_new_scaffolds_a_record_that_validates_once_filled(project) -> None:
    config = project("basic")
    code, _, err = run("new", "-f", str(config), "attack", "kerman-2025")
    assert code == 0 and "wrote" in err
    record = config.parent / "content" / "attacks" / "kerman-2025.yaml"
    assert run("check", "-f", str(config))[0] == 1  # placeholders are errors until filled
    record.write_text(record.read_text().replace("TODO-key", "doe2023").replace("TODO-actor-id", "example-group"))
    assert run("check", "-f", str(config))[0] == 0


def test_new_refuses_bad_and_existing_ids(project) -> None:
    config = project("basic")
    before = (config.parent / "content" / "actors" / "example-group.yaml").read_bytes()
    code, _, err = run("new", "-f", str(config), "actor", "example-group")
    assert code == 2 and "content/actors/example-group.yaml already exists" in err
    assert (config.parent / "content" / "actors" / "example-group.yaml").read_bytes() == before
    code, _, err = run("new", "-f", str(config), "attack", "Bad_Id")
    assert code == 2 and "'Bad_Id' is not an id" in err
    assert run("new", "-f", str(config), "weapon", "x")[0] == 2


def test_failed_build_leaves_previous_site_untouched(project) -> None:
    config = project("basic")
    assert run("build", "-f", str(config))[0] == 0
    site = config.parent / "site"
    assert (site / "attacks" / "example-market-bombing" / "index.html").exists()
    before = tree_digest(site)
    record = config.parent / "content" / "attacks" / "example-market-bombing.yaml"
    record.write_text(record.read_text().replace("basis: claimed", "basis: rumoured"))
    code, out, _ = run("build", "-f", str(config))
    assert code == 1 and "'perpetrators[0].basis'" in out
    assert tree_digest(site) == before
    assert not (config.parent / ".site-staging").exists()


def test_render_keeps_mkdocs_tags_of_the_real_config(tmp_path: Path) -> None:
    from conftest import ROOT

    assert run("render", "-f", str(ROOT / "mkdocs.yml"), "--out", str(tmp_path))[0] == 0
    config = (tmp_path / "mkdocs.yml").read_text()
    assert "repo_url: !ENV [BRIEFS_REPO_URL," in config
    plain = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(tmp_path / "mkdocs.yml")],
                           capture_output=True, text=True)
    assert plain.returncode == 0, plain.stderr


def test_render_tree_builds_with_plain_mkdocs(project, tmp_path: Path) -> None:
    config = project("basic")
    out = tmp_path / "tree"
    code, _, _ = run("render", "-f", str(config), "--out", str(out))
    assert code == 0
    assert "- briefs" not in (out / "mkdocs.yml").read_text()
    assert (out / "docs" / "attacks" / "example-market-bombing.md").read_text().startswith("---\nsearch:")
    assert "<!-- briefs:counts -->" not in (out / "docs" / "index.md").read_text()
    assert "[1 attack](attacks/index.md)" in (out / "docs" / "index.md").read_text()
    plain = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(out / "mkdocs.yml")],
                           capture_output=True, text=True)
    assert plain.returncode == 0, plain.stderr
    assert run("build", "-f", str(config))[0] == 0
    pages = {p.relative_to(out / "site").as_posix() for p in (out / "site").rglob("*.html")}
    plugin_pages = {p.relative_to(config.parent / "site").as_posix() for p in (config.parent / "site").rglob("*.html")}
    assert pages == plugin_pages
    # The tree carries the search index and the theme's worker: plain MkDocs serves the same search.
    assert search_files(out / "site") == search_files(config.parent / "site")
    assert "search/manifest.json" in search_files(out / "site")
    assert (out / "site" / "assets" / "briefs" / "search.js").is_file()


def search_files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in (site / "search").rglob("*") if p.is_file()}


def test_build_with_content_errors_reports_them_not_a_failed_site_build(project) -> None:
    config = project("mistakes")
    code, out, err = run("build", "-f", str(config))
    assert code == 1 and "[unknown-field]" in out
    assert "site build failed" not in out + err


def test_a_url_that_is_not_http_fails_the_check_at_its_line(project) -> None:
    config = project("basic")
    bib = config.parent / "bib" / "refs.bib"
    bib.write_text(bib.read_text(encoding="utf-8").replace("https://example.org/news/toll_rises",
                                                           "ftp://example.org/news/toll_rises"), encoding="utf-8")
    code, out, _ = run("check", "-f", str(config))
    assert code == 1
    assert out == ("bib/refs.bib:18:3: error: reference 'roe2023' has a url that is not an http(s) address: "
                   "'ftp://example.org/news/toll_rises' (only http:// and https:// addresses become links: give "
                   "the work's web address, or remove the field and list it in unavailable = {url}) [bad-url]\n")
