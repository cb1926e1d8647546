"""The ``briefs`` command: parse arguments, call the library, print diagnostics, set the exit code."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .check import load_corpus
from .corpus import Corpus
from .diagnostics import format_json, format_text, has_errors, summary
from .progress import Progress, logs_above, progress_for
from .scaffold import ScaffoldError, scaffold
from .schemas import write_schemas
from .site import build_site, find_config, project_for, render_tree

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2


def _config(path: str | None) -> Path:
    config = Path(path) if path else find_config(Path.cwd())
    if config is None or not config.is_file():
        raise click.UsageError("no mkdocs.yml here or above; run briefs inside the project (or pass -f)")
    return config


def _check(config: Path, strict: bool, output_format: str = "text",
           progress: Progress | None = None) -> tuple[Corpus, bool]:
    corpus = load_corpus(project_for(config), progress=progress)
    if progress is not None:
        progress.finish()
    diagnostics = corpus.diagnostics
    if output_format == "json":
        click.echo(format_json(diagnostics))
    else:
        if diagnostics:
            click.echo(format_text(diagnostics), err=False)
        click.echo(summary(diagnostics), err=True)
    return corpus, not has_errors(diagnostics, strict)


def _checked(config: Path, strict: bool, progress: Progress | None = None) -> Corpus:
    """The corpus, or exit 1 with its diagnostics printed (click's Exit: not a SystemExit,
    which ``build`` reads as the site build failing)."""
    corpus, ok = _check(config, strict, progress=progress)
    if not ok:
        raise click.exceptions.Exit(EXIT_CONTENT)
    return corpus


config_option = click.option("-f", "--config-file", "config_file", type=click.Path(dir_okay=False),
                             help="The project's mkdocs.yml (default: found from here upwards).")
strict_option = click.option("--strict", is_flag=True, help="Fail on warnings too.")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Structured, cited briefs: YAML records and BibTeX into a static site."""


@main.command()
@config_option
@strict_option
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text",
              help="text: path:line:col: severity: message [code]; json: a list of objects.")
def check(config_file: str | None, strict: bool, output_format: str) -> None:
    """Validate every record and reference; report every problem in one run."""
    _, ok = _check(_config(config_file), strict, output_format)
    sys.exit(EXIT_OK if ok else EXIT_CONTENT)


@main.command()
@config_option
@strict_option
def build(config_file: str | None, strict: bool) -> None:
    """Check, then build the site into site/ (the previous site/ stays if anything fails)."""
    from mkdocs.exceptions import MkDocsException

    config = _config(config_file)
    progress = progress_for(sys.stderr)  # where the build is, on a terminal only
    try:
        with logs_above(progress):
            site = build_site(_checked(config, strict, progress), config, strict, progress)  # no name holds the corpus
    except (MkDocsException, SystemExit) as exc:
        click.echo(f"error: the site build failed: {exc}", err=True)
        sys.exit(EXIT_CONTENT)
    click.echo(f"built {site}", err=True)


@main.command()
@config_option
@click.option("--out", required=True, type=click.Path(file_okay=False), help="Folder to write into.")
def render(config_file: str | None, out: str) -> None:
    """Write the complete docs tree and a plugin-free mkdocs.yml into OUT."""
    config = _config(config_file)
    corpus, ok = _check(config, strict=False)
    if not ok:
        sys.exit(EXIT_CONTENT)
    render_tree(corpus, config, Path(out))
    click.echo(f"wrote {out}/docs and {out}/mkdocs.yml", err=True)


@main.command()
@config_option
def schema(config_file: str | None) -> None:
    """Write the JSON Schema of each record kind into content/schemas/ (editors' autocompletion)."""
    project = project_for(_config(config_file))
    for path in write_schemas(project):
        click.echo(f"wrote {project.rel(path)}", err=True)


@main.command()
@config_option
@click.argument("kind")
@click.argument("id")
def new(config_file: str | None, kind: str, id: str) -> None:
    """Scaffold a record: briefs new attack kerman-2025 (KIND: actor, attack, policy-option)."""
    try:
        path = scaffold(project_for(_config(config_file)), kind, id)
    except ScaffoldError as exc:
        raise click.UsageError(str(exc)) from None
    click.echo(f"wrote {path}; replace its TODOs, then run briefs check", err=True)


@main.command()
@config_option
@click.option("-a", "--dev-addr", default="127.0.0.1:8000", show_default=True)
def serve(config_file: str | None, dev_addr: str) -> None:
    """Live preview: saving a YAML or .bib file rebuilds the pages it touches and reloads the browser."""
    from .serve import serve as serve_preview

    serve_preview(_config(config_file), dev_addr)


if __name__ == "__main__":
    main()
