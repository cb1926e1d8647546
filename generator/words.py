"""What readers see instead of codes: dates in words, figures in the source's wording, plain labels."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from .models import PartialDate

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]

# How a figure's qualifier reads before the number.
QUALIFIER = {"exact": "", "approx": "about ", "at-least": "at least ", "more-than": "more than ",
             "at-most": "at most ", "fewer-than": "fewer than "}

LABELS: dict[str, dict[str, str]] = {
    "category": {"militant-group": "Militant group", "state": "State", "government": "Government",
                 "organisation": "Organisation", "person": "Person"},
    "attack_type": {"assassination": "Assassination", "armed-assault": "Armed assault", "bombing": "Bombing",
                    "hijacking": "Hijacking", "hostage-taking": "Hostage-taking",
                    "facility-attack": "Attack on a facility", "unarmed-assault": "Unarmed assault",
                    "unknown": "Unknown"},
    "target_type": {"private-citizens": "Private citizens and property", "government": "Government",
                    "military": "Military", "police": "Police", "religious": "Religious figures or institutions",
                    "militants": "Militants", "transportation": "Transportation", "business": "Business",
                    "educational": "Educational institutions", "journalists": "Journalists and media",
                    "diplomatic": "Diplomats", "unknown": "Unknown"},
    "status": {"proposed": "Proposed", "recommended": "Recommended", "discussed": "Discussed",
               "under-consideration": "Under consideration", "in-place": "In place", "rejected": "Rejected",
               "lapsed": "No longer in place"},
    "proposer": {"proposes": "Proposed by", "recommends": "Recommended by", "discusses": "Discussed by",
                 "practises": "Practised by", "supports": "Supported by", "opposes": "Opposed by"},
    "option_role": {"proposes": "proposes it", "recommends": "recommends it", "discusses": "discusses it",
                    "practises": "practises it", "supports": "supports it", "opposes": "opposes it",
                    "addresses": "it addresses this actor"},
    "role": {"proposes": "Proposes", "recommends": "Recommends", "discusses": "Discusses", "practises": "Practises",
             "supports": "Supports", "opposes": "Opposes"},
    "basis": {"claimed": "claimed", "attributed": "attributed", "suspected": "suspected"},
    "relation": {"ally": "Ally", "affiliate": "Affiliate", "splinter": "Splinter", "rival": "Rival",
                 "sponsor": "Sponsor", "adversary": "Adversary", "leader": "Leader", "member": "Member"},
    "activity": {"active": "Active", "inactive": "Inactive", "defunct": "Defunct"},
    "precision": {"place": "the place itself", "city": "the city", "region": "the region", "country": "the country"},
}

# What each status says, for the Editors' guide and the option pages' tooltips.
STATUS_MEANING = {
    "proposed": "put forward by someone who could act on it",
    "recommended": "an analyst or official recommends it; whether it was adopted is not stated",
    "discussed": "a source names or weighs it without recommending it or saying it is in use",
    "under-consideration": "those who could adopt it are weighing it",
    "in-place": "a source says it is being done",
    "rejected": "those who could adopt it turned it down",
    "lapsed": "it was in place and no longer is",
}


def label(vocabulary: str, term: str) -> str:
    """A term of one of our vocabularies as readers see it; an unknown term stays as written."""
    return LABELS[vocabulary].get(term, term)


def date_words(date: PartialDate | dt.date | None) -> str:
    """"2024", "January 2024" or "3 January 2024": as precise as the source, no more."""
    if date is None:
        return ""
    if isinstance(date, dt.date):
        return f"{date.day} {MONTHS[date.month - 1]} {date.year}"
    if date.month is None:
        return str(date.year)
    month = MONTHS[date.month - 1]
    return f"{date.day} {month} {date.year}" if date.day else f"{month} {date.year}"


def span_words(start: PartialDate, end: PartialDate | None) -> str:
    """A period in words, sharing what both ends share: "3–4 January 2024", "March–June 2024"."""
    if end is None or end == start:
        return date_words(start)
    if start.precision == end.precision and start.year == end.year:
        if start.precision == "day" and start.month == end.month:
            return f"{start.day}\u2013{date_words(end)}"
        if start.precision == "month" and start.month:
            return f"{MONTHS[start.month - 1]}\u2013{date_words(end)}"
    if start.precision == end.precision == "year":
        return f"{start.year}\u2013{end.year}"
    return f"{date_words(start)} \u2013 {date_words(end)}"


def number_words(value: Any) -> str:
    """A sourced figure in the source's wording: "more than 90", "1,000–1,200", "about 40"."""
    text = f"{value.value:,}"
    if getattr(value, "to", None) is not None:
        text += f"\u2013{value.to:,}"
    return QUALIFIER[value.qualifier] + text


def count_words(count: int, noun: str, plural: str | None = None) -> str:
    """"1 attack", "5 attacks", "1 policy option"."""
    return f"{count} {noun if count == 1 else plural or noun + 's'}"


def list_words(items: Sequence[str], conjunction: str = "and") -> str:
    """"A", "A and B", "A, B and C" (or "A, B or C" after a "no")."""
    items = [item for item in items if item]
    if len(items) <= 2:
        return f" {conjunction} ".join(items)
    return ", ".join(items[:-1]) + f" {conjunction} " + items[-1]


def place_words(location: Any) -> str:
    """The place as the sources give it: "Kerman, Iran", "Afghanistan and Pakistan"; "" when unknown."""
    if location is None:
        return ""
    return ", ".join(part for part in (location.place, location.region, list_words(location.country)) if part)


def basis_words(perpetrator: Any) -> str:
    """"claimed", "attributed by US intelligence", "suspected"."""
    basis = label("basis", perpetrator.basis)
    return f"{basis} by {perpetrator.by}" if perpetrator.by else basis


def perpetrator_bases(attack: Any) -> list[tuple[str, str]]:
    """Each actor named as perpetrator once, with how: [("iskp", "attributed")], ["claimed and attributed"]."""
    bases: dict[str, list[str]] = {}
    for perpetrator in attack.perpetrators:
        basis = label("basis", perpetrator.basis)
        if basis not in bases.setdefault(perpetrator.actor, []):
            bases[perpetrator.actor].append(basis)
    return [(actor, list_words(words)) for actor, words in bases.items()]


def missing_facts(attack: Any) -> str:
    """One sentence for every key fact no source gives, instead of a row of "not given"."""
    missing = [] if attack.location else ["place"]
    if not attack.perpetrators:
        missing.append("perpetrator")
    killed, injured = attack.casualties.killed, attack.casualties.injured
    if not (killed or injured):
        missing.append("casualty figures")
    elif not killed or not injured:
        missing.append("number killed" if not killed else "number injured")
    return f"The sources give no {list_words(missing, 'or')}." if missing else ""


# The sections a field appears under on a record's page, for "cited by" lists.
SECTIONS = {"summary": "Summary", "description": "Role or description", "aliases": "Also known as",
            "category": "Category", "founded": "Founded", "strength": "Strength", "history": "History",
            "ideology": "Ideology and goals", "leadership": "Leadership", "areas": "Areas of operation",
            "targets_and_tactics": "Targets and tactics", "relations": "Relations", "notes": "Notes",
            "date": "Date", "end_date": "Until", "location": "Place", "perpetrators": "Perpetrators",
            "attack_types": "Attack type", "target_types": "Target", "casualties": "Casualties",
            "killed": "Killed", "injured": "Injured", "attackers": "The attackers", "proposers": "Who proposes it",
            "addresses": "Addresses", "mechanism": "Mechanism", "benefits": "Benefits", "risks": "Risks",
            "status": "Status", "type": "relation type", "note": "note", "covers": "What it covers"}


@lru_cache(maxsize=4096)
def field_words(field: str) -> str:
    """A field path as readers see its section: "founded.note" → "Founded (note)"."""
    parts = [part for part in field.split(".") if part != "casualties"] or ["casualties"]
    head = SECTIONS.get(parts[0], parts[0].replace("_", " ").capitalize())
    rest = [SECTIONS.get(part, part.replace("_", " ")) for part in parts[1:]]
    return f"{head} ({', '.join(rest)})" if rest else head
