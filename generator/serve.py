"""``briefs serve``: the live preview over HTTP. After each save the browser reloads, showing the
pages the save changed (see ``preview``), or, when the content has errors, the last good pages
under a banner that lists the errors: never a stale page that looks fine."""

from __future__ import annotations

import html
import logging
import os
import shutil
import sys
import tempfile
import threading
import traceback
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import click

from . import mkdocs_internals as internals
from .diagnostics import Diagnostic, Severity, format_text, summary
from .preview import Preview
from .progress import Progress, ProgressLogHandler, progress_for
from .site import project_for

log = logging.getLogger("mkdocs.plugins.briefs")

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class Status:
    """What the browser must be told besides the site: content errors, or a build that failed."""

    def __init__(self, preview: Preview) -> None:
        self.preview = preview
        self.failure: str | None = None

    @property
    def problems(self) -> list[Diagnostic]:
        return [d for d in self.preview.problems if d.severity is Severity.ERROR]

    def banner(self) -> str | None:
        if self.failure is not None:
            heading, details = "The preview could not be built.", self.failure
        elif self.problems:
            heading = (f"The content has {len(self.problems)} error(s): the pages below are the last good build. "
                       "Fix them and save; this page reloads.")
            details = format_text(self.problems)
        else:
            return None
        return (f'<div id="briefs-problems" role="alert" style="position:sticky;top:0;z-index:1000;'
                f'padding:.8rem 1rem;background:#b71c1c;color:#fff;font:14px/1.4 system-ui,sans-serif">'
                f'<strong>{html.escape(heading)}</strong>'
                f'<pre style="margin:.5rem 0 0;white-space:pre-wrap;font-size:13px">{html.escape(details)}</pre></div>')


def with_banner(app: WSGIApp, status: Status, mount_path: str = "/") -> WSGIApp:
    """Every HTML page the server sends carries the banner while there is something to say. A data
    file the last save has yet to write is sent once it is written (``Preview.finish``)."""

    def serve(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path = str(environ.get("PATH_INFO", "")).removeprefix(mount_path.rstrip("/")).lstrip("/")
        if status.preview.waits_for(path):
            status.preview.finish()
        banner = status.banner()
        if banner is None:
            return app(environ, start_response)
        caught: list[Any] = []
        body = b"".join(app(environ, lambda code, headers, *rest: caught.append((code, headers, rest))))
        code, headers, rest = caught[0]
        if any(name.lower() == "content-type" and value.startswith("text/html") for name, value in headers):
            body = insert_banner(body, banner.encode("utf-8"))
            headers = [(name, str(len(body)) if name.lower() == "content-length" else value)
                       for name, value in headers]
        start_response(code, headers, *rest)
        return [body]

    return serve


def insert_banner(page: bytes, banner: bytes) -> bytes:
    start = page.find(b"<body")
    end = page.find(b">", start) + 1 if start >= 0 else 0
    return page[:end] + banner + page[end:]


def error_page() -> bytes:
    """What the server sends while there is no site to show: the banner goes into it."""
    return b"<!doctype html><html><head><meta charset=utf-8><title>briefs</title></head><body></body></html>"


def serve(config_file: Path, dev_addr: str) -> None:
    """Build the site into a scratch folder, serve it at ``dev_addr``, keep it up to date."""
    progress = progress_for(sys.stderr)  # the first build's stages, on a terminal
    _log_as_mkdocs_serve_does(progress)
    host, _, port = dev_addr.rpartition(":")
    project = project_for(config_file)
    mount_path = urlsplit(project.site_url or "/").path or "/"
    site_dir = Path(tempfile.mkdtemp(prefix="briefs_"))
    preview = Preview(config_file, site_dir, f"http://{host}:{port}{mount_path.rstrip('/')}/", progress)
    status = Status(preview)

    def builder() -> None:
        status.failure = None
        try:
            said = preview.rebuild(data_later=True) if preview.site is not None else _first_build(preview)
        except Exception:
            status.failure = traceback.format_exc()
            click.echo(f"briefs: the build failed:\n{status.failure}", err=True)
            return
        if status.problems:
            click.echo(f"{format_text(preview.problems)}\n{summary(preview.problems)}", err=True)
        log.info(f"briefs: {said}")
        if preview.pending is not None:  # while the browsers reload the pages the save changed
            threading.Thread(target=finish, name="briefs-data-files", daemon=True).start()

    def finish() -> None:
        try:
            preview.finish()
        except Exception:
            status.failure = traceback.format_exc()
            click.echo(f"briefs: the data files failed:\n{status.failure}", err=True)

    builder()
    server = internals.live_reload_server(builder, host, int(port), str(site_dir), mount_path,
                                          stat=between_builds(preview.lock))
    server.error_handler = lambda code: error_page() if status.banner() else _site_page(site_dir, code)
    server.set_app(with_banner(server.serve_request, status, mount_path))
    for path in (config_file, project.content_dir, project.root / project.bib, project.root / project.seeds):
        if path.exists():
            server.watch(str(path))
    try:
        server.serve()
    except KeyboardInterrupt:
        log.info("Shutting down...")
    finally:
        server.shutdown()
        shutil.rmtree(site_dir, ignore_errors=True)


def between_builds(lock: AbstractContextManager[Any]) -> Callable[[str], os.stat_result]:
    """How the server looks at a watched file: never while a build holds ``lock``. It looks at every
    file twice a second (2,000 files at 2,000 records), and each look lets go of the interpreter lock
    and waits to take it back from the build. A file saved during a build is seen when the build is
    done, which is as soon as the next build could start anyway."""

    def stat(path: str) -> os.stat_result:
        with lock:
            return os.stat(path)

    return stat


def _first_build(preview: Preview) -> str:
    preview.build()
    return "built the whole site" if preview.site is not None else "the content has errors: nothing built yet"


def _site_page(site_dir: Path, code: int) -> bytes | None:
    page = site_dir / f"{code}.html"
    return page.read_bytes() if page.is_file() else None


def _log_as_mkdocs_serve_does(progress: Progress) -> None:
    """MkDocs' and the server's messages (serving on, reloading browsers) and ours, as ``mkdocs serve``
    prints them, each on a line of its own above a build's progress bar."""
    handler = ProgressLogHandler(progress, logging.INFO, "%(levelname)-7s -  %(message)s")
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
