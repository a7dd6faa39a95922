// talentchain's charts: one entry per chart, shared by the dashboard, the
// report (in the browser) and the SVG export (`talentchain report --charts`,
// in Node). An entry names the data sources it reads (`needs`: names of
// src/charts.rs SOURCES, i.e. API answers {columns, rows, notes}) and builds
// an Apache ECharts option from them and the page's context (counting
// method, countries shown, country names).
//
// The talent-chain charts (Sankey of flows, retention and net gain, supply
// vs output) read `talentchain talent …` answers; their countries are the
// countries shown, like the other charts', the rest grouped as "other".
(function (root) {
  'use strict';

  const PALETTE = ['#1f6fb2', '#d1495b', '#edae49', '#00798c', '#66a182', '#8d6a9f', '#f28f3b', '#30638e', '#a23b72', '#6c757d'];

  function rows(data, name) {
    const d = data && data[name];
    return (d && d.rows) || [];
  }
  function round(x, digits) {
    if (x == null || Number.isNaN(x)) return null;
    const f = Math.pow(10, digits);
    return Math.round(x * f) / f;
  }
  function pct(x) {
    return round(x == null ? null : x * 100, 2);
  }
  function countingLabel(ctx) {
    return ctx.counting === 'fractional' ? 'fractional count' : 'full count';
  }

  // What every chart needs besides the data: the counting method, the
  // countries shown (the user's, else the top 8 by papers), names, years.
  function context(data, filters, names) {
    const counting = filters.counting === 'fractional' ? 'fractional' : 'full';
    const total = rows(data, 'countries_total').slice();
    total.sort((a, b) => (b['papers_' + counting] - a['papers_' + counting]) || (a.country < b.country ? -1 : 1));
    const chosen = (filters.countries || []).filter(Boolean);
    const selected = chosen.length ? chosen : total.slice(0, 8).map((r) => r.country);
    const years = Array.from(new Set(rows(data, 'countries').map((r) => r.year))).sort((a, b) => a - b);
    return {
      counting,
      selected,
      years,
      total,
      name: (code) => (names && names[code]) || code,
    };
  }

  function empty(text) {
    return { title: { text: text || 'No data for these filters', left: 'center', top: 'middle', textStyle: { color: '#5b6776', fontSize: 14, fontWeight: 'normal' } } };
  }

  // One line per country shown, over the years of the range; with
  // intervals in the rows (`ci`: COLUMN_lo, COLUMN_hi), a band around each
  // line, and the interval in the tooltip.
  function lineByCountry(data, ctx, column, scale, yName, missing) {
    const byKey = new Map(rows(data, 'countries').map((r) => [r.country + '|' + r.year, r]));
    if (!ctx.years.length) return empty();
    const at = (c, y, col, none) => {
      const r = byKey.get(c + '|' + y);
      return r && r[col] != null ? scale(r[col]) : none;
    };
    const series = ctx.selected.map((c) => ({
      name: c,
      type: 'line',
      symbolSize: 5,
      connectNulls: false,
      z: 3,
      data: ctx.years.map((y) => at(c, y, column, missing)),
    }));
    const bounds = {};
    const bands = [];
    ctx.selected.forEach((c, i) => {
      const lo = ctx.years.map((y) => at(c, y, column + '_lo', null));
      const hi = ctx.years.map((y) => at(c, y, column + '_hi', null));
      if (!lo.some((v) => v != null)) return;
      bounds[c] = { lo, hi };
      const band = { name: c, type: 'line', stack: 'interval ' + c, symbol: 'none', silent: true, z: 1, lineStyle: { opacity: 0 } };
      bands.push(Object.assign({}, band, { data: lo }));
      bands.push(Object.assign({}, band, {
        data: hi.map((h, k) => (h == null || lo[k] == null ? null : h - lo[k])),
        areaStyle: { color: PALETTE[i % PALETTE.length], opacity: 0.18 },
      }));
    });
    const show = (v) => (v == null ? '–' : String(round(v, 2)));
    const tooltip = bands.length
      ? {
        trigger: 'axis',
        formatter: (ps) => {
          const main = ps.filter((p) => p.seriesIndex < series.length);
          return (ps[0] ? ps[0].axisValue : '') + main.map((p) => {
            const b = bounds[p.seriesName];
            const ci = b && b.lo[p.dataIndex] != null ? ' [' + show(b.lo[p.dataIndex]) + '–' + show(b.hi[p.dataIndex]) + ']' : '';
            return '<br>' + p.marker + p.seriesName + ': ' + show(p.value) + ci;
          }).join('');
        },
      }
      : { trigger: 'axis', valueFormatter: (v) => (v == null ? '–' : String(v)) };
    return {
      color: PALETTE,
      tooltip,
      legend: { type: 'scroll', top: 0, data: ctx.selected, formatter: (c) => c + ' ' + ctx.name(c) },
      grid: { left: 56, right: 18, top: 52, bottom: 28 },
      xAxis: { type: 'category', data: ctx.years.map(String) },
      yAxis: { type: 'value', name: yName, nameTextStyle: { align: 'left' } },
      series: series.concat(bands),
    };
  }

  // A horizontal ranking bar, largest on top; items with `lo` and `hi`
  // (intervals, `ci`) get error bars.
  function rankBar(items, valueName, color) {
    if (!items.length) return empty();
    const shown = items.slice().reverse();
    const series = [{ type: 'bar', data: shown.map((i) => ({ value: i.value, itemStyle: i.color ? { color: i.color } : undefined })), itemStyle: { color }, label: { show: true, position: 'right', fontSize: 11 } }];
    const errors = shown.map((i, k) => (i.lo != null && i.hi != null ? [i.lo, i.hi, k] : null)).filter(Boolean);
    if (errors.length) {
      series.push({
        type: 'custom',
        name: 'interval',
        silent: true,
        z: 3,
        encode: { x: [0, 1], y: 2 },
        data: errors,
        renderItem: (params, api) => {
          const a = api.coord([api.value(0), api.value(2)]);
          const b = api.coord([api.value(1), api.value(2)]);
          const h = api.size([0, 1])[1] * 0.35;
          const style = { stroke: '#2b2f36', lineWidth: 1.2 };
          return {
            type: 'group',
            children: [
              { type: 'line', shape: { x1: a[0], y1: a[1], x2: b[0], y2: b[1] }, style },
              { type: 'line', shape: { x1: a[0], y1: a[1] - h / 2, x2: a[0], y2: a[1] + h / 2 }, style },
              { type: 'line', shape: { x1: b[0], y1: b[1] - h / 2, x2: b[0], y2: b[1] + h / 2 }, style },
            ],
          };
        },
      });
    }
    return {
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      grid: { left: 8, right: 40, top: 8, bottom: 24, containLabel: true },
      xAxis: { type: 'value', name: valueName, nameLocation: 'middle', nameGap: 22 },
      yAxis: { type: 'category', data: shown.map((i) => i.label), axisLabel: { width: 210, overflow: 'truncate' } },
      series,
    };
  }

  function institutionBar(data, ctx, source) {
    const col = 'papers_' + ctx.counting;
    const items = rows(data, source).map((r) => ({
      label: (r.name || r.institution) + (r.country ? ' (' + r.country + ')' : ''),
      value: round(r[col], 2),
      lo: round(r[col + '_lo'], 2),
      hi: round(r[col + '_hi'], 2),
    }));
    return rankBar(items, 'AI papers, ' + countingLabel(ctx), source === 'companies' ? '#d1495b' : '#1f6fb2');
  }

  // The countries shown (ctx.selected) keep their code; every other one is
  // 'other'.
  function shownOr(ctx, code) {
    return ctx.selected.includes(code) ? code : 'other';
  }

  // Origin → current Sankey: one node per country shown on each side (ECharts
  // needs distinct names, hence "US (origin)" and "US (current)"), the rest
  // as "other"; links within a country (stayers and returnees) in grey.
  function flowSankey(data, ctx) {
    const links = new Map();
    const sides = { origin: new Map(), current: new Map() };
    rows(data, 'talent_flows').forEach((r) => {
      const o = shownOr(ctx, r.origin), c = shownOr(ctx, r.current);
      const key = o + '|' + c;
      const l = links.get(key) || { o, c, value: 0, stay: 0 };
      l.value += r.authors;
      if (r.origin === r.current) l.stay += r.authors;
      links.set(key, l);
      sides.origin.set(o, (sides.origin.get(o) || 0) + r.authors);
      sides.current.set(c, (sides.current.get(c) || 0) + r.authors);
    });
    if (!links.size) return empty();
    const color = (code) => (code === 'other' ? '#7d8794' : PALETTE[ctx.selected.indexOf(code) % PALETTE.length]);
    const label = (code) => (code === 'other' ? 'other countries' : code + ' ' + ctx.name(code));
    // Both sides in the order of the countries shown, "other" last, so
    // that staying is a level band and moving crosses.
    const order = (m) => ctx.selected.concat(['other']).filter((c) => m.has(c));
    const nodes = [];
    ['origin', 'current'].forEach((side) => order(sides[side]).forEach((code) => nodes.push({
      name: code + ' (' + side + ')', itemStyle: { color: color(code) }, value: sides[side].get(code), code, side,
    })));
    const data_ = Array.from(links.values()).map((l) => ({
      source: l.o + ' (origin)', target: l.c + ' (current)', value: l.value,
      stay: l.stay,
      lineStyle: l.o === l.c ? { color: '#d3d9e0', opacity: 0.6 } : { color: color(l.o), opacity: 0.5 },
    }));
    return {
      tooltip: {
        trigger: 'item',
        formatter: (p) => {
          if (p.dataType === 'edge') {
            const d = p.data;
            const stay = d.stay ? ' (' + d.stay + ' stayed or returned)' : '';
            return esc(d.source) + ' → ' + esc(d.target) + ': ' + d.value + ' researchers' + stay;
          }
          return esc(label(p.data.code)) + ', ' + p.data.side + ': ' + p.data.value + ' researchers';
        },
      },
      series: [{
        type: 'sankey', left: 8, right: 120, top: 8, bottom: 8, nodeWidth: 14, nodeGap: 8,
        layoutIterations: 0, draggable: false, emphasis: { focus: 'adjacency' },
        label: { fontSize: 11, formatter: (p) => p.name },
        data: nodes, links: data_,
      }],
    };
  }

  function esc(s) {
    return String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]));
  }

  // Retention (%) and net gain (researchers) of the countries shown, side by
  // side in two grids that share the country axis.
  function retentionBars(data, ctx) {
    const byCountry = new Map(rows(data, 'talent_countries').map((r) => [r.country, r]));
    const shown = ctx.selected.filter((c) => byCountry.has(c));
    if (!shown.length) return empty('No researchers with two observed years in these countries');
    const cats = shown.slice().reverse();
    const axis = (grid) => ({ type: 'category', gridIndex: grid, data: cats, axisTick: { show: false }, axisLabel: { show: grid === 0 } });
    return {
      tooltip: {
        trigger: 'axis', axisPointer: { type: 'shadow' },
        formatter: (ps) => {
          const r = byCountry.get(ps[0].axisValue);
          return esc(r.country + ' ' + ctx.name(r.country)) + '<br>retention ' + (r.retention == null ? '–' : pct(r.retention) + '%') +
            ' (' + (r.stayers + r.returnees) + ' of ' + r.authors + ' researchers of this origin: ' + r.stayers + ' stayers, ' + r.returnees + ' returnees)' +
            '<br>net gain ' + r.net_gain + ' (' + r.immigrants + ' immigrants − ' + r.emigrants + ' emigrants)';
        },
      },
      grid: [
        { left: 8, width: '44%', top: 32, bottom: 36, containLabel: true },
        { right: 16, width: '44%', top: 32, bottom: 36, containLabel: true },
      ],
      // Panel headings as graphic text: a `title` would read as "no data".
      graphic: [
        { type: 'text', left: '8%', top: 8, style: { text: 'Retention, %', fill: '#1d2733', fontSize: 12, fontWeight: 'bold' } },
        { type: 'text', left: '56%', top: 8, style: { text: 'Net gain, researchers', fill: '#1d2733', fontSize: 12, fontWeight: 'bold' } },
      ],
      xAxis: [
        { type: 'value', gridIndex: 0, min: 0, max: 100, name: '% of researchers of that origin', nameLocation: 'middle', nameGap: 22 },
        { type: 'value', gridIndex: 1, name: 'immigrants − emigrants', nameLocation: 'middle', nameGap: 22 },
      ],
      yAxis: [axis(0), axis(1)],
      series: [
        {
          name: 'retention', type: 'bar', xAxisIndex: 0, yAxisIndex: 0, itemStyle: { color: '#1f6fb2' },
          label: { show: true, position: 'right', fontSize: 11, formatter: (p) => (p.value == null ? '' : p.value + '%') },
          data: cats.map((c) => round(pct(byCountry.get(c).retention), 1)),
        },
        {
          name: 'net gain', type: 'bar', xAxisIndex: 1, yAxisIndex: 1,
          label: { show: true, position: 'right', fontSize: 11 },
          data: cats.map((c) => {
            const v = byCountry.get(c).net_gain;
            return { value: v, itemStyle: { color: v < 0 ? '#d1495b' : '#00798c' }, label: { position: v < 0 ? 'left' : 'right' } };
          }),
        },
      ],
    };
  }

  // Supply share (researchers by origin) against output share (fractional,
  // by affiliation), one point per country, on log axes with y = x.
  // One row per country shown, one dot per definition and headline, the
  // three headlines a little apart within the row.
  function sensitivityStrips(data, ctx) {
    const all = rows(data, 'sensitivity');
    const shown = ctx.selected.filter((c) => all.some((r) => r.country === c));
    if (!shown.length) return empty();
    const headlines = [
      ['papers_share', 'AI papers', '#1f6fb2', -0.22],
      ['highly_cited_share', 'highly cited papers', '#d1495b', 0],
      ['researchers_share', 'researchers by origin', '#00798c', 0.22],
    ];
    const label = (r) => r.profile + ' · ' + r.counting + ' · top ' + r.top_percent + '%';
    // The orderings the answer's notes count, for the leading countries.
    const notes = ((data.sensitivity && data.sensitivity.notes) || []).filter((n) => / above .* definitions$/.test(n));
    return {
      graphic: notes.length ? [{ type: 'text', left: 16, bottom: 4, style: { text: notes.slice(0, 3).join('\n'), fill: '#5b6776', fontSize: 11, lineHeight: 16 } }] : [],
      tooltip: {
        trigger: 'item',
        formatter: (p) => (p.data && p.data.row ? esc(p.data.row.country + ' ' + ctx.name(p.data.row.country)) + '<br>' + esc(p.seriesName) + ': ' + p.data.value[0] + '%<br>' + esc(label(p.data.row)) : ''),
      },
      legend: { top: 0 },
      grid: { left: 16, right: 24, top: 36, bottom: notes.length ? 40 + 16 * Math.min(notes.length, 3) + 8 : 40, containLabel: true },
      xAxis: { type: 'value', name: '% share', nameLocation: 'middle', nameGap: 24, axisLine: { onZero: false }, axisLabel: { formatter: (v) => v + '%' } },
      yAxis: {
        type: 'value', inverse: true, min: -1, max: shown.length, interval: 1,
        axisLabel: { formatter: (v) => (Number.isInteger(v) && shown[v] ? shown[v] + ' ' + ctx.name(shown[v]) : '') },
        splitLine: { show: false },
      },
      series: headlines.map(([col, name, color, offset]) => ({
        type: 'scatter', name, symbolSize: 7,
        itemStyle: { color, opacity: 0.55 },
        data: all
          .filter((r) => shown.includes(r.country) && r[col] != null)
          .map((r) => ({ value: [pct(r[col]), shown.indexOf(r.country) + offset], row: r })),
      })),
    };
  }

  function mismatchScatter(data, ctx) {
    const all = rows(data, 'talent_mismatch');
    const pts = all.filter((r) => r.supply_share > 0 && r.output_share > 0);
    if (!pts.length) return empty();
    const left = all.filter((r) => !(r.supply_share > 0 && r.output_share > 0)).map((r) => r.country);
    const vals = pts.flatMap((r) => [r.supply_share * 100, r.output_share * 100]);
    const lo = Math.pow(10, Math.floor(Math.log10(Math.min.apply(null, vals))));
    const hi = Math.pow(10, Math.ceil(Math.log10(Math.max.apply(null, vals))));
    const point = (r) => {
      const shown = ctx.selected.includes(r.country);
      return {
        name: r.country, value: [r.supply_share * 100, r.output_share * 100], row: r,
        symbolSize: shown ? 11 : 7,
        itemStyle: { color: shown ? '#1f6fb2' : '#9fb3c8', opacity: shown ? 0.95 : 0.75 },
        label: { show: shown },
      };
    };
    const fmtPct = (x) => (x == null ? '–' : round(x * 100, 2) + '%');
    const fmtRatio = (x) => (x == null ? '–' : round(x, 2));
    return {
      tooltip: {
        trigger: 'item',
        formatter: (p) => {
          if (!p.data || !p.data.row) return '';
          const r = p.data.row;
          return esc(r.country + ' ' + ctx.name(r.country)) + '<br>supply (researchers by origin) ' + fmtPct(r.supply_share) + ' (' + r.researchers + ')' +
            '<br>AI output (fractional, by affiliation) ' + fmtPct(r.output_share) + '<br>highly cited output ' + fmtPct(r.hc_share) +
            '<br>output / supply ' + fmtRatio(r.output_ratio) + ', highly cited / supply ' + fmtRatio(r.hc_ratio);
        },
      },
      grid: { left: 16, right: 24, top: 16, bottom: 40, containLabel: true },
      xAxis: { type: 'log', min: lo, max: hi, name: 'share of researchers by origin, % (log)', nameLocation: 'middle', nameGap: 24, axisLabel: { formatter: (v) => v + '%' } },
      yAxis: { type: 'log', min: lo, max: hi, name: 'share of AI output, % (log)', nameLocation: 'middle', nameGap: 40, axisLabel: { formatter: (v) => v + '%' } },
      graphic: left.length ? [{ type: 'text', right: 28, bottom: 52, style: { text: 'zero share, not drawn: ' + left.slice(0, 8).join(', ') + (left.length > 8 ? '…' : ''), fill: '#5b6776', fontSize: 11 } }] : [],
      series: [
        {
          type: 'line', data: [[lo, lo], [hi, hi]], symbol: 'none', silent: true, z: 1,
          lineStyle: { type: 'dashed', color: '#8a96a3', width: 1 },
          endLabel: { show: true, formatter: 'output = supply', color: '#5b6776', fontSize: 11, offset: [-100, -12] },
        },
        // The countries shown last, so that they and their labels are on top.
        ...[false, true].map((shown) => ({
          type: 'scatter', z: shown ? 3 : 2,
          data: pts.filter((r) => ctx.selected.includes(r.country) === shown).map(point),
          label: { position: 'right', fontSize: 11, formatter: (p) => p.name, textBorderColor: '#fff', textBorderWidth: 2 },
          labelLayout: { moveOverlap: 'shiftY' },
        })),
      ],
    };
  }

  // Each shown country's share of researchers: observed (solid) up to the
  // base year, then the baseline and each scenario (one dash each), every
  // projected line starting from the base year's observed share.
  function projectionLines(data, ctx) {
    const rs = rows(data, 'projection');
    const observed = rs.filter((r) => r.scenario === 'observed');
    if (!observed.length) return empty('Too few years to project for these filters');
    const years = Array.from(new Set(rs.map((r) => r.year))).sort((a, b) => a - b);
    const scenarios = Array.from(new Set(rs.map((r) => r.scenario)));
    const base = Math.max.apply(null, observed.map((r) => r.year));
    const byKey = new Map(rs.map((r) => [r.scenario + '|' + r.country + '|' + r.year, r]));
    const shown = ctx.selected.filter((c) => observed.some((r) => r.country === c)).slice(0, 4);
    if (!shown.length) return empty('None of the countries shown has researchers here');
    const dashes = ['solid', 'dashed', 'dotted', [8, 3, 2, 3], [2, 4], [10, 4]];
    const series = [];
    shown.forEach((c, i) => scenarios.forEach((s, j) => {
      const at = (y) => byKey.get(s + '|' + c + '|' + y) || (y === base ? byKey.get('observed|' + c + '|' + y) : null);
      series.push({
        name: s,
        type: 'line',
        symbol: 'none',
        itemStyle: { color: PALETTE[i % PALETTE.length] },
        lineStyle: { type: dashes[j % dashes.length], width: s === 'observed' ? 2.5 : 1.5 },
        data: years.map((y) => {
          const r = at(y);
          return r && r.share != null ? round(r.share * 100, 2) : null;
        }),
        country: c,
      });
    }));
    return {
      color: PALETTE,
      tooltip: {
        trigger: 'axis',
        formatter: (ps) => (ps[0] ? ps[0].axisValue : '') + ps.filter((p) => p.value != null)
          .map((p) => '<br>' + p.marker + series[p.seriesIndex].country + ' · ' + p.seriesName + ': ' + p.value + '%').join(''),
      },
      legend: { type: 'scroll', top: 0, data: scenarios, itemStyle: { color: '#5b6776' } },
      grid: { left: 56, right: 90, top: 52, bottom: 28 },
      xAxis: { type: 'category', data: years.map(String) },
      yAxis: { type: 'value', name: '% of researchers', nameTextStyle: { align: 'left' } },
      series: series.map((s, k) => Object.assign(s, {
        endLabel: { show: scenarios.indexOf(s.name) === 0, formatter: () => s.country },
        z: k,
      })),
    };
  }

  const CHARTS = [
    {
      id: 'output_full',
      title: 'AI papers by country — full counting',
      note: 'Works with at least one author in the country, per publication year.',
      needs: ['countries', 'countries_total'],
      option: (data, ctx) => lineByCountry(data, ctx, 'papers_full', (x) => x, 'papers', 0),
    },
    {
      id: 'output_fractional',
      title: 'AI papers by country — fractional counting',
      note: 'Each work split equally among its authorships with a country, then among their countries.',
      needs: ['countries', 'countries_total'],
      option: (data, ctx) => lineByCountry(data, ctx, 'papers_fractional', (x) => round(x, 2), 'papers', 0),
    },
    {
      id: 'world_map',
      title: 'World share of AI papers',
      note: 'Each country’s share of the selected works over the year range; counting as chosen above.',
      wide: true,
      needs: ['countries_total'],
      option: (data, ctx) => {
        const col = 'share_' + ctx.counting;
        const items = rows(data, 'countries_total').map((r) => ({ name: r.country, value: pct(r[col]) }));
        if (!items.length) return empty();
        const max = Math.max.apply(null, items.map((i) => i.value || 0));
        return {
          tooltip: {
            trigger: 'item',
            formatter: (p) => ctx.name(p.name) + ' (' + p.name + '): ' + (p.value == null || Number.isNaN(p.value) ? 'no AI papers' : p.value + '% of AI papers'),
          },
          visualMap: { type: 'continuous', min: 0, max: max || 1, left: 16, bottom: 16, text: [max.toFixed(1) + '%', '0%'], calculable: true, inRange: { color: ['#e3eef8', '#6aa6d6', '#1f6fb2', '#0b3c68'] } },
          series: [{
            type: 'map', map: 'world', roam: false, nameProperty: 'name', top: 10, bottom: 10,
            itemStyle: { areaColor: '#eef0f3', borderColor: '#b9c1ca', borderWidth: 0.5 },
            emphasis: { label: { show: false }, itemStyle: { areaColor: '#edae49' } },
            select: { disabled: true },
            data: items,
          }],
        };
      },
    },
    {
      id: 'world_shares',
      title: 'Share of world AI papers, top 15 countries',
      note: 'Over the year range; full-count shares can add up past 100%, fractional ones cannot. With intervals on, the bars carry their bootstrap intervals.',
      needs: ['countries_total'],
      option: (data, ctx) => {
        const col = 'share_' + ctx.counting;
        const sorted = rows(data, 'countries_total').slice().sort((a, b) => (b[col] - a[col]) || (a.country < b.country ? -1 : 1));
        const items = sorted.slice(0, 15).map((r) => ({
          label: r.country + ' ' + ctx.name(r.country),
          value: pct(r[col]),
          lo: pct(r[col + '_lo']),
          hi: pct(r[col + '_hi']),
          color: ctx.selected.includes(r.country) ? '#1f6fb2' : '#9fbfdc',
        }));
        return rankBar(items, '% of world AI papers, ' + countingLabel(ctx));
      },
    },
    {
      id: 'highly_cited',
      title: 'Share of the world’s highly cited AI papers',
      note: 'Highly cited: the top share of each year’s selected works by citations (threshold in the definitions).',
      needs: ['countries', 'countries_total'],
      option: (data, ctx) => lineByCountry(data, ctx, 'highly_cited_share', pct, '% of highly cited', null),
    },
    {
      id: 'top_institutions',
      title: 'Top institutions',
      note: 'Institutes counted under their parent (lineage root).',
      needs: ['institutions'],
      option: (data, ctx) => institutionBar(data, ctx, 'institutions'),
    },
    {
      id: 'top_companies',
      title: 'Top companies',
      note: 'Industry only, labs counted under the company.',
      needs: ['companies'],
      option: (data, ctx) => institutionBar(data, ctx, 'companies'),
    },
    {
      id: 'company_labs',
      title: 'Where each company’s AI output comes from',
      note: 'Works per country of the company’s institutions as given in the work: its lab network.',
      needs: ['companies'],
      option: (data, ctx) => {
        const companies = rows(data, 'companies');
        if (!companies.length) return empty();
        const parsed = companies.map((r) => {
          const m = {};
          String(r.lab_countries || '').split(';').filter(Boolean).forEach((kv) => {
            const [k, v] = kv.split(':');
            m[k] = Number(v);
          });
          return { label: r.name || r.institution, labs: m };
        });
        const totals = {};
        parsed.forEach((p) => Object.entries(p.labs).forEach(([k, v]) => { totals[k] = (totals[k] || 0) + v; }));
        const top = Object.keys(totals).sort((a, b) => (totals[b] - totals[a]) || (a < b ? -1 : 1)).slice(0, 8);
        const rest = Object.keys(totals).filter((k) => !top.includes(k));
        const shown = parsed.slice().reverse();
        const series = top.map((c) => ({ name: c, type: 'bar', stack: 'labs', data: shown.map((p) => p.labs[c] || 0) }));
        if (rest.length) {
          series.push({ name: 'other', type: 'bar', stack: 'labs', itemStyle: { color: '#c5ccd4' }, data: shown.map((p) => rest.reduce((s, k) => s + (p.labs[k] || 0), 0)) });
        }
        return {
          color: PALETTE,
          tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
          legend: { type: 'scroll', top: 0 },
          grid: { left: 8, right: 20, top: 32, bottom: 24, containLabel: true },
          xAxis: { type: 'value', name: 'works', nameLocation: 'middle', nameGap: 22 },
          yAxis: { type: 'category', data: shown.map((p) => p.label), axisLabel: { width: 180, overflow: 'truncate' } },
          series,
        };
      },
    },
    {
      id: 'collab_heatmap',
      title: 'International co-authorship between the countries shown',
      note: 'Selected works with authors in both countries, over the year range.',
      needs: ['collab', 'countries_total'],
      option: (data, ctx) => {
        const cs = ctx.selected;
        if (cs.length < 2) return empty('Choose at least two countries');
        const index = new Map(cs.map((c, i) => [c, i]));
        const cells = [];
        let max = 0;
        rows(data, 'collab').forEach((r) => {
          const a = index.get(r.country_a), b = index.get(r.country_b);
          if (a == null || b == null) return;
          cells.push([a, b, r.works], [b, a, r.works]);
          max = Math.max(max, r.works);
        });
        return {
          tooltip: { position: 'top', formatter: (p) => cs[p.value[0]] + ' – ' + cs[p.value[1]] + ': ' + p.value[2] + ' works' },
          grid: { left: 8, right: 16, top: 8, bottom: 64, containLabel: true },
          xAxis: { type: 'category', data: cs, splitArea: { show: true } },
          yAxis: { type: 'category', data: cs, splitArea: { show: true } },
          visualMap: { min: 0, max: max || 1, calculable: true, orient: 'horizontal', left: 'center', bottom: 0, inRange: { color: ['#f3f7fb', '#6aa6d6', '#0b3c68'] } },
          series: [{ type: 'heatmap', data: cells, label: { show: cs.length <= 10, fontSize: 10 } }],
        };
      },
    },
    {
      id: 'talent_flows',
      title: 'Where researchers go: origin → current country',
      note: 'Researchers with ≥ 2 observed years, from the main country of their first observed year (origin, left) to that of their last (current, right). Stayers and returnees are included, as grey links within a country; countries not shown are grouped as “other”. Origin is where a career was first observed, not nationality.',
      wide: true,
      needs: ['talent_flows', 'countries_total'],
      option: (data, ctx) => flowSankey(data, ctx),
    },
    {
      id: 'talent_retention',
      title: 'Retention and net gain of researchers',
      note: 'Retention: stayers and returnees over the researchers of that origin with ≥ 2 observed years. Net gain: researchers now in the country from elsewhere minus those from it now elsewhere.',
      needs: ['talent_countries', 'countries_total'],
      option: (data, ctx) => retentionBars(data, ctx),
    },
    {
      id: 'talent_mismatch',
      title: 'Talent supply versus AI output',
      note: 'One point per country: its share of researchers by origin against its share of AI papers (fractional count, by affiliation). Above the dashed line a country produces more than the talent it supplies. Countries shown are labelled.',
      needs: ['talent_mismatch', 'countries_total'],
      option: (data, ctx) => mismatchScatter(data, ctx),
    },
    {
      id: 'sensitivity',
      title: 'How much the shares depend on the definitions',
      note: 'One dot per definition (AI profile × full or fractional counting × highly cited top 1, 5 or 10%) for each country shown: its share of AI papers, of highly cited papers and of researchers by origin over the year range. Dots spread wide: the figure depends on the definition. Below: how many definitions put the leading country above the next, on each share.',
      wide: true,
      needs: ['sensitivity', 'countries_total'],
      option: (data, ctx) => sensitivityStrips(data, ctx),
    },
    {
      id: 'projection',
      title: 'What if: researchers projected under scenarios',
      note: 'Each country’s share of researchers (by country of work): observed up to the base year (solid; the data’s last three years are censored), then projected by a cohort model fitted on the careers, under the baseline and the scenarios shipped in scenarios/ (one dash each). A projection from measured rates and a proxy of origin, not a prediction: see docs/projection.md and its backtest.',
      wide: true,
      needs: ['projection', 'countries_total'],
      option: (data, ctx) => projectionLines(data, ctx),
    },
  ];

  root.TalentCharts = { CHARTS, context, rows, pct, round, PALETTE };
})(typeof globalThis !== 'undefined' ? globalThis : this);
