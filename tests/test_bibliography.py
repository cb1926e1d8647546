"""BibTeX with pybtex: errors at file:line, crossrefs, clean Chicago-like formatting."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import shared_data

from generator.bibliography import load_bibliography
from generator.bibstyle import clean_latex


def load(tmp_path: Path, **files: str):
    for name, text in files.items():
        (tmp_path / f"{name}.bib").write_text(text, encoding="utf-8")
    return load_bibliography(sorted(tmp_path.glob("*.bib")), tmp_path)


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
    assert "[https://example\\.org/a\\_b](https://example.org/a_b)" in bib.references["tarzi2024"].formatted.markdown


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


@pytest.mark.parametrize("name", ["biblatex__biblatex-examples.bib", "iridia-ulb-references__all-concat.bib"])
def test_real_bibtex_loads_and_formats_without_latex(name: str) -> None:
    file = shared_data("bib", name)
    bib = load_bibliography([file], file.parent)
    assert bib.diagnostics == []
    left = [ref.key for ref in bib.references.values() if any(c in ref.formatted.text for c in "\\{}")]
    assert left == []


def test_formatting_is_kept_for_the_next_build_until_the_entry_changes(tmp_path: Path) -> None:
    entry = "@book{{k, author={{Tarzi, Amin}}, title={{{title}}}, publisher={{Hurst}}, year=2024}}"
    first = load(tmp_path, refs=entry.format(title="Khorasan")).references["k"].formatted
    again = load(tmp_path, refs=entry.format(title="Khorasan")).references["k"].formatted
    assert again is first  # a rebuild with the same entry formats nothing
    changed = load(tmp_path, refs=entry.format(title="Khurasan")).references["k"].formatted
    assert "Khurasan" in changed.text and "Khorasan" not in changed.text
    renamed = load(tmp_path, refs=entry.format(title="Khorasan").replace("Amin", "A.")).references["k"].formatted
    assert renamed.text.startswith("Tarzi, A.")
