"""Benchmark: a synthetic corpus of N records, timed against the floors it cannot beat.

``make bench (python -m bench, from tests/) --sizes 200,2000 --repeat 3`` writes a deterministic corpus per
size (seeded ``random.Random``) into ``.bench/`` and measures, interleaved, the median of
each repetition:

* ``briefs build`` (a subprocess) against the MkDocs floor: ``mkdocs build`` of the tree
  ``briefs render`` wrote, without the plugin;
* ``load_corpus`` (what ``briefs check`` does, timed inside a fresh Python so interpreter
  start-up and imports are left out) against the parse floor: reading the same YAML files
  and ``yaml.load(text, Loader=yaml.CSafeLoader)`` on each; ``briefs check`` as a
  subprocess too;
* the peak resident memory of each child process (``os.wait4``'s ``ru_maxrss``);
* ``briefs serve`` at each size and on a copy of the shipped content: the seconds from saving one
  attack's title to both its page and an actor's page that lists it showing the change (the
  median of ``--saves`` saves), the full build's time over it, and the server's resident memory
  after its first build and as saves go on, up to ``--memory-saves`` saves. The servers of the
  sizes run side by side and their saves take turns, so that the reload at one size over the
  reload at another is taken over the same minutes of a shared machine (``bench/serve.py``).

It prints one table with the ratios build/floor and check/parse at each N, the growth
t(largest N)/t(smallest N) for build and check, and the issue's targets with PASS/FAIL.
It asserts nothing. ``--profile`` adds a cProfile of ``load_corpus`` + ``generate`` +
``static_files`` at the largest N: the generator's own functions by cumulative time, and
any code by own time.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import shutil
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.children import run_child, tool
from bench.corpus import CorpusStats, write_corpus
from bench.search import FirstSearch, first_search, record_name, search_report, shipped_search
from bench.serve import ServeRun, serve_reloads

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "generator"
DEFAULT_OUT = ROOT / ".bench"

# The issue's targets, at the largest size (N=2000 by default).
TARGET_BUILD_FLOOR = 1.10
TARGET_CHECK_PARSE = 3.0
TARGET_GROWTH_SLACK = 1.10  # growth may be 10% above linear: 11 for 2000/200
TARGET_SERVE_RELOAD = 2.0  # seconds, at the largest size and on the shipped content
TARGET_SERVE_GROWTH = 1.5  # reload at the largest size over reload at the smallest

# --------------------------------------------------------------------------- running


# The in-process timings last a fraction of a second at N=200, where a shared machine's
# jitter is a large part of them: each repetition takes them from this many fresh children.
INPROC_RUNS = 3

# Times load_corpus and the parse floor inside one fresh interpreter, after its imports.
_INPROC = r"""
import json, sys, time
from pathlib import Path
import yaml
from generator.check import load_corpus
from generator.corpus import Project
from generator.diagnostics import has_errors
from generator.generate import generate
root = Path(sys.argv[1])
files = sorted((root / "content").glob("*/*.yaml")) + sorted((root / "seeds").glob("*.yaml"))
for f in files:
    f.read_bytes()  # the page cache is warm for both, as it is for briefs check
t0 = time.perf_counter()
for f in files:
    yaml.load(f.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
t1 = time.perf_counter()
corpus = load_corpus(Project(root))
t2 = time.perf_counter()
pages = generate(corpus)
t3 = time.perf_counter()
try:  # data exports, record sources, charts: what the build adds beside the pages
    from generator.generate import static_files
except ImportError:
    static_files = dict
static_files(corpus)
t4 = time.perf_counter()
try:  # the search index alone (static_files makes it too)
    from generator.search import index_files, search_docs
    index_files(search_docs(corpus))
except ImportError:
    pass
t5 = time.perf_counter()
print(json.dumps({"parse": t1 - t0, "check": t2 - t1, "generate": t3 - t2, "static": t4 - t3, "index": t5 - t4,
                  "files": len(files),
                  "pages": len(pages), "errors": has_errors(corpus.diagnostics, True),
                  "diagnostics": [str(d) for d in corpus.diagnostics[:5]]}))
"""


@dataclass
class Result:
    n: int
    stats: CorpusStats
    build: list[float] = field(default_factory=list)
    build_one_core: list[float] = field(default_factory=list)
    floor: list[float] = field(default_factory=list)
    check: list[float] = field(default_factory=list)
    parse: list[float] = field(default_factory=list)
    generate: list[float] = field(default_factory=list)
    static: list[float] = field(default_factory=list)
    check_cli: list[float] = field(default_factory=list)
    index: list[float] = field(default_factory=list)
    rss: dict[str, int] = field(default_factory=dict)  # KiB, the maximum over repetitions
    first_search: FirstSearch | None = None
    serve: ServeRun | None = None

    def med(self, name: str) -> float:
        return statistics.median(getattr(self, name))

    def peak(self, name: str, kib: int) -> None:
        self.rss[name] = max(self.rss.get(name, 0), kib)


@dataclass
class Sized:
    """One size's corpus (with the briefs plugin), its render tree (without) and their timings."""

    corpus: Path
    render: Path
    result: Result


def prepare_size(n: int, seed: int, out: Path) -> Sized:
    corpus_dir, render_dir = out / f"n{n}", out / f"n{n}-render"
    corpus_dir.mkdir(parents=True, exist_ok=True)
    stats = write_corpus(corpus_dir, n, seed)
    config = str(corpus_dir / "mkdocs.yml")
    shutil.rmtree(render_dir, ignore_errors=True)
    run_child([tool("briefs"), "render", "-f", config, "--out", str(render_dir)])
    return Sized(corpus_dir, render_dir, Result(n, stats))


def _timed(result: Result, name: str, args: list[str], env: dict[str, str] | None = None) -> None:
    """Run a command; its seconds and peak memory go to the measurement ``name``."""
    run = run_child(args, env=env)
    getattr(result, name).append(run.seconds)
    result.peak(name, run.maxrss_kib)


def measure_once(sized: Sized, search_only: bool = False) -> None:
    """One repetition of every measurement at one size (or of the build and the in-process
    timings only), added to its result."""
    result, config = sized.result, str(sized.corpus / "mkdocs.yml")
    _timed(result, "build", [tool("briefs"), "build", "-f", config])
    if not search_only:
        _timed(result, "build_one_core", [tool("briefs"), "build", "-f", config], env={"BRIEFS_CORES": "1"})
        _timed(result, "floor", [tool("mkdocs"), "build", "-f", str(sized.render / "mkdocs.yml")])
        _timed(result, "check_cli", [tool("briefs"), "check", "-f", config])
    for _ in range(1 if search_only else INPROC_RUNS):
        run = run_child([sys.executable, "-c", _INPROC, str(sized.corpus)], cwd=ROOT)
        data = json.loads(run.stdout)
        if data["errors"]:
            raise RuntimeError(f"bench: the N={result.n} corpus has problems: {data['diagnostics']}")
        for name in ("check", "parse", "generate", "static", "index"):
            getattr(result, name).append(data[name])


def bench_sizes(sizes: list[int], seed: int, repeat: int, out: Path, search_only: bool = False) -> list[Result]:
    """Every size once per repetition, in turn: a shared machine's slow spell falls on all
    sizes alike instead of inflating one size's median and so the growth. Then a reader's
    first search on each size's site, as the last build left it."""
    prepared = []
    for n in sizes:
        print(f"bench: writing and rendering N={n}", file=sys.stderr, flush=True)
        prepared.append(prepare_size(n, seed, out))
    for rep in range(repeat):
        for sized in prepared:
            print(f"bench: N={sized.result.n}, repetition {rep + 1}/{repeat}", file=sys.stderr, flush=True)
            measure_once(sized, search_only)
    for sized in prepared:
        print(f"bench: N={sized.result.n}, a first search in Chromium", file=sys.stderr, flush=True)
        sized.result.first_search = first_search(sized.corpus / "site", record_name(sized.corpus))
    return [sized.result for sized in prepared]


# --------------------------------------------------------------------------- report


def _verdict(value: float | None, target: float) -> str:
    if value is None:
        return "n/a"
    return "PASS" if value <= target else "FAIL"


def _fmt(value: float | None, digits: int = 2) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


def serve_report(results: list[Result], shipped: ServeRun | None) -> list[str]:
    """The live preview's figures at each size and on the shipped content, and their targets."""
    runs: list[tuple[str, ServeRun | None, float | None]] = [(f"N={r.n}", r.serve, r.med("build"))
                                                             for r in results if r.serve]
    runs += [("shipped", shipped, None)] if shipped else []
    if not runs:
        return []
    head = (f"{'briefs serve':<13} {'reload':>7} {'saves':>5} {'first build':>11} {'build/reload':>12} "
            f"{'MB after build':>14} {'MB after saves':>20} {'MB peak':>8}")
    lines = ["", head, "-" * len(head)]
    for name, run, build in runs:
        assert run is not None
        after = max(saves for saves in run.rss_kib)
        ratio = f"{build / run.median:.1f}" if build else "n/a"
        lines.append(f"{name:<13} {run.median:>7.2f} {len(run.seconds):>5} {run.first_build:>11.1f} {ratio:>12} "
                     f"{run.rss_kib[0] / 1024:>14.0f} {f'{run.rss_kib[after] / 1024:.0f} ({after} saves)':>20} "
                     f"{run.peak_kib / 1024:>8.0f}")
    lines += ["reload = median seconds from saving an attack's title to its page and an actor's page that",
              "lists it both showing it; first build = seconds to the first page; build/reload = briefs build",
              "(cold, subprocess) over reload; MB = the server's resident memory (peak: its high-water mark).",
              ""]
    sized = [r for r in results if r.serve]
    targets: list[tuple[str, float | None, float]] = []
    if sized:
        large = sized[-1]
        assert large.serve is not None
        targets.append((f"serve reload at N={large.n}", large.serve.median, TARGET_SERVE_RELOAD))
        if len(sized) > 1 and sized[0].serve is not None:
            targets.append((f"reload({large.n})/reload({sized[0].n})",
                            large.serve.median / sized[0].serve.median, TARGET_SERVE_GROWTH))
    if shipped:
        targets.append(("serve reload, shipped content", shipped.median, TARGET_SERVE_RELOAD))
    lines.append(f"{'live preview targets':<32} {'value':>8} {'target':>8}  result")
    for name, value, target in targets:
        lines.append(f"{name:<32} {_fmt(value):>8} {'<= ' + _fmt(target):>8}  {_verdict(value, target)}")
    for name, run, _ in runs:
        assert run is not None
        lines.append(f"({name}: each save {', '.join(f'{t:.2f}' for t in run.seconds)}; "
                     f"memory by saves {', '.join(f'{k}: {v / 1024:.0f} MB' for k, v in sorted(run.rss_kib.items()))})")
    return lines


def report(results: list[Result], seed: int, repeat: int, out: Path) -> str:
    lines = [f"briefs bench: seed {seed}, medians of {repeat} repetition(s), seconds; corpora in {out}", ""]
    head = (f"{'N':>6} {'act':>5} {'att':>5} {'opt':>5} {'refs':>5} {'words/rec':>9} "
            f"{'build':>7} {'floor':>7} {'build/floor':>11} {'check':>7} {'parse':>7} {'check/parse':>11} "
            f"{'gen':>7} {'static':>7} {'check(cli)':>10} {'MB build':>8} {'MB floor':>8} {'MB check':>8}")
    lines += [head, "-" * len(head)]
    for r in results:
        s = r.stats
        lines.append(
            f"{r.n:>6} {s.actors:>5} {s.attacks:>5} {s.options:>5} {s.references:>5} "
            f"{s.words / max(1, s.records):>9.0f} "
            f"{r.med('build'):>7.2f} {r.med('floor'):>7.2f} {r.med('build') / r.med('floor'):>11.2f} "
            f"{r.med('check'):>7.3f} {r.med('parse'):>7.3f} {r.med('check') / r.med('parse'):>11.2f} "
            f"{r.med('generate'):>7.2f} {r.med('static'):>7.2f} {r.med('check_cli'):>10.2f} "
            f"{r.rss['build'] / 1024:>8.0f} {r.rss['floor'] / 1024:>8.0f} {r.rss['check_cli'] / 1024:>8.0f}")
    lines += ["", f"{'N':>6} {'build, 1 core':>13} {'/floor':>7}  "
                  "(BRIEFS_CORES=1: the generator's own cost over MkDocs')"]
    lines += [f"{r.n:>6} {r.med('build_one_core'):>13.2f} {r.med('build_one_core') / r.med('floor'):>7.2f}"
              for r in results if r.build_one_core]
    lines += ["",
              "build = briefs build (subprocess; pages converted on two cores where there are two);",
              "floor = mkdocs build of the briefs render tree, no plugin (one core);",
              f"check = load_corpus in-process ({INPROC_RUNS} fresh processes per repetition, as are parse, gen "
              "and static); parse = read + yaml.load(CSafeLoader) of the same YAML files;",
              "gen = generate() in-process; static = static_files() in-process (exports, charts);",
              "check(cli) = briefs check subprocess;",
              "MB = peak RSS of the child process (max over repetitions).",
              ""]
    small, large = results[0], results[-1]
    growth_build = growth_check = None
    label = "growth t(N)/t(N)"
    slack = TARGET_GROWTH_SLACK
    if len(results) > 1:
        growth_build = large.med("build") / small.med("build")
        growth_check = large.med("check") / small.med("check")
        label = f"growth t({large.n})/t({small.n})"
        slack = TARGET_GROWTH_SLACK * large.n / small.n
    targets = [
        ("build/floor", large.med("build") / large.med("floor"), TARGET_BUILD_FLOOR),
        ("check/parse", large.med("check") / large.med("parse"), TARGET_CHECK_PARSE),
        (f"{label} build", growth_build, slack),
        (f"{label} check", growth_check, slack),
    ]
    lines.append(f"{'targets at N=' + str(large.n):<32} {'value':>8} {'target':>8}  result")
    for name, value, target in targets:
        lines.append(f"{name:<32} {_fmt(value):>8} {'<= ' + _fmt(target):>8}  {_verdict(value, target)}")
    if len(results) == 1:
        lines.append("(growth needs two sizes: --sizes 200,2000)")
    return "\n".join(lines)


def profile(root: Path, top: int = 15) -> str:
    """cProfile of load_corpus + generate + static_files in this process, as a build runs them."""
    from generator.check import load_corpus
    from generator.corpus import Project
    from generator.generate import generate, static_files

    profiler = cProfile.Profile()
    start = time.perf_counter()
    profiler.enable()
    corpus = load_corpus(Project(root))
    generate(corpus)
    static_files(corpus)
    profiler.disable()
    total = time.perf_counter() - start
    stats = pstats.Stats(profiler)
    own_rows, every = [], []
    for (filename, line, name), (_, calls, own, cumulative, _) in stats.stats.items():  # type: ignore[attr-defined]
        path = Path(filename)
        if path.parent == PACKAGE:
            own_rows.append((cumulative, own, calls, f"{path.stem}.py:{line}({name})"))
        every.append((own, cumulative, calls, _where(filename, line, name)))
    own_rows.sort(reverse=True)
    every.sort(reverse=True)
    lines = [f"profile: load_corpus + generate + static_files at {root.name}, {total:.2f} s under cProfile",
             "", f"the generator's own functions, top {top} by cumulative time:",
             f"{'cumulative':>10} {'own':>8} {'calls':>9}  function"]
    lines += [f"{c:>10.3f} {o:>8.3f} {n:>9}  {w}" for c, o, n, w in own_rows[:top]]
    lines += ["", f"any code, top {top} by own time:", f"{'own':>10} {'cumul.':>8} {'calls':>9}  function"]
    lines += [f"{o:>10.3f} {c:>8.3f} {n:>9}  {w}" for o, c, n, w in every[:top]]
    return "\n".join(lines)


def _where(filename: str, line: int, name: str) -> str:
    """generator/notes.py:27(relative), markdown/util.py:334(...), or the built-in's name."""
    if filename == "~":
        return name
    parts = Path(filename).parts
    for anchor in ("site-packages", "generator"):
        if anchor in parts:
            index = parts.index(anchor) + (anchor == "site-packages")
            return f"{'/'.join(parts[index:])}:{line}({name})"
    return f"{Path(filename).name}:{line}({name})"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make bench", description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="200,2000",
                        help="comma-separated record counts (default 200,2000)")
    parser.add_argument("--repeat", type=int, default=3,
                        help="repetitions per measurement; medians (default 3)")
    parser.add_argument("--seed", type=int, default=1, help="corpus seed (default 1)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT,
                        help=f"scratch folder (default {DEFAULT_OUT})")
    parser.add_argument("--no-serve", dest="serve", action="store_false",
                        help="skip timing briefs serve's reload (at each size and on the shipped content)")
    parser.add_argument("--saves", type=int, default=9,
                        help="saves timed under briefs serve; their median (default 9, a few seconds each)")
    parser.add_argument("--memory-saves", type=int, default=50,
                        help="saves under briefs serve at each size before its memory is read (default 50)")
    parser.add_argument("--search-only", action="store_true",
                        help="only the search: one briefs build per size, its index's cost, a first search")
    parser.add_argument("--profile", action="store_true",
                        help="also cProfile load_corpus + generate + static_files at the largest size")
    args = parser.parse_args(argv)
    try:
        sizes = sorted({int(s) for s in args.sizes.split(",") if s.strip()})
    except ValueError:
        parser.error("--sizes takes comma-separated integers, e.g. 200,2000")
    if not sizes or sizes[0] < 5 or args.repeat < 1 or args.saves < 1:
        parser.error("sizes must be at least 5, --repeat and --saves at least 1")
    out = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    try:
        results = bench_sizes(sizes, args.seed, 1 if args.search_only else args.repeat, out, args.search_only)
        print("bench: a first search on the shipped content", file=sys.stderr, flush=True)
        shipped = shipped_search(ROOT, out)
        serve = None
        if args.serve and not args.search_only:
            print(f"bench: briefs serve at {', '.join(f'N={r.n}' for r in results)} side by side, "
                  f"{max(args.saves, args.memory_saves)} saves each", file=sys.stderr, flush=True)
            runs = serve_reloads([out / f"n{result.n}" for result in results], args.saves, out, args.memory_saves)
            for result, run in zip(results, runs, strict=True):
                result.serve = run
            print("bench: briefs serve on the shipped content", file=sys.stderr, flush=True)
            serve = serve_reloads([ROOT], args.saves, out)[0]
    except RuntimeError as exc:
        print(exc, file=sys.stderr)
        return 1
    searches: list[tuple[str, float | None, FirstSearch]] = [
        (f"N={r.n}", r.med("index"), r.first_search) for r in results if r.first_search]
    searches.append(("shipped", None, shipped))
    if not args.search_only:
        print(report(results, args.seed, args.repeat, out))
        print("\n".join(serve_report(results, serve)))
        print()
    print("\n".join(search_report(searches, f"N={sizes[-1]}")))
    if args.profile:
        print()
        print(profile(out / f"n{sizes[-1]}"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
