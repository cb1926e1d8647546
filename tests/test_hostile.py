"""Hostile and broken input: broken YAML, scripts in every field, naughty strings, real BibTeX.

Each test feeds input written by others (``../shared/testdata``) or by an attacker through
the same doors editors use, and checks what must hold whatever the input: a clean
``path:line:col`` diagnostic instead of a traceback or a hang, nothing that runs in the
built pages, every string shown as it was typed, and no lost site.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
import shutil
import subprocess
import sys
import textwrap
import time
import urllib.parse
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest
import yaml
from click.testing import CliRunner
from conftest import FIXTURES, ROOT, shared_data
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.bibliography import load_bibliography
from generator.check import load_corpus
from generator.cli import main
from generator.corpus import Project
from generator.generate import generate
from generator.load import parse
from generator.models import Actor, Attack
from generator.sanitize import TAGS
from generator.validate import validate

COUNTS: dict[str, str] = {}


@pytest.fixture(scope="module", autouse=True)
def report_counts(request):
    """Print what the module tried, e.g. how many payloads went through a build."""
    yield
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    if reporter and capture and COUNTS:
        with capture.global_and_fixture_disabled():
            reporter.write_line("")
            for name, text in COUNTS.items():
                reporter.write_line(f"hostile input: {name}: {text}")


def run(*args: str) -> tuple[int, str, str, BaseException | None]:
    result = CliRunner().invoke(main, list(args))
    exception = None if isinstance(result.exception, SystemExit) else result.exception
    return result.exit_code, result.stdout, result.stderr, exception


def copy_fixture(tmp_path: Path, name: str = "basic") -> Path:
    target = tmp_path / name
    shutil.copytree(FIXTURES / name, target, ignore=shutil.ignore_patterns("expected", "site"))
    return target / "mkdocs.yml"


def quote(text: str) -> str:
    """A YAML double-quoted scalar that LibYAML reads back as exactly ``text``.

    JSON's escapes are YAML's; what JSON leaves raw but YAML would fold or refuse (C1
    controls, DEL, NEL, the line and paragraph separators, a BOM) is escaped too.
    """
    quoted = json.dumps(text, ensure_ascii=False)
    return re.sub("[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]", lambda m: f"\\u{ord(m.group()):04x}", quoted)


def quoted_list(items: list[str], indent: str = "  ") -> str:
    return "".join(f"\n{indent}- {quote(item)}" for item in items)


# --- 1. Broken YAML ------------------------------------------------------------------------

POSITION = re.compile(r"^(?P<path>[^\n:]+):(?P<line>\d+):(?P<col>\d+): error: ", re.MULTILINE)


def suite_cases(kind: str) -> list[Path]:
    return sorted((shared_data("yaml-test-suite") / kind).glob("*.yaml"))


def timed_parse(text: str, path: str) -> tuple[object, list, float]:
    started = time.process_time()
    data, problems = parse(text, path)
    return data, problems, time.process_time() - started


def test_every_invalid_case_of_the_yaml_test_suite_gives_a_positioned_error() -> None:
    cases = suite_cases("error")
    failures = []
    for case in cases:
        path = f"content/attacks/{case.stem}.yaml"
        try:
            _, problems, seconds = timed_parse(case.read_text(encoding="utf-8"), path)
        except Exception as exc:  # noqa: BLE001  (the point: no exception escapes)
            failures.append(f"{case.name}: raised {exc!r}")
            continue
        lines = [str(p) for p in problems]
        if not any(re.match(re.escape(path) + r":\d+:\d+: error: ", line) for line in lines):
            failures.append(f"{case.name}: no positioned error in {lines}")
        if seconds > 2:
            failures.append(f"{case.name}: took {seconds:.1f}s")
    COUNTS["YAML test suite, invalid cases"] = (
        f"{len(cases) - len(failures)} of {len(cases)} give path:line:col")
    assert len(cases) >= 90
    assert failures == []


def _all_text(value: object) -> bool:
    if isinstance(value, dict):
        return all(_all_text(v) for v in value.values())
    if isinstance(value, list):
        return all(_all_text(v) for v in value)
    return value is None or isinstance(value, str)


def test_valid_cases_of_the_yaml_test_suite_never_raise() -> None:
    """Never an exception; and where the expected data is all text, the loader reads it right."""
    suite = shared_data("yaml-test-suite")
    known = dict(line.split("\t")[:3:2] for line in (suite / "index.tsv").read_text().splitlines()[1:])
    cases = suite_cases("valid")
    refused = compared = 0
    for case in cases:
        data, problems, seconds = timed_parse(case.read_text(encoding="utf-8"), "x.yaml")
        assert seconds < 2, case.name
        for problem in problems:
            # tags, anchors, aliases, non-text keys, several documents are refused by design;
            # LibYAML rejects a few valid files (tabs in block scalars, unknown directives)
            assert problem.code in {"yaml-tag", "yaml-anchor", "yaml-alias", "yaml-key", "yaml-syntax",
                                    "empty-file"}, (case.name, str(problem))
        refused += bool(problems)
        expected = case.with_suffix(".json").read_text(encoding="utf-8")
        try:
            expected_data = json.loads(expected)
        except json.JSONDecodeError:
            continue  # several documents
        if not problems and _all_text(expected_data) and known.get(case.stem) != "pyyaml-ok-MISMATCH":
            compared += 1
            assert data == expected_data, case.name
    COUNTS["YAML test suite, valid cases"] = (
        f"{len(cases)} parsed without an exception ({refused} refused by design or by LibYAML; "
        f"{compared} all-text cases read exactly as the suite expects)")
    assert len(cases) >= 250 and compared >= 150


def test_what_editors_write_is_not_mistaken_for_what_libyaml_lets_through() -> None:
    """The checks for shapes LibYAML accepts but YAML forbids leave ordinary records alone."""
    text = textwrap.dedent("""\
        # yaml-language-server: $schema=../schemas/attack.schema.json#top
        title: Attack #3 on the market   # an issue#12 in a comment
        url: https://example.org/page#section
        quoted: "a # b"#
        flow: [a, b,
          c]   # a flow list over two lines
        nested:
          list:
            - {actor: x,
               type: rival}
        text: |

          after a blank line, # not a comment
        folded: >-
          one
          two
        multi: "one
          two"
        dash: [-1, -a, "-"]
        """).replace('"a # b"#', '"a # b"  #')
    data, problems = parse(text, "a.yaml")
    assert [str(p) for p in problems] == []
    assert data["title"] == "Attack" and data["url"] == "https://example.org/page#section"
    assert data["dash"] == ["-1", "-a", "-"] and data["multi"] == "one two"


ATTACK = "content/attacks/example-market-bombing.yaml"
GOOD_ATTACK = (FIXTURES / "basic" / ATTACK).read_text(encoding="utf-8")
TITLE = "title: Example market bombing"


def _alias_bomb() -> str:
    lines = ['lol0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"lol{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 12)]
    return "\n".join(lines) + "\n"


def _nested_mappings(levels: int) -> str:
    return "".join(" " * i + f"k{i}:\n" for i in range(levels)) + " " * levels + "end\n"


def malformed_cases(marker: Path) -> dict[str, bytes | str]:
    """The broken files of the issue, each as the whole text of the attack record."""
    good = GOOD_ATTACK
    return {
        "unclosed bracket": good.replace("attack_types: [bombing]", "attack_types: [bombing"),
        "unclosed brace": good.replace("locator: p. 3}]}", "locator: p. 3}]", 1),
        "unclosed quote": good.replace(TITLE, 'title: "Example market bombing'),
        "tab as indentation": good.replace("  place: Example City", "\tplace: Example City"),
        "tab inside a flow list": good.replace("attack_types: [bombing]", "attack_types: [\n\tbombing]"),
        "flow line not indented": good.replace("attack_types: [bombing]",
                                               "attack_types: [bombing,\nunknown]"),
        "comment glued to a value": good.replace(TITLE, 'title: "Example market bombing"# note'),
        "lone dash in a flow list": good.replace("attack_types: [bombing]", "attack_types: [-]"),
        "duplicate key": good + "title: Another title\n",
        "duplicate nested key": good.replace("  place: Example City",
                                             "  place: Example City\n  place: Elsewhere"),
        "multiple documents": good + "---\ntitle: A second record\n",
        "document end then more": good + "...\ntitle: x\n",
        "non-UTF-8 (Latin-1)": good.replace("Example City", "Café City").encode("latin-1"),
        "UTF-16": good.encode("utf-16"),
        "NUL byte": good.replace("Example City", "Example\x00City"),
        "NUL byte in non-UTF-8": b"title: \xff\x00\n",
        "control character": good.replace("Example City", "Example\x07City"),
        "lone surrogate escape": good.replace(TITLE, 'title: "\\ud800"'),
        "bad date 2024-13-45": good.replace("value: 2023-05,", "value: 2024-13-45,"),
        "bad date 2023-02-30": good.replace("reviewed: 2026-11-20", "reviewed: 2023-02-30"),
        "date as words": good.replace("value: 2023-05,", "value: last May,"),
        "deep flow nesting": "title: " + "[" * 100_000 + "\n",
        "deep nesting by indentation": _nested_mappings(1_000),
        "undefined alias": good.replace(TITLE, "title: *nothing"),
        "recursive alias": good + "notes: &loop [*loop]\n",
        "alias bomb": good + _alias_bomb(),
        "unused anchor": good.replace(TITLE, "title: &Co market bombing"),
        "python object/apply tag": good.replace(
            TITLE, f"title: !!python/object/apply:os.system ['touch {marker}']"),
        "python name tag": good.replace(TITLE, "title: !!python/name:os.system"),
        "python object/new tag": good + (
            f"notes: !!python/object/new:subprocess.check_output [['touch', '{marker}']]\n"),
        "unknown local tag": good.replace(TITLE, "title: !secret market bombing"),
        "binary tag": good.replace(TITLE, "title: !!binary aGVsbG8="),
        "int tag": good.replace("value: 40,", "value: !!int 40,"),
        "set tag": good.replace("attack_types: [bombing]", "attack_types: !!set {bombing}"),
        "tagged mapping": good.replace("location:\n", "location: !!omap\n"),
        "a list where a mapping belongs": "".join(
            ("- " if i == 0 else "  ") + line + "\n" for i, line in enumerate(good.splitlines())),
        "a list for the location": good.replace(
            "location:\n  place: Example City\n  country: Exampleland\n"
            "  geocode: {latitude: 34.5, longitude: 69.2, precision: city}\n  cite: [doe2023]\n",
            "location: [Example City, Exampleland]\n"),
        "text where a mapping belongs": "just a sentence about a bombing\n",
        "a mapping as a key": "? [a, b]\n: c\n" + good,
        "empty file": "",
        "only a comment": "# nothing here yet\n",
        "only a BOM": "\ufeff",
        "only null": "~\n",
        "only a document marker": "---\n",
        "larger than 2 MB": "title: x\nnotes: |\n" + ("  " + "a" * 98 + "\n") * 21_000,
    }


def test_malformed_yaml_gives_exit_1_and_a_positioned_error_end_to_end(tmp_path: Path) -> None:
    config = copy_fixture(tmp_path)
    record = config.parent / ATTACK
    marker = tmp_path / "pwned"
    cases = malformed_cases(marker)
    failures = []
    for name, content in cases.items():
        if isinstance(content, str):
            record.write_text(content, encoding="utf-8", newline="")
        else:
            record.write_bytes(content)
        started = time.monotonic()
        code, out, err, exception = run("check", "-f", str(config))
        seconds = time.monotonic() - started
        located = [m for m in POSITION.finditer(out) if m["path"] == ATTACK]
        if code != 1 or not located or exception is not None or "Traceback" in out + err or seconds > 10:
            failures.append(f"{name}: exit {code}, {seconds:.1f}s, {exception!r}\n{out}{err}")
    assert not marker.exists(), "a YAML tag ran a command"
    COUNTS["malformed YAML files through `briefs check`"] = (
        f"{len(cases) - len(failures)} of {len(cases)} exit 1 with path:line:col")
    assert failures == []


DEEP = {  # LibYAML composes these recursively in C: unbounded, they overflow the stack (SIGSEGV)
    "block sequences on one line": "- " * 300_000 + "x\n",
    "complex keys on one line": "? " * 300_000 + "x\n",
    "block sequences in a flow": "- [" * 100_000 + "\n",
    "flow mappings": "{a: " * 100_000 + "\n",
}


@pytest.mark.parametrize("name", sorted(DEEP))
def test_deep_nesting_is_refused_not_a_crash(tmp_path: Path, name: str) -> None:
    """Run in a child process: a regression here kills the process, not the test run."""
    config = copy_fixture(tmp_path)
    (config.parent / ATTACK).write_text(DEEP[name], encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "generator.cli", "check", "-f", str(config)], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1, (result.returncode, result.stderr[-500:])
    assert re.search(rf"^{re.escape(ATTACK)}:1:\d+: error: nesting deeper than 32 levels \[yaml-depth\]$",
                     result.stdout, re.MULTILINE), result.stdout
    assert "Traceback" not in result.stderr


def test_diagnostics_do_not_print_terminal_escapes(tmp_path: Path) -> None:
    """A bad id or key is quoted in the message; its control characters must not reach the terminal
    (an OSC sequence retitles the window, CSI ones rewrite the screen) nor a bidi override the line."""
    config = copy_fixture(tmp_path)
    hostile = "\\e]0;owned\\a\\e[2J\\u202e"
    (config.parent / ATTACK).write_text(
        GOOD_ATTACK.replace("  - actor: example-group", f'  - actor: "{hostile}"')
        .replace(TITLE, f'"ti{hostile}tle": x\n{TITLE}'), encoding="utf-8")
    code, out, err, _ = run("check", "-f", str(config))
    assert code == 1 and "[bad-id]" in out and "[unknown-field]" in out
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", out + err), repr(out)


def test_bad_dates_are_errors_at_their_line() -> None:
    text = GOOD_ATTACK.replace("value: 2023-05,", "value: 2024-13-45,")
    data, problems = parse(text, ATTACK)
    assert problems == []
    record, problems = validate(data, Attack, ATTACK)
    assert record is None
    assert [str(p) for p in problems] == [
        f"{ATTACK}:2:15: error: 'date[0].value': month must be in 1..12 [bad-value]"]


def test_yaml_11_surprises_stay_text_through_the_models() -> None:
    actor = textwrap.dedent("""\
        name: NO
        category: state
        aliases: [yes, on, off, y, n, 1.10, '1.10', 22:22, 0o17, 0x1F, 1e3, .inf, .NaN, 2024-01-01, +1, 012,
                  1_000]
        summary: yes
        history: 22:22
        reviewed: 2026-11-20
        """)
    data, problems = parse(actor, "content/actors/no.yaml")
    assert problems == []
    record, problems = validate(data, Actor, "content/actors/no.yaml")
    assert problems == []
    assert record.name == "NO" and record.summary == "yes" and record.history == "22:22"
    assert [alias.name for alias in record.aliases] == [
        "yes", "on", "off", "y", "n", "1.10", "1.10", "22:22", "0o17", "0x1F", "1e3", ".inf", ".NaN", "2024-01-01",
        "+1", "012", "1_000"]
    attack = (GOOD_ATTACK.replace(TITLE, "title: 1.10").replace("place: Example City", "place: 22:22")
              .replace("country: Exampleland", "country: NO"))
    record, problems = validate(parse(attack, ATTACK)[0], Attack, ATTACK)
    assert problems == []
    assert (record.title, record.location.place, record.location.country) == ("1.10", "22:22", ["NO"])


# --- 3. Nothing executes -------------------------------------------------------------------

MARKDOWN_TRICKS = [
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x]( javascript:alert(1) )",
    "[x](java\tscript:alert(1))",
    "[x](&#106;avascript:alert(1))",
    "[x](javascript&#58;alert(1))",
    "[x](<javascript:alert(1)>)",
    "[x](vbscript:msgbox(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '[x](https://example.org/" onclick="alert(1))',
    '[x](https://example.org/ "a" onclick="alert(1)")',
    "[x][evil]\n\n[evil]: javascript:alert(1)",
    "[evil]\n\n[evil]: data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "<javascript:alert(1)>",
    "<script>alert(1)</script>",
    "<script>\nalert(1)\n</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<a href="javascript:alert(1)">x</a>',
    '<div markdown="1">[x](javascript:alert(1))</div>',
    '{: onclick="alert(1)"}',
    'A paragraph\n{: onclick="alert(1)" }',
    '# A heading {: onclick="alert(1)" }',
    "## <img src=x onerror=alert('toc')> in the table of contents",
    "### </title></a><script>alert('toc')</script>",
    '[x](https://example.org){: onclick="alert(1)"}',
    "![x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](x){: onerror=alert(1)}",
    '![x](https://example.org/x.png "x\\" onerror=\\"alert(1)")',
    "`<script>alert(1)</script>`",
    "```\n<script>alert(1)</script>\n```",
    "    <script>alert(1)</script>",
    "[^evil]\n\n[^evil]: <script>alert(1)</script>",
    "*[HTML]: <script>alert(1)</script>",
    '!!! note "<script>alert(1)</script>"\n    <img src=x onerror=alert(1)>',
    "&lt;script&gt;alert(1)&lt;/script&gt; &#60;script&#62;",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<<script>script>alert(1)<</script>/script>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">",
    "{{ 7*7 }} {% include 'x' %} ${7*7} <%= 7*7 %>",
    "| a | b |\n| --- | --- |\n| <script>alert(1)</script> | [x](javascript:alert(1)) |",
    "> <img src=x onerror=alert(1)>",
    "- [x](javascript:alert(1))\n- <svg onload=alert(1)>",
    "Text\n===\n{: onclick=alert(1)}",
    "<!-- x --><script>alert(1)</script>",
    "[x](javascript:alert(1) \"title\")",
    "[x](\\javascript:alert(1))",
    "[x](%6Aavascript:alert(1))",
    "[x](//evil.example/)",
]
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "srcdoc", "data", "xlink:href", "background",
                  "poster", "srcset", "style"}
DANGEROUS_URL = re.compile(r"^(javascript|vbscript|data|file):", re.IGNORECASE)


def xss_payloads() -> list[str]:
    text = (shared_data("xss") / "payloads.txt").read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line]


def balanced_braces(text: str) -> str:
    """The text without the braces BibTeX could not pair."""
    out, depth = [], 0
    for char in text:
        if char == "{":
            depth += 1
        elif char == "}":
            if not depth:
                continue
            depth -= 1
        out.append(char)
    result = "".join(out)
    while depth:  # drop the last unclosed openers
        index = result.rindex("{")
        result = result[:index] + result[index + 1:]
        depth -= 1
    return result


LINE, PARAGRAPH = "\n", "\n\n"


def write_payload_project(config: Path, payloads: list[str], per_record: int = 25) -> int:
    """Put every payload into prose, a name, title or alias, a table cell and BibTeX; return the records.

    Records of all three kinds take ``per_record`` payloads each. Every payload lands in
    prose three ways (a paragraph of its own, a line among lines, a list item), in an
    alias, in a table cell with a citation locator, and in a BibTeX entry's title,
    ``howpublished`` and url, cited from the actor so that it shows in notes and on Sources.
    In the url it follows ``https://example.org/?q=``, percent-encoded only where RFC 3986 asks
    (any other url is refused, ``bad-url``): its quotes, parentheses and ampersands stay.
    """
    root = config.parent
    chunks = [payloads[i:i + per_record] for i in range(0, len(payloads), per_record)]
    bib = []
    for number, payload in enumerate(payloads):
        field = balanced_braces(payload)
        url = "https://example.org/?q=" + urllib.parse.quote(field, safe="-._~!$&'()*+,;=:@/?")
        bib.append(f"@misc{{xss{number},\n  author = {{Payload, Number {number}}},\n  title = {{{field}}},\n"
                   f"  howpublished = {{{field}}},\n  year = {{2024}},\n  url = {{{url}}}\n}}\n")
    (root / "bib" / "xss.bib").write_text("\n".join(bib), encoding="utf-8")
    first = 0
    for index, chunk in enumerate(chunks):
        keys = [f"xss{first + i}" for i in range(len(chunk))]
        first += len(chunk)
        cites = "[" + "; ".join(f"@{key}" for key in keys) + "]"
        actor, attack, option = f"xss-{index}-actor", f"xss-{index}-attack", f"xss-{index}-option"

        def pick(n: int, chunk: list[str] = chunk) -> str:
            return quote(chunk[n % len(chunk)])

        killed = "".join(f"\n    - {{value: {n}, note: {quote(p)}, "
                         f"cite: [{{key: {keys[0]}, locator: {quote(p)}}}]}}" for n, p in enumerate(chunk))
        (root / "content" / "actors" / f"{actor}.yaml").write_text(
            f"name: {pick(0)}\ncategory: militant-group\naliases:{quoted_list(chunk)}\n"
            f"summary: {quote(LINE.join(chunk) + ' ' + cites)}\n"
            f"relations:\n  - {{actor: {actor}, type: rival, note: {pick(1)}, cite: [{keys[0]}]}}\n"
            "reviewed: 2026-11-20\n", encoding="utf-8")
        (root / "content" / "attacks" / f"{attack}.yaml").write_text(
            f"title: {pick(1)}\n"
            f"date:\n  - {{value: 2024-03-22, note: {pick(2)}, cite: [{keys[0]}]}}\n"
            f"location: {{place: {pick(3)}, country: {pick(4)}, cite: [{keys[0]}]}}\n"
            f"perpetrators:\n  - {{actor: {actor}, basis: attributed, by: {pick(5)}, cite: [{keys[0]}]}}\n"
            f"casualties:\n  killed:{killed}\n"
            f"summary: {quote(PARAGRAPH.join(chunk) + ' [@' + keys[0] + ']')}\nreviewed: 2026-11-20\n",
            encoding="utf-8")
        (root / "content" / "policy-options" / f"{option}.yaml").write_text(
            f"title: {pick(2)}\nsummary: {pick(6)}\n"
            f"proposers:\n  - {{actor: {actor}, role: proposes, cite: [{keys[0]}]}}\n"
            f"addresses: [{actor}]\nresponds_to: [{attack}]\n"
            f"mechanism: {pick(7)}\nbenefits:{quoted_list(chunk)}\n"
            f"status: {{value: proposed, cite: [{keys[0]}]}}\nreviewed: 2026-11-20\n",
            encoding="utf-8")
        (root / "seeds" / f"xss-{index}-seed.yaml").write_text(
            f"key: {keys[0]}\ncovers: {pick(8)}\nreviewed: 2026-11-20\n", encoding="utf-8")
    return 3 * len(chunks)


@functools.lru_cache(maxsize=8)
def markdown_config(config: Path) -> tuple[list[str], dict[str, dict]]:
    """The Markdown extensions the project's mkdocs.yml turns on, as Python-Markdown takes them."""
    from generator.site import _read_config

    names, settings = [], {}
    for item in _read_config(config).get("markdown_extensions", []):
        name, options = (item, {}) if isinstance(item, str) else next(iter(item.items()))
        names.append(name)
        settings[name] = options or {}
    return names, settings


def to_html(page_markdown: str, extensions: tuple[list[str], dict[str, dict]]) -> str:
    """A generated page as Python-Markdown makes it, before the sanitizer (the first fence alone)."""
    return markdown.markdown(page_markdown, extensions=extensions[0], extension_configs=extensions[1])


def dangerous_url(value: str) -> bool:
    # as a browser reads it: tabs and line breaks dropped anywhere, controls and spaces trimmed
    value = re.sub(r"[\t\n\r]", "", value).strip("".join(map(chr, range(33))))
    return bool(DANGEROUS_URL.match(value))


class MarkupAudit(HTMLParser):
    """Every element and attribute of an HTML fragment that could run script or load a document."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in TAGS:
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=...>")
            if name in URL_ATTRIBUTES and value and dangerous_url(value):
                self.problems.append(f"<{tag} {name}={value[:60]!r}>")

    handle_startendtag = handle_starttag


def audit(fragment: str) -> list[str]:
    parser = MarkupAudit()
    parser.feed(fragment)
    parser.close()
    return parser.problems


def test_payloads_stay_inert_in_the_generated_markdown(tmp_path: Path) -> None:
    """The first fence alone: generated Markdown through Python-Markdown, no sanitizer."""
    config = copy_fixture(tmp_path)
    payloads = xss_payloads() + MARKDOWN_TRICKS
    write_payload_project(config, payloads)
    corpus = load_corpus(Project(config.parent))
    assert [str(d) for d in corpus.diagnostics if d.severity.value == "error"] == []
    extensions = markdown_config(config)
    problems = {}
    pages = generate(corpus)
    for page in pages:
        found = audit(to_html(page.markdown, extensions))
        if found:
            problems[page.path] = found[:5]
    COUNTS["XSS payloads, generated Markdown"] = (
        f"{len(payloads)} payloads ({len(payloads) - len(MARKDOWN_TRICKS)} from payloads.txt) "
        f"in {len(pages)} pages: {'inert' if not problems else f'{len(problems)} pages with markup'}")
    assert problems == {}


@pytest.mark.parametrize("payload", MARKDOWN_TRICKS)
def test_each_markdown_trick_is_escaped_on_its_own(payload: str) -> None:
    from generator.prose import escape_text, safe_markdown

    extensions = markdown_config(FIXTURES / "basic" / "mkdocs.yml")
    for escape in (safe_markdown, escape_text):
        assert audit(to_html(escape(payload), extensions)) == [], escape.__name__


def test_safe_links_stay_links() -> None:
    from generator.prose import safe_markdown

    assert safe_markdown("[a]( https://example.org/x_(y) \"t\" )") == "[a](https://example.org/x_(y))"
    assert safe_markdown("[b](../actors/x.md#top) [c](mailto:a@example.org)") == (
        "[b](../actors/x.md#top) [c](mailto:a@example.org)")
    assert safe_markdown("`<b>` and | pipes") == "<code>&lt;b&gt;</code> and &#124; pipes"
    assert safe_markdown("\\[not a link\\](https://example.org)") == "\\[not a link\\](https://example.org)"



@settings(max_examples=300, deadline=None)
@given(st.text())
def test_text_called_plain_is_text_escaping_would_leave_as_it_is(text: str) -> None:
    """Prose called plain skips escaping (a speed-up): only text escaping would not change."""
    from generator.prose import is_plain, safe_markdown

    assert not is_plain(text) or safe_markdown(text) == text


def test_no_naughty_string_or_xss_payload_called_plain_needs_escaping() -> None:
    from generator.prose import is_plain, safe_markdown

    strings = naughty_strings() + xss_payloads()
    plain = [s for s in strings if is_plain(s)]
    assert plain and len(plain) < len(strings)  # both kinds are there: the check can fail
    assert [s for s in plain if safe_markdown(s) != s] == []

AUDIT_DOM = """
() => {
  const found = {article: [], page: []};
  const article = document.querySelector('article');
  if (!article) found.article.push('no <article>');
  for (const el of document.querySelectorAll('*')) {
    const tag = el.tagName.toLowerCase();
    if (el.closest('.md-content__button, .md-source')) continue;  // Material's own icons
    const where = article && article.contains(el) ? found.article : found.page;
    const drawn = el.closest('.briefs-chart') && ['svg', 'form'].includes(tag);  // the charts Vega draws
    if (where === found.article && !drawn && ['script', 'iframe', 'object', 'embed', 'img', 'svg', 'math', 'style',
        'form', 'base', 'meta', 'link', 'frame', 'frameset', 'template', 'noscript'].includes(tag))
      where.push('<' + tag + '>');
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      if (name.startsWith('on')) where.push('<' + tag + ' ' + name + '>');
      if (['href', 'src', 'action', 'formaction', 'xlink:href', 'srcdoc', 'data'].includes(name)) {
        const value = attr.value.replace(/[\\t\\n\\r]/g, '')
          .replace(/^[\\u0000-\\u0020]+|[\\u0000-\\u0020]+$/g, '');
        if (/^(javascript|vbscript|data):/i.test(value))
          where.push('<' + tag + ' ' + name + '=' + value.slice(0, 60) + '>');
      }
    }
  }
  return found;
}
"""


def html_paths(site: Path) -> list[str]:
    """Every page, without the redirect pages at renamed records' old addresses (they leave at once:
    ``test_a_redirect_page_keeps_a_hostile_title_inert`` looks at them)."""
    return sorted("/" + p.relative_to(site).as_posix().removesuffix("index.html")
                  for p in site.rglob("*.html") if 'http-equiv="refresh"' not in p.read_text(encoding="utf-8"))


def visit(site: Path, paths: list[str], script: str, tabs: int = 4) -> tuple[list[str], dict[str, object]]:
    """Open each page in Chromium, some tabs at once: the dialogs that fired, ``script``'s result per page."""
    from browser import chromium, serve

    dialogs: list[str] = []
    results: dict[str, object] = {}
    with serve(site) as base, chromium() as browser:
        context = browser.new_context()
        # the search index is large and the same for every page: not what is tested here
        context.route("**/search/search_index.json", lambda route: route.abort())
        pages = [context.new_page() for _ in range(tabs)]
        for page in pages:
            page.on("dialog", lambda dialog: (dialogs.append(f"{dialog.page.url}: {dialog.message}"),
                                              dialog.dismiss()))
        for start in range(0, len(paths), tabs):
            batch = list(zip(pages, paths[start:start + tabs], strict=False))
            for page, path in batch:
                page.goto(base + path, wait_until="commit")
            for page, path in batch:
                page.wait_for_load_state("load")
                page.wait_for_timeout(30)  # let timers and late handlers run
                results[path] = page.evaluate(script)
        context.close()
    return dialogs, results


@pytest.fixture(scope="module")
def payload_site(tmp_path_factory) -> dict[str, object]:
    """The fixture project with every payload in it, built with `briefs build` and opened page by page."""
    config = copy_fixture(tmp_path_factory.mktemp("xss"))
    payloads = xss_payloads() + MARKDOWN_TRICKS
    records = write_payload_project(config, payloads, per_record=50)
    code, out, err, exception = run("build", "-f", str(config))
    assert (code, exception) == (0, None), out + err
    site = config.parent / "site"
    paths = html_paths(site)
    dialogs, results = visit(site, paths, AUDIT_DOM)
    article = {path: found["article"][:5] for path, found in results.items() if found["article"]}
    elsewhere = {path: found["page"][:5] for path, found in results.items() if found["page"]}
    COUNTS["XSS payloads, built site in Chromium"] = (
        f"{len(payloads)} payloads in {records} records and {len(payloads)} BibTeX entries, "
        f"{len(paths)} pages opened: {len(dialogs)} dialogs, {len(article)} pages with live markup in the "
        f"article, {len(elsewhere)} elsewhere on the page")
    return {"dialogs": dialogs, "article": article, "elsewhere": elsewhere, "pages": len(paths)}


@pytest.mark.browser
def test_payloads_stay_inert_in_the_built_site_in_chromium(payload_site) -> None:
    assert payload_site["pages"] >= 40
    assert payload_site["dialogs"] == []
    assert payload_site["article"] == {}
    assert payload_site["elsewhere"] == {}  # (no payload with </title> is a page title here: see below)



@pytest.mark.browser
def test_a_title_cannot_break_out_of_the_html_title(tmp_path: Path) -> None:
    config = copy_fixture(tmp_path)
    name = "</title><script>alert('title')</script><img src=x onerror=alert('img')>"
    record = config.parent / "content" / "actors" / "example-group.yaml"
    text = record.read_text(encoding="utf-8")
    record.write_text(text.replace("name: Example Group", f"name: {quote(name)}"), encoding="utf-8")
    assert run("build", "-f", str(config))[0] == 0
    dialogs, titles = visit(config.parent / "site", ["/actors/example-group/"], "() => document.title")
    assert dialogs == []
    assert titles["/actors/example-group/"] == f"{name} - Example briefs"


HEAD_PAYLOAD = "\"'><script>alert('head')</script><img src=x onerror=alert('img')> & </title></head><body>"
HEAD_AUDIT = """() => ({
  head: [...document.head.querySelectorAll('*')].filter(el => ['img', 'svg', 'iframe', 'body'].includes(
      el.localName) || [...el.attributes].some(a => a.name.startsWith('on'))
      || (el.localName === 'script' && /alert/.test(el.textContent))).map(el => el.outerHTML.slice(0, 80)),
  meta: Object.fromEntries([...document.head.querySelectorAll('meta[property], meta[name]')].map(
      el => [el.getAttribute('property') || el.getAttribute('name'), el.getAttribute('content')])),
  title: document.title,
})"""


class HeadTags(HTMLParser):
    """The elements and meta values of a page's <head>, as an HTML parser reads the built file."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.meta: dict[str, str] = {}
        self.scripts: list[str] = []
        self._done = self._script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "body":
            self._done = True
        if self._done:
            return
        self.tags.append(tag)
        self.tags += [f"{tag} {name}" for name in attributes if name.startswith("on")]
        self._script = tag == "script"
        if tag == "meta" and (attributes.get("property") or attributes.get("name")):
            self.meta[attributes.get("property") or attributes.get("name") or ""] = attributes.get("content") or ""

    def handle_data(self, data: str) -> None:
        if self._script and not self._done:
            self.scripts.append(data)

    def handle_endtag(self, tag: str) -> None:
        self._script = False


@pytest.mark.browser
def test_hostile_record_text_stays_inert_in_the_head(tmp_path: Path, monkeypatch) -> None:
    """A name, summary and change note that try to close the <head> or a meta attribute: the head's
    title, Open Graph, Twitter and citation_* values are the text, escaped; nothing runs; the redirect
    page, feed and citation files keep it inert too."""
    monkeypatch.setenv("BRIEFS_SITE_URL", "https://briefs.example.org/")
    config = copy_fixture(tmp_path)
    root = config.parent
    group = root / "content" / "actors" / "example-group.yaml"
    summary = f"{HEAD_PAYLOAD} *bold* `code` [@doe2023, p. 12]"
    group.write_text(group.read_text(encoding="utf-8")
                     .replace("name: Example Group", f"name: {quote(HEAD_PAYLOAD)}")
                     .replace("summary: |\n  A militant group active in Exampleland since 2019 [@doe2023, p. 12].\n"
                              "  It has claimed several bombings [@doe2023; @roe2023].\n",
                              f"summary: {quote(summary)}\n")
                     .replace("note: First published.", f"note: {quote(HEAD_PAYLOAD)}"), encoding="utf-8")
    code, out, err, exception = run("build", "-f", str(config))
    assert (code, exception) == (0, None), out + err
    site = root / "site"
    text = " ".join(HEAD_PAYLOAD.split())
    described = f"{text} bold code"
    parsed = HeadTags()
    parsed.feed((site / "actors" / "example-group" / "index.html").read_text(encoding="utf-8"))
    assert not [tag for tag in parsed.tags if tag in ("img", "body") or " on" in tag]
    assert not [script for script in parsed.scripts if "alert" in script]
    expected = {"og:title": text, "twitter:title": text, "citation_title": text, "og:description": described,
                "twitter:description": described, "description": described,
                "citation_public_url": "https://briefs.example.org/actors/example-group/"}
    assert {name: parsed.meta.get(name) for name in expected} == expected
    dialogs, found = visit(site, ["/actors/example-group/", "/changes/", "/"], HEAD_AUDIT)
    assert dialogs == []
    assert {path: result["head"] for path, result in found.items()} == {"/actors/example-group/": [],
                                                                       "/changes/": [], "/": []}
    page = found["/actors/example-group/"]
    assert page["title"] == f"{HEAD_PAYLOAD} - Example briefs"
    assert {name: page["meta"].get(name) for name in expected} == expected
    redirect = HeadTags()
    redirect.feed((site / "actors" / "example-movement" / "index.html").read_text(encoding="utf-8"))
    assert redirect.tags == ["html", "head", "meta", "meta", "title", "link", "meta", "script", "meta"]
    assert [script for script in redirect.scripts if "alert" in script] == []
    feed = ET.fromstring((site / "feed.xml").read_bytes())
    titles = [e.text for e in feed.iter("{http://www.w3.org/2005/Atom}title")]
    assert text in titles
    assert any(e.text == text for e in feed.iter("{http://www.w3.org/2005/Atom}summary"))


# --- 4. Hostile strings stay intact -------------------------------------------------------

def normalise(text: str) -> str:
    """Text as a reader sees it: whitespace runs are one space; STX and ETX, which
    Python-Markdown reserves for its placeholders and removes from its input, are gone."""
    return " ".join(text.replace("\x02", "").replace("\x03", "").split())


def naughty_strings() -> list[str]:
    strings = json.loads((shared_data("strings") / "blns.json").read_text(encoding="utf-8"))
    return [s for s in strings if s]  # a name cannot be empty: the model refuses ""


BLOCKS = ("h1", "p", "td", "li", "dt", "dd")


class PageText(HTMLParser):
    """The visible text of an article's h1 (without its permalink) and of each paragraph and table cell,
    without note markers and the editors' mark (superscripts the generator adds)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.h1: str | None = None
        self.blocks: list[str] = []
        self.ids: list[str] = []
        self._open: list[str] = []
        self._text: list[str] | None = None
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if attributes.get("id") is not None:
            self.ids.append(attributes["id"] or "")
        if (tag == "a" and "headerlink" in (attributes.get("class") or "")) or tag == "sup":
            self._skip += 1
            self._open.append("skip")
        elif tag in BLOCKS:
            self._text = []
            self._open.append(tag)
        elif tag not in ("br", "hr", "img", "input"):
            self._open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        while self._open:
            top = self._open.pop()
            if top == "skip":
                self._skip -= 1
            elif top in BLOCKS and self._text is not None:
                text = "".join(self._text)
                if top == "h1" and self.h1 is None:
                    self.h1 = text
                else:
                    self.blocks.append(text)
                self._text = None
            if top == tag or (top == "skip" and tag == "a"):
                break

    def handle_data(self, data: str) -> None:
        if self._text is not None and not self._skip:
            self._text.append(data)


def article_text(page: Path) -> PageText:
    html_text = page.read_text(encoding="utf-8")
    parser = PageText()
    parser.feed(html_text[html_text.index("<article"):html_text.index("</article>")])
    return parser


def test_naughty_strings_round_trip_as_names_aliases_and_titles(tmp_path: Path) -> None:
    """Each string of the Big List of Naughty Strings as an actor's name and alias and as an
    attack's title: the site builds, and each page shows the string as it was typed."""
    config = copy_fixture(tmp_path)
    root = config.parent
    strings = naughty_strings()
    for number, string in enumerate(strings):
        (root / "content" / "actors" / f"naughty-{number}.yaml").write_text(
            f"name: {quote(string)}\ncategory: person\naliases: [{quote(string)}]\n"
            "summary: Someone [@doe2023].\nreviewed: 2026-11-20\n", encoding="utf-8")
    for number, string in enumerate(strings[::5]):
        (root / "content" / "attacks" / f"naughty-attack-{number}.yaml").write_text(
            GOOD_ATTACK.replace(TITLE, f"title: {quote(string)}"), encoding="utf-8")
    code, out, err, exception = run("build", "-f", str(config))
    assert (code, exception) == (0, None), out + err
    site = root / "site"
    wrong = []
    for number, string in enumerate(strings):
        page = article_text(site / "actors" / f"naughty-{number}" / "index.html")
        alias = [page.blocks[i + 1] for i, b in enumerate(page.blocks[:-1]) if b == "Also known as"]
        shown = [normalise(page.h1 or "")] + [normalise(a) for a in alias]
        if shown != [normalise(string)] * 2:
            wrong.append(f"{number} {string!r}: h1 {page.h1!r}, alias {alias!r}")
        if any(not re.fullmatch(r"[\w.:-]*", i, re.ASCII) for i in page.ids):
            wrong.append(f"{number} {string!r}: ids {page.ids!r}")
    for number, string in enumerate(strings[::5]):
        page = article_text(site / "attacks" / f"naughty-attack-{number}" / "index.html")
        if normalise(page.h1 or "") != normalise(string):
            wrong.append(f"attack {number} {string!r}: h1 {page.h1!r}")
    index = article_text(site / "actors" / "index.html")
    cells = {normalise(cell) for cell in index.blocks}
    missing = [s for s in strings if normalise(s) and normalise(s) not in cells]
    # file names come from ids only: every page is where its id puts it
    pages = {p.relative_to(site).as_posix() for p in site.rglob("*.html")}
    expected = {f"actors/naughty-{n}/index.html" for n in range(len(strings))}
    expected |= {f"attacks/naughty-attack-{n}/index.html" for n in range(len(strings[::5]))}
    assert expected <= pages
    assert all(re.fullmatch(r"[a-z0-9/._-]+", p) for p in pages), sorted(pages)
    COUNTS["naughty strings"] = (f"{len(strings) - len(wrong)} of {len(strings)} round-tripped as name and "
                                 f"alias, {len(strings[::5])} as attack titles")
    assert wrong == []
    assert missing == []


REORDERED = """
() => {
  // A bidi control must not act beyond the text it came with: a text node that opens an
  // override or isolate without closing it must stand in a <bdi> (or an element with dir).
  // And text after a name must read left to right: in every text node without bidi controls,
  // each pair of adjacent Latin letters on one line stands left to right.
  const found = [];
  const range = document.createRange();
  const walker = document.createTreeWalker(document.querySelector('article'), NodeFilter.SHOW_TEXT);
  const open = text => {
    let depth = 0;
    for (const c of text) {
      if ('\\u202a\\u202b\\u202d\\u202e\\u2066\\u2067\\u2068'.includes(c)) depth++;
      else if ('\\u202c\\u2069'.includes(c)) depth = Math.max(0, depth - 1);
    }
    return depth > 0;
  };
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.data;
    if (/[\\u202a-\\u202e\\u2066-\\u2069\\u200e\\u200f\\u061c]/.test(text)) {
      if (open(text) && !node.parentElement.closest('bdi, [dir]'))
        found.push('not isolated: ' + JSON.stringify(text.trim().slice(0, 60)));
      continue;
    }
    for (let i = 0; i + 1 < text.length; i++) {
      if (!/[A-Za-z]/.test(text[i]) || !/[A-Za-z]/.test(text[i + 1])) continue;
      range.setStart(node, i); range.setEnd(node, i + 1);
      const a = range.getBoundingClientRect();
      range.setStart(node, i + 1); range.setEnd(node, i + 2);
      const b = range.getBoundingClientRect();
      if (!a.width || !b.width || Math.abs(a.top - b.top) > 2) continue;
      if (b.left < a.left) { found.push('reordered: ' + text.trim().slice(0, 60)); break; }
    }
  }
  return found;
}
"""
RLO = "\u202e"


@pytest.mark.browser
def test_a_right_to_left_override_in_a_name_does_not_reorder_the_page(tmp_path: Path) -> None:
    config = copy_fixture(tmp_path)
    root = config.parent
    group = root / "content" / "actors" / "example-group.yaml"
    group.write_text(group.read_text(encoding="utf-8")
                     .replace("name: Example Group", f'name: "Example {RLO}Group"')
                     .replace("aliases: [EG, The Example Front]", f'aliases: ["{RLO}EG", The Example Front]')
                     .replace("It has claimed several bombings", f"It has {RLO}claimed several bombings"),
                     encoding="utf-8")
    attack = root / ATTACK
    attack.write_text(attack.read_text(encoding="utf-8")
                      .replace("place: Example City", f'place: "Example {RLO}City"')
                      .replace("locator: p. 3}]}", f'locator: "p. {RLO}3"}}]}}', 1), encoding="utf-8")
    bib = root / "bib" / "refs.bib"
    bib.write_text(bib.read_text(encoding="utf-8")
                   .replace("title = {Bombings in", f"title = {{{RLO}Bombings in"), encoding="utf-8")
    code, out, err, exception = run("build", "-f", str(config))
    assert (code, exception) == (0, None), out + err
    site = root / "site"
    paths = html_paths(site)
    dialogs, results = visit(site, paths, REORDERED)
    reordered = {path: found for path, found in results.items() if found}
    assert reordered == {}


# --- 5. Real BibTeX -----------------------------------------------------------------------

def test_real_bibtex_files_load_with_errors_only_as_positioned_diagnostics() -> None:
    folder = shared_data("bib")
    files = sorted(folder.glob("*.bib"))
    entries = formatted = 0
    unclean = []
    for file in files:
        bibliography = load_bibliography([file], folder)  # an exception fails the test
        lines = file.read_text(encoding="utf-8", errors="replace").count("\n") + 1
        for problem in bibliography.diagnostics:
            assert problem.pos.path == file.name and 1 <= problem.pos.line <= lines, str(problem)
        references = list(bibliography.references.values())
        entries += len(references)
        sample = references if len(references) < 200 else references[::50]
        for reference in sample:
            text = reference.formatted.text
            formatted += 1
            if any(char in text for char in "\\{}"):
                unclean.append(f"{file.name}: {reference.key}: {text[:120]}")
    COUNTS["real BibTeX"] = (f"{entries} entries parsed from {len(files)} files; {formatted} formatted, "
                             f"{formatted - len(unclean)} without \\ {{ }}")
    assert len(files) == 5 and entries >= 15_000
    assert unclean == []


def test_broken_bibtex_is_a_diagnostic_at_its_line(tmp_path: Path) -> None:
    bib = tmp_path / "bad.bib"
    bib.write_text("@article{ok, title={Fine}, year=2020}\n\n@article{broken, title={Unclosed, year=2020\n\n"
                   "@book{macro, title=undefinedmacro, year=2020}\n@misc{dup, title={A}, title={B}}\n"
                   "@misc{ok, title={Again}}\n\x00@misc{nul, title={x\x00y}}\n", encoding="utf-8")
    bibliography = load_bibliography([bib], tmp_path)
    assert bibliography.diagnostics
    assert all(d.pos.path == "bad.bib" and d.pos.line >= 1 for d in bibliography.diagnostics)
    (tmp_path / "latin1.bib").write_bytes(b"@misc{x, title={Caf\xe9}}\n")
    assert [str(d) for d in load_bibliography([tmp_path / "latin1.bib"], tmp_path).diagnostics] == [
        "latin1.bib:1:1: error: file is not UTF-8 [encoding]"]


# --- 6. Nothing lost ----------------------------------------------------------------------

def tree_digest(folder: Path) -> str | None:
    if not folder.is_dir():
        return None
    digest = hashlib.sha256()
    for file in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(file.relative_to(folder).as_posix().encode() + b"\0" + file.read_bytes() + b"\0")
    return digest.hexdigest()


def test_a_build_killed_midway_leaves_the_previous_site(tmp_path: Path) -> None:
    """`briefs build` killed with SIGKILL at several moments: before MkDocs starts, and at
    several delays after it began writing the new site aside. site/ is the old site or the
    complete new one, never a mix; the next build recovers and cleans up."""
    config = copy_fixture(tmp_path)
    root = config.parent
    assert run("build", "-f", str(config))[0] == 0
    site, staging, old = root / "site", root / ".site-staging", root / ".site-old"
    record = root / ATTACK
    killed_midway = 0
    moments = [("after start", 0.3)]
    moments += [("once building", delay) for delay in (0.0, 0.02, 0.05, 0.1, 0.2, 0.4)]
    for attempt, (moment, delay) in enumerate(moments):
        before = tree_digest(site)
        record.write_text(GOOD_ATTACK.replace(TITLE, f"title: Attempt {attempt}"), encoding="utf-8")
        process = subprocess.Popen([sys.executable, "-m", "generator.cli", "build", "-f", str(config)],
                                   cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if moment == "once building":
            deadline = time.monotonic() + 60
            while not staging.exists() and process.poll() is None and time.monotonic() < deadline:
                time.sleep(0.005)
        time.sleep(delay)
        building = process.poll() is None and staging.exists()
        process.kill()
        process.wait()
        killed_midway += building
        after = tree_digest(site)
        if after is None:  # killed between the two renames of the swap: the old site waits aside
            assert tree_digest(old) == before, f"attempt {attempt}: site/ and .site-old/ lost"
        # the next build recovers: it finishes, and leaves no half-built folder behind
        code, out, err, exception = run("build", "-f", str(config))
        assert (code, exception) == (0, None), out + err
        assert not staging.exists() and not old.exists()
        rebuilt = tree_digest(site)
        assert after in (before, rebuilt, None), f"attempt {attempt}: site/ is neither old nor new"
    COUNTS["killed builds"] = f"{len(moments)} builds killed with SIGKILL, {killed_midway} of them mid-way"
    assert killed_midway >= 3, "too few builds were killed while building: the delays need adjusting"


def test_new_never_overwrites_even_when_racing(tmp_path: Path) -> None:
    """Two `briefs new` at once for the same id: exactly one writes, the other refuses."""
    config = copy_fixture(tmp_path)
    command = [sys.executable, "-m", "generator.cli", "new", "-f", str(config), "attack", "race-2025"]
    processes = [subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  text=True) for _ in range(4)]
    codes = sorted(p.wait(timeout=60) for p in processes)
    assert codes == [0, 2, 2, 2], [p.stderr.read() for p in processes]
    record = config.parent / "content" / "attacks" / "race-2025.yaml"
    assert record.read_text(encoding="utf-8").startswith("# yaml-language-server")


# --- 7. Reproducible ----------------------------------------------------------------------

def site_files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def test_two_builds_give_the_same_bytes_even_in_different_folders(tmp_path: Path, monkeypatch) -> None:
    """With an address, so that the sitemap, canonical links, feed and citation files are compared too;
    without SOURCE_DATE_EPOCH, so that a date from the clock would show (in sitemap.xml.gz's header)."""
    monkeypatch.setenv("BRIEFS_SITE_URL", "https://briefs.example.org/")
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    first = copy_fixture(tmp_path / "one")
    second = copy_fixture(tmp_path / "two" / "deeper")
    assert run("build", "-f", str(first))[0] == 0
    before = site_files(first.parent / "site")
    assert run("build", "-f", str(first))[0] == 0
    again = site_files(first.parent / "site")
    assert run("build", "-f", str(second))[0] == 0
    elsewhere = site_files(second.parent / "site")
    assert len(before) > 20 and {"sitemap.xml", "sitemap.xml.gz", "feed.xml"} <= set(before)
    assert [name for name in before if before[name] != again.get(name)] == []
    assert sorted(before) == sorted(again) == sorted(elsewhere)
    assert [name for name in before if before[name] != elsewhere[name]] == []
    COUNTS["reproducible"] = f"{len(before)} files byte-identical over two builds and two folders"


# --- 8. Random records --------------------------------------------------------------------

KEYS = ["doe2023", "roe2023"]
ACTOR_IDS = ["example-group", "example-state"]
# Well-formed values: the types the models ask for, holding any text at all.
text = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="@"), min_size=1, max_size=30)
prose = st.one_of(
    text,
    st.builds(lambda a, key, b: f"{a} [@{key}] {b}", text, st.sampled_from(KEYS), text),
    st.builds(lambda a, key, b: f"{a}\n\n{b} [@{key}, p. 3]", text, st.sampled_from(KEYS), text),
    st.builds(lambda a, trick: f"{a}\n\n{trick}", text, st.sampled_from(MARKDOWN_TRICKS)),
)
date = st.one_of(st.dates().map(str), st.dates().map(lambda d: f"{d.year:04d}-{d.month:02d}"),
                 st.integers(1000, 2100).map(str))
number = st.integers(0, 10**12)
cite = st.lists(st.one_of(st.sampled_from(KEYS), st.fixed_dictionaries(
    {"key": st.sampled_from(KEYS)}, optional={"locator": text})), min_size=1, max_size=3)
# Anything at all, for the wild records.
junk = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=20),
                 st.lists(st.text(max_size=5), max_size=2),
                 st.dictionaries(st.text(max_size=5), st.integers(), max_size=2))

ATTACK_FIELDS = (
    {"title": text, "summary": prose, "reviewed": st.dates().map(str),
     "date": st.lists(st.fixed_dictionaries({"value": date, "cite": cite}, optional={"note": prose}),
                      min_size=1, max_size=2),
     "location": st.fixed_dictionaries({"place": text, "country": text, "cite": cite})},
    {"aliases": st.lists(text, max_size=3), "notes": prose, "attackers": prose,
     "perpetrators": st.lists(st.fixed_dictionaries(
         {"actor": st.sampled_from(ACTOR_IDS),
          "basis": st.sampled_from(["claimed", "attributed", "suspected"]), "cite": cite},
         optional={"by": text}), max_size=2),
     "attack_types": st.lists(st.sampled_from(["bombing", "armed-assault", "unknown"]), max_size=2),
     "casualties": st.fixed_dictionaries({}, optional={
         "killed": st.lists(st.fixed_dictionaries({"value": number, "cite": cite}, optional={
             "qualifier": st.sampled_from(["exact", "at-least", "approx"]), "as_of": date, "note": prose}),
             max_size=3)})},
)
ACTOR_FIELDS = (
    {"name": text, "category": st.sampled_from(["militant-group", "state", "person"]), "summary": prose,
     "reviewed": st.dates().map(str)},
    {"aliases": st.lists(text, max_size=3), "history": prose, "ideology": prose,
     "founded": st.fixed_dictionaries({"value": date, "cite": cite}),
     "strength": st.lists(st.fixed_dictionaries({"value": number, "cite": cite}), max_size=2),
     "relations": st.lists(st.fixed_dictionaries(
         {"actor": st.sampled_from(ACTOR_IDS), "type": st.sampled_from(["ally", "rival", "sponsor"]),
          "cite": cite}, optional={"since": date, "note": prose}), max_size=2)},
)


def well_formed(fields: tuple[dict, dict]) -> st.SearchStrategy[dict]:
    return st.fixed_dictionaries(fields[0], optional=fields[1])


def wild(fields: tuple[dict, dict]) -> st.SearchStrategy[dict]:
    """The model's fields, each either well-formed or anything at all, some missing, some unknown."""
    everything = {name: st.one_of(value, junk) for name, value in (fields[0] | fields[1]).items()}
    return st.fixed_dictionaries({}, optional=everything | {"unknown_field": junk})


@pytest.fixture(scope="module")
def scratch_project(tmp_path_factory) -> Path:
    return copy_fixture(tmp_path_factory.mktemp("random"))


def write_record(config: Path, kind: str, name: str, data: dict) -> str:
    path = f"content/{kind}/{name}.yaml"
    (config.parent / path).write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


RANDOM = settings(max_examples=50, deadline=None, derandomize=True,
                  suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
RECORDS = {"attacks": ("example-market-bombing", ATTACK_FIELDS), "actors": ("example-group", ACTOR_FIELDS)}


@RANDOM
@given(kind=st.sampled_from(sorted(RECORDS)), data=st.data())
def test_well_formed_random_records_load_and_render_inert(scratch_project: Path, kind: str, data) -> None:
    """Records of the right shape with any text in them: they load, and their page renders, inert."""
    name, fields = RECORDS[kind]
    path = write_record(scratch_project, kind, name, data.draw(well_formed(fields)))
    corpus = load_corpus(Project(scratch_project.parent))
    assert [str(d) for d in corpus.diagnostics if d.severity.value == "error"] == []
    assert name in corpus.records[kind]
    pages = {page.path: page for page in generate(corpus)}
    assert audit(to_html(pages[f"{kind}/{name}.md"].markdown, markdown_config(scratch_project))) == [], path


@RANDOM
@given(kind=st.sampled_from(sorted(RECORDS)), data=st.data())
def test_wild_random_records_give_an_entry_or_diagnostics(scratch_project: Path, kind: str, data) -> None:
    """Records with any field holding anything: load_corpus gives the entry or says where it is wrong."""
    name, fields = RECORDS[kind]
    path = write_record(scratch_project, kind, name, data.draw(wild(fields)))
    corpus = load_corpus(Project(scratch_project.parent))  # never raises
    mine = [d for d in corpus.diagnostics if d.pos.path == path and d.severity.value == "error"]
    assert name in corpus.records[kind] or mine
    assert all(d.pos.line >= 1 and d.pos.col >= 1 for d in mine)
    if not [d for d in corpus.diagnostics if d.severity.value == "error"]:
        generate(corpus)  # what a build would render: never raises


@RANDOM
@given(text=st.text(max_size=200))
def test_random_text_parses_or_gives_a_positioned_error(text: str) -> None:
    _, problems = parse(text, "x.yaml")
    assert all(p.pos.path == "x.yaml" and p.pos.line >= 1 for p in problems)


MARKUP_PIECES = [
    "[", "]", "(", ")", "<", ">", "!", "`", "``", "*", "_", "{", "}", "{:", "#", "|", ":", "/", "\\", '"',
    "'", " ", "\n", "\n\n", "\t", "    ", "javascript:", "JaVaScRiPt:", "data:", "alert(1)", "&", "&#", ";",
    "58", "x", "http://a.example", "onclick=", "<script>", "<img src=x onerror=alert(1)>", "@", "[^1]", "!!!",
    "- ", "1. ", "> ", "&#106;", "\u202e", "=", "---",
]


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.lists(st.sampled_from(MARKUP_PIECES), max_size=25).map("".join))
def test_random_markup_soup_stays_inert(soup: str) -> None:
    """Pieces of Markdown and HTML syntax in any order: neither escape lets markup through."""
    from generator.prose import escape_text, safe_markdown

    extensions = markdown_config(FIXTURES / "basic" / "mkdocs.yml")
    for escape in (safe_markdown, escape_text):
        assert audit(to_html(escape(soup), extensions)) == [], escape.__name__
