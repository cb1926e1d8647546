"""Shared test helpers: the repo, fixture projects, real-world test data, Chromium."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
TESTDATA = ROOT.parent / "shared" / "testdata"
CHROMIUM = Path("/usr/bin/chromium")
IN_CI = os.environ.get("CI", "").lower() == "true"

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
# The review's "as of" date (stale records): fixed, so golden files and builds are reproducible.
os.environ.setdefault("SOURCE_DATE_EPOCH", "1795305600")  # 2026-11-22


def shared_data(*parts: str) -> Path:
    """A path in ../shared/testdata; skipped where it is absent, but never under CI."""
    path = TESTDATA.joinpath(*parts)
    if not path.exists():
        if IN_CI:
            pytest.fail(f"{path} is missing; CI must run the real-world data tests")
        pytest.skip(f"{path} is absent (a clone without ../shared/testdata)")
    return path


def require_chromium() -> Path:
    if not CHROMIUM.exists():
        if IN_CI:
            pytest.fail("/usr/bin/chromium is missing; .ci/run installs Debian's chromium")
        pytest.skip("no /usr/bin/chromium on this machine")
    return CHROMIUM


@pytest.fixture
def project(tmp_path: Path):
    """Copy a fixture project into a scratch folder: ``project("basic")`` returns its mkdocs.yml."""

    def copy(name: str) -> Path:
        target = tmp_path / name
        shutil.copytree(FIXTURES / name, target, ignore=shutil.ignore_patterns("expected", "site"))
        return target / "mkdocs.yml"

    return copy
