"""Golden files: the generated Markdown of the fixture corpus, and check's report of its mistakes."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from conftest import FIXTURES
from golden import assert_golden

from generator.check import load_corpus
from generator.cli import main
from generator.corpus import Project
from generator.generate import generate

BASIC = FIXTURES / "basic"


def generated_pages() -> dict[str, str]:
    corpus = load_corpus(Project(BASIC))
    assert corpus.diagnostics == []
    return {page.path: page.markdown for page in generate(corpus)}


def test_every_generated_page_has_a_golden_file() -> None:
    expected = {p.relative_to(BASIC / "expected").as_posix() for p in (BASIC / "expected").rglob("*.md")}
    assert set(generated_pages()) == expected


@pytest.mark.parametrize("path", sorted(generated_pages()))
def test_generated_markdown(path: str) -> None:
    assert_golden(generated_pages()[path], BASIC / "expected" / path)


def test_check_reports_every_mistake_at_its_line() -> None:
    result = CliRunner().invoke(main, ["check", "-f", str(FIXTURES / "mistakes" / "mkdocs.yml")])
    assert result.exit_code == 1
    assert_golden(result.stdout, FIXTURES / "mistakes" / "expected-check.txt")
    codes = {line.rsplit("[", 1)[1].rstrip("]") for line in result.stdout.splitlines()}
    assert len(codes) >= 10, codes
    assert result.stderr.strip() == "16 error(s), 5 warning(s)"


def test_golden_markdown_is_deterministic() -> None:
    assert generated_pages() == generated_pages()


