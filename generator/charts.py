"""The attacks' timeline, casualty chart and map (Vega-Lite); the files of every chart.

The specs carry their data inline and are drawn in the browser by the bundled Vega libraries (see
``vendor.py``); the map's country shapes are Natural Earth's, from the world-atlas package, served
by the site itself. Nothing is drawn that no source says: a date is drawn over the whole year or
month its source gives, an attack without a figure is not put on the figure axis, and a geocode
is drawn as large as the place it stands for.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

import orjson

from .corpus import Corpus, Entry, corpus_derived, derived
from .models import PartialDate
from .networks import CHART_DIR, TEXT_SIZE, network_specs
from .words import LABELS, label, list_words, number_words, place_words, span_words

VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"
WORLD = "assets/vendor/countries-110m.json"  # site-relative; the loader resolves it from the site root

# How wide a geocode's mark is drawn (area in px²): a region is not a point.
GEOCODE_SIZE = {"place": 60, "city": 260, "region": 1600, "country": 4800}
PRECISION_WORDS = {"day": "the day", "month": "month only", "year": "year only", "span": "from first to last"}
UNKNOWN_COUNTRY = "Place not given"


def _last_day(date: PartialDate) -> dt.date:
    return date.last_day()


def _first_day(date: PartialDate) -> dt.date:
    return dt.date(date.year, date.month or 1, date.day or 1)


@dataclass(frozen=True)
class Figure:
    """What the sources say of the number killed, as bounds: a low, a high, or both."""

    low: int | None
    high: int | None
    words: str  # in the sources' own wording, "more than 90; 145"


def killed_figure(values: list[Any]) -> Figure | None:
    if not values:
        return None
    lows = [v.value for v in values if v.qualifier in ("exact", "approx", "at-least", "more-than")]
    highs = [v.to or v.value for v in values if v.qualifier in ("exact", "approx", "at-most", "fewer-than")]
    return Figure(min(lows) if lows else None, max(highs) if highs else None,
                  "; ".join(number_words(v) for v in values))


def attack_rows(corpus: Corpus) -> list[dict[str, Any]]:
    """One row per attack, in date order: what the three views plot and the data table lists (the
    timeline's page and its charts read the same rows: made once per corpus, read only)."""
    return corpus_derived(corpus, "attack rows", partial(_attack_rows, corpus))


def _attack_rows(corpus: Corpus) -> list[dict[str, Any]]:
    entries: list[Entry] = sorted(corpus.records["attacks"].values(),
                                  key=lambda e: (e.record.date[0].value.sort_key(), e.id))
    rows = []
    for number, entry in enumerate(entries, start=1):
        perpetrators = ", ".join(dict.fromkeys(corpus.title("actors", p.actor) for p in entry.record.perpetrators))
        row = derived(entry, "chart", partial(_row, entry, perpetrators), inputs=perpetrators)
        rows.append({"number": number, **row})
    return rows


def _row(entry: Entry, perpetrators: str) -> dict[str, Any]:
    """What the charts show of one attack, but its number (its place among the others)."""
    record = entry.record
    start = record.date[0].value
    end = record.end_date[0].value if record.end_date else start
    figure = killed_figure(record.casualties.killed)
    location = record.location
    geocode = location.geocode if location else None
    return {
        "id": entry.id,
        "title": record.title,
        "date": span_words(start, end if record.end_date else None),
        "start": _first_day(start).isoformat(),
        # Drawn up to the end of the last day the sources allow: a year-only date spans its year.
        "end": (_last_day(end) + dt.timedelta(days=1)).isoformat(),
        "precision": "span" if record.end_date else start.precision,
        "precision_words": PRECISION_WORDS["span" if record.end_date else start.precision],
        "place": place_words(location) or "not given in the sources",
        "country": list_words(location.country) if location and location.country else UNKNOWN_COUNTRY,
        "perpetrators": perpetrators or "not given in the sources",
        "killed_low": figure.low if figure else None,
        "killed_high": figure.high if figure else None,
        "killed_words": figure.words if figure else "no figure in the sources",
        "bound": _bound(figure),
        "latitude": geocode.latitude if geocode else None,
        "longitude": geocode.longitude if geocode else None,
        "geocode": label("precision", geocode.precision) if geocode else "",
        "url": f"attacks/{entry.id}/",  # from the site root: the charts load with it as their base
    }


def _bound(figure: Figure | None) -> str:
    """How the figure is drawn: a point, or an open end where the sources give only one bound."""
    if figure is None:
        return ""
    if figure.low is not None and figure.high is not None:
        return "exact or both bounds"
    return "a lower bound (at least)" if figure.low is not None else "an upper bound (at most)"


_TOOLTIP = [
    {"field": "title", "title": "Attack"},
    {"field": "date", "title": "Date"},
    {"field": "place", "title": "Place"},
    {"field": "perpetrators", "title": "Perpetrators"},
    {"field": "killed_words", "title": "Killed"},
]

_CONFIG = {"background": "transparent", "axis": {"labelFontSize": TEXT_SIZE, "titleFontSize": TEXT_SIZE},
           "legend": {"labelFontSize": TEXT_SIZE, "titleFontSize": TEXT_SIZE, "labelLimit": 320},
           "view": {"stroke": None}}


def _epoch_ms(day: str) -> int:
    return int(dt.datetime.fromisoformat(day).replace(tzinfo=dt.UTC).timestamp() * 1000)


def _time_axis(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Years along the bottom, from the first attack's first day to the last one's last: the
    timeline and the casualty chart share it, so their marks line up."""
    domain = [_epoch_ms(min(r["start"] for r in rows)), _epoch_ms(max(r["end"] for r in rows))]
    return {"field": "start", "type": "temporal", "title": None, "scale": {"domain": domain},
            "axis": {"format": "%Y", "tickCount": "year", "labelFontSize": TEXT_SIZE}}


def timeline(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Each attack over the period its sources give: a bar over a year, a month or a span, a dot for a day."""
    x = _time_axis(rows)
    y = {"field": "country", "type": "nominal", "title": None, "axis": {"labelLimit": 160}}
    precision = {"field": "precision_words", "type": "nominal", "title": "Date given",
                 "scale": {"domain": list(PRECISION_WORDS.values())}, "legend": {"orient": "bottom", "columns": 2}}
    return {
        "$schema": VEGA_LITE_SCHEMA,
        "description": "Attacks over time by country; a bar spans the year or month the sources give",
        "width": "container", "height": max(120, 44 * len({r["country"] for r in rows})),
        "config": _CONFIG,
        "data": {"values": rows},
        "encoding": {"y": y, "href": {"field": "url"}, "tooltip": _TOOLTIP},
        "layer": _layers(rows, [
            (lambda row: row["precision"] != "day", "datum.precision !== 'day'",
             {"mark": {"type": "bar", "height": 14, "opacity": 0.55, "cornerRadius": 2, "cursor": "pointer",
                       "description": "Attacks dated to a year, a month or a span"},
              "encoding": {"x": x, "x2": {"field": "end"}, "color": precision}}),
            (lambda row: row["precision"] == "day", "datum.precision === 'day'",
             {"mark": {"type": "point", "filled": True, "size": 140, "cursor": "pointer",
                       "description": "Attacks dated to the day"},
              "encoding": {"x": x, "color": precision}}),
        ]),
    }


Keeps = Callable[[dict[str, Any]], bool]


def _layers(rows: list[dict[str, Any]], layers: list[tuple[Keeps, str | None, dict[str, Any]]]) -> list[dict[str, Any]]:
    """Each layer with the rows it draws: a filter (the same test in Python and in the browser's
    expression), and no layer when it would draw none, since an empty layer is a nameless group to
    a screen reader."""
    return [{"transform": [{"filter": expression}], **layer} if expression else layer
            for keeps, expression, layer in layers if any(keeps(row) for row in rows)]


def casualties(rows: list[dict[str, Any]]) -> dict[str, Any] | None:
    """People killed, for the attacks whose sources give a figure: a bound is drawn as one."""
    counted = [r for r in rows if r["killed_low"] is not None or r["killed_high"] is not None]
    if not counted:
        return None
    plotted = [dict(r, killed=r["killed_low"] if r["killed_low"] is not None else r["killed_high"]) for r in counted]
    x = _time_axis(rows)
    y = {"field": "killed", "type": "quantitative", "title": "Killed", "scale": {"zero": True}}
    shape = {"field": "bound", "type": "nominal", "title": "The figure is",
             "scale": {"domain": ["exact or both bounds", "a lower bound (at least)", "an upper bound (at most)"],
                       "range": ["circle", "triangle-up", "triangle-down"]},
             "legend": {"orient": "bottom", "columns": 1}}
    return {
        "$schema": VEGA_LITE_SCHEMA,
        "description": "People killed per attack, for the attacks whose sources give a figure",
        "width": "container", "height": 260,
        "config": _CONFIG,
        "data": {"values": plotted},
        "encoding": {"href": {"field": "url"}, "tooltip": _TOOLTIP},
        "layer": _layers(plotted, [
            # Over the whole period the date allows, at the figure's height: no single day is implied.
            (lambda row: row["precision"] != "day", "datum.precision !== 'day'",
             {"mark": {"type": "rule", "strokeWidth": 2, "opacity": 0.5, "description": "The period of each date"},
              "encoding": {"x": x, "x2": {"field": "end"}, "y": y}}),
            # Both bounds: the range between them.
            (lambda row: row["killed_high"] is not None and row["killed_high"] > row["killed"],
             "datum.killed_high !== null && datum.killed_high > datum.killed",
             {"mark": {"type": "rule", "strokeWidth": 2, "description": "Between the figures of sources that differ"},
              "encoding": {"x": {"field": "middle", "type": "temporal"}, "y": y, "y2": {"field": "killed_high"}}}),
            (lambda row: True, None,
             {"mark": {"type": "point", "filled": True, "size": 150, "cursor": "pointer",
                       "description": "People killed in each attack"},
              "encoding": {"x": {"field": "middle", "type": "temporal"}, "y": y, "shape": shape}}),
        ]),
        "transform": [{"calculate": "(toDate(datum.start) + toDate(datum.end)) / 2", "as": "middle"}],
    }


def _fit(points: list[tuple[float, float]]) -> dict[str, Any]:
    """The region the map shows: the points' extent with a margin, at least 12 degrees across."""
    lons, lats = [p[1] for p in points], [p[0] for p in points]
    margin_lon = max(6.0, (max(lons) - min(lons)) * 0.25)
    margin_lat = max(6.0, (max(lats) - min(lats)) * 0.25)
    west, east = max(-180.0, min(lons) - margin_lon), min(180.0, max(lons) + margin_lon)
    south, north = max(-85.0, min(lats) - margin_lat), min(85.0, max(lats) + margin_lat)
    corners = [[west, south], [east, north], [west, north], [east, south]]
    return {"type": "Feature", "properties": {}, "geometry": {"type": "MultiPoint", "coordinates": corners}}


def attack_map(rows: list[dict[str, Any]]) -> dict[str, Any] | None:
    placed = [r for r in rows if r["latitude"] is not None]
    if not placed:
        return None
    sizes = {"type": "ordinal", "domain": [LABELS["precision"][p] for p in GEOCODE_SIZE],
             "range": list(GEOCODE_SIZE.values())}
    precision = {"field": "geocode", "type": "nominal", "title": "Placed at", "scale": sizes,
                 "legend": {"orient": "bottom", "columns": 2, "symbolFillColor": "#c62828", "symbolOpacity": 0.45}}
    point = {"longitude": {"field": "longitude", "type": "quantitative"},
             "latitude": {"field": "latitude", "type": "quantitative"}}
    return {
        "$schema": VEGA_LITE_SCHEMA,
        "description": "Where the attacks took place; each mark is as large as the place the sources name",
        "width": "container", "height": 380,
        "config": _CONFIG,
        "projection": {"type": "equalEarth", "fit": _fit([(r["latitude"], r["longitude"]) for r in placed])},
        "layer": [
            {"data": {"url": WORLD, "format": {"type": "topojson", "feature": "countries"}},
             # The country shapes are backdrop: hidden from screen readers, which get the attack marks.
             "mark": {"type": "geoshape", "fill": "#9aa0a6", "fillOpacity": 0.3, "stroke": "#9aa0a6",
                      "strokeWidth": 0.5, "aria": False, "clip": True}},
            {"data": {"values": placed},
             "mark": {"type": "circle", "color": "#c62828", "opacity": 0.45, "stroke": "#c62828",
                      "strokeWidth": 1.5, "cursor": "pointer", "clip": True},
             "encoding": {**point, "size": precision, "href": {"field": "url"}, "tooltip": _TOOLTIP}},
            {"data": {"values": placed},
             "mark": {"type": "text", "fontSize": TEXT_SIZE, "fontWeight": "bold", "dy": -16, "aria": False},
             "encoding": {**point, "text": {"field": "number"}}},
        ],
    }


def _dump(spec: dict[str, Any]) -> bytes:
    """orjson: a live preview writes the specs again after every attack saved."""
    return orjson.dumps(spec, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS | orjson.OPT_APPEND_NEWLINE)


def attack_chart_files(corpus: Corpus) -> dict[str, bytes]:
    """The timeline, casualties and map views of the attacks."""
    rows = attack_rows(corpus)
    if not rows:
        return {}
    specs = {f"{CHART_DIR}/timeline.vl.json": timeline(rows), f"{CHART_DIR}/casualties.vl.json": casualties(rows),
             f"{CHART_DIR}/map.vl.json": attack_map(rows)}
    return {path: _dump(spec) for path, spec in specs.items() if spec is not None}


def network_files(corpus: Corpus) -> dict[str, bytes]:
    """The relationship maps: made from the actors' records alone (``networks``)."""
    return {path: _dump(spec) for path, spec in network_specs(corpus).items() if spec is not None}


def chart_notes(rows: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """What the charts leave out and why: attacks without a figure, and without a place to map."""
    return {"unfigured": [r for r in rows if r["killed_low"] is None and r["killed_high"] is None],
            "unplaced": [r for r in rows if r["latitude"] is None]}
