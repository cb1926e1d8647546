"""The benchmark's smoke test: a tiny synthetic corpus is valid, and the bench runs end to end.

No timing is asserted: the numbers are for ``make bench``, not for pass or fail.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

from bench.corpus import write_corpus
from click.testing import CliRunner

from generator.cli import main

ROOT = Path(__file__).resolve().parent.parent


def digest(folder: Path) -> str:
    h = hashlib.sha256()
    for file in sorted(p for p in folder.rglob("*") if p.is_file()):
        h.update(file.relative_to(folder).as_posix().encode() + b"\0" + file.read_bytes())
    return h.hexdigest()


def test_synthetic_corpus_passes_strict_check(tmp_path: Path) -> None:
    stats = write_corpus(tmp_path / "a", 12, seed=1)
    assert (stats.actors, stats.attacks, stats.options, stats.references) == (4, 6, 2, 3)
    assert 400 < stats.words / stats.records < 800  # about 600 words of prose per record
    result = CliRunner().invoke(main, ["check", "--strict", "-f", str(tmp_path / "a" / "mkdocs.yml")])
    assert result.exit_code == 0, result.stdout + result.stderr
    assert result.stderr == "0 error(s), 0 warning(s)\n"
    # Deterministic: the same size and seed write the same bytes; another seed does not.
    write_corpus(tmp_path / "b", 12, seed=1)
    write_corpus(tmp_path / "c", 12, seed=2)
    assert digest(tmp_path / "a") == digest(tmp_path / "b") != digest(tmp_path / "c")


def test_bench_runs_and_reports_the_ratios(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bench", "--sizes", "12,20", "--repeat", "1", "--saves", "1", "--memory-saves", "2",
         "--out", str(tmp_path)],
        cwd=ROOT / "tests", capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    for label in ("build/floor", "check/parse", "growth", "serve reload at N=20", "reload(20)/reload(12)",
                  "serve reload, shipped content", "MB after saves", "build, 1 core"):
        assert label in result.stdout
    assert (tmp_path / "n12" / "site" / "index.html").is_file()
    assert (tmp_path / "n12-render" / "site" / "index.html").is_file()
