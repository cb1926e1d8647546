"""The record kinds, as pydantic models. The JSON Schema of each kind comes from here.

Fields follow three anchors: GTD's incident fields (attacks), Mapping Militants' profile
sections and relationship types (actors), and options analysis (policy options).
"""

from __future__ import annotations

import datetime as dt
import re
import types
from dataclasses import dataclass
from functools import cache, total_ordering
from typing import Annotated, Any, Literal, NamedTuple, Union, get_args, get_origin

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    StringConstraints,
)
from pydantic_core import core_schema

SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


@total_ordering
@dataclass(frozen=True)
class PartialDate:
    """An ISO 8601 date at the precision the sources give: year, month or day.

    Dates of different precision sort by their first day: 2009-09 before 2009-09-06.
    """

    year: int
    month: int | None = None
    day: int | None = None

    @property
    def precision(self) -> Literal["year", "month", "day"]:
        return "day" if self.day else "month" if self.month else "year"

    def __str__(self) -> str:
        parts = [f"{self.year:04d}"] + [f"{p:02d}" for p in (self.month, self.day) if p]
        return "-".join(parts)

    def sort_key(self) -> tuple[int, int, int]:
        return (self.year, self.month or 0, self.day or 0)

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, PartialDate):
            return NotImplemented
        return self.sort_key() < other.sort_key()

    @classmethod
    def parse(cls, value: Any) -> PartialDate:
        if isinstance(value, PartialDate):
            return value
        if isinstance(value, dt.date):
            return cls(value.year, value.month, value.day)
        match = _PARTIAL_DATE.match(str(value).strip()) if isinstance(value, (str, int)) else None
        if not match:
            raise ValueError("a date is written YYYY, YYYY-MM or YYYY-MM-DD")
        year, month, day = (int(p) if p else None for p in match.groups())
        assert year is not None
        dt.date(year, month or 1, day or 1)  # raises ValueError for 2024-13-45
        return cls(year, month, day)

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> Any:
        return core_schema.no_info_plain_validator_function(
            cls.parse, serialization=core_schema.to_string_ser_schema()
        )

    @classmethod
    def __get_pydantic_json_schema__(cls, schema: Any, handler: GetJsonSchemaHandler) -> Any:
        return {"type": "string", "pattern": _PARTIAL_DATE.pattern,
                "description": "ISO 8601 date: YYYY, YYYY-MM or YYYY-MM-DD"}


@dataclass(frozen=True)
class ProseMarker:
    """Marks a Markdown field that may carry Pandoc citations ([@key, p. 3])."""

    needs_citation: bool = True


@dataclass(frozen=True)
class RefMarker:
    """Marks a field holding the id of another record of ``kind``."""

    kind: str


Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN)]
Text = Annotated[str, StringConstraints(min_length=1)]
Prose = Annotated[str, StringConstraints(min_length=1), ProseMarker()]
PlainProse = Annotated[str, StringConstraints(min_length=1), ProseMarker(needs_citation=False)]
ActorRef = Annotated[str, StringConstraints(pattern=SLUG_PATTERN), RefMarker("actors")]
AttackRef = Annotated[str, StringConstraints(pattern=SLUG_PATTERN), RefMarker("attacks")]
Qualifier = Literal["exact", "at-least", "at-most", "approx"]


def _key_as_citation(value: Any) -> Any:
    return {"key": value} if isinstance(value, str) else value


def _one_as_list(value: Any) -> Any:
    return [value] if isinstance(value, dict) else value


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Citation(Strict):
    """A BibTeX key and, optionally, where in the work (``p. 12``, ``endnote 6``)."""

    key: Text
    locator: Text | None = None


Cite = Annotated[Citation, BeforeValidator(_key_as_citation, json_schema_input_type=str | Citation)]
Cites = Annotated[list[Cite], Field(min_length=1)]


class Sourced(Strict):
    """A value as one or more sources give it; ``as_of`` is when the source said so."""

    as_of: PartialDate | None = None
    note: Prose | None = None
    cite: Cites


# Casualties and strengths: no source counts a billion, and the exports' JSON has 64-bit integers.
MAX_FIGURE = 1_000_000_000


class SourcedNumber(Sourced):
    value: Annotated[int, Field(ge=0, le=MAX_FIGURE)]
    qualifier: Qualifier = "exact"


class SourcedDate(Sourced):
    value: PartialDate


# A fact with one or several sourced values; one mapping is read as a list of one.
SourcedNumbers = Annotated[
    list[SourcedNumber],
    BeforeValidator(_one_as_list, json_schema_input_type=SourcedNumber | list[SourcedNumber]),
]
SourcedDates = Annotated[
    list[SourcedDate],
    BeforeValidator(_one_as_list, json_schema_input_type=SourcedDate | list[SourcedDate]),
]

RelationType = Literal[
    "ally", "affiliate", "splinter", "rival", "sponsor", "adversary", "leader", "member"
]
ActorCategory = Literal["militant-group", "state", "government", "organisation", "person"]
Basis = Literal["claimed", "attributed", "suspected"]
AttackType = Literal[
    "assassination", "armed-assault", "bombing", "hijacking", "hostage-taking",
    "facility-attack", "unarmed-assault", "unknown",
]
TargetType = Literal[
    "private-citizens", "government", "military", "police", "religious", "militants",
    "transportation", "business", "educational", "journalists", "diplomatic", "unknown",
]
OptionStatus = Literal["proposed", "under-consideration", "in-place", "rejected", "lapsed"]
ProposerRole = Literal["proposes", "practises", "supports", "opposes"]


class Record(Strict):
    """What every record kind has."""

    aliases: list[Text] = []
    summary: Prose
    notes: Prose | None = None
    tags: list[Slug] = []
    reviewed: dt.date


class Relation(Strict):
    """This actor is ``type`` of ``actor`` (a splinter *of*, a sponsor *of*, ...)."""

    actor: ActorRef
    type: RelationType
    since: PartialDate | None = None
    until: PartialDate | None = None
    note: Prose | None = None
    cite: Cites


class Actor(Record):
    name: Text
    category: ActorCategory
    founded: SourcedDates = []
    strength: SourcedNumbers = []
    history: Prose | None = None
    ideology: Prose | None = None
    leadership: Prose | None = None
    areas: Prose | None = None
    targets_and_tactics: Prose | None = None
    relations: list[Relation] = []

    @property
    def title(self) -> str:
        return self.name


class Location(Strict):
    place: Text
    country: Text
    coordinates: tuple[Annotated[float, Field(ge=-90, le=90)], Annotated[float, Field(ge=-180, le=180)]] | None = Field(
        default=None, description="latitude, longitude of the place (a geocode, not a sourced claim)"
    )
    cite: Cites


class Perpetrator(Strict):
    actor: ActorRef
    basis: Basis
    by: Text | None = Field(default=None, description="who attributed it, when basis is attributed")
    cite: Cites


class Casualties(Strict):
    killed: SourcedNumbers = []
    injured: SourcedNumbers = []


class Attack(Record):
    title: Text
    date: Annotated[SourcedDates, Field(min_length=1)]
    location: Location
    perpetrators: list[Perpetrator] = []
    attack_types: list[AttackType] = []
    target_types: list[TargetType] = []
    casualties: Casualties = Casualties()
    attackers: Prose | None = None


class Proposer(Strict):
    actor: ActorRef
    role: ProposerRole
    as_of: PartialDate | None = None
    cite: Cites


class Status(Strict):
    value: OptionStatus
    as_of: PartialDate | None = None
    note: Prose | None = None
    cite: Cites


class PolicyOption(Record):
    title: Text
    proposers: list[Proposer] = []
    addresses: list[ActorRef] = []
    responds_to: list[AttackRef] = []
    mechanism: Prose
    benefits: list[Prose] = []
    risks: list[Prose] = []
    status: Status


class SeedNote(Strict):
    """A note on one source document the briefs were built from."""

    key: Text
    covers: PlainProse
    reviewed: dt.date


KINDS: dict[str, type[Record]] = {
    "actors": Actor,
    "attacks": Attack,
    "policy-options": PolicyOption,
}
KIND_LABELS = {"actors": "Actor", "attacks": "Attack", "policy-options": "Policy option"}


SCHEMA_NAMES = {"actors": "actor", "attacks": "attack", "policy-options": "policy-option"}


def json_schema(model: type[BaseModel]) -> dict[str, Any]:
    schema = model.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema


def schemas() -> dict[str, dict[str, Any]]:
    """File name → JSON Schema, for every record kind and the source notes."""
    result = {f"{SCHEMA_NAMES[kind]}.schema.json": json_schema(model) for kind, model in KINDS.items()}
    result["seed-note.schema.json"] = json_schema(SeedNote)
    return result


@dataclass(frozen=True)
class Marked:
    """A string field value that carries a marker (prose or a reference), with its path."""

    loc: tuple[str | int, ...]
    value: str
    marker: ProseMarker | RefMarker


def _markers(annotation: Any) -> list[Any]:
    if get_origin(annotation) is Annotated:
        base, *meta = get_args(annotation)
        return [m for m in meta if isinstance(m, (ProseMarker, RefMarker))] + _markers(base)
    if get_origin(annotation) in (Union, types.UnionType):
        return [m for arg in get_args(annotation) for m in _markers(arg)]
    return []


def _strip(annotation: Any) -> Any:
    """The annotation without Annotated layers and without None in a union."""
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation = get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            args = [a for a in get_args(annotation) if a is not type(None)]
            if len(args) != 1:
                return annotation
            annotation = args[0]
        else:
            return annotation


Found = Marked | tuple[tuple[str | int, ...], "Cited"]
# How to walk one field, worked out once per annotation: ("cite",), ("model", cls),
# ("list", item plan), ("str", markers) or ("skip",).
Plan = tuple[Any, ...]
_SKIP: Plan = ("skip",)


@cache
def _plan(annotation: Any, meta: tuple[Any, ...] = ()) -> Plan:
    base = _strip(annotation)
    if base is Citation:
        return ("cite",)
    if isinstance(base, type) and issubclass(base, BaseModel):
        return ("model", base)
    if get_origin(base) is list:
        item = _plan(get_args(base)[0])
        return _SKIP if item == _SKIP else ("list", item)
    markers = tuple(m for m in meta + tuple(_markers(annotation)) if isinstance(m, (ProseMarker, RefMarker)))
    return ("str", markers) if markers else _SKIP


@cache
def _model_plan(model: type[BaseModel]) -> tuple[tuple[str, Plan], ...]:
    plans = ((name, _plan(info.annotation, tuple(info.metadata)))  # type: ignore[arg-type]
             for name, info in model.model_fields.items())
    return tuple((name, plan) for name, plan in plans if plan != _SKIP)


def walk_data(data: Any, model: type[BaseModel], loc: tuple[str | int, ...] = ()) -> list[Found]:
    """Every citation and marked string in raw record data, read through the model's fields.

    It works on data that failed validation too, so that an unknown id or citation key in a
    file with other mistakes is still reported in the same run.
    """
    found: list[Found] = []
    _walk_model(data, model, loc, found)
    return found


def _walk_model(data: Any, model: type[BaseModel], loc: tuple[str | int, ...], found: list[Found]) -> None:
    if isinstance(data, dict):
        for name, plan in _model_plan(model):
            if name in data:
                _walk_value(data[name], plan, loc + (name,), found)


class Cited(NamedTuple):
    """A citation as written in prose or a cite list: a key and an optional locator.

    Lighter than ``Citation``: the walk only reads keys and locators; validation is the model's.
    """

    key: str
    locator: str | None = None


def _citation(value: Any) -> Cited | None:
    if isinstance(value, str) and value:
        return Cited(value)
    if isinstance(value, dict) and isinstance(value.get("key"), str) and value["key"]:
        locator = value.get("locator")
        return Cited(value["key"], str(locator) if locator else None)
    return None


def _walk_value(value: Any, plan: Plan, loc: tuple[str | int, ...], found: list[Found]) -> None:
    kind = plan[0]
    if kind == "cite":
        citation = _citation(value)
        if citation:
            found.append((loc, citation))
    elif kind == "model":
        _walk_model(value, plan[1], loc, found)
    elif kind == "list":
        items = [value] if isinstance(value, dict) else value if isinstance(value, list) else []
        for index, item in enumerate(items):
            _walk_value(item, plan[1], loc + (index,), found)
    elif isinstance(value, str):
        found.extend(Marked(loc, value, marker) for marker in plan[1])
