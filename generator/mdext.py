"""The Markdown the generated pages need beyond MkDocs' defaults, as one Python-Markdown extension.

Table cells name their column (``data-label``), so that on a phone a wide table can stack each
row into a card and still say what each value is (see ``briefs.css``).
"""

from __future__ import annotations

from typing import Any
from xml.etree.ElementTree import Element

from markdown import Markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

# Extensions the generated pages are written for: the plugin adds any a project's mkdocs.yml lacks.
REQUIRED = ["tables", "footnotes", "attr_list", "md_in_html", "def_list", "toc", "generator.mdext"]
STACKED_FROM = 3  # columns: a two-column table fits a phone as it is


class ColumnLabels(Treeprocessor):
    def run(self, root: Element) -> None:
        for table in root.iter("table"):
            heads = ["".join(th.itertext()).strip() for th in table.iterfind("thead/tr/th")]
            if len(heads) < STACKED_FROM:
                continue
            for row in table.iterfind("tbody/tr"):
                for cell, head in zip(row.iterfind("td"), heads, strict=False):
                    cell.set("data-label", head)


class BriefsExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        md.treeprocessors.register(ColumnLabels(md), "briefs-column-labels", 5)  # after inline (20)


def makeExtension(**kwargs: Any) -> BriefsExtension:  # noqa: N802 (Python-Markdown's entry point)
    return BriefsExtension(**kwargs)
