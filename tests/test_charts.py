"""The timeline, casualty chart, map and relationship maps as drawn in a real headless Chromium:
nothing drawn that no source says, the map fitted to its marks, names as text, nodes as links,
a tap showing what a hover shows."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from browser import chromium, serve
from click.testing import CliRunner
from conftest import FIXTURES, ROOT

from generator.check import load_corpus
from generator.cli import main
from generator.corpus import Project

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site() -> Path:
    result = CliRunner().invoke(main, ["build", "--strict", "-f", str(ROOT / "mkdocs.yml")])
    assert result.exit_code == 0, result.output
    return ROOT / "site"


@pytest.fixture(scope="module")
def browser():
    with chromium() as browser:
        yield browser


@pytest.fixture(scope="module")
def attacks():
    return list(load_corpus(Project(ROOT)).records["attacks"].values())


def drawn(browser, site: Path, path: str, script: str, **context: object) -> object:
    """The script's result once every chart of the page is drawn; it gets the charts by spec file."""
    with serve(site) as base:
        page = browser.new_page(**context)
        page.goto(base + path, wait_until="networkidle")
        count = page.eval_on_selector_all(".briefs-chart", "els => els.length")
        page.wait_for_function(f"document.querySelectorAll('.briefs-chart[data-rendered]').length === {count}",
                               timeout=20_000)
        result = page.evaluate(f"""() => {{
            const charts = Object.fromEntries([...document.querySelectorAll('.briefs-chart')]
                .map(c => [c.dataset.spec, c]));
            const items = (chart, type) => {{
              const found = [];
              const walk = node => {{
                for (const child of node.items || []) {{
                  if (child.marktype === type && child.items) found.push(...child.items);
                  walk(child);
                }}
              }};
              walk(chart.briefsView.scenegraph().root);
              return found;
            }};
            return ({script})(charts, items);
        }}""")
        page.close()
    return result


def test_an_attack_without_a_figure_is_not_drawn_on_the_figure_axis(browser, site, attacks) -> None:
    points = drawn(browser, site, "/timeline/", """(charts, items) => items(charts['casualties.vl.json'], 'symbol')
        .filter(i => i.datum && i.datum.title).map(i => [i.datum.title, i.datum.killed, i.y])""")
    figured = {a.record.title for a in attacks if a.record.casualties.killed}
    assert figured and {title for title, _, _ in points} == figured
    zero = drawn(browser, site, "/timeline/", "(charts) => charts['casualties.vl.json'].briefsView.scale('y')(0)")
    assert all(killed > 0 and y < zero - 1 for _, killed, y in points), points


def test_a_date_without_a_day_is_drawn_over_its_month_or_year(browser, site, attacks) -> None:
    bars = drawn(browser, site, "/timeline/", """(charts, items) => {
        const view = charts['timeline.vl.json'].briefsView, x = view.scale('x');
        const day = x(new Date(2020, 0, 2)) - x(new Date(2020, 0, 1));
        return {day, bars: items(charts['timeline.vl.json'], 'rect').filter(i => i.datum && i.datum.title)
                  .map(i => [i.datum.title, i.datum.precision, i.width])};
    }""")
    widths = {title: (precision, width) for title, precision, width in bars["bars"]}
    for attack in attacks:
        precision = attack.record.date[0].value.precision
        if precision == "day" and not attack.record.end_date:
            assert attack.record.title not in widths  # a point, not a bar
            continue
        shortest = {"year": 365, "month": 28}.get(precision, 1)
        assert widths[attack.record.title][1] >= shortest * bars["day"] * 0.95, (attack.record.title, widths)


def test_the_map_is_fitted_to_its_marks(browser, site, attacks) -> None:
    found = drawn(browser, site, "/timeline/", """(charts, items) => {
        const chart = charts['map.vl.json'], view = chart.briefsView;
        const marks = items(chart, 'symbol').filter(i => i.datum && i.datum.title);
        return {width: view.width(), height: view.height(), xs: marks.map(i => i.x), ys: marks.map(i => i.y),
                labels: items(chart, 'text').filter(i => i.datum && i.datum.number).map(i => i.text)};
    }""")
    placed = [a for a in attacks if a.record.location and a.record.location.geocode]
    assert len(found["xs"]) == len(placed) >= 2
    spread_x = (max(found["xs"]) - min(found["xs"])) / found["width"]
    spread_y = (max(found["ys"]) - min(found["ys"])) / found["height"]
    assert max(spread_x, spread_y) > 0.4, found  # the whole world would squeeze them into a corner
    assert all(0 <= x <= found["width"] for x in found["xs"]) and all(0 <= y <= found["height"] for y in found["ys"])
    assert len(found["labels"]) == len(placed)  # each mark carries its number in the table


def test_the_iskp_page_draws_every_related_actor_by_name(browser, site) -> None:
    names = drawn(browser, site, "/actors/iskp/", """(charts) => {
        const svg = charts['actors/iskp.vg.json'].querySelector('svg');
        const text = [...svg.querySelectorAll('text')].map(t => t.textContent).join(' ');
        let node = document.querySelector('#relations').nextElementSibling;
        while (node && !node.querySelector('table')) node = node.nextElementSibling;  // the relations table
        const table = [...node.querySelectorAll('td:nth-child(2) a')].map(a => a.textContent);
        return {text, table};
    }""")
    words = " ".join(names["text"].split())
    assert len(set(names["table"])) >= 5
    missing = [name for name in set(names["table"]) if name not in words and name.replace(" ", "") not in
               words.replace(" ", "")]
    assert missing == []


def test_clicking_a_node_opens_its_actors_page(browser, site) -> None:
    with serve(site) as base:
        page = browser.new_page()
        page.goto(base + "/actors/iskp/", wait_until="networkidle")
        page.wait_for_selector(".briefs-network[data-rendered]")
        node = page.evaluate_handle("""() => [...document.querySelectorAll('.briefs-network g.mark-symbol path')]
            .find(p => p.getAttribute('aria-label')?.includes('Islamic State') &&
                       !p.getAttribute('aria-label').includes('Khorasan'))""")
        node.as_element().click()
        page.wait_for_url("**/actors/islamic-state/", timeout=10_000)
        assert page.url.endswith("/actors/islamic-state/")
        page.close()


def test_a_tap_on_a_phone_shows_a_marks_details_and_stays(browser, site) -> None:
    with serve(site) as base:
        context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True)
        page = context.new_page()
        page.goto(base + "/timeline/", wait_until="networkidle")
        page.wait_for_selector(".briefs-chart[data-spec='map.vl.json'][data-rendered]")
        mark = page.query_selector(".briefs-chart[data-spec='map.vl.json'] g.mark-symbol path")
        mark.scroll_into_view_if_needed()
        box = mark.bounding_box()
        page.touchscreen.tap(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        card = page.wait_for_selector(".briefs-tap:not([hidden])", timeout=5_000)
        assert "Attack:" in card.inner_text() and "Open its page" in card.inner_text()
        assert page.url.endswith("/timeline/")
        context.close()


def test_chart_text_is_at_least_12_px(browser, site) -> None:
    sizes = drawn(browser, site, "/timeline/", """(charts) => Object.fromEntries(Object.entries(charts).map(
        ([name, chart]) => [name, Math.min(...[...chart.querySelectorAll('svg text')]
            .map(t => parseFloat(getComputedStyle(t).fontSize)))]))""")
    assert sizes and all(size >= 12 for size in sizes.values()), sizes


_NETWORKS = """
import hashlib, sys
import os
import shutil
import subprocess
import sys
from pathlib import Path
from generator.charts import network_files
from generator.check import load_corpus
from generator.corpus import Project
files = network_files(load_corpus(Project(Path(sys.argv[1]))))
print(hashlib.sha256(b"".join(path.encode() + files[path] for path in sorted(files))).hexdigest())
"""


def test_actors_of_one_name_are_drawn_in_the_same_order_in_every_process(tmp_path: Path) -> None:
    """Two actors with one name, both related to a third: the maps do not follow a set's order,
    which changes with each process's string hashing."""
    root = tmp_path / "basic"
    shutil.copytree(FIXTURES / "basic", root, ignore=shutil.ignore_patterns("expected", "site"))
    group = root / "content" / "actors" / "example-group.yaml"
    relations = "".join(f"  - actor: twin-{n}\n    type: {{value: ally, cite: [doe2023]}}\n    cite: [doe2023]\n"
                        for n in "ab")
    group.write_text(group.read_text(encoding="utf-8").replace("relations:\n", "relations:\n" + relations),
                     encoding="utf-8")
    for n in "ab":
        (root / "content" / "actors" / f"twin-{n}.yaml").write_text(
            "name: Twin Front\ncategory: militant-group\nsummary: A group [@doe2023].\nreviewed: 2026-11-20\n",
            encoding="utf-8")
    digests = {subprocess.run([sys.executable, "-c", _NETWORKS, str(root)], capture_output=True, text=True, check=True,
                              env={**os.environ, "PYTHONHASHSEED": str(seed)}).stdout for seed in range(8)}
    assert len(digests) == 1, digests
