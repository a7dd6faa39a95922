#!/usr/bin/env python3
"""Lay out docs/top-venues.md from the CSV answers scripts/top-venues.sh wrote.

Usage: top_venues.py WORK_DIR CSRANKINGS_DIR > docs/top-venues.md

Every number comes from a talentchain answer in WORK_DIR (NAME.csv, with the
notes the command printed in NAME.notes); this script only sums shares over
years or countries where the page says so, sets the published figures of
../shared/FIELD.md beside ours, and matches institution names with
CSRankings' table. Standard library only.
"""

import csv
import os
import re
import sys
from collections import defaultdict

WORK, CSR = sys.argv[1], sys.argv[2]
VOCAB = os.path.join(CSR, "..", "openalex", "vocab")


def rows(name):
    with open(os.path.join(WORK, name + ".csv"), newline="") as f:
        return list(csv.DictReader(f))


def notes(name):
    path = os.path.join(WORK, name + ".notes")
    if not os.path.exists(path):
        return []
    return [l[len("note: "):].strip() for l in open(path) if l.startswith("note: ")]


def num(v):
    try:
        return float(v)
    except (TypeError, ValueError):
        return 0.0


def pct(x, digits=1):
    return f"{100 * x:.{digits}f}%"


def table(header, body):
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(str(c) for c in r) + " |" for r in body]
    return "\n".join(out)


def ranges(years):
    years = sorted(years)
    out, start, prev = [], None, None
    for y in years:
        if start is None:
            start = prev = y
        elif y == prev + 1:
            prev = y
        else:
            out.append(f"{start}" if start == prev else f"{start}–{prev}")
            start = prev = y
    if start is not None:
        out.append(f"{start}" if start == prev else f"{start}–{prev}")
    return ", ".join(out)


# Country names as OpenAlex displays them (countries.yaml: `- id:
# countries/US` then `display_name: United States`), continents from its CSV.
names = {}
code = None
for line in open(os.path.join(VOCAB, "countries.yaml")):
    line = line.strip()
    if line.startswith("- id: countries/"):
        code = line.rsplit("/", 1)[1]
    elif line.startswith("display_name:") and code:
        names[code] = line.split(":", 1)[1].strip()
        code = None
europe = set()
with open(os.path.join(VOCAB, "countries_by_continent.csv"), newline="") as f:
    for r in csv.DictReader(f):
        if r["continent"] == "Europe":
            europe.add(r["country_code"])


def country(code):
    return f"{code} {names.get(code, '')}".strip()


out = []
w = out.append

w("# The top AI venues, from their own paper lists")
w("")
w(
    "Where is the research of the top AI conferences produced, by whom, and where do its authors "
    "move? The figures below are talentchain's metrics on the conferences' own paper lists "
    "(Paper Copilot's `paperlists`, in `../shared/data/paperlists`: about 80,000 papers of 164 "
    "venue-year files), ingested as a second source beside OpenAlex (`talentchain ingest`, see the "
    "README). Each section says its definitions and what the files cover. Regenerate the page and "
    "its charts with one command:"
)
w("")
w("```sh")
w("scripts/top-venues.sh   # needs ../shared/data, python3 and Node.js (the SVG charts)")
w("```")
w("")
w("Ingest of the lists (accepted papers only, the default):")
w("")
w("```text")
for l in open(os.path.join(WORK, "ingest.txt")):
    if not l.startswith("  "):
        # The time it took is not a figure of the page: left out, so that
        # the page changes only when the data or the definitions do.
        w(re.sub(r" in [0-9.]+s \([^)]*\)$", "", l.rstrip()))
w("```")
w("")

# Coverage.
w("## What the files cover")
w("")
w(
    "Papers kept (accepted: orals, spotlights, posters, Findings, and papers of lists without "
    "decisions), the share with a country for at least one author, and the share of authorships "
    "with a stable author id (an OpenReview id, or a hashed e-mail address given as one). Years "
    "absent from a venue's run are files the snapshot lacks (lists of 4 MiB or more: NeurIPS "
    "2019–2025, ICML 2020–2025, ICLR 2019–2026, CVPR 2025, …); for 14 of them an older, smaller "
    "version is in the files (NeurIPS 2021, ICML 2023–24, ICLR 2021–22, CVPR 2020–24, ICCV 2021 and "
    "2023, EMNLP 2023, AAAI 2021), with affiliations written out and no normalised countries."
)
w("")
cov = rows("coverage")
by_venue = defaultdict(list)
for r in cov:
    by_venue[r["venue"]].append(r)
body = []
thin = []
for venue, rs in sorted(by_venue.items(), key=lambda kv: -sum(int(r["papers"]) for r in kv[1])):
    papers = sum(int(r["papers"]) for r in rs)
    with_country = sum(int(r["with_country"]) for r in rs)
    auth = sum(int(r["authorships"]) for r in rs)
    ids = sum(int(r["with_id"]) for r in rs)
    elite = sum(int(r["elite"]) for r in rs)
    years = [int(r["year"]) for r in rs]
    body.append(
        [venue, ranges(years), papers, elite, pct(with_country / papers, 0), pct(ids / auth, 0) if auth else "–"]
    )
    for r in rs:
        if int(r["with_country"]) < 0.5 * int(r["papers"]):
            thin.append(f"{venue} {r['year']}")
w(table(["venue", "years in the files", "papers", "elite", "with a country", "authorships with an id"], body))
w("")
w(
    "Venue-years where fewer than half the papers have a country (the older versions without "
    "normalised countries, whose written-out affiliations are looked up by name, and lists "
    f"without affiliations): {', '.join(thin)}. The lists file Hong Kong, Macau and Taiwan under "
    "China (none of their country names is one of the three): every China figure below includes "
    "them."
)
w("")

# Output by country.
w("## AI output by country, 2013–2019 (NeurIPS, ICML, CVPR)")
w("")
w(
    "One basket of venues whose lists give countries for every year of the range, so that the "
    "series show countries, not a change of basket. `countries --ai all --source paperlists "
    "--venue NeurIPS,ICML,CVPR --from 2013 --to 2019`:"
)
w("")
for n in notes("countries"):
    if n.startswith("papers_full") or n.startswith("profile"):
        w(f"- {n}")
w("")
w("![AI papers by country, full counting](top-venues/output_full.svg)")
w("")
w("![AI papers by country, fractional counting](top-venues/output_fractional.svg)")
w("")
tot = sorted(rows("countries_total"), key=lambda r: -num(r["papers_full"]))[:12]
per_year = defaultdict(dict)
for r in rows("countries"):
    per_year[r["country"]][int(r["year"])] = num(r["share_fractional"])
years = list(range(2013, 2020))
body = [
    [country(r["country"]), int(num(r["papers_full"])), f"{num(r['papers_fractional']):.1f}",
     pct(num(r["share_full"])), pct(num(r["share_fractional"]))]
    + [pct(per_year[r["country"]].get(y, 0.0), 0) for y in years]
    for r in tot
]
w(table(["country", "papers (full)", "papers (fractional)", "share (full)", "share (fractional)"]
         + [f"{y} (fractional)" for y in years], body))
w("")

# Elite.
w("## The elite tier against all accepted papers (NeurIPS and CVPR, 2013–2019)")
w("")
w(
    "MacroPolo separates NeurIPS's oral papers as its elite tier. The lists mark orals, "
    "spotlights (NeurIPS) and highlights (CVPR, its top tenth of accepted papers); `elite` "
    "counts all three (`--elite`). ICML is left out: its 2018–19 lists give nearly every paper "
    "as an oral. `countries --venue NeurIPS,CVPR --from 2013 --to 2019 --by total`, with and "
    "without `--elite`:"
)
w("")
w("![World shares of the elite tier](top-venues/elite_world_shares.svg)")
w("")
all_rows = {r["country"]: r for r in rows("elite_all")}
el = sorted(rows("elite"), key=lambda r: -num(r["papers_full"]))[:12]
body = []
for r in el:
    a = all_rows.get(r["country"], {})
    ratio = num(r["share_fractional"]) / num(a.get("share_fractional")) if num(a.get("share_fractional")) else 0
    body.append([country(r["country"]), int(num(r["papers_full"])), pct(num(r["share_fractional"])),
                 int(num(a.get("papers_full"))), pct(num(a.get("share_fractional"))), f"{ratio:.2f}"])
w(table(["country", "elite papers", "elite share (fractional)", "accepted papers",
         "accepted share (fractional)", "elite ÷ accepted share"], body))
w("")

# Companies.
w("## Companies")
w("")
w(
    "The company share of fractional output per year: each paper split equally among its "
    "authorships, then among each authorship's institutions; an institution's sector by the "
    "name rule (the lists give no institution types). `sectors --venue NeurIPS,ICML,CVPR "
    "--from YEAR --to YEAR`, summed over countries:"
)
w("")
body = []
for y in years:
    rs = rows(f"sectors_{y}")
    total = sum(num(r["papers_fractional"]) for r in rs)
    company = sum(num(r["papers_fractional"]) for r in rs if r["sector"] == "company")
    edu = sum(num(r["papers_fractional"]) for r in rs if r["sector"] == "education")
    body.append([y, f"{company:.1f}", pct(company / total if total else 0), pct(edu / total if total else 0)])
w(table(["year", "company papers (fractional)", "company share", "education share"], body))
w("")
w("The largest companies, rolled up under their lineage root, with the countries of their labs "
  "(`institutions --rollup --type company`):")
w("")
w("![Company labs by country](top-venues/company_labs.svg)")
w("")
body = [[r["rank"], r["name"], r["country"], r["papers_full"], f"{num(r['papers_fractional']):.1f}", r["lab_countries"]]
        for r in rows("companies")]
w(table(["rank", "company", "country", "papers (full)", "papers (fractional)", "papers by lab country"], body))
w("")

# Institutions.
w("## The top institutions, 2013–2019 (NeurIPS, ICML, CVPR)")
w("")
w("`institutions --rollup --limit 20` (an institution is one normalised name of the lists; "
  "the lists give no hierarchy, so the rollup changes nothing here):")
w("")
w("![Top institutions](top-venues/top_institutions.svg)")
w("")
body = [[r["rank"], r["name"], r["country"], r["sector"], r["papers_full"], f"{num(r['papers_fractional']):.1f}"]
        for r in rows("institutions")]
w(table(["rank", "institution", "country", "sector", "papers (full)", "papers (fractional)"], body))
w("")

# Careers.
w("## Careers: moves between countries of the authors with stable ids")
w("")
w(
    "Careers exist only where a list gives stable author ids: OpenReview ids in the lists of "
    "ICLR 2021, NeurIPS 2021, ICML 2023–24, EMNLP 2023, CoRL 2021–25, COLM 2024–25, WWW 2024–25, "
    "AISTATS, ALT, 3DV and AI4X 2025 (ACL Anthology slugs and names are not kept: people are "
    "never merged by name). A career is the author's venue-years with a country. ICLR 2013–18 "
    "give e-mail addresses as ids (kept hashed, and not at all where one address stands for "
    "every author of a paper) and no affiliations, so they add no observed year; ICLR 2022's "
    "older list has no ids. `talent flows --ai all --source "
    "paperlists`:"
)
w("")
for n in notes("flows"):
    w(f"- {n}")
w("")
w("![Flows between countries](top-venues/talent_flows.svg)")
w("")
fl = [r for r in rows("flows") if r["origin"] != r["current"]]
fl = sorted(fl, key=lambda r: -int(r["authors"]))[:12]
body = [[country(r["origin"]), country(r["current"]), r["authors"], pct(num(r["share_of_origin"]))] for r in fl]
w("The largest moves (origin = the first observed venue-year's country, not nationality):")
w("")
w(table(["origin", "current", "researchers", "share of the origin's"], body))
w("")
st = sorted(rows("stays"), key=lambda r: -int(r["arrived"]))[:10]
w("Who stays (`talent stays`: researchers who arrived in a host country, followed to a later "
  "observed year):")
w("")
w("![Retention](top-venues/talent_retention.svg)")
w("")
body = [[country(r["origin"]), country(r["host"]), r["arrived"], r["followed"], r["stayed"], r["returned"],
         r["moved_on"], pct(num(r["stay_rate"])) if r["stay_rate"] else "–"] for r in st]
w(table(["origin", "host", "arrived", "followed", "stayed", "returned", "moved on", "stay rate"], body))
w("")

# Published figures.
w("## Side by side with published figures")
w("")
def covered(venue, year):
    r = next(r for r in cov if r["venue"] == venue and int(r["year"]) == year)
    return pct(int(r["with_country"]) / int(r["papers"]), 0)


w("### MacroPolo, where NeurIPS authors work")
w("")
w(
    "MacroPolo's Global AI Talent Tracker 1.0 (NeurIPS 2019, about 675 sampled authors of accepted "
    "papers, `../shared/FIELD.md`) finds 59% of top-tier researchers working in the US, 11% in "
    "China, 10% in Europe, 6% in Canada and 4% in the UK. The files hold no NeurIPS 2019; the "
    f"nearest years are 2018 (countries for {covered('NeurIPS', 2018)} of papers) and 2021 (an older "
    f"list, countries looked up by name for {covered('NeurIPS', 2021)} of papers). Ours is the "
    "fractional share of the papers with a "
    "country: each paper split equally among its authorships with a country, which weights "
    "countries by authorships, as a count of authors does."
)
w("")
published = {"US": 0.59, "CN": 0.11, "Europe": 0.10, "CA": 0.06, "GB": 0.04}


def shares(name):
    # Among the papers with a country: the fractional shares of a year sum
    # to the share of papers with one.
    rs = rows(name)
    d = {r["country"]: num(r["share_fractional"]) for r in rs}
    total = sum(d.values()) or 1.0
    d = {k: v / total for k, v in d.items()}
    d["Europe"] = sum(v for k, v in d.items() if k in europe and k != "GB")
    return d


n18, n18e, n21 = shares("neurips2018"), shares("neurips2018_elite"), shares("neurips2021")
body = []
for k, v in published.items():
    label = "Europe (without the UK)" if k == "Europe" else country(k)
    body.append([label, pct(v, 0), pct(n18.get(k, 0)), pct(n18e.get(k, 0)), pct(n21.get(k, 0))])
w(table(["where they work", "MacroPolo, NeurIPS 2019 authors", "ours, NeurIPS 2018 papers",
         "ours, NeurIPS 2018 orals and spotlights", "ours, NeurIPS 2021 papers"], body))
w("")
w(
    "Definitional differences: MacroPolo counts each sampled author once and places them by the "
    "country of their employer's headquarters (a Google researcher in London counts for the US); "
    "the lists give the lab's own location, and we count papers, split among authorships. "
    "MacroPolo's origin (the undergraduate country: China 29%, US 20% in 2019; China 47% in 2022) "
    "is not in these files at all, and we never infer it: our origin is the country of a "
    "researcher's first observed venue-year."
)
w("")

w("### CSRankings, institution countries")
w("")
csr_country = {}
with open(os.path.join(CSR, "institutions.csv"), newline="") as f:
    for r in csv.DictReader(f):
        csr_country[r["institution"].strip().lower()] = "US"
with open(os.path.join(CSR, "country-info.csv"), newline="") as f:
    for r in csv.DictReader(f):
        # CSRankings writes the UK as `uk`; ISO 3166 says GB.
        code = r["countryabbrv"].strip().upper()
        csr_country[r["institution"].strip().lower()] = "GB" if code == "UK" else code
ours = defaultdict(lambda: [None, 0])
for r in rows("institution_countries"):
    key = r["name"].strip().lower()
    papers = int(r["papers"])
    if papers > ours[key][1]:
        ours[key] = [r["country"] or None, papers, r["name"]]
matched = [(k, v) for k, v in ours.items() if k in csr_country]
agree = [(k, v) for k, v in matched if v[0] == csr_country[k]]
no_country = [(k, v) for k, v in matched if not v[0]]
differ = sorted([(k, v) for k, v in matched if v[0] and v[0] != csr_country[k]], key=lambda kv: -kv[1][1])
w(
    f"CSRankings lists {len(csr_country)} institutions with a country (`institutions.csv`, "
    "`country-info.csv`; those without a country-info row are in the US). Matching names exactly "
    f"(case aside), {len(matched)} of them are among the lists' {len(ours)} institution names: "
    f"{len(agree)} with the same country, {len(differ)} with another, {len(no_country)} without "
    "one in the lists. Where they differ:"
)
w("")
body = [[v[2], v[0], csr_country[k], v[1]] for k, v in differ[:15]]
w(table(["institution", "lists' country", "CSRankings' country", "papers"], body))
w("")
w(
    "Definitional differences: the lists file Hong Kong and Taiwan under China, where CSRankings "
    "(and ISO 3166) give them their own codes; CSRankings places a university at its home campus, "
    "the lists each affiliation where the paper says the lab is. An institution of ours has the "
    "country every list agrees on, none when the lists place it in several (a company's labs)."
)
w("")

w("### OpenAlex's AI counts")
w("")
w(
    "`talentchain reconcile --against ../shared/data/aggregates/openalex_ai_country_counts` sets "
    "OpenAlex's `group_by` counts of AI-concept works per country beside `countries` on the "
    "basket (NeurIPS, ICML, CVPR), full counting, 2019 (2013–2019 are in the answer):"
)
w("")
rec = [r for r in rows("reconcile") if r["year_from"] == "2019" and r["year_to"] == "2019"
       and r["counting"] == "full"]
rec = sorted(rec, key=lambda r: int(r["published_rank"] or 999))[:12]
body = [[country(r["country"]), f"{num(r['published']):.0f}", pct(num(r["published_share"])),
         r["published_rank"], f"{num(r['ours']):.0f}", pct(num(r["our_share"])), r["our_rank"]] for r in rec]
w(table(["country", "OpenAlex AI works", "OpenAlex share", "rank", "top-venue papers", "top-venue share", "rank"],
        body))
w("")
if rec:
    w(f"Differences: {rec[0]['reasons']}. The top venues are a few thousand papers a year, "
      "OpenAlex's AI concept hundreds of thousands: the gap between the shares is the point "
      "(China's share of all AI works against its share of the top venues).")
w("")
print("\n".join(out))
