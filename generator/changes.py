"""What changed and when: each record's history, the site's recent changes, the date of the content.

A record's history is its change notes and its last review (the ``reviewed`` date, unless a note
already marks that day). Pages, the Recent changes page, the home page's Latest block and the feed
all read it from here, so they never disagree. No clock is read: every date comes from the content.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from functools import partial

from .corpus import Corpus, Entry, corpus_derived, derived

REVIEW_NOTE = "Checked against its sources."
RECENT_CHANGES = 100  # on the Recent changes page; each record's page keeps its whole history
LATEST_CHANGES = 5  # on the home page


@dataclass(frozen=True)
class Update:
    """One dated step in a record's history: a change note, or its review (``note`` None)."""

    date: dt.date
    kind: str
    id: str
    title: str
    note: str | None
    number: int  # the note's place in the record's list (-1 for the review), for stable feed ids

    @property
    def text(self) -> str:
        return self.note if self.note is not None else REVIEW_NOTE


def record_history(entry: Entry) -> list[Update]:
    """The record's updates, newest first; notes of one day keep the order the editors wrote them in."""
    return derived(entry, "history", partial(_history, entry))


def _history(entry: Entry) -> list[Update]:
    record = entry.record
    updates = [Update(change.date, entry.kind, entry.id, record.title, change.note, number)
               for number, change in enumerate(record.changes)]
    if record.reviewed not in {change.date for change in record.changes}:
        updates.append(Update(record.reviewed, entry.kind, entry.id, record.title, None, -1))
    return sorted(updates, key=lambda update: update.date, reverse=True)


def site_history(corpus: Corpus) -> list[Update]:
    """Every record's updates, newest first; a day's updates by record title, then as written."""
    return corpus_derived(corpus, "site history", partial(_site_history, corpus))


def _site_history(corpus: Corpus) -> list[Update]:
    updates = [update for entry in corpus.entries() for update in record_history(entry)]
    return sorted(updates, key=lambda u: (-u.date.toordinal(), u.title.casefold(), u.kind, u.id, u.number < 0,
                                          u.number))


@dataclass(frozen=True)
class Day:
    """One day of updates, as pages list them: each change note, then the records checked that day."""

    date: dt.date
    notes: list[Update]
    reviewed: list[Update]
    more: int = 0  # updates of the day left out, when a list stops short

    @property
    def size(self) -> int:
        return len(self.notes) + len(self.reviewed)


def by_day(updates: list[Update]) -> list[Day]:
    """Updates (newest first) grouped by day: 27 records checked on one day read as one line, not 27."""
    days: dict[dt.date, Day] = {}
    for update in updates:
        day = days.setdefault(update.date, Day(update.date, [], []))
        (day.notes if update.note is not None else day.reviewed).append(update)
    return list(days.values())


def newest_days(updates: list[Update], count: int) -> list[Day]:
    """The days of the newest ``count`` updates; the last day says how many of its updates it leaves out."""
    days: list[Day] = []
    for day in by_day(updates):
        room = count - sum(shown.size for shown in days)
        if room <= 0:
            break
        notes = day.notes[:room]
        reviewed = day.reviewed[:room - len(notes)]
        days.append(Day(day.date, notes, reviewed, day.size - len(notes) - len(reviewed)))
    return days


def last_updated(entry: Entry) -> dt.date:
    """The newest date in the record's history: when its page last changed, as far as the content says."""
    return max([entry.record.reviewed, *(change.date for change in entry.record.changes)])


def source_date_epoch() -> dt.date | None:
    """SOURCE_DATE_EPOCH's day, the reproducible-builds way of dating a build, when it is set."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date() if epoch.isdigit() else None


def content_date(corpus: Corpus) -> dt.date | None:
    """The date of the content the site is built from: SOURCE_DATE_EPOCH's day, else the newest date in
    any record's history; never the clock, so that two builds of the same content say the same."""
    return source_date_epoch() or corpus_derived(
        corpus, "content date", lambda: max((last_updated(entry) for entry in corpus.entries()), default=None))
