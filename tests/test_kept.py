"""Loading again after a save reads only the files that changed, and still sees every change."""

from __future__ import annotations

import os
import time
from pathlib import Path

from generator.check import load_corpus
from generator.corpus import Project
from generator.kept import KeptFiles


def age(root: Path) -> None:
    """As if the project had been written long ago: its files' times can be trusted."""
    old = time.time() - 3600
    for path in root.rglob("*"):
        os.utime(path, (old, old))


def test_unchanged_files_are_not_read_again(project) -> None:
    root = project("basic").parent
    age(root)
    kept = KeptFiles()
    first = load_corpus(Project(root), kept)
    again = load_corpus(Project(root), kept)
    assert kept.loaded == []
    assert again.get("attacks", "example-market-bombing") is first.get("attacks", "example-market-bombing")
    assert again.bibliography is first.bibliography


def test_a_saved_record_is_read_again_and_the_rest_kept(project) -> None:
    root = project("basic").parent
    age(root)
    kept = KeptFiles()
    first = load_corpus(Project(root), kept)
    record = root / "content" / "attacks" / "example-market-bombing.yaml"
    record.write_text(record.read_text().replace("title: Example market bombing", "title: Renamed"))
    again = load_corpus(Project(root), kept)
    assert kept.loaded == ["content/attacks/example-market-bombing.yaml"]
    assert again.title("attacks", "example-market-bombing") == "Renamed"
    assert again.get("actors", "example-group") is first.get("actors", "example-group")


def test_a_second_save_within_the_clock_tick_is_seen(project) -> None:
    """Same size, same modification time: a file saved just before it was loaded is loaded again."""
    root = project("basic").parent
    age(root)
    record = root / "content" / "attacks" / "example-market-bombing.yaml"
    kept = KeptFiles()
    record.write_text(record.read_text().replace("Example market bombing", "Example market bombinG"))
    stamp = os.stat(record).st_mtime_ns
    load_corpus(Project(root), kept)
    record.write_text(record.read_text().replace("bombinG", "bombiNg"))
    os.utime(record, ns=(stamp, stamp))
    assert load_corpus(Project(root), kept).title("attacks", "example-market-bombing") == "Example market bombiNg"


def test_deleted_and_added_files_and_bib_saves(project) -> None:
    root = project("basic").parent
    age(root)
    kept = KeptFiles()
    first = load_corpus(Project(root), kept)
    (root / "content" / "policy-options" / "example-talks.yaml").unlink()
    bib = root / "bib" / "refs.bib"
    bib.write_text(bib.read_text().replace("Toll Rises after Market Attack", "Toll Climbs after Market Attack"))
    again = load_corpus(Project(root), kept)
    assert again.get("policy-options", "example-talks") is None
    assert again.bibliography is not first.bibliography
    assert any("Toll Climbs" in ref.formatted.text for ref in again.bibliography.references.values())
    unchanged = [key for key, ref in first.bibliography.references.items() if "Toll Rises" not in ref.formatted.text]
    assert unchanged and all(again.bibliography.references[key] == first.bibliography.references[key]
                             for key in unchanged)
