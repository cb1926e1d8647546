"""``briefs new KIND ID``: a new record from its kind's template, never over an existing file."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from .corpus import Project
from .models import KINDS, SCHEMA_NAMES, SLUG_PATTERN
from .render import environment

ALIASES = {"actor": "actors", "attack": "attacks", "policy-option": "policy-options", "option": "policy-options"}
PLACEHOLDER_KEY = "TODO-key"


class ScaffoldError(ValueError):
    pass


def kind_of(name: str) -> str:
    kind = ALIASES.get(name, name)
    if kind not in KINDS:
        raise ScaffoldError(f"unknown kind '{name}'; use one of: actor, attack, policy-option")
    return kind


def scaffold(project: Project, kind_name: str, id: str, today: dt.date | None = None) -> Path:
    """Write the new record and return its path; refuses a bad id or an existing record."""
    kind = kind_of(kind_name)
    if not re.match(SLUG_PATTERN, id):
        raise ScaffoldError(f"'{id}' is not an id: use lowercase letters, digits and hyphens")
    target = project.content_dir / kind / f"{id}.yaml"
    existing = [project.content_dir / k / f"{id}.yaml" for k in KINDS]
    for path in existing:
        if path.exists():
            raise ScaffoldError(f"{project.rel(path)} already exists; ids are unique across kinds")
    text = environment().get_template(f"new-{kind}.yaml.j2").render(
        id=id, today=(today or dt.date.today()).isoformat(), key=PLACEHOLDER_KEY, schema=SCHEMA_NAMES[kind])
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        with target.open("x", encoding="utf-8") as out:  # "x": never overwrite, even in a race
            out.write(text)
    except FileExistsError:
        raise ScaffoldError(f"{project.rel(target)} already exists") from None
    return target
