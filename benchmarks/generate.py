"""A synthetic, deterministic dataset in kgraph's ontology, at a chosen size.

    python -m benchmarks.generate --triples 1M --seed 42 --out benchmarks/work/data-1M

writes a data folder laid out like ``data/`` (``shared/*.ttl`` plus one file per report
section under ``YYYY/``), with base-relative IRIs, so that ``kgraph build`` with ``data_dir``
pointing there builds it. It is shaped like the real 2018 report, scaled to Flanders: 300
municipalities with (synthetic, 5-digit) NIS codes, organisations of every kind, activities
with qualified associations and roles, events over 10 years, documents with URLs, amounts
and themes. Who takes part in what is skewed (Zipf-like): a few hubs, many small ones.

The output conforms to the shapes in ``shapes/`` (tests/bench/test_generate.py proves it on
a small size). The same seed and size always give the same bytes: only ``random.Random(seed)``
decides anything, and files are written in a fixed order.
"""

from __future__ import annotations

import argparse
import bisect
import itertools
import random
import re
import sys
from dataclasses import dataclass
from pathlib import Path

YEARS = tuple(range(2015, 2025))  # 10 years of reports
SECTIONS_PER_YEAR = 24
MUNICIPALITIES = 300
CENTRAL_CITIES = 13

PREFIXES = """@prefix kg:            <ns/kgraph#> .
@prefix organisatie:   <id/organisatie/> .
@prefix activiteit:    <id/activiteit/> .
@prefix evenement:     <id/evenement/> .
@prefix document:      <id/document/> .
@prefix persoon:       <id/persoon/> .
@prefix plaats:        <id/plaats/> .
@prefix thema:         <id/thema/> .
@prefix rol:           <id/rol/> .
@prefix sectie:        <id/sectie/> .
@prefix conceptschema: <id/conceptschema/> .
@prefix org:           <http://www.w3.org/ns/org#> .
@prefix prov:          <http://www.w3.org/ns/prov#> .
@prefix schema:        <http://schema.org/> .
@prefix foaf:          <http://xmlns.com/foaf/0.1/> .
@prefix dcterms:       <http://purl.org/dc/terms/> .
@prefix skos:          <http://www.w3.org/2004/02/skos/core#> .
@prefix rdfs:          <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd:           <http://www.w3.org/2001/XMLSchema#> .

"""

ROLES = ("trekker", "organisator", "co-organisator", "partner", "deelnemer", "uitvoerder",
         "opdrachtnemer", "financier", "gastheer", "initiatiefnemer", "begeleider", "spreker")
ROLE_EN = ("lead", "organiser", "co-organiser", "partner", "participant", "executor",
           "contractor", "funder", "host", "initiator", "coach", "speaker")
THEMES = ("smart-city", "open-data", "datagedreven-beleid", "strategische-planning", "gdpr",
          "gebouwendata", "herbestemming-erfgoed", "gedeeld-gebruik-infrastructuur",
          "ruimtelijke-economie", "diversiteit", "innovatie-stedelijke-organisatie",
          "europees-beleid", "energierenovatie", "gebiedsgerichte-werking", "crowdfunding",
          "stedenbeleid", "communicatie", "financiering", "mobiliteit", "wonen", "klimaat",
          "armoede", "onderwijs", "cultuur", "sport", "veiligheid", "zorg", "jeugd",
          "participatie", "digitalisering")
ACTIVITY_KINDS = ("Project", "WorkingGroup", "Workshop", "WorkshopSeries", "StudyDay", "StudyTrip",
                  "Congress", "Seminar", "Training", "Programme", "CallForProjects",
                  "Consultation", "Study", "Guidance", "Communication", "Operations")
ACTIVITY_NL = ("project", "werkgroep", "workshop", "workshopreeks", "studiedag", "studiereis",
               "congres", "seminarie", "opleiding", "programma", "projectoproep", "bevraging",
               "studie", "begeleiding", "communicatie", "werking")
ORG_KINDS = (("GovernmentAgency", "agentschap"), ("ResearchOrganisation", "onderzoeksgroep"),
             ("Company", "bedrijf"), ("NonProfit", "vzw"), ("Network", "netwerk"))
PROVINCES = ("11", "12", "13", "23", "24", "31", "32", "33", "34", "35", "36", "37", "38",
             "41", "42", "43", "44", "45", "46", "71", "72", "73")
SYLLABLES = ("aal", "be", "bra", "de", "den", "dorp", "ge", "gem", "hout", "ke", "kem", "la",
             "le", "lo", "me", "mol", "na", "ne", "o", "pel", "re", "ro", "se", "sel", "te",
             "ter", "ve", "vel", "wa", "we", "zee", "zel", "ho", "ven", "broek", "kerk")
WORDS = ("lokale", "stedelijke", "slimme", "duurzame", "open", "gedeelde", "digitale", "sociale",
         "nieuwe", "regionale", "circulaire", "inclusieve")
NOUNS = ("mobiliteit", "data", "ruimte", "buurt", "energie", "wonen", "zorg", "economie",
         "participatie", "erfgoed", "klimaat", "onderwijs", "cultuur", "veiligheid", "armoede")
LANG_NLD = "<http://publications.europa.eu/resource/authority/language/NLD>"


def parse_size(text: str) -> int:
    """'100k' -> 100000, '1M' -> 1000000, '2.5m' -> 2500000, '5000' -> 5000."""
    match = re.fullmatch(r"\s*([0-9]+(?:\.[0-9]+)?)\s*([kKmMgG]?)\s*", text)
    if not match:
        raise ValueError(f"not a size: {text!r} (use e.g. 5000, 100k, 1M, 10M)")
    factor = {"": 1, "k": 1_000, "m": 1_000_000, "g": 1_000_000_000}[match.group(2).lower()]
    return int(float(match.group(1)) * factor)


def q(text: str) -> str:
    """A Turtle string literal (the generated text never holds quotes or backslashes)."""
    return f'"{text}"'


class Zipf:
    """Draws indexes 0..n-1 with weight 1/(rank+1)^s: a few hubs, a long tail."""

    def __init__(self, n: int, s: float = 1.1):
        self.cum = list(itertools.accumulate(1.0 / (i + 1) ** s for i in range(n)))

    def draw(self, rnd: random.Random) -> int:
        return bisect.bisect_left(self.cum, rnd.random() * self.cum[-1])

    def sample(self, rnd: random.Random, k: int) -> list[int]:
        seen: dict[int, None] = {}
        for _ in range(k * 4):  # bounded: duplicates are dropped, a few tries suffice
            seen[self.draw(rnd)] = None
            if len(seen) == k:
                break
        return list(seen)


@dataclass
class World:
    """The shared things activities refer to: organisations, people, places."""

    orgs: list[str]  # slugs, hubs first (index 0 is the most connected)
    people: list[str]
    places: list[str]
    org_zipf: Zipf
    person_zipf: Zipf
    place_zipf: Zipf


class Writer:
    """A Turtle file being written, counting the triples it states."""

    def __init__(self, path: Path, header: str):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.handle = open(path, "w", encoding="utf-8", newline="\n")
        self.handle.write(header + PREFIXES)
        self.triples = 0

    def block(self, subject: str, statements: list[tuple[str, str]]) -> None:
        """subject p1 o1 ; p2 o2 . (objects may be comma lists or [ ... ] blank nodes)"""
        body = " ;\n    ".join(f"{p} {o}" for p, o in statements)
        self.handle.write(f"{subject} {body} .\n\n")
        for _, o in statements:  # a comma list states one triple per item; [ ... ] its own too
            inner = o.count(" ; ") + 1 if o.startswith("[ ") else 0
            self.triples += 1 + o.count(" , ") + inner

    def close(self) -> None:
        self.handle.close()


def bnode(statements: list[tuple[str, str]]) -> str:
    """A [ ... ] blank node object; Writer counts its inner triples through the ' ; '."""
    return "[ " + " ; ".join(f"{p} {o}" for p, o in statements) + " ]"


def name(rnd: random.Random, parts: int) -> str:
    return "".join(rnd.choice(SYLLABLES) for _ in range(parts))


def labels(nl: str, en: str | None) -> tuple[str, str]:
    return ("rdfs:label", f"{q(nl)}@nl , {q(en)}@en" if en else f"{q(nl)}@nl")


def write_shared(out: Path, rnd: random.Random, n_orgs: int, n_people: int, n_places: int) -> tuple[World, int]:
    """shared/: roles, themes, organisations (300 municipalities first), people, places."""
    shared = out / "shared"
    total = 0
    w = Writer(shared / "rollen.ttl", "# Synthetic roles (SKOS concept scheme).\n")
    w.block("conceptschema:rollen", [("a", "skos:ConceptScheme"), labels("Rollen", "Roles")])
    for slug, en in zip(ROLES, ROLE_EN):
        w.block(f"rol:{slug}", [("a", "kg:Role , prov:Role , skos:Concept"),
                                ("skos:inScheme", "conceptschema:rollen"), labels(slug, en)])
    w.close(); total += w.triples
    w = Writer(shared / "themas.ttl", "# Synthetic themes (SKOS concept scheme).\n")
    w.block("conceptschema:themas", [("a", "skos:ConceptScheme"), labels("Thema's", "Themes")])
    for slug in THEMES:
        w.block(f"thema:{slug}", [("a", "skos:Concept"), ("skos:inScheme", "conceptschema:themas"),
                                  ("skos:prefLabel", f"{q(slug.replace('-', ' '))}@nl"),
                                  labels(slug.replace("-", " "), slug.replace("-", " ") + " (en)")])
    w.close(); total += w.triples

    # Municipalities: unique synthetic 5-digit NIS codes, consistent with kg:municipality.
    codes: dict[str, None] = {}
    while len(codes) < MUNICIPALITIES:
        codes[rnd.choice(PROVINCES) + f"{rnd.randrange(1, 1000):03d}"] = None
    w = Writer(shared / "organisaties.ttl", "# Synthetic organisations: 300 municipalities, then the rest.\n")
    orgs = ["kenniscentrum-vlaamse-steden"]
    w.block("organisatie:kenniscentrum-vlaamse-steden", [
        ("a", "org:Organization , kg:NonProfit"),
        labels("Kenniscentrum Vlaamse Steden", "Knowledge Centre Flemish Cities")])
    places = []
    for i, code in enumerate(codes):
        town = name(rnd, 2 + i % 2)
        slug = f"{town}-{code}"
        kind = "kg:CentralCity" if i < CENTRAL_CITIES else "kg:LocalGovernment"
        orgs.append(slug)
        w.block(f"organisatie:{slug}", [
            ("a", f"org:Organization , {kind}"),
            labels(f"Gemeente {town.capitalize()}", f"Municipality of {town.capitalize()}"),
            ("kg:nisCode", q(code)),
            ("kg:municipality", f"<https://data.vlaanderen.be/id/gemeente/{code}>")])
        places.append((slug, town, code))
    for i in range(n_orgs):
        cls, noun = ORG_KINDS[i % len(ORG_KINDS)]
        slug = f"{noun}-{name(rnd, 2)}-{i}"
        orgs.append(slug)
        member = orgs[1 + rnd.randrange(MUNICIPALITIES)]
        w.block(f"organisatie:{slug}", [
            ("a", f"org:Organization , kg:{cls}"),
            labels(f"{noun.capitalize()} {slug.split('-')[1].capitalize()} {i}",
                   None if i % 20 == 7 else f"{cls} {i}"),
            ("org:memberOf" if cls == "Network" else "org:linkedTo", f"organisatie:{member}")])
    w.close(); total += w.triples

    w = Writer(shared / "personen.ttl", "# Synthetic people.\n")
    people = []
    for i in range(n_people):
        first, last = name(rnd, 2).capitalize(), name(rnd, 3).capitalize()
        slug = f"{first.lower()}-{last.lower()}-{i}"
        people.append(slug)
        w.block(f"persoon:{slug}", [("a", "foaf:Person , schema:Person"), ("foaf:name", q(f"{first} {last}")),
                                    labels(f"{first} {last}", f"{first} {last}"),
                                    ("org:memberOf", f"organisatie:{orgs[rnd.randrange(len(orgs))]}")])
    w.close(); total += w.triples

    w = Writer(shared / "plaatsen.ttl", "# Synthetic places: one per municipality, and venues in them.\n")
    place_slugs = []
    for slug, town, code in places:
        place_slugs.append(slug)
        w.block(f"plaats:{slug}", [("a", "schema:Place"), labels(town.capitalize(), town.capitalize()),
                                   ("kg:municipality", f"<https://data.vlaanderen.be/id/gemeente/{code}>")])
    for i in range(n_places):
        town_slug = places[rnd.randrange(len(places))][0]
        slug = f"zaal-{name(rnd, 2)}-{i}"
        place_slugs.append(slug)
        w.block(f"plaats:{slug}", [("a", "schema:Place"), labels(f"Zaal {slug.split('-')[1]} {i}", None),
                                   ("schema:containedInPlace", f"plaats:{town_slug}")])
    w.close(); total += w.triples

    world = World(orgs, people, place_slugs, Zipf(len(orgs)), Zipf(len(people)), Zipf(len(place_slugs), 0.9))
    return world, total


def write_report(out: Path, year: int) -> int:
    """shared/jaarverslag-YYYY.ttl: the year's report and its sections."""
    w = Writer(out / "shared" / f"jaarverslag-{year}.ttl", f"# Synthetic annual report {year}.\n")
    sections = " , ".join(f"sectie:jaarverslag-{year}-{n:02d}" for n in range(1, SECTIONS_PER_YEAR + 1))
    w.block(f"document:jaarverslag-{year}", [
        ("a", "foaf:Document , schema:Report"), labels(f"Jaarverslag {year}", f"Annual report {year}"),
        ("dcterms:title", f"{q(f'Jaarverslag {year}')}@nl"),
        ("dcterms:publisher", "organisatie:kenniscentrum-vlaamse-steden"),
        ("dcterms:language", LANG_NLD), ("dcterms:hasPart", sections)])
    for n in range(1, SECTIONS_PER_YEAR + 1):
        w.block(f"sectie:jaarverslag-{year}-{n:02d}", [
            ("a", "kg:ReportSection , foaf:Document"), ("kg:sectionNumber", str(n)),
            ("dcterms:title", f"{q(f'Sectie {n} van {year}')}@nl"),
            labels(f"Sectie {n} van {year}", f"Section {n} of {year}"),
            ("dcterms:isPartOf", f"document:jaarverslag-{year}")])
    w.close()
    return w.triples


def activity(w: Writer, rnd: random.Random, world: World, year: int, section: str, ident: str,
             earlier: list[str]) -> None:
    """One activity with its associations, and its events and documents."""
    k = rnd.randrange(len(ACTIVITY_KINDS))
    topic = f"{rnd.choice(WORDS)} {rnd.choice(NOUNS)}"
    slug = f"{ACTIVITY_NL[k]}-{topic.replace(' ', '-')}-{ident}"
    agents = [f"organisatie:{world.orgs[i]}" for i in world.org_zipf.sample(rnd, 1 + min(int(rnd.paretovariate(1.5)), 12))]
    if rnd.random() < 0.3:
        agents.append(f"persoon:{world.people[world.person_zipf.draw(rnd)]}")
    themes = " , ".join(f"thema:{THEMES[i]}" for i in sorted(set(rnd.randrange(len(THEMES)) for _ in range(1 + rnd.randrange(3)))))
    st: list[tuple[str, str]] = [
        ("a", f"prov:Activity , kg:Activity , kg:{ACTIVITY_KINDS[k]}"),
        labels(f"{ACTIVITY_NL[k].capitalize()} {topic} {ident}", None if rnd.random() < 0.05 else f"{ACTIVITY_KINDS[k]} {topic} {ident}"),
        ("dcterms:description", f"{q(f'Een {ACTIVITY_NL[k]} over {topic} in {year}.')}@nl"),
        ("kg:startYear", f'"{year}"^^xsd:gYear'),
        ("dcterms:subject", themes),
        ("dcterms:source", f"sectie:{section}"),
        ("prov:wasAssociatedWith", " , ".join(agents)),
    ]
    if rnd.random() < 0.4:
        st.append(("kg:endYear", f'"{year + rnd.randrange(3)}"^^xsd:gYear'))
    if earlier and rnd.random() < 0.3:
        st.append(("kg:partOfActivity" if rnd.random() < 0.5 else "kg:followsUp",
                   f"activiteit:{earlier[rnd.randrange(len(earlier))]}"))
    for agent in agents:
        st.append(("prov:qualifiedAssociation", bnode([
            ("a", "prov:Association"), ("prov:agent", agent), ("prov:hadRole", f"rol:{ROLES[min(world.org_zipf.draw(rnd), 11)]}")])))
    if rnd.random() < 0.3:
        st.append(("kg:quantity", bnode([("a", "schema:QuantitativeValue"), ("schema:value", f'"{rnd.randrange(1, 200)}"^^xsd:integer'),
                                          ("schema:unitText", '"deelnemers"@nl , "participants"@en')])))
    if rnd.random() < 0.2:
        st.append(("kg:budget", bnode([("a", "schema:MonetaryAmount"), ("schema:value", f'"{rnd.randrange(1, 5000) * 1000}"^^xsd:decimal'),
                                        ("schema:currency", '"EUR"')])))
    w.block(f"activiteit:{slug}", st)
    earlier.append(slug)

    for e in range(min(int(rnd.paretovariate(1.2)) - 1 + rnd.randrange(2), 30)):
        month, day = 1 + rnd.randrange(12), 1 + rnd.randrange(28)
        date = f"{year}-{month:02d}-{day:02d}"
        ev: list[tuple[str, str]] = [
            ("a", "schema:Event , kg:Meeting" if rnd.random() < 0.3 else "schema:Event , kg:Event"),
            labels(f"{ACTIVITY_NL[k].capitalize()} {topic} {ident}, bijeenkomst {e + 1}", f"{topic} {ident}, meeting {e + 1}"),
            ("schema:startDate", f'"{date}"^^xsd:date'),
            ("kg:eventOf", f"activiteit:{slug}"), ("dcterms:source", f"sectie:{section}")]
        if rnd.random() < 0.2:
            ev.append(("schema:endDate", f'"{year}-{month:02d}-{min(day + 1 + rnd.randrange(3), 28):02d}"^^xsd:date'))
        if rnd.random() < 0.8:
            ev.append(("schema:location", f"plaats:{world.places[world.place_zipf.draw(rnd)]}"))
        if rnd.random() < 0.5:
            ev.append(("schema:organizer", agents[0] if agents[0].startswith("organisatie:") else "organisatie:kenniscentrum-vlaamse-steden"))
        w.block(f"evenement:{slug}-{e + 1}", ev)

    for d in range(rnd.choice((0, 0, 1, 1, 1, 2))):
        pdf = rnd.random() < 0.5
        w.block(f"document:{slug}-{d + 1}", [
            ("a", "foaf:Document , schema:DigitalDocument"),
            labels(f"Verslag {topic} {ident} deel {d + 1}", f"Report {topic} {ident} part {d + 1}"),
            ("dcterms:title", f"{q(f'Verslag {topic} {ident} deel {d + 1}')}@nl"),
            ("schema:url", f"<https://documenten.example.org/{year}/{slug}/{d + 1}{'.pdf' if pdf else '.html'}>"),
            ("dcterms:format", q("application/pdf" if pdf else "text/html")),
            ("dcterms:language", LANG_NLD),
            ("kg:linkText", f"{q('Lees meer.')}@nl"),
            ("kg:documents", f"activiteit:{slug}"), ("dcterms:source", f"sectie:{section}")])


def generate(out: Path, triples: int, seed: int = 42) -> int:
    """Write the dataset into out (which must not hold another one); return its triple count."""
    out = Path(out)
    rnd = random.Random(seed)
    # Shared things grow slowly with the size (a Flanders-wide graph has more partners too).
    scale = max(triples, 5_000)
    world, total = write_shared(out, rnd, n_orgs=max(50, scale // 400), n_people=max(40, scale // 600),
                                n_places=max(20, scale // 2000))
    for year in YEARS:
        total += write_report(out, year)
    budget = max(triples - total, 0)
    # Later years hold more (the programme grows): weights 1..10.
    weights = [i + 1 for i in range(len(YEARS))]
    counter = itertools.count(1)
    earlier: list[str] = []
    for year, weight in zip(YEARS, weights):
        year_budget = budget * weight // sum(weights)
        for n in range(1, SECTIONS_PER_YEAR + 1):
            section = f"jaarverslag-{year}-{n:02d}"
            w = Writer(out / str(year) / f"{n:02d}-sectie-{n:02d}.ttl", f"# Synthetic section {n} of {year}.\n")
            goal = year_budget // SECTIONS_PER_YEAR
            while w.triples < goal:
                activity(w, rnd, world, year, section, f"{next(counter)}", earlier)
            w.close()
            total += w.triples
    return total


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--triples", default="100k", help="target size: 5000, 100k, 1M, 10M (default 100k)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--out", type=Path, required=True, help="data folder to write (created; must be empty)")
    parser.add_argument("--next-release", type=int, metavar="N",
                        help="write release N of the folder --from (a share changed, added, removed) instead")
    parser.add_argument("--from", dest="source", type=Path, help="with --next-release: the previous release's data")
    parser.add_argument("--changed", type=float, default=0.03, help="with --next-release: share changed (0.03)")
    parser.add_argument("--added", type=float, default=0.01, help="with --next-release: share added (0.01)")
    parser.add_argument("--removed", type=float, default=0.01, help="with --next-release: share removed (0.01)")
    args = parser.parse_args(argv)
    if args.next_release is not None:
        from benchmarks.next_release import next_release

        if args.source is None or not args.source.is_dir():
            parser.error("--next-release needs --from, the data folder of the previous release")
        if args.out.exists():
            parser.error(f"{args.out} exists")
        counts = next_release(args.source, args.out, args.next_release, changed=args.changed,
                              added=args.added, removed=args.removed, seed=args.seed)
        print(f"release {args.next_release}: {counts.changed} changed, {counts.added} added, "
              f"{counts.removed} removed of {counts.resources} resources, in {args.out}")
        return 0
    if args.out.exists() and any(args.out.iterdir()):
        parser.error(f"{args.out} is not empty")
    total = generate(args.out, parse_size(args.triples), args.seed)
    print(f"wrote about {total} triples to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
