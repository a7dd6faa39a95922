#!/usr/bin/env bash
# docs/top-venues.md and its charts (docs/top-venues/*.svg), from the top AI
# conferences' paper lists, with one command:
#
#   scripts/top-venues.sh [PAPERLISTS] [CSRANKINGS] [AGGREGATES]
#
# (defaults: ../shared/data/paperlists, ../shared/data/csrankings,
# ../shared/data/aggregates). Every number on the page comes from a
# talentchain command run here on the lists (the commands are on the page);
# scripts/top_venues.py only lays the results out and sets the published
# figures beside them. Needs cargo, python3 and Node.js (the SVG charts of
# `talentchain report --charts`).
set -euo pipefail
cd "$(dirname "$0")/.."
lists=${1:-../shared/data/paperlists}
csrankings=${2:-../shared/data/csrankings}
aggregates=${3:-../shared/data/aggregates}

cargo build --locked -q -p talentchain-cli
tc=${CARGO_TARGET_DIR:-target}/debug/talentchain
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
data=$work/lists.tcd

echo "== ingest $lists" >&2
"$tc" ingest "$lists" --out "$data" -q 2>"$work/ingest.txt"
cat "$work/ingest.txt" >&2

# The venue basket every series uses: three venues whose lists give
# countries for every year 2013-2019 (a basket whose venues change from year
# to year would show the change of basket, not of countries).
basket=(--ai all --source paperlists --venue NeurIPS,ICML,CVPR --from 2013 --to 2019)
run() { # NAME, then the command's arguments
    local name=$1
    shift
    "$tc" "$@" --data "$data" --format csv >"$work/$name.csv" 2>"$work/$name.notes"
}

echo "== metrics" >&2
"$tc" sql --data "$data" --format csv -- "$(cat scripts/top_venues_coverage.sql)" >"$work/coverage.csv"
run countries countries "${basket[@]}"
run countries_total countries "${basket[@]}" --by total
# Elite tier where the lists separate it: NeurIPS orals and spotlights,
# CVPR orals and highlights (ICML 2018-19 lists give nearly every paper as
# an oral: left out).
run elite_all countries --ai all --source paperlists --venue NeurIPS,CVPR --from 2013 --to 2019 --by total
run elite countries --ai all --source paperlists --venue NeurIPS,CVPR --from 2013 --to 2019 --by total --elite
for year in 2013 2014 2015 2016 2017 2018 2019; do
    run "sectors_$year" sectors --ai all --source paperlists --venue NeurIPS,ICML,CVPR --from "$year" --to "$year"
done
run institutions institutions "${basket[@]}" --rollup --limit 20
run companies institutions "${basket[@]}" --rollup --type company --limit 10
run neurips2018 countries --ai all --source paperlists --venue NeurIPS --from 2018 --to 2018 --by total
run neurips2018_elite countries --ai all --source paperlists --venue NeurIPS --from 2018 --to 2018 --by total --elite
run neurips2021 countries --ai all --source paperlists --venue NeurIPS --from 2021 --to 2021 --by total
run flows talent flows --ai all --source paperlists
run stays talent stays --ai all --source paperlists
run reconcile reconcile --ai all --source paperlists --venue NeurIPS,ICML,CVPR --against "$aggregates/openalex_ai_country_counts"
"$tc" sql --data "$data" --format csv \
    "SELECT i.name, i.country, COUNT(DISTINCT ai.work) AS papers FROM institutions i JOIN authorship_institutions ai ON ai.institution = i.id GROUP BY i.name, i.country" \
    >"$work/institution_countries.csv"

echo "== charts" >&2
rm -rf docs/top-venues
mkdir -p docs/top-venues
"$tc" report --data "$data" "${basket[@]}" --out "$work/basket.html" --charts "$work/basket" 2>/dev/null
"$tc" report --data "$data" --ai all --source paperlists --venue NeurIPS,CVPR --from 2013 --to 2019 --elite \
    --out "$work/elite.html" --charts "$work/elite" 2>/dev/null
"$tc" report --data "$data" --ai all --source paperlists --out "$work/all.html" --charts "$work/all" 2>/dev/null
for chart in output_full output_fractional world_shares top_institutions company_labs; do
    cp "$work/basket/$chart.svg" "docs/top-venues/$chart.svg"
done
cp "$work/elite/world_shares.svg" docs/top-venues/elite_world_shares.svg
for chart in talent_flows talent_retention; do
    cp "$work/all/$chart.svg" "docs/top-venues/$chart.svg"
done

echo "== docs/top-venues.md" >&2
python3 scripts/top_venues.py "$work" "$csrankings" >docs/top-venues.md
echo "written: docs/top-venues.md, docs/top-venues/*.svg" >&2
