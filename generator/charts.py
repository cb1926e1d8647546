"""Vega-Lite specifications for the attacks' timeline, casualty chart and map.

The specs carry their data inline and are drawn in the browser by the bundled Vega
libraries (see ``vendor.py``); the map's country shapes are Natural Earth's, from the
world-atlas package, served by the site itself.
"""

from __future__ import annotations

from functools import partial
from typing import Any

import orjson

from .corpus import Corpus, Entry, derived
from .words import list_words, place_words

VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"
CHART_DIR = "data/charts"
WORLD = "assets/vendor/countries-110m.json"  # site-relative; the loader resolves it from the site root


def _low(values: list[Any]) -> int | None:
    lows = [v.value for v in values if v.qualifier != "at-most"]
    return min(lows) if lows else None


def attack_rows(corpus: Corpus) -> list[dict[str, Any]]:
    """One row per attack, in date order: what the three views plot."""
    entries: list[Entry] = sorted(corpus.records["attacks"].values(),
                                  key=lambda e: (e.record.date[0].value.sort_key(), e.id))
    rows = []
    for entry in entries:
        perpetrators = ", ".join(corpus.title("actors", p.actor) for p in entry.record.perpetrators) or "unknown"
        rows.append(derived(entry, "chart", partial(_row, entry, perpetrators), inputs=perpetrators))
    return rows


def _row(entry: Entry, perpetrators: str) -> dict[str, Any]:
    record, date = entry.record, entry.record.date[0].value
    killed = _low(record.casualties.killed)
    geocode = record.location.geocode if record.location else None
    return {
        "id": entry.id,
        "title": record.title,
        "date": str(date),
        "start": f"{date.year:04d}-{date.month or 1:02d}-{date.day or 1:02d}",
        "place": place_words(record.location) or "not given in the sources",
        "country": list_words(record.location.country) if record.location else "not given",
        "perpetrators": perpetrators,
        "killed": killed,
        "killed_label": "not given" if killed is None else f"{killed:,}",
        "figure": "not given in the sources" if killed is None else "lowest figure the sources give",
        "latitude": geocode.latitude if geocode else None,
        "longitude": geocode.longitude if geocode else None,
        "url": f"../attacks/{entry.id}/",
    }


_TOOLTIP = [
    {"field": "title", "title": "Attack"},
    {"field": "date", "title": "Date"},
    {"field": "place", "title": "Place"},
    {"field": "perpetrators", "title": "Perpetrators"},
    {"field": "killed_label", "title": "Killed (at least)"},
]


def timeline(rows: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "$schema": VEGA_LITE_SCHEMA,
        "description": "Attacks over time, one mark per attack, by country",
        "width": "container", "height": 220,
        "data": {"values": rows},
        "mark": {"type": "point", "filled": True, "size": 160, "cursor": "pointer"},
        "encoding": {
            "x": {"field": "start", "type": "temporal", "title": "Date"},
            "y": {"field": "country", "type": "nominal", "title": None},
            "color": {"field": "country", "type": "nominal", "legend": None},
            "href": {"field": "url"},
            "tooltip": _TOOLTIP,
        },
    }


def casualties(rows: list[dict[str, Any]]) -> dict[str, Any]:
    plotted = [dict(row, killed_plot=row["killed"] or 0) for row in rows]
    return {
        "$schema": VEGA_LITE_SCHEMA,
        "description": "People killed per attack over time (lowest sourced figure), one mark per attack",
        "width": "container", "height": 260,
        "data": {"values": plotted},
        "mark": {"type": "point", "size": 160, "filled": True, "cursor": "pointer"},
        "encoding": {
            "x": {"field": "start", "type": "temporal", "title": "Date"},
            "y": {"field": "killed_plot", "type": "quantitative", "title": "Killed (at least)"},
            "shape": {"field": "figure", "type": "nominal", "title": None,
                      "legend": {"orient": "bottom"}},
            "href": {"field": "url"},
            "tooltip": _TOOLTIP,
        },
    }


def attack_map(rows: list[dict[str, Any]]) -> dict[str, Any]:
    placed = [row for row in rows if row["latitude"] is not None]
    return {
        "$schema": VEGA_LITE_SCHEMA,
        "description": "Where the attacks took place, one mark per attack with a known place",
        "width": "container", "height": 420,
        "projection": {"type": "equalEarth"},
        "layer": [
            {"data": {"url": WORLD, "format": {"type": "topojson", "feature": "countries"}},
             # The country shapes are backdrop: hidden from screen readers, which get the attack marks.
             "mark": {"type": "geoshape", "fill": "#e4e7ea", "stroke": "#ffffff", "strokeWidth": 0.5,
                      "aria": False}},
            {"data": {"values": placed},
             "mark": {"type": "circle", "size": 120, "color": "#c62828", "opacity": 0.85, "cursor": "pointer"},
             "encoding": {"longitude": {"field": "longitude", "type": "quantitative"},
                          "latitude": {"field": "latitude", "type": "quantitative"},
                          "href": {"field": "url"},
                          "tooltip": _TOOLTIP}},
        ],
    }


def chart_files(corpus: Corpus) -> dict[str, bytes]:
    """Site path → JSON of each spec (orjson: a live preview writes them again after every attack saved)."""
    rows = attack_rows(corpus)
    specs = {"timeline": timeline(rows), "casualties": casualties(rows), "map": attack_map(rows)}
    return {f"{CHART_DIR}/{name}.vl.json": orjson.dumps(spec, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS
                                                          | orjson.OPT_APPEND_NEWLINE)
            for name, spec in specs.items()}
