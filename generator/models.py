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
from typing import Annotated, Any, ClassVar, Literal, NamedTuple, Union, get_args, get_origin

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
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

    def last_day(self) -> dt.date:
        """The last day the date covers: 31 December for a year, the month's end for a month."""
        if self.day:
            return dt.date(self.year, self.month or 1, self.day)
        if self.month:
            following = dt.date(self.year + self.month // 12, self.month % 12 + 1, 1)
            return following - dt.timedelta(days=1)
        return dt.date(self.year, 12, 31)

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
# The source's own words for a figure: "more than 90" is not "at least 90".
Qualifier = Literal["exact", "approx", "at-least", "more-than", "at-most", "fewer-than"]


def _key_as_citation(value: Any) -> Any:
    return {"key": value} if isinstance(value, str) else value


def _one_as_list(value: Any) -> Any:
    return [value] if isinstance(value, dict) else value


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Shorthand(Strict):
    """A model an editor may write as its main field alone: ``bombing`` for ``{value: bombing}``."""

    SHORTHAND: ClassVar[str]

    @model_validator(mode="before")
    @classmethod
    def _expand(cls, data: Any) -> Any:
        return {cls.SHORTHAND: data} if isinstance(data, str) else data

    @classmethod
    def __get_pydantic_json_schema__(cls, schema: Any, handler: GetJsonSchemaHandler) -> Any:
        full = handler(schema)
        short = handler.resolve_ref_schema(full)["properties"][cls.SHORTHAND]
        return {"anyOf": [short, full]}


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


Figure = Annotated[int, Field(ge=0, le=MAX_FIGURE)]


class SourcedNumber(Sourced):
    value: Figure
    qualifier: Qualifier = "exact"
    to: Figure | None = Field(default=None, description="the top of a range the source gives (1,000 to 1,200)")
    period: PlainProse | None = Field(
        default=None, description="when the figure held, in the source's words, where it gives no date")

    @field_validator("to")
    @classmethod
    def _range_in_order(cls, to: int | None, info: ValidationInfo) -> int | None:
        value, qualifier = info.data.get("value"), info.data.get("qualifier")
        if to is not None and value is not None and to <= value:
            raise ValueError(f"a range runs upwards: 'to' ({to}) must be above 'value' ({value})")
        if to is not None and qualifier not in ("exact", "approx"):
            raise ValueError(f"a range is exact or approx, not {qualifier}")
        return to


class SourcedDate(Sourced):
    value: PartialDate


ActorActivity = Literal["active", "inactive", "defunct"]


class SourcedActivity(Sourced):
    """Whether an actor still operates, as a source says it (with ``as_of``, when it said so)."""

    value: ActorActivity


# A fact with one or several sourced values; one mapping is read as a list of one.
SourcedNumbers = Annotated[
    list[SourcedNumber],
    BeforeValidator(_one_as_list, json_schema_input_type=SourcedNumber | list[SourcedNumber]),
]
SourcedDates = Annotated[
    list[SourcedDate],
    BeforeValidator(_one_as_list, json_schema_input_type=SourcedDate | list[SourcedDate]),
]
SourcedActivities = Annotated[
    list[SourcedActivity],
    BeforeValidator(_one_as_list, json_schema_input_type=SourcedActivity | list[SourcedActivity]),
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
OptionStatus = Literal[
    "proposed", "recommended", "discussed", "under-consideration", "in-place", "rejected", "lapsed"]
ProposerRole = Literal["proposes", "recommends", "discusses", "practises", "supports", "opposes"]


class Classified(Shorthand):
    """An editors' classification: a term from our vocabulary, sourced only when it carries ``cite``.

    Written as the bare term (``bombing``) it is the editors' judgement, and pages say so.
    """

    SHORTHAND = "value"
    value: str
    cite: list[Cite] = []


class CategoryTerm(Classified):
    value: ActorCategory


class AttackTypeTerm(Classified):
    value: AttackType


class TargetTypeTerm(Classified):
    value: TargetType


class RelationTypeTerm(Classified):
    value: RelationType


class Alias(Shorthand):
    """Another name of the record: cited where a source uses it, or marked as the editors' own."""

    SHORTHAND = "name"
    name: Text
    cite: list[Cite] = []
    editors: PlainProse | None = Field(
        default=None, description="why the editors give this name though no source we hold uses it")


def _no_citation(note: str) -> str:
    if "[@" in note:
        raise ValueError("a change note is the editors' own words: cite sources in the fields it changed")
    return note


class Change(Strict):
    """A dated note of what the editors changed: their own words, shown as plain text, never cited."""

    date: dt.date
    note: Annotated[Text, AfterValidator(_no_citation)]


class Record(Strict):
    """What every record kind has."""

    aliases: list[Alias] = []
    summary: Prose
    notes: Prose | None = None
    tags: list[Slug] = []
    reviewed: dt.date
    changes: list[Change] = Field(default=[], description="what the editors changed and when, for the page's "
                                                          "history, Recent changes and the feed")
    formerly: list[Slug] = Field(default=[], description="the record's earlier ids: their addresses redirect here")


class Relation(Strict):
    """This actor is ``type`` of ``actor`` (a splinter *of*, a sponsor *of*, ...).

    ``cite`` supports the relation; the type is the editors' term unless it carries a cite of its own.
    """

    actor: ActorRef
    type: RelationTypeTerm
    since: PartialDate | None = None
    until: PartialDate | None = None
    note: Prose | None = None
    cite: Cites


class Actor(Record):
    name: Text
    category: CategoryTerm
    description: Prose | None = Field(
        default=None, description="one cited line: what the actor is, or a person's office")
    founded: SourcedDates = []
    strength: SourcedNumbers = []
    status: SourcedActivities = Field(
        default=[], description="whether the actor still operates, only where a source says so")
    history: Prose | None = None
    ideology: Prose | None = None
    leadership: Prose | None = None
    areas: Prose | None = None
    targets_and_tactics: Prose | None = None
    relations: list[Relation] = []

    @property
    def title(self) -> str:
        return self.name


# From the finest to the coarsest: what a geocode's point stands for.
GeocodePrecision = Literal["place", "city", "region", "country"]
PRECISION_ORDER: tuple[GeocodePrecision, ...] = ("place", "city", "region", "country")


class Geocode(Strict):
    """Where the editors put the place on a map: a geocode at a stated precision, never a sourced claim."""

    latitude: Annotated[float, Field(ge=-90, le=90)]
    longitude: Annotated[float, Field(ge=-180, le=180)]
    precision: GeocodePrecision
    name: Text | None = Field(default=None, description="what the point stands for, when it is not the place itself")


def _one_as_list_of_text(value: Any) -> Any:
    return [value] if isinstance(value, str) else value


Countries = Annotated[list[Text], BeforeValidator(_one_as_list_of_text, json_schema_input_type=Text | list[Text])]


class Location(Strict):
    """Where, as precisely as the sources say: a place, a region, one or more countries."""

    place: Text | None = None
    region: Text | None = None
    country: Countries = []
    geocode: Geocode | None = None
    cite: Cites

    @field_validator("geocode")
    @classmethod
    def _no_finer_than_the_place(cls, geocode: Geocode | None, info: ValidationInfo) -> Geocode | None:
        if geocode is not None:
            data = info.data
            coarsest = "place" if data.get("place") else "region" if data.get("region") else "country"
            if PRECISION_ORDER.index(geocode.precision) < PRECISION_ORDER.index(coarsest):
                raise ValueError(f"precision '{geocode.precision}' claims more than the location says: "
                                 f"without a place, a geocode's precision is '{coarsest}' or coarser")
        return geocode

    @model_validator(mode="after")
    def _says_something(self) -> Location:
        if not (self.place or self.region or self.country):
            raise ValueError("a location names a place, a region or a country; leave `location` out "
                             "when the sources give none")
        return self


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
    end_date: SourcedDates = Field(default=[], description="the last day of a multi-day attack or a campaign")
    location: Location | None = None
    perpetrators: list[Perpetrator] = []
    attack_types: list[AttackTypeTerm] = []
    target_types: list[TargetTypeTerm] = []
    casualties: Casualties = Casualties()
    attackers: Prose | None = None

    @model_validator(mode="after")
    def _ends_after_it_starts(self) -> Attack:
        first = min(d.value for d in self.date)
        for end in self.end_date:
            if end.value < first:
                raise ValueError(f"end_date {end.value} is before the date {first}")
        return self


class AddressedActor(Shorthand):
    """An actor an option addresses; the editors' reading unless it carries ``cite``."""

    SHORTHAND = "actor"
    actor: ActorRef
    cite: list[Cite] = []


class Proposer(Strict):
    actor: ActorRef
    role: ProposerRole
    as_of: PartialDate | None = None
    cite: Cites


class Status(Shorthand):
    """Where the option stands; the editors' classification unless it carries ``cite``."""

    SHORTHAND = "value"
    value: OptionStatus
    as_of: PartialDate | None = None
    note: Prose | None = None
    cite: list[Cite] = []


class PolicyOption(Record):
    title: Text
    proposers: list[Proposer] = []
    addresses: list[AddressedActor] = []
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


def _classes(annotation: Any) -> set[type]:
    """Every class an annotation names, inside lists, unions and Annotated layers."""
    args = get_args(annotation)
    if get_origin(annotation) is Annotated:
        args = args[:1]
    found = {annotation} if isinstance(annotation, type) and not args else set()
    return found.union(*(_classes(arg) for arg in args))


@cache
def fields_holding(model: type[BaseModel], wanted: tuple[type, ...]) -> tuple[str, ...]:
    """The fields of ``model`` whose values can be, or hold at any depth, a ``wanted`` model."""
    return tuple(name for name, info in model.model_fields.items()
                 if any(issubclass(cls, wanted) or (issubclass(cls, BaseModel) and fields_holding(cls, wanted))
                        for cls in _classes(info.annotation)))


def walk_data(data: Any, model: type[BaseModel], loc: tuple[str | int, ...] = ()) -> list[Found]:
    """Every citation and marked string in raw record data, read through the model's fields.

    It works on data that failed validation too, so that an unknown id or citation key in a
    file with other mistakes is still reported in the same run.
    """
    found: list[Found] = []
    _walk_model(data, model, loc, found)
    return found


def _walk_model(data: Any, model: type[BaseModel], loc: tuple[str | int, ...], found: list[Found]) -> None:
    if isinstance(data, str) and issubclass(model, Shorthand):
        data = {model.SHORTHAND: data}  # the field's place in the file is the string's own
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
