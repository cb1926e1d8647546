"""Live preview: `mkdocs serve` rebuilds when a record's YAML or a .bib file is saved."""

from __future__ import annotations

import subprocess
import sys

import pytest
from bench.serve import free_port, seconds_until


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
    seconds_until(page, "Example market bombing")
    record = root / "content" / "attacks" / "example-market-bombing.yaml"
    record.write_text(record.read_text().replace("title: Example market bombing", "title: Renamed bombing"))
    seconds = seconds_until(page, "Renamed bombing")
    print(f"YAML save to page change: {seconds:.2f} s")
    bib = root / "bib" / "refs.bib"
    bib.write_text(bib.read_text().replace("Toll Rises after Market Attack", "Toll Climbs after Market Attack"))
    seconds_until(page, "Toll Climbs after Market Attack")


