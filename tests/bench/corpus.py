"""The benchmark's synthetic corpus: ``write_corpus(root, n, seed)`` writes a deterministic
project of N records (actors, attacks, policy options), its BibTeX and a source note.

About 600 words of prose per record, every sentence cited, each record drawing on 3-8 of
the references; LaTeX in some names, so the bibliography's decoding is exercised too.
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
import random
import shutil
from dataclasses import dataclass, field
from pathlib import Path

FIXTURE_CONFIG = Path(__file__).resolve().parents[1] / "fixtures" / "basic" / "mkdocs.yml"

# --------------------------------------------------------------------------- vocabulary

_WORDS = """
group faction province network cell commander leadership fighters recruits district border
valley highlands city capital market checkpoint convoy garrison militia insurgency campaign
operation offensive retreat ceasefire negotiation mediator envoy ministry council parliament
government authorities officials analysts observers researchers journalists witnesses report
statement claim attribution evidence testimony interview estimate figure toll casualties
victims civilians worshippers students pilgrims police soldiers guards prisoners detainees
funding finance donations smuggling taxation extortion trade route corridor supply weapons
explosives vehicle device rocket drone propaganda magazine channel broadcast messaging outreach
ideology doctrine theology grievance rivalry alliance affiliate splinter defection loyalty
pledge succession founder emir deputy spokesman council shura tribe clan elders community
refugees displacement camp reconstruction development aid sanctions designation listing
intelligence surveillance cooperation partners coalition withdrawal deployment training
advisers counterterrorism strategy policy option risk benefit cost legitimacy deterrence
escalation retaliation pressure leverage incentives amnesty reintegration deradicalisation
prison security sector reform governance corruption elections mandate resolution framework
regional international domestic rural urban northern southern eastern western central
significant limited sustained renewed growing declining persistent sporadic coordinated
complex suicide mass targeted sectarian transnational local external internal senior junior
reportedly allegedly initially subsequently later earlier repeatedly increasingly largely
partly mainly notably particularly however meanwhile moreover although whereas despite
""".split()
_VERBS = """
claimed attributed carried expanded recruited financed targeted attacked seized controlled
declared rejected accepted negotiated mediated supported opposed sanctioned designated
displaced expelled reorganised weakened strengthened resumed suspended announced denied
confirmed disputed estimated reported documented observed noted argued suggested warned
""".split()
_FILLERS = "the the the a an of of in in on to to for with by from after before during among".split()
_SYLLABLES = ["var", "or", "em", "und", "kal", "tor", "ash", "bel", "dun", "fer", "gal", "hes",
              "ist", "jor", "kan", "lim", "mar", "nor", "pel", "qas", "rin", "sol", "tam", "ul",
              "vek", "zan", "bar", "cor", "dal", "esh"]
_FIRST = ["Amir", "Bashir", "Farida", "Hamid", "Jana", "Karim", "Leila", "Maryam", "Nadir",
          "Omar", "Parisa", "Rahim", "Samira", "Tariq", "Yusuf", "Zainab", "Anna", "Boris",
          "Clara", "David", "Elena", "Frank", "Greta", "Hugo", "Irene", "Jonas"]
_LAST_PLAIN = ["Abbas", "Bakri", "Chaudhry", "Durrani", "Fazli", "Ghani", "Haidari", "Jalali",
               "Karimi", "Lodin", "Mansoor", "Nazari", "Qureshi", "Rahmani", "Sadat", "Tarzi",
               "Wardak", "Yousufzai", "Zaman", "Anders", "Brenner", "Castell", "Dorn", "Eklund",
               "Fischer", "Gould", "Hart", "Ivers", "Jensen", "Keller", "Lund", "Moreau"]
# LaTeX-accented surnames exercise the bibliography's clean_latex (key stem, BibTeX spelling).
_LAST_LATEX = [("muller", "M{\\\"u}ller"), ("sorensen", "S{\\o}rensen"), ("gomez", "G{\\'o}mez"),
               ("celik", "{\\c{C}}elik"), ("dvorak", "Dvo{\\v{r}}{\\'a}k"), ("nunez", "Nu{\\~n}ez")]
_PUBLISHERS = ["Hurst", "Oxford University Press", "Routledge", "Brookings Institution Press",
               "Columbia University Press", "Polity"]
_JOURNALS = ["Studies in Conflict and Terrorism", "Terrorism and Political Violence", "CTC Sentinel",
             "Perspectives on Terrorism", "Survival", "Journal of Strategic Studies"]
_OUTLETS = ["Example Times", "The Daily Observer", "Regional Wire", "Frontier Post", "World Desk"]
_INSTITUTIONS = ["Congressional Research Service", "International Crisis Group", "RAND Corporation",
                 "United Nations Security Council", "Institute for Conflict Studies"]
_LOCATORS = ["p. {n}", "pp. {n}-{m}", "ch. {c}", "endnote {c}", "para. {n}", "p. {n}", "p. {n}"]

_RELATION_TYPES = ["ally", "affiliate", "splinter", "rival", "sponsor", "adversary", "leader", "member"]
_ATTACK_TYPES = ["assassination", "armed-assault", "bombing", "hijacking", "hostage-taking",
                 "facility-attack", "unarmed-assault"]
_TARGET_TYPES = ["private-citizens", "government", "military", "police", "religious", "militants",
                 "transportation", "business", "educational", "journalists", "diplomatic"]
_QUALIFIERS = ["exact", "approx", "at-least", "more-than", "at-most", "fewer-than"]
_ATTACK_WORDS = {"bombing": "bombing", "armed-assault": "assault", "assassination": "assassination",
                 "hijacking": "hijacking", "hostage-taking": "siege", "facility-attack": "raid",
                 "unarmed-assault": "attack"}
_PLACES_OF = ["market", "mosque", "school", "checkpoint", "airport", "hospital", "stadium", "hotel",
              "bus station", "wedding", "shrine", "concert hall"]
_OPTION_TITLES = ["Sanctions on {a}", "Talks with {a}", "Border controls against {a}",
                  "Financial designation of {a}", "Amnesty for fighters of {a}",
                  "Counter-messaging against {a}", "Intelligence sharing on {a}",
                  "Prison reform to stop {a} recruitment", "Regional coalition against {a}"]


_KEEP = "\x00"  # a space that line wrapping must not break at


def _place(rng: random.Random) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()


def _today() -> str:
    """The day records are marked reviewed: today, or SOURCE_DATE_EPOCH's day, as briefs check counts."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    day = dt.datetime.fromtimestamp(int(epoch), dt.UTC).date() if epoch else dt.date.today()
    return day.isoformat()


def slugify(text: str) -> str:
    out = "".join(c if c.isalnum() else "-" for c in text.lower())
    return "-".join(part for part in out.split("-") if part)


# --------------------------------------------------------------------------- corpus model


@dataclass
class Ref:
    key: str
    bibtex: str


@dataclass
class CorpusStats:
    root: Path
    actors: int = 0
    attacks: int = 0
    options: int = 0
    references: int = 0
    seeds: int = 0
    words: int = 0          # prose words over all records
    yaml_bytes: int = 0

    @property
    def records(self) -> int:
        return self.actors + self.attacks + self.options


@dataclass
class _Gen:
    rng: random.Random
    refs: list[str]
    cum_weights: list[float]  # Zipf-like: a few references are cited far more than most
    reviewed: str = ""
    used_ids: set[str] = field(default_factory=set)
    words: int = 0
    pool: list[str] = field(default_factory=list)  # the sources the current record is written from

    # ---- ids, references, citations

    def unique_id(self, text: str) -> str:
        base = slugify(text) or "record"
        candidate, n = base, 2
        while candidate in self.used_ids:
            candidate, n = f"{base}-{n}", n + 1
        self.used_ids.add(candidate)
        return candidate

    def begin_record(self, must: str) -> None:
        """Pick the few sources a record is written from (``must`` among them), as an editor would.

        Drawing every citation from the whole bibliography instead gave 47 distinct sources per
        record at N=2000 (the shipped records cite 2.7), and the "cited by" lists grew 17x from N=200.
        """
        pool = {must}
        for _ in range(self.rng.randint(2, 7)):
            pool.add(self.rng.choices(self.refs, cum_weights=self.cum_weights)[0])
        self.pool = sorted(pool)

    def ref(self) -> str:
        return self.rng.choice(self.pool)

    def locator(self) -> str:
        n = self.rng.randint(1, 380)
        return self.rng.choice(_LOCATORS).format(n=n, m=n + self.rng.randint(1, 6), c=self.rng.randint(1, 40))

    def prose_cite(self, must: str | None = None) -> str:
        """A Pandoc citation group: [@k], [@k, p. 12] or [@a; @b, ch. 2]."""
        keys = [must or self.ref()]
        if self.rng.random() < 0.25:
            keys.append(self.ref())
        items = [f"@{k}, {self.locator()}" if self.rng.random() < 0.6 else f"@{k}" for k in keys]
        return ("[" + "; ".join(items) + "]").replace(" ", _KEEP)

    def cite_list(self) -> str:
        """A structured ``cite:`` list in flow style: [key, {key: k, locator: p. 3}]."""
        items = []
        for _ in range(1 if self.rng.random() < 0.7 else 2):
            key = self.ref()
            items.append(f"{{key: {key}, locator: {self.locator()}}}" if self.rng.random() < 0.5 else key)
        return "[" + ", ".join(items) + "]"

    # ---- prose

    def sentence(self) -> list[str]:
        rng = self.rng
        words = [rng.choice(_WORDS) for _ in range(rng.randint(4, 7))]
        words.insert(rng.randint(1, len(words)), rng.choice(_VERBS))
        for _ in range(rng.randint(3, 8)):
            words.insert(rng.randint(1, len(words)), rng.choice(_FILLERS))
        if rng.random() < 0.15:
            i = rng.randrange(len(words))
            words[i] = f"*{words[i]}*"
        if rng.random() < 0.05:
            words.append(f"[{rng.choice(_OUTLETS).lower().replace(' ', _KEEP)}](https://example.org/{rng.choice(_WORDS)}/"
                         f"{rng.randint(100, 99999)})")
        if rng.random() < 0.3:
            words.insert(rng.randint(1, len(words)), str(rng.randint(2, 900)))
        words[0] = words[0].capitalize()
        if len(words) > 8 and rng.random() < 0.4:
            words[len(words) // 2] += ","
        return words

    def prose(self, target_words: int, must_cite: str | None = None) -> str:
        """Paragraphs of about ``target_words`` words; every sentence ends with a citation."""
        paragraphs, count = [], 0
        while count < target_words:
            tokens: list[str] = []
            for _ in range(self.rng.randint(2, 5)):
                words = self.sentence()
                count += len(words)
                words[-1] += " " + self.prose_cite(must_cite) + "."
                must_cite = None
                tokens += words
                if count >= target_words:
                    break
            paragraphs.append(tokens)
        self.words += count
        return "\n\n".join(_wrap(p) for p in paragraphs)

    def prose_list(self, target_words: int) -> str:
        """A paragraph and a Markdown list, as editors write a history."""
        intro = self.prose(target_words // 2)
        items = [self.prose(max(8, target_words // 8)).replace("\n", " ") for _ in range(3)]
        return intro + "\n\n" + "\n".join(f"- {item}" for item in items)

    def date(self, lo: int = 2001, hi: int = 2025) -> tuple[int, int, int]:
        return self.rng.randint(lo, hi), self.rng.randint(1, 12), self.rng.randint(1, 28)

    def partial(self, year: int, month: int, day: int) -> str:
        precision = self.rng.random()
        if precision < 0.25:
            return f"{year}"
        if precision < 0.5:
            return f"{year}-{month:02d}"
        return f"{year}-{month:02d}-{day:02d}"


def _wrap(tokens: list[str], width: int = 88) -> str:
    """Greedy line filling; citation groups and link texts hold _KEEP, never split."""
    lines, line = [], ""
    for piece in " ".join(tokens).split(" "):
        if line and len(line) + 1 + len(piece) > width:
            lines.append(line)
            line = piece
        else:
            line = f"{line} {piece}" if line else piece
    lines.append(line)
    return "\n".join(lines).replace(_KEEP, " ")


def _block(key: str, text: str, indent: str = "") -> str:
    body = "\n".join(f"{indent}  {line}" if line else "" for line in text.split("\n"))
    return f"{indent}{key}: |\n{body}\n"


# --------------------------------------------------------------------------- records


def _actor_yaml(g: _Gen, actor: dict, actors: list[dict], must: str) -> str:
    rng = g.rng
    out = [f"name: {actor['name']}\n", f"category: {actor['category']}\n"]
    if rng.random() < 0.5:
        alias = "".join(w[0] for w in actor["name"].split() if w[0].isupper()) or actor["name"][:3].upper()
        named = f"{actor['place']} {rng.choice(['Front', 'Movement', 'Network'])}"
        out.append(f"aliases:\n  - {{name: {alias}, cite: {g.cite_list()}}}\n"
                   f"  - {{name: {named}, editors: the name its own statements use}}\n")
    out.append(_block("summary", g.prose(60, must_cite=must)))
    year, month, day = g.date(1990, 2020)
    if actor["category"] != "person" or rng.random() < 0.5:
        founded = [f"  - {{value: {g.partial(year, month, day)}, cite: {g.cite_list()}}}\n"]
        if rng.random() < 0.3:  # a second source disagrees
            founded.append(f"  - {{value: {year + rng.randint(1, 2)}, cite: {g.cite_list()}}}\n")
        out.append("founded:\n" + "".join(founded))
    if actor["category"] in ("militant-group", "organisation") and rng.random() < 0.8:
        strength = [(rng.randint(50, 20000), rng.choice(_QUALIFIERS))]
        if rng.random() < 0.3:
            strength.append((strength[0][0] * rng.randint(2, 4) // 2 + 10, "approx"))
        out.append("strength:\n")
        for value, qualifier in strength:
            out.append(f"  - value: {value}\n    qualifier: {qualifier}\n")
            out.append(f"    as_of: {rng.randint(2015, 2025)}\n")
            if rng.random() < 0.3:
                out.append(_block("note", g.prose(15), "    "))
            out.append(f"    cite: {g.cite_list()}\n")
    out.append(_block("history", g.prose_list(180) if rng.random() < 0.3 else g.prose(180)))
    out.append(_block("ideology", g.prose(80)))
    out.append(_block("leadership", g.prose(70)))
    out.append(_block("areas", g.prose(50)))
    out.append(_block("targets_and_tactics", g.prose(90)))
    if rng.random() < 0.6:
        out.append(_block("notes", g.prose(50)))
    others = [a for a in actors if a["id"] != actor["id"]]
    relations = rng.sample(others, k=min(len(others), rng.randint(0, 3)))
    if relations:
        out.append("relations:\n")
        for other in relations:
            out.append(f"  - actor: {other['id']}\n    type: {rng.choice(_RELATION_TYPES)}\n")
            if rng.random() < 0.6:
                out.append(f"    since: {g.partial(*g.date(1995, 2020))}\n")
            if rng.random() < 0.2:
                out.append(f"    until: {rng.randint(2021, 2025)}\n")
            if rng.random() < 0.3:
                out.append(_block("note", g.prose(20), "    "))
            out.append(f"    cite: {g.cite_list()}\n")
    out.append(f"tags: [{slugify(actor['country'])}, {actor['category']}]\n")
    out.append(f"reviewed: {g.reviewed}\n")
    return "".join(out)


def _attack_yaml(g: _Gen, attack: dict, groups: list[dict], must: str) -> str:
    rng = g.rng
    year, month, day = attack["date"]
    out = [f"title: {attack['title']}\n"]
    first = f"{year}-{month:02d}-{day:02d}"
    if rng.random() < 0.3:  # two sources, one a day or two later
        # Not "2009-09" beside "2009-09-06": exports.py's min() over PartialDates of one year
        # and mixed precision raises TypeError (reported); a different precision waits for that fix.
        second = f"{year}-{month:02d}-{day + rng.randint(1, 2):02d}"
        out.append(f"date:\n  - {{value: {first}, cite: {g.cite_list()}}}\n"
                   f"  - value: {second}\n")
        out.append(_block("note", g.prose(25), "    "))
        out.append(f"    cite: {g.cite_list()}\n")
    else:
        out.append(f"date: {{value: {first}, cite: {g.cite_list()}}}\n")
    out.append(f"location:\n  place: {attack['place']}\n  country: {attack['country']}\n")
    if rng.random() < 0.8:
        out.append(f"  geocode: {{latitude: {rng.uniform(-60, 60):.4f}, longitude: {rng.uniform(-170, 170):.4f}, "
                   "precision: city}\n")
    out.append(f"  cite: {g.cite_list()}\n")
    perpetrators = rng.sample(groups, k=min(len(groups), rng.choice([0, 1, 1, 1, 2])))
    if perpetrators:
        out.append("perpetrators:\n")
        for actor in perpetrators:
            basis = rng.choice(["claimed", "claimed", "attributed", "suspected"])
            out.append(f"  - actor: {actor['id']}\n    basis: {basis}\n")
            if basis == "attributed":
                out.append(f"    by: {rng.choice(_INSTITUTIONS)}\n")
            out.append(f"    cite: {g.cite_list()}\n")
    out.append(f"attack_types: [{attack['type']}]\n")
    out.append(f"target_types: [{', '.join(rng.sample(_TARGET_TYPES, k=rng.randint(1, 3)))}]\n")
    out.append("casualties:\n  killed:\n")
    killed = rng.randint(0, 300)
    out.append(f"    - {{value: {killed}, qualifier: {rng.choice(_QUALIFIERS)}, cite: {g.cite_list()}}}\n")
    if rng.random() < 0.4:  # a second source disagrees
        out.append(f"    - value: {killed + rng.randint(1, 40)}\n      as_of: {first}\n")
        if rng.random() < 0.5:
            out.append(_block("note", g.prose(20), "      "))
        out.append(f"      cite: {g.cite_list()}\n")
    if rng.random() < 0.8:
        injured = rng.randint(0, 800)
        out.append(f"  injured: {{value: {injured}, qualifier: at-least, cite: {g.cite_list()}}}\n")
    out.append(_block("summary", g.prose(300, must_cite=must)))
    out.append(_block("attackers", g.prose(110)))
    out.append(_block("notes", g.prose(120)))
    out.append(f"tags: [{slugify(attack['country'])}, {attack['type']}]\n")
    out.append(f"reviewed: {g.reviewed}\n")
    return "".join(out)


def _option_yaml(g: _Gen, option: dict, actors: list[dict], attacks: list[dict], must: str) -> str:
    rng = g.rng
    out = [f"title: {option['title']}\n", _block("summary", g.prose(100, must_cite=must))]
    proposers = rng.sample(actors, k=min(len(actors), rng.randint(1, 2)))
    out.append("proposers:\n")
    for actor in proposers:
        role = rng.choice(["proposes", "practises", "supports", "opposes"])
        out.append(f"  - actor: {actor['id']}\n    role: {role}\n")
        if rng.random() < 0.7:
            out.append(f"    as_of: {g.partial(*g.date(2010, 2025))}\n")
        out.append(f"    cite: {g.cite_list()}\n")
    also = rng.sample(actors, k=min(len(actors), rng.randint(0, 1)))
    addresses = [option["target"]] + [a["id"] for a in also if a["id"] != option["target"]]
    out.append(f"addresses: [{', '.join(addresses)}]\n")
    responds = rng.sample(attacks, k=min(len(attacks), rng.randint(0, 3)))
    if responds:
        out.append(f"responds_to: [{', '.join(a['id'] for a in responds)}]\n")
    out.append(_block("mechanism", g.prose(180)))
    out.append("benefits:\n")
    for _ in range(rng.randint(2, 3)):
        out.append(_block("-", g.prose(50), "  ").replace("  -: |", "  - |", 1))
    out.append("risks:\n")
    for _ in range(rng.randint(2, 3)):
        out.append(_block("-", g.prose(45), "  ").replace("  -: |", "  - |", 1))
    if rng.random() < 0.5:
        out.append(_block("notes", g.prose(60)))
    status = rng.choice(["proposed", "under-consideration", "in-place", "rejected", "lapsed"])
    as_of = g.partial(*g.date(2015, 2025))
    out.append(f"status: {{value: {status}, as_of: {as_of}, cite: {g.cite_list()}}}\n")
    out.append(f"tags: [{rng.choice(['sanctions', 'diplomacy', 'security', 'development'])}]\n")
    out.append(f"reviewed: {g.reviewed}\n")
    return "".join(out)


def _bib_entry(rng: random.Random, index: int, used: set[str]) -> Ref:
    if rng.random() < 0.12:
        stem, surname = rng.choice(_LAST_LATEX)
    else:
        surname = rng.choice(_LAST_PLAIN)
        stem = surname.lower()
    year = rng.randint(2005, 2025)
    key = f"{stem}{year}"
    suffix = 0
    while key in used:
        key = f"{stem}{year}{'abcdefghijklmnopqrstuvwxyz'[suffix % 26]}{suffix // 26 or ''}"
        suffix += 1
    used.add(key)
    names = [f"{surname}, {rng.choice(_FIRST)}"]
    names += [f"{rng.choice(_LAST_PLAIN)}, {rng.choice(_FIRST)}" for _ in range(rng.randint(0, 2))]
    authors = " and ".join(names)
    words = [rng.choice(_WORDS) for _ in range(rng.randint(4, 9))]
    title = " ".join(w.capitalize() if i == 0 or rng.random() < 0.4 else w for i, w in enumerate(words))
    title = title.replace(words[0].capitalize(), "{" + words[0].capitalize() + "}", 1)
    kind = rng.choices(["article", "book", "incollection", "techreport", "online", "inproceedings",
                        "phdthesis", "misc"], weights=[30, 12, 12, 14, 18, 6, 3, 5])[0]
    fields = [f"author = {{{authors}}}", f"title = {{{title}}}"]
    if kind == "article":
        fields += [f"journal = {{{rng.choice(_JOURNALS)}}}", f"volume = {{{rng.randint(1, 40)}}}",
                   f"number = {{{rng.randint(1, 12)}}}", f"year = {{{year}}}",
                   f"month = {rng.choice(['jan', 'mar', 'jun', 'sep', 'nov'])}",
                   f"pages = {{{(p := rng.randint(1, 400))}--{p + rng.randint(5, 30)}}}"]
        if rng.random() < 0.5:
            fields.append(f"doi = {{10.{rng.randint(1000, 9999)}/{stem}.{year}.{index}}}")
    elif kind == "book":
        fields += [f"publisher = {{{rng.choice(_PUBLISHERS)}}}", "address = {London}", f"year = {{{year}}}"]
    elif kind == "incollection":
        fields += [f"booktitle = {{{' '.join(rng.choice(_WORDS).capitalize() for _ in range(4))}}}",
                   f"editor = {{{rng.choice(_LAST_PLAIN)}, {rng.choice(_FIRST)}}}",
                   f"publisher = {{{rng.choice(_PUBLISHERS)}}}", f"year = {{{year}}}",
                   f"pages = {{{(p := rng.randint(1, 300))}--{p + rng.randint(10, 40)}}}"]
    elif kind == "techreport":
        fields += [f"institution = {{{rng.choice(_INSTITUTIONS)}}}", f"number = {{R{rng.randint(10, 999)}}}",
                   f"year = {{{year}}}"]
    elif kind == "online":
        fields += [f"howpublished = {{{rng.choice(_OUTLETS)}}}",
                   f"date = {{{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}}}",
                   f"url = {{https://example.org/news/{stem}_{year}_{index}}}"]
    elif kind == "inproceedings":
        fields += [f"booktitle = {{Proceedings of the {rng.choice(_WORDS).capitalize()} Conference}}",
                   f"year = {{{year}}}", f"pages = {{{rng.randint(1, 200)}--{rng.randint(201, 220)}}}"]
    elif kind == "phdthesis":
        fields += [f"school = {{University of {rng.choice(_SYLLABLES).capitalize()}}}", f"year = {{{year}}}"]
    else:
        fields += [f"howpublished = {{{rng.choice(_OUTLETS)}}}", f"year = {{{year}}}", "note = {Video}"]
    if not any(f.startswith(("url", "doi")) for f in fields):
        if rng.random() < 0.7:
            fields.append(f"url = {{https://example.org/{kind}/{stem}-{year}-{index}}}")
        else:  # the source gives no link: acknowledged, as editors do
            fields.append("unavailable = {url}")
    body = ",\n".join(f"  {f}" for f in fields)
    return Ref(key, f"@{kind}{{{key},\n{body}\n}}\n")


def write_corpus(root: Path, n: int, seed: int = 1) -> CorpusStats:
    """Write a valid project of ``n`` records (30% actors, 50% attacks, 20% options) into ``root``.

    ``root`` gets mkdocs.yml (the basic fixture's), content/index.md, content/<kind>/*.yaml,
    bib/refs.bib with n/4 references (every one cited; each record from 3-8 of them, a few
    references far more often than most) and a few seeds/*.yaml. The same ``n`` and ``seed``
    write the same bytes.
    """
    if n < 5:
        raise ValueError("a corpus needs at least 5 records")
    rng = random.Random(seed)
    n_actors = max(2, round(n * 0.3))
    n_options = max(1, round(n * 0.2))
    n_attacks = n - n_actors - n_options
    n_refs = max(2, n // 4)

    for sub in ("content", "bib", "seeds", "site"):
        shutil.rmtree(root / sub, ignore_errors=True)
    for sub in ("content/actors", "content/attacks", "content/policy-options", "bib", "seeds"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    shutil.copyfile(FIXTURE_CONFIG, root / "mkdocs.yml")
    (root / "content" / "index.md").write_text(
        f"# Benchmark briefs\n\nA synthetic corpus of {n} records (seed {seed}).\n\n<!-- briefs:counts -->\n",
        encoding="utf-8")
    # The tags listing, as the shipped content has it: a long page that Material builds from every page.
    shutil.copyfile(FIXTURE_CONFIG.parent / "content" / "tags.md", root / "content" / "tags.md")

    used_keys: set[str] = set()
    refs = [_bib_entry(rng, i, used_keys) for i in range(n_refs)]
    (root / "bib" / "refs.bib").write_text("\n".join(r.bibtex for r in refs), encoding="utf-8")
    keys = [r.key for r in refs]
    g = _Gen(rng, keys, list(itertools.accumulate(1 / (i + 1) ** 0.8 for i in range(n_refs))),
             reviewed=_today())
    stats = CorpusStats(root, n_actors, n_attacks, n_options, n_refs)

    countries = sorted({_place(rng) for _ in range(max(3, n_actors // 6))})
    actors: list[dict] = []
    for i in range(n_actors):
        category = rng.choices(["militant-group", "state", "government", "organisation", "person"],
                               weights=[50, 10, 8, 12, 20])[0]
        country, place = rng.choice(countries), _place(rng)
        if category == "militant-group":
            name = rng.choice(["{p} Liberation Front", "Army of {p}", "{c} {p} Movement",
                               "Islamic State {p} Province", "Brigades of {p}"]).format(p=place, c=country)
        elif category == "state":
            name = country if not any(a["name"] == country for a in actors) else f"Republic of {place}"
        elif category == "government":
            name = f"Government of {country}"
        elif category == "organisation":
            name = rng.choice(["{p} Relief Council", "Council of {c} Elders", "{p} Security Forum"]).format(
                p=place, c=country)
        else:
            name = f"{rng.choice(_FIRST)} {rng.choice(_LAST_PLAIN)}"
        actors.append({"id": g.unique_id(name), "name": name, "category": category,
                       "country": country, "place": place, "index": i})
    groups = [a for a in actors if a["category"] == "militant-group"] or actors

    attacks: list[dict] = []
    for _ in range(n_attacks):
        kind = rng.choice(_ATTACK_TYPES)
        place, country = _place(rng), rng.choice(countries)
        year, month, day = g.date()
        day = min(day, 26)
        title = f"{place} {rng.choice(_PLACES_OF)} {_ATTACK_WORDS[kind]} {year}"
        attacks.append({"id": g.unique_id(title), "title": title.capitalize(), "type": kind,
                        "place": place, "country": country, "date": (year, month, day)})

    options: list[dict] = []
    for _ in range(n_options):
        target = rng.choice(groups)
        title = rng.choice(_OPTION_TITLES).format(a=target["name"])
        options.append({"id": g.unique_id(title), "title": title, "target": target["id"]})

    # Record number k cites reference k mod n_refs in its summary: every reference is used.
    k = 0
    sizes = 0
    for actor in actors:
        g.begin_record(keys[k % n_refs])
        text = _actor_yaml(g, actor, actors, keys[k % n_refs])
        sizes += _write(root / "content" / "actors" / f"{actor['id']}.yaml", text)
        k += 1
    for attack in attacks:
        g.begin_record(keys[k % n_refs])
        text = _attack_yaml(g, attack, groups, keys[k % n_refs])
        sizes += _write(root / "content" / "attacks" / f"{attack['id']}.yaml", text)
        k += 1
    for option in options:
        g.begin_record(keys[k % n_refs])
        text = _option_yaml(g, option, actors, attacks, keys[k % n_refs])
        sizes += _write(root / "content" / "policy-options" / f"{option['id']}.yaml", text)
        k += 1

    for i in range(max(1, n_refs // 25)):
        covers = " ".join(rng.choice(_WORDS) for _ in range(rng.randint(12, 25))).capitalize() + "."
        sizes += _write(root / "seeds" / f"seed-{i + 1}.yaml",
                        f"key: {keys[i]}\ncovers: {covers}\nreviewed: {g.reviewed}\n")
        stats.seeds += 1
    stats.words, stats.yaml_bytes = g.words, sizes
    return stats


def _write(path: Path, text: str) -> int:
    data = text.encode("utf-8")
    path.write_bytes(data)
    return len(data)


