"""The JSON Schemas of the record kinds, written where editors' YAML plugins find them."""

from __future__ import annotations

import json
from pathlib import Path

from .corpus import Project
from .models import schemas

SCHEMA_DIR = "schemas"  # inside the content folder, so the site publishes them too


def schema_text(schema: dict[str, object]) -> str:
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def write_schemas(project: Project) -> list[Path]:
    folder = project.content_dir / SCHEMA_DIR
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, schema in schemas().items():
        path = folder / name
        path.write_text(schema_text(schema), encoding="utf-8")
        written.append(path)
    return written
