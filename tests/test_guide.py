"""The editors' guide (content/editors-guide.md) documents every field and allowed value,
and its YAML examples parse, validate and cite real references."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Annotated, Any, Literal, get_args, get_origin

import pytest
import yaml
from conftest import ROOT
from pybtex.database import Entry, Person
from pydantic import BaseModel, TypeAdapter, ValidationError

from generator import models
from generator.bibstyle import ChicagoStyle
from generator.citations import find_citations
from generator.diagnostics import format_text
from generator.load import parse
from generator.models import (
    KINDS,
    SCHEMA_NAMES,
    Actor,
    Attack,
    Marked,
    PolicyOption,
    RefMarker,
    SeedNote,
    walk_data,
)
from generator.validate import validate

GUIDE = ROOT / "content" / "editors-guide.md"
TOP_MODELS: list[type[BaseModel]] = [Actor, Attack, PolicyOption, SeedNote]
FIELD_TABLE_HEADER = "| Field | Required | Allowed values | Meaning | Example |"
SCHEMA_LINE = re.compile(r"^# yaml-language-server: \$schema=\S*?([a-z-]+)\.schema\.json$")
YAML_BLOCK = re.compile(r"^```yaml\n(.*?)^```$", re.MULTILINE | re.DOTALL)
MODEL_BY_SCHEMA: dict[str, type[BaseModel]] = {
    **{SCHEMA_NAMES[kind]: model for kind, model in KINDS.items()}, "seed-note": SeedNote}


@pytest.fixture(scope="module")
def guide() -> str:
    return GUIDE.read_text(encoding="utf-8")


def _inner(annotation: Any) -> Iterator[Any]:
    """Every type inside an annotation: through Annotated, unions, lists, tuples, Literals."""
    yield annotation
    origin = get_origin(annotation)
    if origin is Annotated:
        yield from _inner(get_args(annotation)[0])
    elif origin is not Literal:
        for arg in get_args(annotation):
            yield from _inner(arg)


def reachable_models() -> list[type[BaseModel]]:
    """The record models and every BaseModel reachable from their field annotations."""
    found: list[type[BaseModel]] = []
    todo = list(TOP_MODELS)
    while todo:
        model = todo.pop(0)
        if model in found:
            continue
        found.append(model)
        for info in model.model_fields.values():
            for inner in _inner(info.annotation):
                if isinstance(inner, type) and issubclass(inner, BaseModel):
                    todo.append(inner)
    return found


def literal_values() -> set[str]:
    """Every allowed value of every Literal type in models.py, and in the models' fields."""
    values: set[str] = set()
    candidates = [v for v in vars(models).values() if get_origin(v) is Literal]
    candidates += [inner for model in reachable_models() for info in model.model_fields.values()
                   for inner in _inner(info.annotation) if get_origin(inner) is Literal]
    for literal in candidates:
        values |= {str(v) for v in get_args(literal)}
    return values


def test_the_walk_finds_the_nested_models() -> None:
    names = {m.__name__ for m in reachable_models()}
    assert {"Citation", "SourcedNumber", "SourcedDate", "Location", "Perpetrator", "Casualties",
            "Relation", "Proposer", "Status"} <= names
    assert {"exact", "at-least", "militant-group", "ally", "claimed", "bombing", "private-citizens",
            "lapsed", "opposes"} <= literal_values()


@pytest.mark.parametrize("model", reachable_models(), ids=lambda m: m.__name__)
def test_every_field_is_in_the_guide(guide: str, model: type[BaseModel]) -> None:
    missing = [name for name in model.model_fields if f"`{name}`" not in guide]
    assert missing == [], f"{model.__name__} fields missing from {GUIDE.name}: {missing}"


def test_every_allowed_value_is_in_the_guide(guide: str) -> None:
    missing = sorted(v for v in literal_values() if f"`{v}`" not in guide)
    assert missing == [], f"allowed values missing from {GUIDE.name}: {missing}"


def yaml_blocks(guide: str) -> list[str]:
    return YAML_BLOCK.findall(guide)


def load(text: str) -> Any:
    """The example as `briefs check` reads it (every scalar a string), failing on any diagnostic."""
    data, problems = parse(text, "editors-guide.md")
    assert problems == [], f"{format_text(problems)}\n{text}"
    return data


def test_yaml_blocks_parse(guide: str) -> None:
    blocks = yaml_blocks(guide)
    assert len(blocks) >= 10
    for block in blocks:
        try:
            data = yaml.safe_load(block)
        except yaml.YAMLError as exc:
            pytest.fail(f"a YAML block of the guide does not parse: {exc}\n{block}")
        if data is not None:  # a block may be just the schema comment
            load(block)  # and the project's stricter loader accepts it too


def field_rows(guide: str) -> list[tuple[str, str, str]]:
    """(field, required, example) for each row of the guide's field tables."""
    rows = []
    for table in guide.split(FIELD_TABLE_HEADER)[1:]:
        lines = table.strip("\n").splitlines()[1:]  # the separator row
        for line in lines:
            if not line.startswith("|"):
                break
            cells = [c.strip() for c in line.strip().strip("|").split(" | ")]
            assert len(cells) == 5, f"a field table row has {len(cells)} cells: {line}"
            name = re.fullmatch(r"`(\w+)`", cells[0])
            example = re.fullmatch(r"`([^`]+)`", cells[4])
            assert name and example, f"write the field and its example as code: {line}"
            rows.append((name[1], cells[1], example[1]))
    return rows


def fields_named(name: str) -> list[tuple[type[BaseModel], Any]]:
    return [(m, m.model_fields[name]) for m in reachable_models() if name in m.model_fields]


def test_field_tables_cover_every_field_of_every_model(guide: str) -> None:
    documented = {name for name, _, _ in field_rows(guide)}
    every = {name for model in reachable_models() for name in model.model_fields}
    assert sorted(every - documented) == []
    assert sorted(documented - every) == []


def test_field_table_examples_parse_and_validate(guide: str) -> None:
    problems = []
    for name, required, example in field_rows(guide):
        data = load(example)
        if not (isinstance(data, dict) and list(data) == [name]):
            problems.append(f"`{example}` is not one `{name}: ...` mapping")
            continue
        candidates = fields_named(name)
        said_required = required.startswith("required")
        if not any(info.is_required() == said_required for _, info in candidates):
            problems.append(f"`{name}` is documented as {required!r}")
        errors = []
        for model, info in candidates:
            try:
                meta = info.metadata
                annotation: Any = Annotated[(info.annotation, *meta)] if meta else info.annotation
                TypeAdapter(annotation).validate_python(data[name])
                break
            except ValidationError as exc:
                errors.append(f"{model.__name__}: {exc.errors()[0]['msg']}")
        else:
            problems.append(f"`{example}` is not a valid value: {errors}")
    assert problems == []


def full_records(guide: str) -> list[tuple[type[BaseModel], dict[str, Any]]]:
    found = []
    for block in yaml_blocks(guide):
        match = SCHEMA_LINE.match(block.splitlines()[0])
        if match and len(block.splitlines()) > 1:
            found.append((MODEL_BY_SCHEMA[match[1]], load(block)))
    return found


def test_complete_examples_are_valid_records(guide: str) -> None:
    found = full_records(guide)
    assert {model for model, _ in found} == set(TOP_MODELS)
    for model, data in found:
        record, problems = validate(data, model, "editors-guide.md")
        assert record is not None, format_text(problems)


def bib_keys() -> set[str]:
    return {m for bib in (ROOT / "bib").glob("*.bib")
            for m in re.findall(r"^@\w+\s*\{\s*([^,\s]+)\s*,", bib.read_text(encoding="utf-8"), re.MULTILINE)}


def cite_keys(data: Any) -> Iterator[str]:
    """Every citation key in structured data: items of a `cite` list, and any `key` field."""
    if isinstance(data, dict):
        for name, value in data.items():
            if name == "key" and isinstance(value, str):
                yield value
            elif name == "cite" and isinstance(value, list):
                yield from (item for item in value if isinstance(item, str))
            yield from cite_keys(value)
    elif isinstance(data, list):
        for item in data:
            yield from cite_keys(item)


def test_examples_cite_real_references_and_records(guide: str) -> None:
    keys = bib_keys()
    snippets = yaml_blocks(guide) + [example for _, _, example in field_rows(guide)]
    cited = {c.key for text in snippets for group in find_citations(text) for c in group.citations}
    cited |= {key for text in snippets for key in cite_keys(yaml.safe_load(text))}
    for model, data in full_records(guide):
        for item in walk_data(data, model):
            if isinstance(item, Marked) and isinstance(item.marker, RefMarker):
                assert (ROOT / "content" / item.marker.kind / f"{item.value}.yaml").exists(), item.value
    assert len(cited) >= 5 and sorted(cited - keys) == []


def test_guide_is_in_the_nav() -> None:
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert "  - Editors' guide: editors-guide.md" in config


def test_guide_has_no_citation_outside_code(guide: str) -> None:
    """The page is not processed for citations: [@key] would show as typed outside code."""
    text = re.sub(r"^```.*?^```$", "", guide, flags=re.MULTILINE | re.DOTALL)
    text = re.sub(r"(`+).+?\1", "", text)
    assert "[@" not in text



# --- references: what the guide lists for each BibTeX type, the formatted reference shows ----

TYPE_TABLE_HEADER = "| Type | For | Main fields |"
BIB_MARKERS = {"date": "1987-05-04", "year": "1987", "pages": "97--98", "number": "97", "volume": "96",
               "url": "https://example.org/marker", "doi": "10.9999/marker", "eprint": "marker.97"}
SHOWN_AS = {"date": "May", "pages": "97–98", "doi": "https://doi.org/10.9999/marker"}
PEOPLE = {"author": "Writer, Ann", "editor": "Editor, Ed"}


def type_rows(guide: str) -> list[tuple[list[str], list[str]]]:
    """(types, fields) per row of the guide's table of BibTeX types; "every type" adds to all."""
    lines = guide.split(TYPE_TABLE_HEADER, 1)[1].split("\n\n", 1)[0].splitlines()[2:]
    rows = [(re.findall(r"`(\w+)`", cells[1]), re.findall(r"`(\w+)`", cells[3]))
            for cells in (line.split("|") for line in lines)]
    everywhere = [fields for types, fields in rows if not types]
    assert len(everywhere) == 1, "one row lists what every type takes"
    return [(types, fields + everywhere[0]) for types, fields in rows if types]


def test_every_field_the_guide_lists_for_a_type_is_shown(guide: str) -> None:
    """An entry with every field its row lists shows each of them."""
    missing = []
    for types, names in type_rows(guide):
        fields = {name: BIB_MARKERS.get(name, f"Marker {name}") for name in names if name not in PEOPLE}
        persons = {role: [Person(name)] for role, name in PEOPLE.items() if role in names}
        for bib_type in types:
            text = ChicagoStyle().format_entry("k", Entry(bib_type, fields, persons)).text.render_as("text")
            missing += [f"@{bib_type} {name}: {text!r}" for name in names
                        if SHOWN_AS.get(name, fields.get(name) or PEOPLE.get(name, "").split(",")[0]) not in text]
    assert missing == [], "\n".join(missing)
