"""How a reader cites a record page: the page as a reference, and that reference as BibTeX, RIS and
CSL-JSON files that reference managers import.

Each file names the site, the page's title, its address when the site has one, the last-reviewed
date and a placeholder for the date the reader accessed the page. Without an address a file gives
none: it never invents one.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import partial

from .corpus import Corpus, Entry, derived
from .exports import dump_json
from .pages import cite_path, slugify
from .words import date_words

ACCESS_PLACEHOLDER = "YYYY-MM-DD"  # the reader writes the day they read the page

_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class PageReference:
    """A record page as a work to cite."""

    key: str  # the BibTeX key and CSL id: the site's name and the record's id
    site_name: str
    publisher: str
    title: str
    url: str  # "" when the site has no address
    reviewed: dt.date


def one_line(text: str) -> str:
    """Text on one line, without control characters: no value can start a new tag or field."""
    return " ".join(_CONTROL.sub(" ", text).split())


def page_reference(corpus: Corpus, entry: Entry) -> PageReference:
    project = corpus.project
    return PageReference(key=f"{slugify(project.site_name) or 'briefs'}-{entry.id}",
                         site_name=one_line(project.site_name), publisher=one_line(project.publishing.publisher),
                         title=one_line(entry.record.title),
                         url=project.page_url(f"{entry.kind}/{entry.id}/"), reviewed=entry.record.reviewed)


def reviewed_note(reference: PageReference) -> str:
    return f"Last reviewed {date_words(reference.reviewed)}"


# --- BibTeX (biblatex's @online; classic BibTeX reads it as @misc) ----------------------------

# Every character LaTeX or BibTeX would read as markup, as a command that prints it. Braces become
# commands too: BibTeX counts an escaped brace, and one unpaired would end the field.
_LATEX_SPECIAL = {"\\": r"\textbackslash{}", "{": r"\textbraceleft{}", "}": r"\textbraceright{}",
                  "%": r"\%", "&": r"\&", "#": r"\#", "$": r"\$", "_": r"\_",
                  "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}
# Pairs LaTeX joins into one mark (-- is a dash, `` and '' quotes, ?` and !` inverted marks): kept apart.
_LIGATURE = re.compile(r"(?<=[-`'?!])(?=[-`'])")
_SPECIAL = re.compile(r"[\\{}%&#$_~^]")


def bibtex_text(text: str) -> str:
    """Plain text as a BibTeX field value that shows exactly these characters."""
    escaped = _SPECIAL.sub(lambda m: _LATEX_SPECIAL[m.group()], text)
    return _LIGATURE.sub("{}", escaped)


def bibtex(reference: PageReference) -> str:
    fields = [("title", bibtex_text(reference.title)), ("organization", bibtex_text(reference.site_name))]
    if reference.publisher:
        fields.append(("publisher", bibtex_text(reference.publisher)))
    fields.append(("date", reference.reviewed.isoformat()))
    if reference.url:
        fields.append(("url", reference.url))
    fields += [("urldate", ACCESS_PLACEHOLDER), ("note", bibtex_text(reviewed_note(reference)))]
    body = "".join(f"  {name} = {{{value}}},\n" for name, value in fields)
    return f"@online{{{reference.key},\n{body}}}\n"


# --- RIS (the tagged format of reference managers: "TY  - ELEC" is a web page) ------------------

def ris(reference: PageReference) -> str:
    tags = [("TY", "ELEC"), ("TI", reference.title), ("T2", reference.site_name)]
    if reference.publisher:
        tags.append(("PB", reference.publisher))
    tags += [("PY", str(reference.reviewed.year)), ("DA", reference.reviewed.strftime("%Y/%m/%d"))]
    if reference.url:
        tags.append(("UR", reference.url))
    tags += [("Y2", ACCESS_PLACEHOLDER.replace("-", "/")), ("N1", reviewed_note(reference) + "."), ("ER", "")]
    return "".join(f"{tag}  - {value}\r\n" for tag, value in tags)  # the RIS specification's CRLF


# --- CSL-JSON (what citeproc processors, Zotero and Pandoc read) --------------------------------

def csl_json(reference: PageReference) -> bytes:
    item: dict[str, object] = {
        "id": reference.key, "type": "webpage", "title": reference.title, "container-title": reference.site_name,
        "issued": {"date-parts": [[reference.reviewed.year, reference.reviewed.month, reference.reviewed.day]]},
        "accessed": {"raw": ACCESS_PLACEHOLDER}, "note": reviewed_note(reference)}
    if reference.publisher:
        item["publisher"] = reference.publisher
    if reference.url:
        item["URL"] = reference.url
    return dump_json([item])


def citation_files(corpus: Corpus) -> dict[str, str | bytes]:
    """Site path → content: each record page's reference in the three formats."""
    files: dict[str, str | bytes] = {}
    for entry in corpus.entries():  # made once per record and site: a live preview makes this on every save
        files |= derived(entry, "citation files", partial(_record_files, corpus, entry), inputs=corpus.project)
    return files


def _record_files(corpus: Corpus, entry: Entry) -> dict[str, str | bytes]:
    reference = page_reference(corpus, entry)
    return {cite_path(entry.kind, entry.id, "bib"): bibtex(reference),
            cite_path(entry.kind, entry.id, "ris"): ris(reference),
            cite_path(entry.kind, entry.id, "json"): csl_json(reference)}
