"""Live preview timing: seconds from saving a record to ``mkdocs serve`` showing the change."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

from bench.children import tool

# What the shipped project needs to build; the rest (.git, .venv, site, .bench) stays behind.
_PROJECT_PARTS = ("mkdocs.yml", "content", "bib", "seeds")
_POLL = 0.05  # seconds between requests while waiting for the page


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def page_text(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return str(response.read().decode("utf-8"))
    except OSError:
        return ""


def seconds_until(url: str, text: str, limit: float = 120) -> float:
    """Poll ``url`` until its page holds ``text``; the seconds that took."""
    start = time.perf_counter()
    while time.perf_counter() - start < limit:
        if text in page_text(url):
            return time.perf_counter() - start
        time.sleep(_POLL)
    raise RuntimeError(f"bench: {text!r} never appeared at {url} within {limit:.0f} s")


def copy_project(project: Path, copy: Path) -> Path:
    """What ``project`` needs to build, copied to ``copy`` (its node_modules linked); the copy's mkdocs.yml."""
    shutil.rmtree(copy, ignore_errors=True)
    copy.mkdir(parents=True)
    for part in _PROJECT_PARTS:
        source = project / part
        if source.is_dir():
            shutil.copytree(source, copy / part)
        elif source.exists():
            shutil.copyfile(source, copy / part)
    if (project / "node_modules").is_dir():
        (copy / "node_modules").symlink_to(project / "node_modules", target_is_directory=True)
    return copy / "mkdocs.yml"


def serve_reload(project: Path, saves: int, scratch: Path) -> list[float]:
    """Seconds from saving one attack's YAML to ``mkdocs serve`` showing its new title.

    Runs on a copy of ``project``, so the shipped content is never touched; the first
    attack file in name order is the one edited.
    """
    copy = copy_project(project, scratch / "serve").parent
    record = sorted((copy / "content" / "attacks").glob("*.yaml"))[0]
    address = f"127.0.0.1:{free_port()}"
    page = f"http://{address}/attacks/{record.stem}/"
    server = subprocess.Popen([tool("mkdocs"), "serve", "-f", str(copy / "mkdocs.yml"), "-a", address],
                              cwd=copy, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              env=dict(os.environ, NO_MKDOCS_2_WARNING="1"))
    try:
        original = record.read_text(encoding="utf-8")
        title = next(line for line in original.splitlines() if line.startswith("title: "))
        seconds_until(page, title.removeprefix("title: ").split()[0])
        seconds = []
        for save in range(saves):
            marker = f"edited{save + 1}"
            time.sleep(1.0)  # a quiet moment: the watcher has settled since the last build
            record.write_text(original.replace(title, f"{title} {marker}", 1), encoding="utf-8")
            seconds.append(seconds_until(page, marker))
        return seconds
    finally:
        server.terminate()
        server.wait(timeout=30)
