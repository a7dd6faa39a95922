// Render the report's charts to SVG files, in Node, with the same chart
// entries as the pages (charts.js) and ECharts' server-side SVG renderer:
//   node ssr.js ASSET_DIR CONFIG_JSON OUT_DIR
// ASSET_DIR holds echarts.min.js, charts.js and world.json (written there by
// `talentchain report --charts`); CONFIG_JSON is the report's configuration
// (filters and data). Prints the files written.
'use strict';
const fs = require('fs');
const path = require('path');

const [assetDir, configFile, outDir] = process.argv.slice(2);
const echarts = require(path.resolve(assetDir, 'echarts.min.js'));
globalThis.echarts = echarts;
require(path.resolve(assetDir, 'charts.js'));
const TC = globalThis.TalentCharts;
const world = JSON.parse(fs.readFileSync(path.join(assetDir, 'world.json'), 'utf8'));
const config = JSON.parse(fs.readFileSync(configFile, 'utf8'));
echarts.registerMap('world', world);
const names = {};
world.features.forEach((f) => { names[f.properties.name] = f.properties.label; });
const filters = Object.assign({}, config.filters);
const ctx = TC.context(config.data, filters, names);
fs.mkdirSync(outDir, { recursive: true });
for (const chart of TC.CHARTS) {
  const width = chart.wide ? 1200 : 800;
  const height = chart.wide ? 560 : 440;
  const c = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  const o = chart.option(config.data, ctx);
  if (!o.title) {
    // A file stands alone: give it its title, and move what sits on top down.
    o.title = { text: chart.title, left: 8, top: 4, textStyle: { fontSize: 14 } };
    if (o.legend) o.legend = Object.assign({}, o.legend, { top: 30 });
    if (o.grid) o.grid = Object.assign({}, o.grid, { top: (o.grid.top || 0) + 30 });
    (o.series || []).forEach((s) => { if (s.type === 'map') s.top = 40; });
  }
  o.animation = false;
  o.backgroundColor = '#ffffff';
  c.setOption(o);
  const file = path.join(outDir, chart.id + '.svg');
  fs.writeFileSync(file, c.renderToSVGString());
  c.dispose();
  console.log(file);
}
