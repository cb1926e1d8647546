"""Live preview: `mkdocs serve` rebuilds when a record's YAML or a .bib file is saved."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request

import pytest


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return ""


def wait_for(url: str, text: str, limit: float = 60) -> float:
    started = time.monotonic()
    while time.monotonic() - started < limit:
        if text in fetch(url):
            return time.monotonic() - started
        time.sleep(0.2)
    raise AssertionError(f"{text!r} never appeared at {url}")


@pytest.fixture
def served(project):
    config = project("basic")
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "-f", str(config), "-a", f"127.0.0.1:{port}"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=config.parent)
    try:
        yield config.parent, f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=20)


def test_saving_yaml_or_bib_rebuilds_the_page(served) -> None:
    root, base = served
    page = f"{base}/attacks/example-market-bombing/"
    wait_for(page, "Example market bombing")
    record = root / "content" / "attacks" / "example-market-bombing.yaml"
    record.write_text(record.read_text().replace("title: Example market bombing", "title: Renamed bombing"))
    seconds = wait_for(page, "Renamed bombing")
    print(f"YAML save to page change: {seconds:.2f} s")
    bib = root / "bib" / "refs.bib"
    bib.write_text(bib.read_text().replace("Toll Rises after Market Attack", "Toll Climbs after Market Attack"))
    wait_for(page, "Toll Climbs after Market Attack")


