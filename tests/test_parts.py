"""Long pages converted part by part read exactly as the whole page converted at once would."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from bench.corpus import write_corpus
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.structure.files import File
from mkdocs.structure.pages import Page

from generator.generate import Generator
from generator.parts import PartsHTML, Run, inline, split, token
from generator.plugin import BriefsPlugin
from generator.sanitize import sanitize

ROOT = Path(__file__).resolve().parents[1]


def test_runs_of_rows_items_and_blocks_become_placeholders() -> None:
    parts = [("row", "| 1 | a |"), ("row", "| 2 | b |"), ("item", "- x"), ("item", "- y"), ("block", "One."),
             ("block", "Two.")]
    text = "\n".join(["# T", "", "| n | l |", "| --- | --- |", token(0), token(1), "", token(2), token(3), "",
                      "Middle.", "", token(4), "", token(5), "", "End."])
    assert inline(text, parts) == ("# T\n\n| n | l |\n| --- | --- |\n| 1 | a |\n| 2 | b |\n\n- x\n- y\n\n"
                                   "Middle.\n\nOne.\n\nTwo.\n\nEnd.")
    page = split(text, parts)
    assert [[(run.shape, run.parts, run.header) for run in stretch] for stretch in page.runs.values()] == [
        [("row", ("| 1 | a |", "| 2 | b |"), "| n | l |\n| --- | --- |"), ("item", ("- x", "- y"), "")],
        [("block", ("One.", "Two."), "")]]
    first, second = page.runs
    assert page.skeleton.split() == ["#", "T", first, "Middle.", second, "End."]


def test_a_part_is_converted_once_while_its_text_is_unchanged() -> None:
    converted: list[str] = []

    def convert(text: str) -> tuple[str, set[str]]:
        converted.append(text)
        return f"<p>{text}</p>", {text}

    parts = PartsHTML()
    for texts in (("a", "b"), ("a", "c"), ("a", "c")):
        parts.start()
        html, anchors = parts.run(Run("block", texts), convert, sanitize)
        assert html == "\n".join(f"<p>{text}</p>" for text in texts) and anchors == set(texts)
    assert converted == ["a", "b", "c"]


def test_a_run_as_it_was_is_reused_whole_and_its_parts_stay_known() -> None:
    """An unchanged run is not gone through part by part, yet when it changes later, only its new
    part is converted; a part that mentions a page that came or went is converted again."""
    converted: list[str] = []

    def convert(text: str) -> tuple[str, set[str]]:
        converted.append(text)
        return f"<p>{text}</p>", set()

    parts = PartsHTML()
    for texts in (("a", "b.md"), ("a", "b.md"), ("a", "b.md", "c")):
        parts.start()
        parts.run(Run("block", texts), convert, sanitize)
    parts.forget({"b.md"})
    parts.start()
    html, _ = parts.run(Run("block", ("a", "b.md", "c")), convert, sanitize)
    assert html == "<p>a</p>\n<p>b.md</p>\n<p>c</p>"
    assert converted == ["a", "b.md", "c", "b.md"]


def build_with(root: Path, site: str, in_parts: bool) -> tuple[Any, BriefsPlugin]:
    """Build the project by MkDocs with the plugin, its long pages in parts (as a live preview
    converts them) or whole (as a build does): the config and the plugin."""
    config = load_config(str(root / "mkdocs.yml"), site_dir=str(root / site))
    plugin = config.plugins["briefs"]
    assert isinstance(plugin, BriefsPlugin)
    plugin.generator = Generator() if in_parts else None
    build(config)
    assert plugin.update is not None and plugin.in_parts is in_parts
    return config, plugin


@pytest.fixture(scope="module")
def project_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("parts") / "project"
    write_corpus(root, 24, seed=5)
    (root / "node_modules").symlink_to(ROOT / "node_modules")
    return root


@pytest.fixture(scope="module")
def built(project_root: Path):
    return build_with(project_root, "site", in_parts=True)


def test_a_build_in_parts_writes_the_site_a_build_of_whole_pages_writes(project_root: Path, built) -> None:
    """A live preview converts long pages in parts; briefs build converts them whole: the same bytes."""
    config, plugin = built
    assert plugin.runs  # long pages did go in parts
    _, whole = build_with(project_root, "site-whole", in_parts=False)
    assert not whole.runs
    files = {root: {path.relative_to(root).as_posix(): path.read_bytes() for path in root.rglob("*") if path.is_file()}
             for root in (project_root / "site", project_root / "site-whole")}
    in_parts, at_once = files.values()
    assert in_parts.keys() == at_once.keys()
    assert [path for path in in_parts if in_parts[path] != at_once[path]] == []


def test_every_long_page_is_the_page_converted_whole(built) -> None:
    config, plugin = built
    long_pages = [page for page in plugin.update.pages if page.split.runs]
    assert {page.path for page in long_pages} >= {"sources/index.md", "review/index.md", "attacks/index.md",
                                                  "actors/index.md", "policy-options/index.md", "timeline/index.md"}
    for generated in long_pages:
        made = plugin.files.get_file_from_path(generated.path).page
        whole = Page(None, File.generated(config, generated.path, content=generated.markdown), config)
        whole.read_source(config)
        whole.render(config, plugin.files)
        assert sanitize(whole.content) in Path(made.file.abs_dest_path).read_text(encoding="utf-8"), generated.path
        assert made.present_anchor_ids == whole.present_anchor_ids, generated.path
