"""A build on two cores writes the site a build on one core writes, with the same warnings.

The builds run as editors run them, in a fresh ``mkdocs build`` each: a second core is used only
in a process with no other thread, and a test session has some.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES
from mkdocs.config import load_config

from generator.second_core import safe_to_share

ROOT = Path(__file__).resolve().parents[1]
SECOND_CORE = re.compile(r"briefs: (\d+) pages were converted on a second core")


def _build(config: Path, site: str, cores: str) -> tuple[dict[str, bytes], list[str], int]:
    """(the site's files, the warnings, the pages converted on a second core)."""
    env = {**os.environ, "BRIEFS_CORES": cores, "NO_MKDOCS_2_WARNING": "1"}
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-f", str(config), "-d", site],
                          capture_output=True, text=True, env=env, cwd=config.parent, check=True)
    folder = config.parent / site
    files = {path.relative_to(folder).as_posix(): path.read_bytes() for path in folder.rglob("*") if path.is_file()}
    warnings = [line for line in done.stderr.splitlines() if line.startswith("WARNING")]
    taken = SECOND_CORE.search(done.stderr)
    return files, warnings, int(taken.group(1)) if taken else 0


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[dict[str, bytes], list[str], int]]:
    root = tmp_path_factory.mktemp("cores") / "basic"
    shutil.copytree(FIXTURES / "basic", root, ignore=shutil.ignore_patterns("expected", "site"))
    (root / "node_modules").symlink_to(ROOT / "node_modules")
    # Hand-written pages side by side, so that the second core is given some of each kind: pages with
    # a block the plugin fills in (their Markdown changes before conversion), and pages with a link to
    # a missing page and one to a missing anchor (warned of while converting, and after).
    for name in ("filled-a", "filled-b", "filled-c"):
        (root / "content" / f"{name}.md").write_text(f"# {name}\n\n<!-- briefs:counts -->\n", encoding="utf-8")
    for name in ("links-a", "links-b", "links-c"):
        links = f"See [a page]({name}-missing.md) and [an anchor](index.md#{name}-nowhere)."
        (root / "content" / f"{name}.md").write_text(f"# {name}\n\n{links}\n", encoding="utf-8")
    config = root / "mkdocs.yml"
    return {cores: _build(config, f"site-{cores}", cores) for cores in ("1", "2")}


def test_a_build_on_two_cores_writes_the_site_a_build_on_one_core_writes(two_builds) -> None:
    one, _, taken_on_one = two_builds["1"]
    two, _, taken_on_two = two_builds["2"]
    assert taken_on_one == 0 and taken_on_two >= 5, "the second core did not convert the pages it was given"
    assert sorted(two) == sorted(one)
    assert [name for name in one if two[name] != one[name]] == []


def test_a_build_on_two_cores_reports_each_warning_once_in_its_page_turn(two_builds) -> None:
    _, on_one, _ = two_builds["1"]
    _, on_two, _ = two_builds["2"]
    assert len([line for line in on_one if "-missing.md" in line]) == 3, on_one
    assert len([line for line in on_one if "-nowhere" in line]) == 3, on_one
    assert on_two == on_one  # --strict counts them alike


@pytest.mark.parametrize(("extension", "plugin", "safe"), [
    (None, None, True),
    ("abbr", None, True),  # Python-Markdown's own, by its short name
    ("markdown.extensions.smarty", None, True),
    ("pymdownx.superfences", None, False),  # not known to keep nothing across pages
    (None, "material/offline", False),  # a plugin whose page events were not read
])
def test_only_known_extensions_and_plugins_share_the_pages(project, extension, plugin, safe) -> None:
    config_file = project("basic")
    text = config_file.read_text(encoding="utf-8")
    if extension:
        text = text.replace("markdown_extensions:\n", f"markdown_extensions:\n  - {extension}\n")
    if plugin:
        text = text.replace("plugins:\n", f"plugins:\n  - {plugin}\n")
    config_file.write_text(text, encoding="utf-8")
    config = load_config(str(config_file))
    assert safe_to_share(config) is safe


_WANTED = """
import sys, threading
from mkdocs.config import load_config
from generator.second_core import wanted
config = load_config(sys.argv[1])
alone = wanted(config, 10)
stop = threading.Event()
threading.Thread(target=stop.wait).start()
print(alone, wanted(config, 10))
stop.set()
"""


def test_a_process_with_another_thread_converts_on_one_core(project) -> None:
    """A lock another thread holds at the fork would stay held in the child: no second core then."""
    done = subprocess.run([sys.executable, "-c", _WANTED, str(project("basic"))], capture_output=True, text=True,
                          env={**os.environ, "BRIEFS_CORES": ""}, check=True, cwd=ROOT)
    assert done.stdout.split() == ["True", "False"]
