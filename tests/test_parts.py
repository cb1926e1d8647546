"""Long pages converted part by part read exactly as the whole page converted at once would."""

from __future__ import annotations

from pathlib import Path

import pytest
from bench.corpus import write_corpus
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.structure.files import File
from mkdocs.structure.pages import Page

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


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory):
    """A synthetic project built by MkDocs with the plugin: its config and the plugin."""
    root = tmp_path_factory.mktemp("parts") / "project"
    write_corpus(root, 24, seed=5)
    (root / "node_modules").symlink_to(ROOT / "node_modules")
    config = load_config(str(root / "mkdocs.yml"), site_dir=str(root / "site"))
    build(config)
    plugin = config.plugins["briefs"]
    assert isinstance(plugin, BriefsPlugin) and plugin.update is not None
    return config, plugin


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
