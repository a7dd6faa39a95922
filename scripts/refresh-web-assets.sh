#!/usr/bin/env bash
# Refresh the chart assets vendored in crates/talentchain-web/assets/vendor/
# from the npm registry:
#
#   scripts/refresh-web-assets.sh
#
# Installs the packages pinned by crates/talentchain-web/web/package-lock.json
# (`npm ci --ignore-scripts`) in a temporary directory, runs web/build.mjs
# there, and rewrites echarts.min.js and world.json, their SHA256SUMS, the
# VERSIONS list and the license texts that ship with them. Needs Node.js 18+,
# npm and the npm registry; building talentchain itself needs none of them.
#
# With the lockfile unchanged the files come out byte for byte the same
# (`git status` shows nothing). To move to newer packages: change the
# versions in web/package.json, run `npm install --package-lock-only
# --ignore-scripts` in web/, run this script, check the dashboard and the
# report, and commit web/ and assets/vendor/ together
# (`cargo test -p talentchain-web` checks the embedded files against
# SHA256SUMS).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
web=$root/crates/talentchain-web/web
vendor=$root/crates/talentchain-web/assets/vendor

for tool in node npm; do
    command -v "$tool" >/dev/null || { echo "$tool is not on PATH: this script needs Node.js 18+ and npm" >&2; exit 1; }
done
if command -v sha256sum >/dev/null; then
    sha256() { sha256sum "$@"; }
else
    sha256() { shasum -a 256 "$@"; } # macOS
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp "$web/package.json" "$web/package-lock.json" "$tmp/"
(cd "$tmp" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
node "$web/build.mjs" "$tmp/node_modules" "$tmp/out"

modules=$tmp/node_modules
mkdir -p "$vendor"
cp "$tmp/out/echarts.min.js" "$tmp/out/world.json" "$vendor/"
# echarts.min.js is ECharts with zrender and tslib's helpers bundled in;
# ECharts' LICENSE points at licenses/LICENSE-d3 for code taken from d3.
# world.json is drawn from world-atlas (Natural Earth's public-domain
# shapes). topojson-client and i18n-iso-countries only run in build.mjs.
cp "$modules/echarts/LICENSE" "$vendor/LICENSE-echarts"
cp "$modules/echarts/NOTICE" "$vendor/NOTICE-echarts"
cp "$modules/echarts/licenses/LICENSE-d3" "$vendor/LICENSE-echarts-d3"
cp "$modules/zrender/LICENSE" "$vendor/LICENSE-zrender"
cp "$modules/tslib/LICENSE.txt" "$vendor/LICENSE-tslib"
cp "$modules/world-atlas/LICENSE" "$vendor/LICENSE-world-atlas"
{
    echo "# npm packages behind the files here: name, version, license (written by scripts/refresh-web-assets.sh)"
    for p in echarts zrender tslib world-atlas topojson-client i18n-iso-countries; do
        node -e 'const p = require(process.argv[1]); console.log(`${p.name} ${p.version} ${p.license}`)' \
            "$modules/$p/package.json"
    done
} >"$vendor/VERSIONS"
(cd "$vendor" && sha256 echarts.min.js world.json >SHA256SUMS)

echo "wrote $vendor:"
cat "$vendor/SHA256SUMS"
