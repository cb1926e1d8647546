"""A long build shows where it is on a terminal, and nothing more than before in a pipe or CI."""

from __future__ import annotations

import os
import pty
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STAGES = ("Loading records", "Generating pages", "Exports and search", "Converting pages", "Writing pages")


def with_a_warning(config: Path) -> str:
    """A hand-written page links to a page that does not exist: MkDocs warns while it converts."""
    home = config.parent / "content" / "index.md"
    home.write_text(home.read_text() + "\nSee [nowhere](nowhere.md).\n")
    (config.parent / "node_modules").symlink_to(ROOT / "node_modules")
    return "contains a link 'nowhere.md', but the target is not found"


def terminal_lines(raw: str) -> list[str]:
    """What a terminal shows: a carriage return or a line clear starts the line again."""
    lines, line = [], ""
    raw = re.sub(r"\x1b\[\?25[lh]", "", raw).replace("\r\n", "\n")  # a terminal sends a newline as both
    for piece in re.split(r"(\r\x1b\[K|\r|\n)", raw):
        if piece in ("\r\x1b[K", "\r"):
            line = ""
        elif piece == "\n":
            lines.append(line)
            line = ""
        else:
            line += piece
    return [*lines, line]


def test_on_a_terminal_each_stage_counts_its_steps_and_warnings_stand_on_their_own_lines(project) -> None:
    config = project("basic")
    warning = with_a_warning(config)
    parent, child = pty.openpty()
    build = subprocess.Popen([sys.executable, "-m", "generator.cli", "build", "-f", str(config)], stdin=child,
                             stdout=child, stderr=child, cwd=config.parent, env=dict(os.environ, COLUMNS="100"))
    os.close(child)
    chunks = []
    while True:
        try:
            chunk = os.read(parent, 65536)
        except OSError:  # the build has ended and closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    assert build.wait(timeout=120) == 0
    lines = terminal_lines(b"".join(chunks).decode("utf-8", "replace"))
    for stage in STAGES:
        finished = [line for line in lines if line.startswith(stage)]
        assert finished, f"no {stage!r} bar in {lines}"
        done, total = re.search(r"(\d+)/(\d+)$", finished[-1]).groups()  # type: ignore[union-attr]
        assert done == total and int(total) > 0, finished[-1]
    warned = [line for line in lines if warning in line]
    assert warned and all(line.startswith("Doc file 'index.md'") for line in warned), warned
    assert lines[-2].startswith("built ")


def test_in_a_pipe_nothing_is_drawn(project) -> None:
    config = project("basic")
    warning = with_a_warning(config)
    result = subprocess.run([sys.executable, "-m", "generator.cli", "build", "-f", str(config)], capture_output=True,
                            text=True, cwd=config.parent, timeout=120)
    assert result.returncode == 0, result.stderr
    assert not any(stage in result.stdout + result.stderr for stage in STAGES)
    assert "\r" not in result.stderr
    lines = result.stderr.splitlines()
    assert lines[0] == "0 error(s), 0 warning(s)" and warning in lines[1] and lines[2].startswith("built ")
