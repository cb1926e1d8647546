"""Live preview over HTTP: ``briefs serve`` shows a saved record or reference, shows content errors as
a banner over the last good pages and recovers on the next good save; ``mkdocs serve`` works too."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from bench.serve import free_port, page_text, seconds_until

from generator.serve import between_builds

ROOT = Path(__file__).resolve().parents[1]


def start(command: list[str], config: Path, log: Path) -> tuple[subprocess.Popen[bytes], str]:
    (config.parent / "node_modules").symlink_to(ROOT / "node_modules")
    port = free_port()
    with log.open("wb") as out:
        server = subprocess.Popen([*command, "-f", str(config), "-a", f"127.0.0.1:{port}"],
                                  stdout=out, stderr=subprocess.STDOUT, cwd=config.parent)
    return server, f"http://127.0.0.1:{port}"


@pytest.fixture
def briefs_serve(project, tmp_path: Path):
    config = project("basic")
    log = tmp_path / "serve.log"
    server, base = start([sys.executable, "-m", "generator.cli", "serve"], config, log)
    try:
        yield config.parent, base, log
    finally:
        server.terminate()
        server.wait(timeout=20)


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def test_saving_yaml_or_bib_shows_on_the_pages_that_show_it(briefs_serve) -> None:
    root, base, _ = briefs_serve
    page, actor = f"{base}/attacks/example-market-bombing/", f"{base}/actors/example-group/"
    seconds_until(page, "Example market bombing")
    replace(root / "content" / "attacks" / "example-market-bombing.yaml",
            "title: Example market bombing", "title: Renamed bombing")
    print(f"YAML save to page change: {seconds_until(page, 'Renamed bombing'):.2f} s")
    seconds_until(actor, "Renamed bombing")  # the actor's page lists its attacks
    replace(root / "bib" / "refs.bib", "Toll Rises after Market Attack", "Toll Climbs after Market Attack")
    seconds_until(page, "Toll Climbs after Market Attack")


def test_a_content_error_shows_over_every_page_until_the_next_good_save(briefs_serve) -> None:
    root, base, log = briefs_serve
    page, home = f"{base}/attacks/example-market-bombing/", f"{base}/"
    seconds_until(page, "Example market bombing")
    record = root / "content" / "attacks" / "example-market-bombing.yaml"
    replace(record, "actor: example-group", "actor: no-such-group")
    seconds_until(page, "briefs-problems")
    assert "unknown actors id &#x27;no-such-group&#x27;" in page_text(home)  # every page says so
    assert "Example market bombing" in page_text(page)  # over the last good page
    assert "unknown actors id 'no-such-group' [unknown-id]" in log.read_text()  # and the terminal
    replace(record, "actor: no-such-group", "actor: example-group")
    deadline = time.monotonic() + 30
    while "briefs-problems" in page_text(page):
        assert time.monotonic() < deadline, "the banner stayed after a good save"
        time.sleep(0.1)


def test_a_change_the_generator_does_not_track_rebuilds_the_whole_site_and_says_so(briefs_serve) -> None:
    root, base, log = briefs_serve
    seconds_until(f"{base}/", "A fixture corpus")
    replace(root / "content" / "index.md", "A fixture corpus for the tests.", "A changed home page.")
    seconds_until(f"{base}/", "A changed home page.")
    assert "content/index.md changed: rebuilding the whole site" in log.read_text()


def test_mkdocs_serve_still_works(project, tmp_path: Path) -> None:
    config = project("basic")
    server, base = start([sys.executable, "-m", "mkdocs", "serve"], config, tmp_path / "serve.log")
    try:
        page = f"{base}/attacks/example-market-bombing/"
        seconds_until(page, "Example market bombing")
        replace(config.parent / "content" / "attacks" / "example-market-bombing.yaml",
                "title: Example market bombing", "title: Renamed bombing")
        seconds_until(page, "Renamed bombing")
    finally:
        server.terminate()
        server.wait(timeout=20)


def test_the_server_looks_at_the_files_only_between_builds(tmp_path: Path) -> None:
    """A look at a watched file waits while a build holds the preview's lock (each look would
    otherwise take the interpreter lock from the build), and is made once the build lets go."""
    lock = threading.RLock()
    stat = between_builds(lock)
    record = tmp_path / "record.yaml"
    record.write_text("title: A\n")
    looked = threading.Event()
    with lock:  # a build
        threading.Thread(target=lambda: (stat(str(record)), looked.set()), daemon=True).start()
        assert not looked.wait(0.3)
    assert looked.wait(10)
