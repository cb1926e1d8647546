"""Live preview timing: seconds from saving a record to ``briefs serve`` showing the change, and the
server's memory as saves go on.

On a copy of a project, one attack's title is changed again and again; each save is timed until
both the attack's page and the page of an actor that lists the attack show the new title. The
server's resident memory is read from /proc after its first build and after a number of saves.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import statistics
import subprocess
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from bench.children import tool

# What the shipped project needs to build; the rest (.git, .venv, site, .bench) stays behind.
_PROJECT_PARTS = ("mkdocs.yml", "content", "bib", "seeds")
_POLL = 0.05  # seconds between requests while waiting for the page
QUIET = 1.0  # seconds between saves: the watcher has settled since the last build
FIRST_BUILD_LIMIT = 1800  # seconds: a cold build of 2,000 records on a busy machine


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
    return seconds_until_all([url], text, limit)


def seconds_until_all(urls: list[str], text: str, limit: float = 120) -> float:
    """Poll each of ``urls`` until every page holds ``text``; the seconds that took."""
    start = time.perf_counter()
    waiting = list(urls)
    while waiting:
        if time.perf_counter() - start > limit:
            raise RuntimeError(f"bench: {text!r} never appeared at {waiting[0]} within {limit:.0f} s")
        if text in page_text(waiting[0]):
            waiting.pop(0)
        else:
            time.sleep(_POLL)
    return time.perf_counter() - start


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
    modules = next((folder / "node_modules" for folder in (project, Path(__file__).resolve().parents[2])
                    if (folder / "node_modules").is_dir()), None)
    if modules is not None:
        (copy / "node_modules").symlink_to(modules, target_is_directory=True)
    return copy / "mkdocs.yml"


def resident_kib(pid: int, field_name: str = "VmRSS") -> int:
    """The process's resident memory (VmRSS), or its peak so far (VmHWM), in KiB."""
    status = Path(f"/proc/{pid}/status").read_text()
    match = re.search(rf"^{field_name}:\s+(\d+) kB$", status, flags=re.M)
    return int(match.group(1)) if match else 0


@dataclass
class ServeRun:
    """One ``briefs serve`` session: the timed saves, and memory as saves went on."""

    record: str  # the attack saved
    actor: str | None  # an actor whose page lists it
    first_build: float  # seconds from starting the server to the attack's page
    seconds: list[float] = field(default_factory=list)  # per timed save
    rss_kib: dict[int, int] = field(default_factory=dict)  # saves so far → resident memory
    peak_kib: int = 0  # the process's peak, at the end

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)


def _attack_and_actor(copy: Path) -> tuple[Path, str | None]:
    """The first attack in name order with a perpetrator, and that actor (else the first attack)."""
    attacks = sorted((copy / "content" / "attacks").glob("*.yaml"))
    for attack in attacks:
        found = re.search(r"^\s*- actor: (\S+)$", attack.read_text(encoding="utf-8"), flags=re.M)
        if found:
            return attack, found.group(1)
    return attacks[0], None


def serve_reload(project: Path, saves: int, scratch: Path, memory_saves: int = 0) -> ServeRun:
    """Time ``saves`` saves of one attack's title under ``briefs serve`` on a copy of ``project``,
    then save on up to ``memory_saves`` in all, reading the server's memory along the way."""
    copy = copy_project(project, scratch / f"serve-{project.name}").parent
    record, actor = _attack_and_actor(copy)
    address = f"127.0.0.1:{free_port()}"
    pages = [f"http://{address}/attacks/{record.stem}/"] + ([f"http://{address}/actors/{actor}/"] if actor else [])
    start = time.perf_counter()
    server = subprocess.Popen([tool("briefs"), "serve", "-f", str(copy / "mkdocs.yml"), "-a", address],
                              cwd=copy, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              env=dict(os.environ, NO_MKDOCS_2_WARNING="1"))
    try:
        original = record.read_text(encoding="utf-8")
        title = next(line for line in original.splitlines() if line.startswith("title: "))
        seconds_until_all(pages, title.removeprefix("title: "), FIRST_BUILD_LIMIT)
        run = ServeRun(record.stem, actor, time.perf_counter() - start)
        run.rss_kib[0] = resident_kib(server.pid)
        for save in range(1, max(saves, memory_saves) + 1):
            marker = f"edited{save}"
            time.sleep(QUIET)
            record.write_text(original.replace(title, f"{title} {marker}", 1), encoding="utf-8")
            seconds = seconds_until_all(pages, marker)
            if save <= saves:
                run.seconds.append(seconds)
            if save in (10, 25, 50) or save == memory_saves:
                run.rss_kib[save] = resident_kib(server.pid)
        run.peak_kib = resident_kib(server.pid, "VmHWM")
        return run
    finally:
        server.terminate()
        server.wait(timeout=30)
