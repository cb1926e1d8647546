"""BibTeX with pybtex: errors at file:line, crossrefs, clean Chicago-like formatting."""

from __future__ import annotations

import re
from collections.abc import Iterable
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest
from conftest import ROOT, shared_data

from generator.bibliography import Reference, load_bibliography
from generator.bibstyle import address_problem, clean_latex, person_name, verbatim
from generator.sanitize import sanitize
from generator.site import _read_config


def load(tmp_path: Path, **files: str):
    for name, text in files.items():
        (tmp_path / f"{name}.bib").write_text(text, encoding="utf-8")
    return load_bibliography(sorted(tmp_path.glob("*.bib")), tmp_path)


class RenderedReference(HTMLParser):
    """A formatted reference as the site shows it: its links and its text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.hrefs.append(dict(attrs).get("href") or "")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)

    @property
    def text(self) -> str:
        return "".join(self.parts)


def site_markdown_extensions() -> tuple[list[str], dict[str, dict]]:
    names, settings = [], {}
    for item in _read_config(ROOT / "mkdocs.yml").get("markdown_extensions", []):
        name, options = (item, {}) if isinstance(item, str) else next(iter(item.items()))
        names.append(name)
        settings[name] = options or {}
    return names, settings


SITE_MARKDOWN = markdown.Markdown(extensions=site_markdown_extensions()[0],
                                  extension_configs=site_markdown_extensions()[1])


def rendered(reference: Reference) -> RenderedReference:
    """Python-Markdown with the site's extensions, then the sanitizer, as on every page."""
    html = sanitize(SITE_MARKDOWN.reset().convert(reference.formatted.markdown))
    parser = RenderedReference()
    parser.feed(html)
    parser.close()
    return parser


def test_formats_the_seed_kinds_of_reference(tmp_path: Path) -> None:
    bib = load(tmp_path, refs=r"""
@incollection{tarzi2018, author={Tarzi, Amin}, title={Islamic State--Khurasan Province},
  booktitle={The Future of {ISIS}: Regional and International Implications},
  editor={al-Istrabadi, Feisal and Ganguly, Sumit}, address={Washington, DC},
  publisher={Brookings Institution Press}, year=2018, pages={119--48}}
@article{dreazen2016, author={Dreazen, Yochi}, title={Exclusive: Iran Teams with Taliban},
  journal={Foreign Policy}, date={2016-05-26}}
@article{tarzi2024, author={Tarzi, Amin}, title={{ISKP} Moving beyond Khorasan},
  journal={MES Insights}, volume=15, number={3A}, year=2024, month=jun, url={https://example.org/a_b}}
@techreport{thomas2024, author={Thomas, Clayton}, title={Terrorist Groups in Afghanistan},
  institution={Congressional Research Service}, address={Washington, DC}, year=2024}
""")
    assert bib.diagnostics == []
    text = {key: ref.formatted.text for key, ref in bib.references.items()}
    assert text == {
        "tarzi2018": "Tarzi, Amin. “Islamic State–Khurasan Province.” In The Future of ISIS: Regional and "
                     "International Implications, edited by Feisal al-Istrabadi and Sumit Ganguly, 119–48. "
                     "Washington, DC: Brookings Institution Press, 2018.",
        "dreazen2016": "Dreazen, Yochi. “Exclusive: Iran Teams with Taliban.” Foreign Policy, May 26, 2016.",
        "tarzi2024": "Tarzi, Amin. “ISKP Moving beyond Khorasan.” MES Insights 15, no. 3A (June 2024). "
                     "https://example.org/a_b.",
        "thomas2024": "Thomas, Clayton. Terrorist Groups in Afghanistan. Washington, DC: "
                      "Congressional Research Service, 2024.",
    }
    assert '<a href="https://example.org/a_b">https://example\\.org/a\\_b</a>' in (
        bib.references["tarzi2024"].formatted.markdown)


def test_latex_is_decoded_and_removed() -> None:
    assert clean_latex(r"G{\"o}del \'Emile {\c{c}}a \emph{Über} {NASA} $x$ \url{http://a.b} -- x~y") == (
        "Gödel Émile ça Über NASA x http://a.b – x y")


def test_unsafe_urls_are_not_links(tmp_path: Path) -> None:
    bib = load(tmp_path, refs='@misc{x, title={T}, url={javascript:alert(1)}}\n'
                              '@misc{y, title={"><script>alert(1)</script>}}\n')
    assert "javascript" not in bib.references["x"].formatted.markdown
    assert "<script>" not in bib.references["y"].formatted.markdown
    assert "&lt;script&gt;" in bib.references["y"].formatted.markdown


def test_crossref_is_resolved(tmp_path: Path) -> None:
    bib = load(tmp_path, refs="""@inproceedings{child, author={A, B}, title={Paper}, crossref={conf}, pages={1--2}}
@proceedings{conf, title={Proceedings of Conf}, publisher={P}, year=2001, editor={E, F}}
""")
    assert bib.references["child"].formatted.text == (
        "A, B. “Paper.” In Proceedings of Conf, edited by F E, 1–2. P, 2001.")


def test_errors_name_file_and_line(tmp_path: Path) -> None:
    bib = load(tmp_path, a="@misc{k, title={x}}\n", b="\n\n@misc{k, title={y}}\n@misc{m, title = jgcd}\n"
               "@book{broken, title={unbalanced\n")
    assert [str(d) for d in bib.diagnostics] == [
        "b.bib:4:1: error: undefined @string macro jgcd [bibtex-syntax]",
        "b.bib:5:1: error: premature end of file [bibtex-syntax]",
        "b.bib:3:1: error: duplicate BibTeX key 'k' (first at a.bib:1:1) [duplicate-reference]",
    ]


def test_problems_without_a_line_are_reported_at_their_entry(tmp_path: Path) -> None:
    bib = load(tmp_path, refs="@misc{ok, title={T}}\n\n@misc{names,\n"
                              "  author={A. Case, D. Lassalle, M. Meltzer, S. Koessel},\n  title={T}, title={Again}}\n")
    assert [(str(d.pos), d.message, d.hint) for d in bib.diagnostics] == [
        ("refs.bib:3:1", "Too many commas in 'A. Case, D. Lassalle, M. Meltzer, S. Koessel'",
         "join names with 'and': {Case, A. and Lassalle, D.}"),
        ("refs.bib:3:1", "entry with key names has a duplicate title field", None),
    ]


def test_formatting_is_kept_for_the_next_build_until_the_entry_changes(tmp_path: Path) -> None:
    entry = "@book{{k, author={{Tarzi, Amin}}, title={{{title}}}, publisher={{Hurst}}, year=2024}}"
    first = load(tmp_path, refs=entry.format(title="Khorasan")).references["k"].formatted
    again = load(tmp_path, refs=entry.format(title="Khorasan")).references["k"].formatted
    assert again is first  # a rebuild with the same entry formats nothing
    changed = load(tmp_path, refs=entry.format(title="Khurasan")).references["k"].formatted
    assert "Khurasan" in changed.text and "Khorasan" not in changed.text
    renamed = load(tmp_path, refs=entry.format(title="Khorasan").replace("Amin", "A.")).references["k"].formatted
    assert renamed.text.startswith("Tarzi, A.")


# --- issue 13: references that survive real BibTeX ------------------------------------------

VERBATIM_URLS = {  # each once broke: % cut as a comment, -- an en dash, ~ a space
    "pct": "https://example.org/a-b/JAR%20STEPPE.pdf",
    "dash": "https://example.org/routers--.html",
    "tilde": "https://example.org/doc#:~:text=The",
    "markdown": "https://example.org/a_b*c/x)?q='y'&z=1#:~:text=a-,b",  # what a Markdown link would eat
}


def test_urls_are_verbatim_in_the_link_its_text_and_the_fields(tmp_path: Path) -> None:
    entries = [f"@misc{{{key}, organization={{Org}}, title={{T}}, year={{2016}}, url={{{url}}}}}"
               for key, url in VERBATIM_URLS.items()]
    bib = load(tmp_path, refs="\n".join(entries))
    assert bib.diagnostics == []
    for key, url in VERBATIM_URLS.items():
        reference = bib.references[key]
        assert reference.fields["url"] == url
        page = rendered(reference)
        assert page.hrefs == [url]
        assert url in page.text and url in reference.formatted.text


def test_doi_and_eprint_are_verbatim_too(tmp_path: Path) -> None:
    bib = load(tmp_path, refs=r"""
@article{sici, title={S}, journal={J}, year=1998, doi={10.1002/(SICI)1097-4571(199806)49:8<693::AID-ASI4>3.0.CO;2-0}}
@article{dx, title={D}, journal={J}, year=2001, doi={http://dx.doi.org/10.1109/52.976940}}
@article{both, title={B}, journal={J}, year=2001, doi={10.1/x--y}, url={https://example.org/~b}}
@misc{arxiv, title={A}, year=2003, eprint={math/0307200v3}, eprinttype={arXiv}}
@misc{jstor, title={J}, year=1960, eprint={http://www.jstor.org/stable/2004873}}
""")
    assert bib.diagnostics == []
    hrefs = {key: rendered(ref).hrefs for key, ref in bib.references.items()}
    assert hrefs == {
        "sici": ["https://doi.org/10.1002/(SICI)1097-4571(199806)49:8%3C693::AID-ASI4%3E3.0.CO;2-0"],
        "dx": ["http://dx.doi.org/10.1109/52.976940"],
        "both": ["https://doi.org/10.1/x--y", "https://example.org/~b"],
        "arxiv": [],  # an identifier, not an address: shown after its type
        "jstor": ["http://www.jstor.org/stable/2004873"],
    }
    assert bib.references["both"].fields["doi"] == "10.1/x--y"
    assert "arXiv: math/0307200v3" in bib.references["arxiv"].formatted.text


def test_a_url_is_only_brace_stripped(tmp_path: Path) -> None:
    bib = load(tmp_path, refs="@misc{k, title={T}, year=2001, url={https://example.org/{A}b_{c}}}")
    assert bib.diagnostics == []
    assert rendered(bib.references["k"]).hrefs == ["https://example.org/Ab_c"]


def test_a_url_that_is_not_http_or_a_doi_is_refused_at_its_line(tmp_path: Path) -> None:
    bib = load(tmp_path, refs="""@misc{ftp, title={F}, year=2000,
  url = {ftp://example.org/x}}
@misc{js, title={J}, year=2000, URL={javascript:alert(1)}}
@misc{space, title={S}, year=2000,

  url={https://example.org/a b}}
@article{doi, title={D}, journal={J}, year=2000, doi={doi:10.1000/1}}
@misc{eprint, title={E}, year=2000, eprint={file:///etc/passwd}}
""")
    assert [(str(d.pos), d.code, d.message) for d in bib.diagnostics] == [
        ("refs.bib:2:3", "bad-url", "reference 'ftp' has a url that is not an http(s) address: 'ftp://example.org/x'"),
        ("refs.bib:3:33", "bad-url", "reference 'js' has a url that is not an http(s) address: 'javascript:alert(1)'"),
        ("refs.bib:6:3", "bad-url",
         "reference 'space' has a url with characters a web address cannot hold (' '): 'https://example.org/a b'"),
        ("refs.bib:7:50", "bad-url",
         "reference 'doi' has a doi that is neither a DOI (10.…/…) nor an http(s) address: 'doi:10.1000/1'"),
        ("refs.bib:8:37", "bad-url", "reference 'eprint' has an eprint that is not an http(s) address: "
                                     "'file:///etc/passwd'"),
    ]
    assert all(d.hint for d in bib.diagnostics)
    assert all(rendered(ref).hrefs == [] for ref in bib.references.values())


def test_the_hint_for_an_address_gives_it_percent_encoded(tmp_path: Path) -> None:
    bib = load(tmp_path, refs=r"""@misc{fa, title={F}, year=2000, url={https://fa.wikipedia.org/wiki/داعش?q=<a>}}
@misc{latex, title={L}, year=2000, url={https://example.org/a\_b}}
""")
    assert [(d.message.split(":")[0], d.hint) for d in bib.diagnostics] == [
        ("reference 'fa' has a url with characters a web address cannot hold ('<', '>', 'ا', 'د', 'ش', 'ع')",
         "percent-encode it, as a browser's address bar copies it: "
         "https://fa.wikipedia.org/wiki/%D8%AF%D8%A7%D8%B9%D8%B4?q=%3Ca%3E"),
        ("reference 'latex' has a url with characters a web address cannot hold ('\\')",
         "no LaTeX escapes: write _ and % as they are"),
    ]


def test_escaped_specials_survive(tmp_path: Path) -> None:
    bib = load(tmp_path, refs=r"""
@misc{lapsus, organization={Org}, title={A Closer Look at the LAPSUS\$ Group, \$105,000}, year=2022}
@misc{specials, organization={Org}, year=2022,
  title={C:\textbackslash{}Windows \{b\} x\textasciicircum{}2 \% \& \# \_ a\textasciitilde{}b}}
""")
    titles = {key: rendered(ref).text for key, ref in bib.references.items()}
    assert "“A Closer Look at the LAPSUS$ Group, $105,000.”" in titles["lapsus"]
    assert "“C:\\Windows {b} x^2 % & # _ a~b.”" in titles["specials"]
    assert "C:\\Windows {b} x^2 % & # _ a~b" in bib.references["specials"].formatted.text


@pytest.mark.parametrize(("fields", "expected"), [
    ("author={Krebs, B.}, title={K}, year=2019",
     "Krebs, B. “K.” 2019."),
    ("organization={Org}, title={T}, howpublished={Posted on the blog, 2019.}, year=2019",
     "Org. “T.” Posted on the blog, 2019. 2019."),
    ("author={Doe, J.}, title={Done,}, howpublished={Blog;}, year=2019, note={Retrieved May 1, 2020.}",
     "Doe, J. “Done,” Blog; 2019. Retrieved May 1, 2020."),
])
def test_no_doubled_punctuation_where_parts_join(tmp_path: Path, fields: str, expected: str) -> None:
    bib = load(tmp_path, refs=f"@misc{{k, {fields}}}")
    assert bib.references["k"].formatted.text == expected


def test_and_others_is_et_al(tmp_path: Path) -> None:
    bib = load(tmp_path, refs="""
@misc{one, author={Goody, K. and others}, title={G}, year=2019}
@misc{two, author={Goody, Kate and Lee, Ann and others}, title={G}, year=2019}
""")
    assert bib.references["one"].formatted.text == "Goody, K., et al. “G.” 2019."
    assert bib.references["two"].formatted.text == "Goody, Kate, Ann Lee, et al. “G.” 2019."


def test_note_is_shown_for_misc(tmp_path: Path) -> None:
    bib = load(tmp_path, refs="@misc{k, organization={Org}, title={T}, year=2016, "
                              "url={https://example.org/}, note={Retrieved March 22, 2023.}}")
    assert bib.references["k"].formatted.text == (
        "Org. “T.” 2016. Retrieved March 22, 2023. https://example.org/.")


def test_keys_differing_only_in_case_are_duplicates(tmp_path: Path) -> None:
    bib = load(tmp_path, a="@misc{Case2020, title={A}, year=2020}\n\n@misc{case2020, title={B}, year=2020}\n",
               b="@misc{other, title={C}, year=2020}\n@misc{CASE2020, title={D}, year=2020}\n")
    assert [str(d) for d in bib.diagnostics] == [
        "a.bib:3:1: error: duplicate BibTeX key 'case2020' (first at line 1 as 'Case2020') [duplicate-reference]",
        "b.bib:2:1: error: duplicate BibTeX key 'CASE2020' (first at a.bib:1:1 as 'Case2020') [duplicate-reference]",
    ]
    assert list(bib.references) == ["Case2020", "other"]


def test_a_place_without_a_publisher_takes_a_comma(tmp_path: Path) -> None:
    bib = load(tmp_path, refs="@inproceedings{k, author={Clarke, David}, title={T}, booktitle={ECOOP 2001}, "
                              "address={Budapest, Hungary}, year=2001}")
    assert bib.references["k"].formatted.text == "Clarke, David. “T.” In ECOOP 2001. Budapest, Hungary, 2001."


def test_a_url_in_a_field_is_shown_unescaped(tmp_path: Path) -> None:
    bib = load(tmp_path, refs=r"@misc{k, title={T}, year=2014, "
                              r"howpublished={\url{http://example.org/Security\%20for\_all.pdf}}}")
    assert bib.references["k"].formatted.text == "“T.” http://example.org/Security%20for_all.pdf, 2014."


def test_editors_are_named_once(tmp_path: Path) -> None:
    bib = load(tmp_path, refs="""
@book{authored, author={Tarzi, Amin}, editor={Ganguly, Sumit}, title={T}, publisher={P}, year=2018}
@book{edited, editor={al-Istrabadi, Feisal and Ganguly, Sumit}, title={T}, publisher={P}, year=2018}
@incollection{chapter, editor={Ganguly, Sumit}, title={C}, booktitle={B}, publisher={P}, year=2018}
""")
    assert {key: ref.formatted.text for key, ref in bib.references.items()} == {
        "authored": "Tarzi, Amin. T. Edited by Sumit Ganguly. P, 2018.",
        "edited": "al-Istrabadi, Feisal, and Sumit Ganguly, eds. T. P, 2018.",
        "chapter": "Ganguly, Sumit, ed. “C.” In B. P, 2018.",
    }


# --- every real entry: addresses as written, clean text, no doubled punctuation at joins -------

CLEAN_FILES = {"biblatex__biblatex-examples.bib", "iridia-ulb-references__all-concat.bib"}  # no diagnostic
DOUBLED = re.compile(r"\.\.|\.,|,\.|\. \.")
# What an entry may escape so that the text shows a backslash or a brace.
SHOWN_AS = {"\\": re.compile(r"\\textbackslash"), "{": re.compile(r"\\\{|\\textbraceleft"),
            "}": re.compile(r"\\\}|\\textbraceright")}


def spans(text: str, pieces: Iterable[str]) -> list[tuple[int, int]]:
    """Where each piece stands in the text, every time it does."""
    found = []
    for piece in filter(None, set(pieces)):
        start = text.find(piece)
        while start >= 0:
            found.append((start, start + len(piece)))
            start = text.find(piece, start + 1)
    return found


def doubled_at_joins(reference: Reference) -> list[str]:
    """Doubled punctuation the style made: not inside one field's own text, and not the comma
    of a name list after a name that ends in a full stop ("Goody, K., et al.", "et al., eds.")."""
    text, entry = reference.formatted.text, reference.entry
    people = [person_name(p, inverted) for persons in entry.persons.values() for p in persons
              for inverted in (False, True)]
    fields = spans(text, [clean_latex(value) for value in entry.fields.values()])
    names = spans(text, [*people, "et al."])
    found = []
    for match in DOUBLED.finditer(text):
        inside = any(start <= match.start() and match.end() <= end for start, end in fields + names)
        after_name = match.group() == ".," and any(end == match.start() + 1 for _, end in names)
        if not inside and not after_name:
            found.append(text[max(0, match.start() - 30):match.end() + 10])
    return found


def latex_left(reference: Reference) -> list[str]:
    """Backslashes (a LaTeX command left) or braces beyond those the entry escapes to show."""
    text, raw = reference.formatted.text, " ".join(reference.entry.fields.values())
    return [f"{char!r} ×{text.count(char)}" for char, escape in SHOWN_AS.items()
            if text.count(char) > len(escape.findall(raw))]


def test_every_real_entry_keeps_its_url_and_is_clean_text() -> None:
    """All of ../shared/testdata/bib: each entry formatted once. Every url is the href of a
    link, exactly as in the file after brace removal, or refused at its line (bad-url)."""
    files = sorted(shared_data("bib").glob("*.bib"))
    entries, with_url, refused, problems = 0, 0, 0, []
    for file in files:
        bib = load_bibliography([file], file.parent)
        if file.name in CLEAN_FILES:
            problems += [str(d) for d in bib.diagnostics]
        bad_urls = {d.message for d in bib.diagnostics if d.code == "bad-url"}
        for reference in bib.references.values():
            entries += 1
            url = verbatim(reference.entry.fields.get("url", ""))
            if url:
                with_url += 1
                if address_problem("url", url):
                    refused += 1
                    if not any(message.endswith(f": '{url}'") for message in bad_urls):
                        problems.append(f"{reference.key}: url {url!r} neither linked nor refused")
                elif url not in rendered(reference).hrefs:
                    problems.append(f"{reference.key}: {url!r} is not the href in {reference.formatted.markdown}")
            problems += [f"{reference.key}: LaTeX {left!r} in {reference.formatted.text!r}"
                         for left in latex_left(reference)]
            problems += [f"{reference.key}: doubled punctuation in {context!r}"
                         for context in doubled_at_joins(reference)]
    print(f"{entries} entries in {len(files)} files, {with_url} with a url ({refused} refused)")
    assert entries >= 16_000
    assert problems == [], f"{len(problems)} problems:\n" + "\n".join(problems[:60])
