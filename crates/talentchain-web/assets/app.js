// The page of the dashboard (`talentchain serve`, data from the API) and of
// the report (`talentchain report`, data embedded): filters, headline
// numbers, the charts of charts.js, and the definitions panel.
//
// The filters live in the URL (`?from=2015&to=2022&ai=concepts&counting=
// fractional&countries=US,CN`), so a view can be shared as a link. Profile,
// years and highly-cited threshold change the API queries; the counting
// method and the countries shown are applied in the page. In the report the
// former are fixed when it is written.
(function () {
  'use strict';
  const TC = window.TalentCharts;
  const config = JSON.parse(document.getElementById('tc-config').textContent);
  const report = config.mode === 'report';
  const form = document.getElementById('filters');
  const body = document.body;
  const FILTERS = ['from', 'to', 'ai', 'source', 'venue', 'elite', 'top', 'ci', 'counting', 'countries'];
  const QUERY = ['ai', 'source', 'venue', 'elite', 'from', 'to', 'top', 'ci'];
  const instances = {};
  let names = {};
  let data = null;
  let dataKey = null;
  let filters = readFilters();

  function readFilters() {
    const f = Object.assign({ from: '', to: '', ai: 'concepts', source: '', venue: '', elite: '', top: '10', ci: '', counting: 'full', countries: [] }, config.filters || {});
    const url = new URLSearchParams(location.search);
    FILTERS.forEach((k) => {
      if (!url.has(k) || (report && QUERY.includes(k))) return;
      f[k] = url.get(k);
    });
    if (typeof f.countries === 'string') f.countries = parseCountries(f.countries);
    f.from = f.from == null ? '' : String(f.from);
    f.to = f.to == null ? '' : String(f.to);
    f.top = String(f.top);
    f.ci = f.ci == null ? '' : String(f.ci);
    f.source = f.source == null ? '' : String(f.source);
    f.venue = f.venue == null ? '' : String(f.venue);
    f.elite = f.elite === true || f.elite === 'true' ? 'true' : '';
    return f;
  }

  function parseCountries(text) {
    return String(text || '').split(/[\s,;]+/).map((s) => s.trim().toUpperCase()).filter((s) => /^[A-Z]{2}$/.test(s));
  }

  function option(select, value, label) {
    const o = document.createElement('option');
    o.value = value;
    o.textContent = label;
    select.appendChild(o);
  }

  function buildForm() {
    const [y0, y1] = config.years || [null, null];
    ['from', 'to'].forEach((k) => {
      const s = form.elements[k];
      option(s, '', k === 'from' ? 'first year' : 'last year');
      if (y0 != null) for (let y = y0; y <= y1; y++) option(s, String(y), String(y));
      if (filters[k] && !Array.from(s.options).some((o) => o.value === filters[k])) option(s, filters[k], filters[k]);
    });
    config.profiles.forEach((p) => option(form.elements.ai, p, p));
    const tops = ['10', '5', '1'];
    if (!tops.includes(filters.top)) tops.push(filters.top);
    tops.forEach((t) => option(form.elements.top, t, 'top ' + t + '%'));
    // Bootstrap intervals (`--ci`): off by default, they cost about ten
    // times a point estimate.
    const levels = ['', '90', '95'];
    if (!levels.includes(filters.ci)) levels.push(filters.ci);
    levels.forEach((l) => option(form.elements.ci, l, l ? l + '%' : 'none'));
    writeForm();
    if (report) QUERY.forEach((k) => { form.elements[k].disabled = true; form.elements[k].title = 'fixed when the report was written'; });
    form.addEventListener('change', () => {
      filters = {
        from: form.elements.from.value,
        to: form.elements.to.value,
        ai: form.elements.ai.value,
        source: form.elements.source.value,
        venue: form.elements.venue.value.trim(),
        elite: form.elements.elite.checked ? 'true' : '',
        top: form.elements.top.value,
        ci: form.elements.ci.value,
        counting: form.elements.counting.value || 'full',
        countries: parseCountries(form.elements.countries.value),
      };
      refresh();
    });
  }

  function writeForm() {
    form.elements.from.value = filters.from;
    form.elements.to.value = filters.to;
    form.elements.ai.value = filters.ai;
    form.elements.source.value = filters.source;
    form.elements.venue.value = filters.venue;
    form.elements.elite.checked = filters.elite === 'true';
    form.elements.top.value = filters.top;
    form.elements.ci.value = filters.ci;
    form.elements.counting.value = filters.counting;
    form.elements.countries.value = filters.countries.join(',');
  }

  function viewQuery() {
    const q = new URLSearchParams();
    FILTERS.forEach((k) => {
      const v = k === 'countries' ? filters.countries.join(',') : filters[k];
      if (v !== '' && v != null) q.set(k, v);
    });
    return q.toString();
  }

  function sourceUrl(name, format) {
    const s = config.sources[name];
    const q = new URLSearchParams(s.params);
    s.filters.forEach((k) => { if (filters[k] !== '' && filters[k] != null) q.set(k, filters[k]); });
    if (format) q.set('format', format);
    const qs = q.toString();
    return s.path + (qs ? '?' + qs : '');
  }

  // Sources fetched after the charts are drawn: the claims run a metric
  // per check, the slowest answer on a big dataset.
  const LATE = ['claims'];

  async function fetchOne(name) {
    const r = await fetch(sourceUrl(name));
    const j = await r.json();
    if (!r.ok) throw new Error(name + ': ' + (j.message || r.statusText));
    return j;
  }

  function fetchLate(key) {
    LATE.forEach(async (name) => {
      try {
        const j = await fetchOne(name);
        if (key === dataKey) { data[name] = j; renderClaims(); }
      } catch (e) {
        if (key === dataKey) document.getElementById('claims').textContent = String(e.message || e);
      }
    });
  }

  async function fetchAll() {
    const out = {};
    await Promise.all(Object.keys(config.sources).filter((name) => !LATE.includes(name)).map(async (name) => {
      out[name] = await fetchOne(name);
    }));
    return out;
  }

  function fmt(n, digits) {
    if (n == null || Number.isNaN(n)) return '–';
    return Number(n).toLocaleString('en-US', { maximumFractionDigits: digits || 0 });
  }

  function kpi(id, value, label) {
    return '<div class="kpi" id="kpi-' + id + '"><div class="value">' + esc(value) + '</div><div class="label">' + esc(label) + '</div></div>';
  }

  function esc(s) {
    return String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]));
  }

  function renderKpis(ctx) {
    const sel = data.selection || {};
    const col = 'share_' + ctx.counting;
    const lead = TC.rows(data, 'countries_total').slice().sort((a, b) => b[col] - a[col])[0];
    const company = TC.rows(data, 'companies')[0];
    const hcWorks = TC.rows(data, 'countries_total').reduce((s, r) => s + (r.highly_cited || 0), 0);
    document.getElementById('kpis').innerHTML = [
      kpi('selected', fmt(sel.selected), 'AI works selected (' + (sel.profile || '') + ', ' + (sel.range || '') + ')'),
      kpi('countries', fmt(TC.rows(data, 'countries_total').length), 'countries with AI papers'),
      kpi('leader', lead ? lead.country + ' ' + fmt(TC.pct(lead[col]), 1) + '%' : '–', 'largest share of world AI papers (' + ctx.counting + ' count)'),
      kpi('company', company ? company.name || company.institution : '–', 'top company by AI papers' + (company ? ' (' + fmt(company.papers_full) + ')' : '')),
      kpi('highly-cited', fmt(hcWorks), 'highly cited papers (top ' + filters.top + '%, counted per country)'),
    ].join('');
  }

  function card(chart) {
    let el = document.getElementById('card-' + chart.id);
    if (el) return el;
    el = document.createElement('section');
    el.className = 'card' + (chart.wide ? ' wide' : '');
    el.id = 'card-' + chart.id;
    const links = report ? '' : '<span class="links"><a class="json" target="_blank">data</a><a class="csv" target="_blank">csv</a></span>';
    el.innerHTML = links + '<h2>' + esc(chart.title) + '</h2><p class="note">' + esc(chart.note || '') + '</p><div class="chart" id="chart-' + chart.id + '"></div>';
    document.getElementById('charts').appendChild(el);
    return el;
  }

  function renderCharts(ctx) {
    TC.CHARTS.forEach((chart) => {
      const el = card(chart);
      const div = el.querySelector('.chart');
      if (!instances[chart.id]) instances[chart.id] = echarts.init(div, null, { renderer: 'canvas' });
      let opt;
      try {
        opt = chart.option(data, ctx);
      } catch (e) {
        opt = { title: { text: 'Chart error: ' + e.message, left: 'center', top: 'middle' } };
      }
      instances[chart.id].setOption(opt, true);
      if (!report) {
        const main = chart.needs.find((n) => n !== 'countries_total') || chart.needs[0];
        el.querySelector('a.json').href = sourceUrl(main);
        el.querySelector('a.csv').href = sourceUrl(main, 'csv');
      }
    });
  }

  // A definition in words, as its SQL file's header states it (served by
  // /api/definitions: the one place each is written).
  function definition(name) {
    const text = (data.definitions || {})[name];
    return text ? '<span class="definition">' + esc(text.replace(/\s+/g, ' ')) + '</span>' : '';
  }

  function renderDefinitions(ctx) {
    const sel = data.selection || {};
    const m = data.manifest || {};
    const rec = m.records || {};
    const bad = (m.bad && m.bad.counts) || {};
    const badTotal = Object.values(bad).reduce((s, n) => s + n, 0);
    const inputs = m.inputs || [];
    const bytes = inputs.reduce((s, i) => s + (i.bytes || 0), 0);
    const inputRows = inputs.slice(0, 8).map((i) => '<tr><td>' + esc(i.path) + '</td><td>' + fmt(i.bytes) + ' bytes</td><td>' + fmt(i.works) + ' works, ' + fmt(i.authors) + ' authors, ' + fmt(i.institutions) + ' institutions</td></tr>').join('');
    const more = inputs.length > 8 ? '<tr><td colspan="3">… and ' + (inputs.length - 8) + ' more</td></tr>' : '';
    const badText = badTotal ? fmt(badTotal) + ' (' + Object.entries(bad).map(([k, v]) => k + ': ' + fmt(v)).join(', ') + ')' : 'none';
    const dl = [
      ['AI profile', esc(sel.profile || filters.ai) + ' — ' + esc(sel.profile_description || '') + '. Works it cannot sort are <em>unknown</em> (' + esc(sel.unknown_meaning || '') + '): ' + fmt(sel.selected) + ' selected, ' + fmt(sel.unknown) + ' unknown, ' + fmt(sel.rejected) + ' rejected.'],
      ['Counting method', '<strong>' + ctx.counting + '</strong> for the map, shares and rankings; both are drawn over time. ' + definition('country_years') + ' ' + definition('authorship_shares')],
      ['Highly cited', 'Top ' + esc(filters.top) + '% in force. ' + definition('selection_ranks')],
      ['Claims', 'Each claim reads a published statement as numbers of one metric (its settings set in the claim), compared with the published line: <em>supported</em> when the whole interval passes, <em>contradicted</em> when none of it does, <em>inconclusive</em> when the interval straddles the line, <em>not computable</em> when the dataset cannot give the number (the reason says what is missing). <code>talentchain claims</code> also runs each check under every AI profile × counting × highly-cited share of the sensitivity grid. ' + definition('talent_stays')],
      ['Year range', esc(sel.range || 'all years') + (sel.dataset_years ? ' (the dataset spans ' + sel.dataset_years[0] + '–' + sel.dataset_years[1] + ')' : '')],
      ['Countries shown', esc(ctx.selected.join(', ')) + (filters.countries.length ? ' (chosen)' : ' (the top 8 by papers)')],
      ['Snapshot date', esc(m.snapshot_date || 'unknown') + '; dataset written ' + esc(m.created || '?') + ' by ' + esc((m.tool || 'talentchain') + ' ' + (m.tool_version || ''))],
      ['Records', fmt(rec.works) + ' works (' + fmt(rec.works_read) + ' read, ' + fmt(rec.duplicates_dropped) + ' duplicate copies dropped), ' + fmt(rec.authors) + ' authors, ' + fmt(rec.institutions) + ' institutions'],
      ['Bad records skipped', badText],
      ['Inputs', fmt(inputs.length) + ' files, ' + fmt(bytes) + ' bytes<table>' + inputRows + more + '</table>'],
    ].map(([k, v]) => '<dt>' + k + '</dt><dd>' + v + '</dd>').join('');
    document.getElementById('definitions').innerHTML = '<h2>Definitions and data</h2><dl>' + dl + '</dl>';
  }

  // The claims (/api/claims): per claim its statement as published and its
  // verdict, then one line per check with the point, the interval, the test
  // and the verdicts across the sensitivity grid.
  function renderClaims() {
    const c = data.claims;
    const el = document.getElementById('claims');
    if (!el) return;
    if (!c || !c.rows) {
      el.innerHTML = '<h2>Claims</h2><p class="note">Checking the published claims on this dataset…</p>';
      return;
    }
    const num = (v) => (v == null ? '' : Math.abs(v) >= 100 ? fmt(Math.round(v)) : String(+(+v).toPrecision(3)));
    const cls = (v) => 'verdict ' + String(v).replace(/ /g, '-');
    let html = '';
    let last = null;
    c.rows.forEach((r) => {
      if (r.claim !== last) {
        last = r.claim;
        html += '<tr class="claim"><td colspan="6"><span class="' + cls(r.claim_verdict) + '">' + esc(r.claim_verdict) + '</span> — <strong>' + esc(r.statement) + '</strong> Published: ' + esc(r.published) + '. <span class="note">' + esc(r.source) + '</span></td></tr>';
      }
      const value = num(r.point) + (r.lo != null ? ' [' + num(r.lo) + ', ' + num(r.hi) + ']' : '');
      html += '<tr><td>' + esc(r.reading) + ' <span class="note">(' + esc(r.metric) + ': ' + esc(r.quantity) + ')</span></td><td class="' + cls(r.verdict) + '">' + esc(r.verdict) + '</td><td>' + value + '</td><td>' + esc(r.test) + '</td><td>' + esc(r.definitions || '') + '</td><td>' + esc(r.reason || '') + '</td></tr>';
    });
    el.innerHTML = '<h2>Claims</h2><p class="note">Published claims checked on this dataset (claims/seed.toml; <code>talentchain claims</code> also gives each verdict across the 24 definitions of the sensitivity grid). ' +
      (filters.ci ? 'Verdicts need the whole ' + esc(filters.ci) + '% interval on one side of the line.' : 'Without intervals each verdict is on the point estimate; choose Intervals for inconclusive verdicts.') +
      '</p><table><thead><tr><th>check</th><th>verdict</th><th>value [interval]</th><th>test</th><th>across definitions</th><th>why</th></tr></thead><tbody>' + html + '</tbody></table>';
  }

  function render() {
    const ctx = TC.context(data, filters, names);
    renderKpis(ctx);
    renderCharts(ctx);
    renderClaims();
    renderDefinitions(ctx);
    const share = document.getElementById('share');
    if (report) {
      share.hidden = true;
    } else {
      const q = viewQuery();
      share.href = location.pathname + (q ? '?' + q : '');
      history.replaceState(null, '', share.href);
    }
  }

  async function refresh() {
    body.dataset.state = 'loading';
    const err = document.getElementById('error');
    try {
      const key = JSON.stringify(QUERY.map((k) => filters[k]));
      if (key !== dataKey) {
        data = report ? config.data : await fetchAll();
        dataKey = key;
        if (!report) fetchLate(key);
      }
      render();
      err.hidden = true;
      body.dataset.state = 'ready';
    } catch (e) {
      err.textContent = String(e.message || e);
      err.hidden = false;
      body.dataset.state = 'error';
    }
    body.dataset.renders = String(Number(body.dataset.renders) + 1);
  }

  async function start() {
    const world = report ? JSON.parse(document.getElementById('tc-world').textContent) : await (await fetch('assets/world.json')).json();
    world.features.forEach((f) => { names[f.properties.name] = f.properties.label; });
    Object.assign(names, config.names || {});
    echarts.registerMap('world', world);
    buildForm();
    window.addEventListener('resize', () => Object.values(instances).forEach((c) => c.resize()));
    window.tcCharts = instances;
    await refresh();
  }

  start();
})();
