"""What the site's pages load besides MkDocs and Material: the briefs' own stylesheet and script
(package files), and browser libraries installed by npm from package.json. All are served by the
site itself, never from a CDN."""

from __future__ import annotations

from pathlib import Path

# site path → path inside node_modules
VENDOR_FILES = {
    "assets/vendor/vega.min.js": "vega/build/vega.min.js",
    "assets/vendor/vega-lite.min.js": "vega-lite/build/vega-lite.min.js",
    "assets/vendor/vega-embed.min.js": "vega-embed/build/vega-embed.min.js",
    "assets/vendor/countries-110m.json": "world-atlas/countries-110m.json",
}


# The briefs' own look and behaviour (key facts, notes, phones, print, charts): the plugin links them
# from every page, and `briefs render` writes them into its tree with the links in mkdocs.yml.
ASSETS = Path(__file__).resolve().parent / "assets"
STYLESHEET = "assets/briefs/briefs.css"
SCRIPT = "assets/briefs/briefs.js"
SEARCH_WORKER = "assets/briefs/search.js"  # answers Material's search box (theme/briefs.html points it here)
# Templates over Material's: the plugin puts this folder after a project's custom_dir.
THEME = Path(__file__).resolve().parent / "theme"


def asset_files() -> dict[str, Path]:
    return {STYLESHEET: ASSETS / "briefs.css", SCRIPT: ASSETS / "briefs.js", SEARCH_WORKER: ASSETS / "search.js"}


class MissingVendorFiles(RuntimeError):
    pass


REPO = Path(__file__).resolve().parent.parent


def vendor_files(root: Path) -> dict[str, Path]:
    """Site path → file on disk, from the project's node_modules or else the generator's own."""
    modules = next((folder / "node_modules" for folder in (root, REPO)
                    if (folder / "node_modules").is_dir()), root / "node_modules")
    files = {site_path: modules / rel for site_path, rel in VENDOR_FILES.items()}
    missing = [str(path) for path in files.values() if not path.is_file()]
    if missing:
        raise MissingVendorFiles(f"missing {', '.join(missing)}: run `make site` (it runs npm ci)")
    return files
