// Build the chart assets that talentchain embeds (run by
// scripts/refresh-web-assets.sh after `npm ci`, into ../assets/vendor/):
//   node build.mjs NODE_MODULES OUT_DIR
// writes OUT_DIR/echarts.min.js (Apache ECharts' minified bundle, as published)
// and OUT_DIR/world.json (Natural Earth 1:110m country shapes from world-atlas,
// public domain, converted from TopoJSON to GeoJSON with each feature named by
// its ISO 3166-1 alpha-2 code, the codes talentchain's data uses).
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';

const [modules, out] = process.argv.slice(2);
if (!modules || !out) {
  console.error('usage: node build.mjs NODE_MODULES OUT_DIR');
  process.exit(2);
}
const require = createRequire(path.join(path.resolve(modules), 'x.js'));
fs.mkdirSync(out, { recursive: true });

fs.copyFileSync(path.join(modules, 'echarts/dist/echarts.min.js'), path.join(out, 'echarts.min.js'));

const topojson = require('topojson-client');
const countries = require('i18n-iso-countries');
const topo = JSON.parse(fs.readFileSync(path.join(modules, 'world-atlas/countries-110m.json'), 'utf8'));
const geo = topojson.feature(topo, topo.objects.countries);
// Shapes without an ISO numeric code in Natural Earth (Kosovo, Northern
// Cyprus, Somaliland): Kosovo has the user-assigned XK, the others no code.
const byName = { Kosovo: 'XK' };
const round = (c) => (typeof c[0] === 'number' ? [Math.round(c[0] * 100) / 100, Math.round(c[1] * 100) / 100] : c.map(round));
// Natural Earth cuts Russia and Fiji at the antimeridian, but some rings
// still run from -180 to 180; drawn flat (ECharts does not cut on the
// sphere) they streak across the map. Such a ring's western points are put
// on the 180° line.
const unwrap = (ring) => {
  const xs = ring.map((p) => p[0]);
  return Math.max(...xs) - Math.min(...xs) > 180 ? ring.map(([x, y]) => [x < 0 ? 180 : x, y]) : ring;
};
const fix = (g) =>
  g.type === 'Polygon'
    ? { type: g.type, coordinates: g.coordinates.map(unwrap) }
    : { type: g.type, coordinates: g.coordinates.map((poly) => poly.map(unwrap)) };
const features = [];
for (const f of geo.features) {
  const code = (f.id && countries.numericToAlpha2(f.id)) || byName[f.properties.name];
  if (!code || code === 'AQ') continue; // Antarctica: no AI output, a fifth of the map
  features.push({
    type: 'Feature',
    properties: { name: code, label: f.properties.name },
    geometry: fix({ type: f.geometry.type, coordinates: round(f.geometry.coordinates) }),
  });
}
fs.writeFileSync(path.join(out, 'world.json'), JSON.stringify({ type: 'FeatureCollection', features }));
console.log(`echarts.min.js and world.json (${features.length} countries) in ${out}`);
