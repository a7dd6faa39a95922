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
// `text` broken into lines of at most `n` characters, at spaces.
function wrap(text, n) {
  const lines = [];
  let line = '';
  text.split(' ').forEach((w) => {
    if (line && line.length + 1 + w.length > n) { lines.push(line); line = w; } else { line = line ? line + ' ' + w : w; }
  });
  if (line) lines.push(line);
  return lines.join('\n');
}
fs.mkdirSync(outDir, { recursive: true });
for (const chart of TC.CHARTS) {
  const width = chart.wide ? 1200 : 800;
  const height = chart.wide ? 600 : 480;
  const c = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  const o = chart.option(config.data, ctx);
  if (!o.title) {
    // A file stands alone: give it its title and note (the page's card has
    // them), and move what sits on top down.
    const shift = 56;
    o.title = {
      text: chart.title, left: 8, top: 4, textStyle: { fontSize: 14 },
      subtext: wrap(chart.note || '', width / 6.2), subtextStyle: { fontSize: 11, color: '#5b6776' },
    };
    const lines = o.title.subtext ? o.title.subtext.split('\n').length : 0;
    const down = shift + Math.max(0, lines - 1) * 14;
    if (o.legend) o.legend = Object.assign({}, o.legend, { top: down - 4 });
    const move = (g) => Object.assign({}, g, { top: (g.top || 0) + down });
    if (o.grid) o.grid = Array.isArray(o.grid) ? o.grid.map(move) : move(o.grid);
    (o.graphic || []).forEach((g) => { if (typeof g.top === 'number') g.top += down; });
    (o.series || []).forEach((s) => { if (s.type === 'map' || s.type === 'sankey') s.top = (s.type === 'map' ? 10 : s.top || 0) + down; });
  }
  o.animation = false;
  o.backgroundColor = '#ffffff';
  c.setOption(o);
  const file = path.join(outDir, chart.id + '.svg');
  fs.writeFileSync(file, c.renderToSVGString());
  c.dispose();
  console.log(file);
}
