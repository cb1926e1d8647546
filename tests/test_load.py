"""The YAML loader: positions kept, safe core only, problems as diagnostics."""

from __future__ import annotations

import time
from pathlib import Path

from generator.load import PosDict, load_file, parse


def diags(text: str) -> list[str]:
    return [str(d) for d in parse(text, "a.yaml")[1]]


def test_positions_of_keys_and_values() -> None:
    data, problems = parse("name: X\nlist:\n  - a\n  - {k: v}\n", "a.yaml")
    assert problems == []
    assert isinstance(data, PosDict)
    assert (data.key_pos("list").line, data.key_pos("list").col) == (2, 1)
    assert (data.value_pos("name").line, data.value_pos("name").col) == (1, 7)
    assert [(p.line, p.col) for p in map(data["list"].item_pos, range(2))] == [(3, 5), (4, 5)]
    assert data["list"][1].value_pos("k").col == 9


def test_block_scalar_value_starts_at_its_first_character() -> None:
    data, _ = parse("summary: |  # a comment\n\n  text here\nlist:\n  - >2-\n     more\n", "a.yaml")
    assert (data.value_pos("summary").line, data.value_pos("summary").col) == (3, 3)
    assert (data["list"].item_pos(0).line, data["list"].item_pos(0).col) == (6, 6)


def test_yaml_11_surprises_stay_text() -> None:
    data, problems = parse("a: NO\nb: yes\nc: on\nd: 1.10\ne: 22:22\nf: 0o17\ng: ~\n", "a.yaml")
    assert problems == []
    assert data == {"a": "NO", "b": "yes", "c": "on", "d": "1.10", "e": "22:22", "f": "0o17", "g": None}


def test_duplicate_key() -> None:
    assert diags("a: 1\nb: 2\na: 3\n") == [
        "a.yaml:3:1: error: duplicate key 'a' (first at line 1) [duplicate-key]"]


def test_python_tags_are_refused_not_run() -> None:
    assert diags("a: !!python/object/apply:os.system [echo hi]\n") == [
        "a.yaml:1:4: error: tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed; "
        "only plain YAML values [yaml-tag]"]
    assert diags("a: !custom x\n")[0].endswith("[yaml-tag]")


def test_aliases_are_refused() -> None:
    assert diags("a: &x [1]\nb: *x\n") == [
        "a.yaml:1:4: error: aliases (*name) are not allowed; write the value out [yaml-alias]"]
    assert diags("a: *nothing\n") == ["a.yaml:1:4: error: found undefined alias [yaml-syntax]"]


def test_alias_bomb_is_refused_quickly() -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        prev, name = chr(ord("a") + i - 1), chr(ord("a") + i)
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    started = time.process_time()
    problems = diags("\n".join(lines) + "\n")
    assert time.process_time() - started < 5  # a bound against a hang, not a benchmark
    assert problems and all(p.endswith("[yaml-alias]") for p in problems)


def test_deep_nesting_is_refused() -> None:
    assert diags("a: " + "[" * 100000 + "\n") == [
        "a.yaml:1:36: error: nesting deeper than 32 levels [yaml-depth]"]


def test_syntax_errors_name_their_line() -> None:
    assert diags("a: [1, 2\nb: 3\n") == [
        "a.yaml:2:2: error: while parsing a flow sequence did not find expected ',' or ']' [yaml-syntax]"]
    assert diags("a:\n\tb: 1\n")[0].startswith("a.yaml:2:1: error:")


def test_multiple_documents_and_empty_files() -> None:
    assert diags("a: 1\n---\nb: 2\n") == [
        "a.yaml:2:1: error: expected a single document in the stream but found another document [yaml-syntax]"]
    assert diags("") == ["a.yaml:1:1: error: the file is empty [empty-file]"]
    assert diags("# only a comment\n") == ["a.yaml:1:1: error: the file is empty [empty-file]"]


def test_nul_byte_and_non_utf8(tmp_path: Path) -> None:
    assert diags("a: b\x00c\n") == ["a.yaml:1:5: error: NUL byte in file [yaml-syntax]"]
    file = tmp_path / "x.yaml"
    file.write_bytes(b"a: 1\nb: caf\xe9\n")
    assert [str(d) for d in load_file(file, "x.yaml")[1]] == [
        "x.yaml:2:7: error: file is not UTF-8 (byte 0xe9) (save the file as UTF-8) [encoding]"]


def test_non_text_keys_are_refused() -> None:
    assert diags("? [a, b]\n: 1\n") == ["a.yaml:1:3: error: a key must be plain text [yaml-key]"]


def test_a_record_file_and_its_record_work_out_their_citations_once() -> None:
    # The load's checks walk the file, the exports its record: one walk serves both.
    from conftest import FIXTURES

    from generator.check import load_corpus
    from generator.corpus import Project, file_facts

    corpus = load_corpus(Project(FIXTURES / "basic"))
    entries = corpus.entries()
    assert entries and all(file_facts(entry) is corpus.facts[entry.path] for entry in entries)
