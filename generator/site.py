"""Build the site with MkDocs, aside then swapped in; write the docs tree for any engine."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import yaml

from .corpus import Corpus, Project, publishing
from .generate import fill_markers, generate, marker_blocks, static_files, write_static
from .mdext import REQUIRED
from .plugin import BriefsPlugin
from .progress import Progress
from .vendor import SCRIPT, STYLESHEET, THEME

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


def find_config(start: Path) -> Path | None:
    for folder in [start, *start.parents]:
        if (folder / "mkdocs.yml").is_file():
            return folder / "mkdocs.yml"
    return None


def project_for(config_file: Path) -> Project:
    config = _read_config(config_file)
    settings = {name: resolve_env(value) for name, value in _plugin_settings(config).items()}
    site_url, repo_url = resolve_env(config.get("site_url")), resolve_env(config.get("repo_url"))
    return Project(config_file.resolve().parent, settings.get("content", "content"),
                   settings.get("bib", "bib"), settings.get("seeds", "seeds"),
                   settings.get("review_period_days", 365), str(config.get("site_name", "briefs")),
                   site_address(site_url), publishing(settings, repo_url if isinstance(repo_url, str) else None))


def site_address(site_url: Any) -> str:
    """``site_url`` as MkDocs keeps it (ending in a slash), or "" when the site has no address."""
    return site_url.rstrip("/") + "/" if isinstance(site_url, str) and site_url.strip() else ""


def resolve_env(value: Any) -> Any:
    """A setting as MkDocs reads it: ``!ENV VAR`` or ``!ENV [VAR, OTHER, default]`` becomes the
    first variable that is set, else the default (``None`` without one)."""
    if not (isinstance(value, _Tagged) and value.tag == "!ENV"):
        return value
    names = value.value if isinstance(value.value, list) else [value.value]
    *variables, default = names if len(names) > 1 else [*names, None]
    for name in variables:
        if isinstance(name, str) and name in os.environ:
            return os.environ[name]
    return default


class _ConfigLoader(yaml.SafeLoader):
    """Reads mkdocs.yml as data: MkDocs' own tags (!ENV, !relative) are kept as they are."""


def _keep_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.SequenceNode):
        return _Tagged("!" + suffix, loader.construct_sequence(node))
    return _Tagged("!" + suffix, loader.construct_scalar(node))  # type: ignore[arg-type]


class _Tagged:
    def __init__(self, tag: str, value: Any) -> None:
        self.tag, self.value = tag, value


def _represent_tagged(dumper: yaml.SafeDumper, data: _Tagged) -> yaml.Node:
    if isinstance(data.value, list):
        return dumper.represent_sequence(data.tag, data.value, flow_style=True)
    return dumper.represent_scalar(data.tag, data.value)


_ConfigLoader.add_multi_constructor("!", _keep_tag)
yaml.SafeDumper.add_representer(_Tagged, _represent_tagged)


def _read_config(config_file: Path) -> dict[str, Any]:
    return yaml.load(config_file.read_text(encoding="utf-8"), Loader=_ConfigLoader) or {}  # noqa: S506


def _plugin_settings(config: dict[str, Any]) -> dict[str, Any]:
    for plugin in config.get("plugins", []):
        if isinstance(plugin, dict) and "briefs" in plugin:
            return plugin["briefs"] or {}
    return {}


def render_tree(corpus: Corpus, config_file: Path, out: Path) -> None:
    """Write ``out/docs`` (hand-written and generated pages) and ``out/mkdocs.yml`` without the plugin."""
    project = corpus.project
    docs = out / "docs"
    if docs.exists():
        shutil.rmtree(docs)
    blocks = marker_blocks(corpus)
    for file in sorted(project.content_dir.rglob("*")):
        rel = file.relative_to(project.content_dir)
        if file.is_dir() or file.suffix in (".yaml", ".yml"):
            continue
        target = docs / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if file.suffix == ".md":
            target.write_text(fill_markers(file.read_text(encoding="utf-8"), blocks), encoding="utf-8")
        else:
            shutil.copyfile(file, target)
    for page in generate(corpus):
        target = docs / page.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page.markdown, encoding="utf-8")
    for path, content in static_files(corpus).items():
        write_static(docs / path, content)
    config = _read_config(config_file)
    config["plugins"] = [p for p in config.get("plugins", []) if p != "briefs"
                         and not (isinstance(p, dict) and "briefs" in p)]
    config["markdown_extensions"] = required_extensions(config.get("markdown_extensions") or [])
    config["extra_css"] = [*config.get("extra_css", []), STYLESHEET]
    config["extra_javascript"] = [*config.get("extra_javascript", []), SCRIPT]
    # The tree's pages are generated: "edit this page" would open Markdown, not the YAML record it
    # comes from, which only the plugin knows. An empty edit_uri turns the edit links off.
    config["edit_uri"] = ""
    config["docs_dir"] = "docs"
    config["site_dir"] = "site"
    # The tree's theme overrides: the generator's own, and a project's custom_dir over them.
    overrides = out / "overrides"
    if overrides.exists():
        shutil.rmtree(overrides)
    shutil.copytree(THEME, overrides)
    custom_dir = config.get("theme", {}).get("custom_dir")
    if isinstance(custom_dir, str):
        shutil.copytree(project.root / custom_dir, overrides, dirs_exist_ok=True)
    config.setdefault("theme", {})["custom_dir"] = "overrides"
    (out / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True),
                                    encoding="utf-8")


def required_extensions(extensions: list[Any]) -> list[Any]:
    """The project's Markdown extensions and those the generated pages need (mdext.REQUIRED)."""
    named = {next(iter(e)) if isinstance(e, dict) else e for e in extensions}
    return list(extensions) + [name for name in REQUIRED if name not in named]


def build_site(corpus: Corpus, config_file: Path, strict: bool, progress: Progress | None = None) -> Path:
    """Build into a folder beside ``site/`` and swap it in only when the build succeeded."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    root = config_file.resolve().parent
    site, staging, old = root / "site", root / ".site-staging", root / ".site-old"
    if old.exists() and not site.exists():  # a build killed between the two renames
        old.rename(site)
    for leftover in (staging, old):
        if leftover.exists():
            shutil.rmtree(leftover)
    config = load_config(str(config_file), site_dir=str(staging), strict=strict)
    plugin = config.plugins["briefs"]
    assert isinstance(plugin, BriefsPlugin)
    plugin.corpus = corpus  # already loaded and checked: do not parse twice
    plugin.progress = progress or Progress()
    del corpus  # the plugin lets it go once the pages are made: MkDocs builds on a smaller heap
    try:
        build(config)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if site.exists():
        site.rename(old)
    staging.rename(site)
    shutil.rmtree(old, ignore_errors=True)
    return site
