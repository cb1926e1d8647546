"""The live preview's partial builds make the site a full build makes, byte for byte.

A property test: random sequences of saves (a record's title, a citation, a perpetrator, a date, a
country, a relation, a status, a tag, a change note; records added, deleted, renamed, renamed keeping
their old address; .bib entries changed, added, removed; a source note) on a small synthetic
project, each followed by the preview's rebuild and a comparison of its whole site folder with a
fresh full build of the same files. A save that breaks the content leaves the site as
it was, and names the problems; a later good save brings the site back in step.
"""

from __future__ import annotations

import os
import re
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from bench.corpus import write_corpus
from conftest import FIXTURES
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from generator.preview import Preview

SERVE_URL = "http://127.0.0.1:8000/"
KINDS = ("actors", "attacks", "policy-options")
ID = "(?<![a-z0-9-]){}(?![a-z0-9-])"  # an id as a whole word: not a part of a longer id


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small synthetic project with a tag listing and both blocks on its home page."""
    root = tmp_path_factory.mktemp("template") / "project"
    write_corpus(root, 12, seed=3)
    shutil.copyfile(FIXTURES / "basic" / "content" / "tags.md", root / "content" / "tags.md")
    home = root / "content" / "index.md"
    home.write_text(home.read_text() + "\nLatest:\n\n<!-- briefs:latest -->\n")
    (root / "node_modules").symlink_to(Path(__file__).resolve().parents[1] / "node_modules")
    return root


def copy_project(template: Path, target: Path) -> Path:
    shutil.copytree(template, target, symlinks=True)
    old = time.time() - 3600  # written long ago: the preview may trust the files' times
    for path in target.rglob("*"):
        os.utime(path, (old, old), follow_symlinks=False)
    return target


def site_files(site: Path) -> dict[str, bytes]:
    return {path.relative_to(site).as_posix(): path.read_bytes() for path in sorted(site.rglob("*"))
            if path.is_file()}


def assert_same_site(served: Path, fresh: Path) -> None:
    a, b = site_files(served), site_files(fresh)
    assert sorted(a.keys() - b.keys()) == [], "files the preview kept that a build does not make"
    assert sorted(b.keys() - a.keys()) == [], "files a build makes that the preview lacks"
    differ = sorted(path for path in a if a[path] != b[path])
    assert differ == [], f"files that differ from a full build's: {differ}"


# --------------------------------------------------------------------------- saves


def records(root: Path, kind: str) -> list[Path]:
    return sorted((root / "content" / kind).glob("*.yaml"))


def pick(items: list[Path], index: int) -> Path | None:
    return items[index % len(items)] if items else None


def edit(path: Path, change: Callable[[str], str]) -> None:
    path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")


def retitle(root: Path, kind: str, index: int, word: str) -> None:
    if record := pick(records(root, kind), index):
        edit(record, lambda text: re.sub(r"^(title|name): (.*)$", rf"\1: \2 {word}", text, count=1, flags=re.M))


def recite(root: Path, kind: str, index: int, key_index: int) -> None:
    keys = bib_keys(root) + ["nosuchkey2099"]  # now and then a key that does not exist
    key = keys[key_index % len(keys)]
    if record := pick(records(root, kind), index):
        edit(record, lambda text: re.sub(r"\[@[^\],;\s]+", f"[@{key}", text, count=1))


def reattribute(root: Path, index: int, actor_index: int) -> None:
    actor = pick(records(root, "actors"), actor_index)
    if (attack := pick(records(root, "attacks"), index)) and actor:
        edit(attack, lambda text: re.sub(r"^(\s*- actor: )\S+$", rf"\g<1>{actor.stem}", text, count=1, flags=re.M))


def redate(root: Path, index: int, year: int) -> None:
    if attack := pick(records(root, "attacks"), index):
        edit(attack, lambda text: re.sub(r"^date: \{value: \d{4}", f"date: {{value: {year}", text, count=1,
                                         flags=re.M))


def relocate(root: Path, index: int, country: str) -> None:
    if attack := pick(records(root, "attacks"), index):
        edit(attack, lambda text: re.sub(r"^  country: .*$", f"  country: {country}", text, count=1, flags=re.M))


def review(root: Path, kind: str, index: int, year: int) -> None:
    if record := pick(records(root, kind), index):
        edit(record, lambda text: re.sub(r"^reviewed: \d{4}", f"reviewed: {year}", text, count=1, flags=re.M))


def relate(root: Path, index: int, relation: str) -> None:
    """An actor's first relation, of another type: both actors' key facts and tables show it."""
    if actor := pick(records(root, "actors"), index):
        edit(actor, lambda text: re.sub(r"^(    type: )\S+$", rf"\g<1>{relation}", text, count=1, flags=re.M))


def restatus(root: Path, index: int, status: str) -> None:
    if option := pick(records(root, "policy-options"), index):
        edit(option, lambda text: re.sub(r"^status: \{value: [a-z-]+", f"status: {{value: {status}", text, count=1,
                                         flags=re.M))


def retag(root: Path, kind: str, index: int, tag: str) -> None:
    """Tags: Material's tag listing and each page's tag chips show them."""
    if record := pick(records(root, kind), index):
        edit(record, lambda text: re.sub(r"^tags: \[", f"tags: [{tag}, ", text, count=1, flags=re.M))


def add(root: Path, kind: str, index: int, name: str) -> None:
    if (record := pick(records(root, kind), index)) and not (new := record.with_name(f"{name}.yaml")).exists():
        new.write_text(re.sub(r"^(title|name): (.*)$", r"\1: \2 copy", record.read_text(), count=1, flags=re.M))


def delete(root: Path, kind: str, index: int) -> None:
    if record := pick(records(root, kind), index):
        record.unlink()


def rename(root: Path, kind: str, index: int, name: str) -> None:
    """A new id: the file moves, and every record that names the old id names the new one."""
    if (record := pick(records(root, kind), index)) and not (new := record.with_name(f"{name}.yaml")).exists():
        record.rename(new)
        for other in (root / "content").glob("*/*.yaml"):
            text = other.read_text()
            if re.search(ID.format(re.escape(record.stem)), text):
                other.write_text(re.sub(ID.format(re.escape(record.stem)), name, text))


def rename_keeping(root: Path, kind: str, index: int, name: str) -> None:
    """A new id that keeps the old address: a redirect page and copies of the data files stand there."""
    if (record := pick(records(root, kind), index)) and not record.with_name(f"{name}.yaml").exists():
        old = record.stem
        rename(root, kind, index, name)
        edit(record.with_name(f"{name}.yaml"), lambda text: text + f"formerly: [{old}]\n")


def note_change(root: Path, kind: str, index: int, day: int) -> None:
    """A change note: the record's history, the Recent changes page, the feed and the home page show it."""
    if record := pick(records(root, kind), index):
        item = f"  - {{date: 2026-11-{day:02d}, note: Corrected on day {day}.}}\n"
        edit(record, lambda text: text.replace("changes:\n", "changes:\n" + item, 1) if "changes:\n" in text
             else text + "changes:\n" + item)


def bib_file(root: Path) -> Path:
    return next((root / "bib").glob("*.bib"))


def bib_keys(root: Path) -> list[str]:
    return re.findall(r"^@\w+\{([^,]+),", bib_file(root).read_text(), flags=re.M)


def bib_retitle(root: Path, index: int, word: str) -> None:
    titles = re.findall(r"^  title = \{.*\},$", bib_file(root).read_text(), flags=re.M)
    if titles:
        target = titles[index % len(titles)]
        edit(bib_file(root), lambda text: text.replace(target, target[:-2] + f" {word}}},", 1))


def bib_add(root: Path, name: str) -> None:
    entry = (f"@book{{{name},\n  author = {{Ivers, Anna}},\n  title = {{A {name}}},\n  publisher = {{Hurst}},\n"
             f"  year = {{2020}},\n  url = {{https://example.org/{name}}},\n}}\n\n")
    if name not in bib_keys(root):
        edit(bib_file(root), lambda text: entry + text)


def bib_remove(root: Path, index: int) -> None:
    entries = re.findall(r"^@.*?^\}\n", bib_file(root).read_text(), flags=re.M | re.S)
    if len(entries) > 1:
        target = entries[index % len(entries)]
        edit(bib_file(root), lambda text: text.replace(target, "", 1))


def reseed(root: Path, index: int, year: int) -> None:
    """A source note: what its document covers."""
    seed = pick(sorted((root / "seeds").glob("*.yaml")), index)
    if seed:
        edit(seed, lambda text: re.sub(r"^covers: ", f"covers: In {year}, ", text, count=1, flags=re.M))


words = st.sampled_from(["Revised", "Ünïcode", "A & B", "*stars*", "2024", "x"])
names = st.sampled_from(["new-record", "renamed-one", "zz-last", "aa-first", "mid-record-2"])
kinds = st.sampled_from(KINDS)
index = st.integers(0, 20)
years = st.integers(1995, 2026)

saves = st.one_of(
    st.tuples(st.just(retitle), kinds, index, words),
    st.tuples(st.just(recite), kinds, index, index),
    st.tuples(st.just(reattribute), index, index),
    st.tuples(st.just(redate), index, years),
    st.tuples(st.just(relocate), index, st.sampled_from(["Vekjorcor", "Exampleland", "Côte d'Ivoire"])),
    st.tuples(st.just(review), kinds, index, years),
    st.tuples(st.just(add), kinds, index, names),
    st.tuples(st.just(delete), kinds, index),
    st.tuples(st.just(rename), kinds, index, names),
    st.tuples(st.just(rename_keeping), kinds, index, names),
    st.tuples(st.just(note_change), kinds, index, st.integers(1, 30)),
    st.tuples(st.just(bib_retitle), index, words),
    st.tuples(st.just(bib_add), names.map(lambda name: name.replace("-", ""))),
    st.tuples(st.just(bib_remove), index),
    st.tuples(st.just(reseed), index, years),
    st.tuples(st.just(relate), index, st.sampled_from(["ally", "rival", "leader", "member"])),
    st.tuples(st.just(restatus), index, st.sampled_from(["proposed", "in-place", "rejected"])),
    st.tuples(st.just(retag), kinds, index, st.sampled_from(["sanctions", "border", "aaa-first"])),
)


def describe(save: tuple) -> str:
    return f"{save[0].__name__}{save[1:]}"


# No shrinking: a failing sequence is at most four saves long, and printed as it was drawn.
@settings(max_examples=10, deadline=None, phases=[Phase.explicit, Phase.reuse, Phase.generate],
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sequence=st.lists(st.tuples(saves, st.booleans()), min_size=1, max_size=4))
def test_after_any_saves_the_preview_is_a_full_build(template: Path, tmp_path_factory, sequence) -> None:
    """Each save is looked at once the preview has finished it: with its data files made at once, or
    after the pages (as ``briefs serve`` makes them), and then either by ``finish`` or by the next save."""
    scratch = tmp_path_factory.mktemp("preview")
    root = copy_project(template, scratch / "project")
    preview = Preview(root / "mkdocs.yml", scratch / "served", SERVE_URL)
    preview.build()
    for number, ((save, *arguments), data_later) in enumerate(sequence):
        preview.finish()
        before = site_files(scratch / "served")
        save(root, *arguments)
        said = preview.rebuild(data_later)
        if preview.problems:  # a broken save: the site stays as it was, and says why
            assert "error" in said
            assert site_files(scratch / "served") == before
            continue
        if data_later and number + 1 < len(sequence) and sequence[number + 1][1]:
            continue  # left for the next save to finish, before its own
        preview.finish()
        fresh = scratch / f"fresh{number}"
        Preview(root / "mkdocs.yml", fresh, SERVE_URL).build()
        assert_same_site(scratch / "served", fresh)
        shutil.rmtree(fresh)


def test_a_saved_title_makes_again_only_what_shows_it(template: Path, tmp_path: Path, monkeypatch) -> None:
    """Unchanged pages are neither generated again nor converted by MkDocs again; a long page is
    converted again only where it shows the title."""
    from generator import generate, mkdocs_internals, parts, render

    root = copy_project(template, tmp_path / "project")
    preview = Preview(root / "mkdocs.yml", tmp_path / "served", SERVE_URL)
    preview.build()
    calls: dict[str, list[str]] = {"page": [], "part": [], "mkdocs": [], "converted": []}

    def spy(name: str, function: Callable, label: Callable) -> Callable:
        def spied(*args, **kwargs):
            calls[name].append(label(*args))
            return function(*args, **kwargs)
        return spied

    monkeypatch.setattr(render, "render_page", spy("page", render.render_page, lambda page, *_: page.path))
    monkeypatch.setattr(generate, "render_page", render.render_page)
    monkeypatch.setattr(render, "render_part", spy("part", render.render_part, lambda page, _, key, *rest: key))
    monkeypatch.setattr(mkdocs_internals, "_populate_page", spy("mkdocs", mkdocs_internals._populate_page,
                                                                lambda page, *_: page.file.src_uri))
    monkeypatch.setattr(parts, "_convert", spy("converted", parts._convert, lambda shape, header, text, *_: text))
    attack = records(root, "attacks")[2]
    text = attack.read_text()
    perpetrators = set(re.findall(r"^\s*- actor: (\S+)$", text, flags=re.M))
    options = {path.stem for path in records(root, "policy-options") if attack.stem in path.read_text()}
    retitle(root, "attacks", 2, "Renamed")
    preview.rebuild()

    shows_it = {f"attacks/{attack.stem}.md"} | {f"actors/{a}.md" for a in perpetrators} | {
        f"policy-options/{o}.md" for o in options}
    record_pages = {path for path in calls["page"] + calls["mkdocs"] if path.startswith(KINDS)
                    and not path.endswith("index.md")}
    assert record_pages == shows_it
    assert {"sources/index.md", "review/index.md"}.isdisjoint(calls["page"])  # only some of their parts
    assert preview.site is not None
    every_part = sum(len(run.parts) for runs in preview.site.plugin.runs.values() for stretch in runs.values()
                     for run in stretch)
    assert 0 < len(calls["converted"]) <= len(calls["part"]) and len(calls["part"]) * 3 < every_part
    # The Attacks index lists the attack: made again, all its other rows kept.
    assert [key for key in calls["part"] if key.startswith("attack-row")] == [f"attack-row.md.j2 {attack.stem}"]


def test_a_save_shows_its_pages_before_its_data_files(template: Path, tmp_path: Path) -> None:
    """Under ``briefs serve`` the pages of the records a save changed are written first; the pages made
    from many records, the exports, search index and charts after, and a request for one of those
    waits until it is written."""
    from generator import mkdocs_internals as internals
    from generator.serve import Status, with_banner

    root = copy_project(template, tmp_path / "project")
    site = tmp_path / "served"
    preview = Preview(root / "mkdocs.yml", site, SERVE_URL)
    preview.build()
    attack = records(root, "attacks")[1]
    retitle(root, "attacks", 1, "Renamed")
    title = next(line for line in attack.read_text().splitlines() if line.startswith("title: ")).removeprefix("title: ")
    assert "data files next" in preview.rebuild(data_later=True)
    assert title in (site / "attacks" / attack.stem / "index.html").read_text()
    assert title not in (site / "data" / "briefs.json").read_text()
    assert title not in (site / "attacks" / "index.html").read_text()
    assert preview.waits_for("data/briefs.json") and not preview.waits_for(f"attacks/{attack.stem}/")
    assert preview.waits_for("attacks/") and preview.waits_for("attacks/index.html")

    server = internals.live_reload_server(lambda: None, "127.0.0.1", 0, str(site), "/")
    try:
        app = with_banner(server.serve_request, Status(preview))
        sent = b"".join(app({"PATH_INFO": "/attacks/", "REQUEST_METHOD": "GET"}, lambda *_: None))
    finally:
        server.server_close()
    assert title.encode() in sent and preview.pending is None
    assert title in (site / "data" / "briefs.json").read_text()
    fresh = tmp_path / "fresh"
    Preview(root / "mkdocs.yml", fresh, SERVE_URL).build()
    assert_same_site(site, fresh)


def test_saves_that_move_the_content_date_keep_the_preview_a_full_build(template: Path, tmp_path: Path,
                                                                         monkeypatch) -> None:
    """Without SOURCE_DATE_EPOCH (which the other tests set) the newest date in the content dates the
    pages made from many records and sitemap.xml.gz: a save moves it forward, then back."""
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    root = copy_project(template, tmp_path / "project")
    (root / "content" / "m.md").write_text("# Method\n\nA hand-written page with no generated block.\n")
    edit(root / "mkdocs.yml", lambda text: text.replace("  - Tags: tags.md\n", "  - Tags: tags.md\n  - Method: m.md\n"))
    attack = records(root, "attacks")[0]
    original = attack.read_text()
    preview = Preview(root / "mkdocs.yml", tmp_path / "served", SERVE_URL)
    preview.build()
    for number, text in enumerate([original + "changes:\n  - {date: 2026-12-31, note: Corrected.}\n", original]):
        attack.write_text(text)
        preview.rebuild()
        Preview(root / "mkdocs.yml", tmp_path / f"fresh{number}", SERVE_URL).build()
        assert_same_site(tmp_path / "served", tmp_path / f"fresh{number}")


def test_what_parts_look_up_is_carried_over_when_some_are_made_again() -> None:
    """A page with some parts made again tells which parts look up what as if gone through anew."""
    from generator.reads import Reads
    from generator.render import Rendered, RenderedPart

    def part(index: int, titles: list[str], keys: list[str]) -> RenderedPart:
        return RenderedPart(f"k{index}", "t", "item", {}, f"- {index}",
                            Reads({("attacks", t): t for t in titles}, {k: None for k in keys}))

    before = Rendered("text", Reads({}, {}), (part(0, ["a"], ["x"]), part(1, ["a", "b"], []), part(2, [], ["x"])))
    assert before.part_readers == ({("attacks", "a"): {0, 1}, ("attacks", "b"): {1}}, {"x": {0, 2}})
    parts = (before.parts[0], part(1, ["c"], ["x"]), part(2, ["a"], []))
    after = before.with_parts(parts, {1, 2})
    fresh = Rendered("text", Reads({}, {}), parts)
    assert {k: v for k, v in after.part_readers[0].items() if v} == fresh.part_readers[0]
    assert {k: v for k, v in after.part_readers[1].items() if v} == fresh.part_readers[1]
    assert before.part_readers == ({("attacks", "a"): {0, 1}, ("attacks", "b"): {1}}, {"x": {0, 2}})  # unchanged


def test_relationship_maps_are_made_again_only_when_an_actor_changes(template: Path, tmp_path: Path) -> None:
    """The maps show actors only: a saved attack leaves them as they were, the same bytes object;
    a saved actor makes them again."""
    from generator.check import load_corpus
    from generator.corpus import Project, forget_derived
    from generator.generate import Statics
    from generator.kept import KeptFiles

    root = copy_project(template, tmp_path / "project")
    kept, statics = KeptFiles(forget_derived), Statics()
    before = statics.files(load_corpus(Project(root), kept))
    maps = [path for path in before if path.startswith("data/charts/actors")]
    assert maps
    retitle(root, "attacks", 0, "Renamed")
    after = statics.files(load_corpus(Project(root), kept))
    assert all(after[path] is before[path] for path in maps)
    retitle(root, "actors", 0, "Renamed")
    again = statics.files(load_corpus(Project(root), kept))
    assert not any(again[path] is before[path] for path in maps)
