"""Live preview timing: seconds from saving a record to ``briefs serve`` showing the change, and the
server's memory as saves go on.

On a copy of a project, one attack's title is changed again and again; each save is timed until
both the attack's page and the page of an actor that lists the attack show the new title. The
server's resident memory is read from /proc after its first build and after a number of saves.
"""

from __future__ import annotations

import os
import random
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
# MkDocs' watcher looks at the files every half second. Saves at a fixed pace fall at the same point
# of its cycle every time, early or late by the size of the build: each waits a random part of a cycle
# more, as an editor's saves do, so that the median is not that one point's luck.
WATCH_CYCLE = 0.5
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


class Session:
    """``briefs serve`` on a copy of a project, started, and one attack's title saved on it."""

    def __init__(self, project: Path, scratch: Path) -> None:
        copy = copy_project(project, scratch / f"serve-{project.name}").parent
        self.record, self.actor = _attack_and_actor(copy)
        address = f"127.0.0.1:{free_port()}"
        self.pages = [f"http://{address}/attacks/{self.record.stem}/"] + (
            [f"http://{address}/actors/{self.actor}/"] if self.actor else [])
        self.original = self.record.read_text(encoding="utf-8")
        self.title = next(line for line in self.original.splitlines() if line.startswith("title: "))
        self.saves = 0
        start = time.perf_counter()
        self.server = subprocess.Popen([tool("briefs"), "serve", "-f", str(copy / "mkdocs.yml"), "-a", address],
                                       cwd=copy, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                       env=dict(os.environ, NO_MKDOCS_2_WARNING="1"))
        try:
            seconds_until_all(self.pages, self.title.removeprefix("title: "), FIRST_BUILD_LIMIT)
        except BaseException:
            self.close()
            raise
        self.run = ServeRun(self.record.stem, self.actor, time.perf_counter() - start)
        self.run.rss_kib[0] = resident_kib(self.server.pid)

    def save(self) -> float:
        """Save the title changed once more: the seconds until both pages show it."""
        self.saves += 1
        marker = f"edited{self.saves}"
        self.record.write_text(self.original.replace(self.title, f"{self.title} {marker}", 1), encoding="utf-8")
        seconds = seconds_until_all(self.pages, marker)
        if self.saves in (10, 25, 50):
            self.run.rss_kib[self.saves] = resident_kib(self.server.pid)
        return seconds

    def close(self) -> None:
        self.server.terminate()
        self.server.wait(timeout=30)


def serve_reloads(projects: list[Path], saves: int, scratch: Path, memory_saves: int = 0) -> list[ServeRun]:
    """Time ``saves`` saves of one attack's title under ``briefs serve`` on a copy of each project,
    then save on up to ``memory_saves`` in all, reading each server's memory along the way.

    The servers run side by side, started one after the other, and the timed saves take turns, one on
    each: a shared machine's speed drifts over minutes, and the reload at one size over the reload
    at another is then taken over the same minutes (as ``farm-bench --vs`` pairs its runs)."""
    sessions: list[Session] = []
    pace = random.Random(saves)  # the same waits in every run
    try:
        for project in projects:
            sessions.append(Session(project, scratch))
        for _ in range(saves):
            for session in sessions:
                time.sleep(QUIET + pace.uniform(0, WATCH_CYCLE))
                session.run.seconds.append(session.save())
        for session in sessions:
            while session.saves < memory_saves:
                time.sleep(QUIET)
                session.save()
            session.run.rss_kib[session.saves] = resident_kib(session.server.pid)
            session.run.peak_kib = resident_kib(session.server.pid, "VmHWM")
        return [session.run for session in sessions]
    finally:
        for session in sessions:
            session.close()
