"""Compare output with a file checked in beside the fixture; UPDATE_GOLDEN=1 rewrites it for review."""

from __future__ import annotations

import os
from pathlib import Path


def assert_golden(actual: str, expected_file: Path) -> None:
    if os.environ.get("UPDATE_GOLDEN") == "1":
        expected_file.parent.mkdir(parents=True, exist_ok=True)
        expected_file.write_text(actual, encoding="utf-8")
    assert expected_file.exists(), f"{expected_file} is missing: run with UPDATE_GOLDEN=1 and review the diff"
    assert actual == expected_file.read_text(encoding="utf-8"), (
        f"{expected_file} differs: run with UPDATE_GOLDEN=1 and review the diff")
