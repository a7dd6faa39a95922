// End-to-end: `talentchain serve` on a demo world, its dashboard in headless
// Chromium (Debian's), a filter changed, and the report opened from its file.
// Saves screenshots under target/screenshots/ (or $SCREENSHOTS).
//
//   node --test crates/talentchain-web/e2e/dashboard.test.mjs
//
// Environment: TALENTCHAIN_BIN (default $CARGO_TARGET_DIR/debug/talentchain,
// CARGO_TARGET_DIR defaulting to target), CHROMIUM (default /usr/bin/chromium),
// SCREENSHOTS.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const targetDir = process.env.CARGO_TARGET_DIR ? path.resolve(root, process.env.CARGO_TARGET_DIR) : path.join(root, 'target');
const bin = process.env.TALENTCHAIN_BIN || path.join(targetDir, 'debug/talentchain');
const shots = process.env.SCREENSHOTS || path.join(root, 'target/screenshots');
const chromePath = process.env.CHROMIUM || '/usr/bin/chromium';
const CHARTS = ['output_full', 'output_fractional', 'world_map', 'world_shares', 'highly_cited', 'top_institutions', 'top_companies', 'company_labs', 'collab_heatmap', 'talent_flows', 'talent_retention', 'talent_mismatch', 'sensitivity', 'projection'];

let tmp, server, base, browser;

before(async () => {
  assert.ok(fs.existsSync(bin), `${bin} is missing: run cargo build first`);
  fs.mkdirSync(shots, { recursive: true });
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tc-e2e-'));
  const demo = spawnSync(bin, ['demo', '--researchers', '300', '--out', path.join(tmp, 'demo')], { encoding: 'utf8' });
  assert.equal(demo.status, 0, demo.stderr);
  server = spawn(bin, ['serve', '--data', path.join(tmp, 'demo/dataset'), '--addr', '127.0.0.1:0'], { stdio: ['ignore', 'ignore', 'pipe'] });
  base = await new Promise((resolve, reject) => {
    let err = '';
    const timer = setTimeout(() => reject(new Error('serve did not start: ' + err)), 60_000);
    server.stderr.on('data', (d) => {
      err += d;
      const m = /at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(err);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    server.on('exit', (code) => reject(new Error(`serve exited ${code}: ${err}`)));
  });
  browser = await chromium.launch({
    executablePath: chromePath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  if (browser) await browser.close();
  if (server) server.kill('SIGINT');
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

/** Wait until the page has rendered `n` times and is ready. */
async function rendered(page, n) {
  await page.waitForFunction((n) => Number(document.body.dataset.renders) >= n && document.body.dataset.state !== 'loading', n, { timeout: 60_000 });
  assert.equal(await page.evaluate(() => document.body.dataset.state), 'ready', await page.textContent('#error'));
}

/** Each chart's series data, to check that it is drawn with data. */
function chartData(page) {
  return page.evaluate((ids) => Object.fromEntries(ids.map((id) => {
    const inst = window.tcCharts[id];
    if (!inst) return [id, null];
    const o = inst.getOption();
    const empty = (o.title || []).some((t) => t.text);
    return [id, { empty, series: (o.series || []).map((s) => s.data), x: o.xAxis && o.xAxis[0] && o.xAxis[0].data }];
  })), CHARTS);
}

/** The countries the talent charts show: Sankey origin nodes, retention
 * bars (top to bottom), labelled scatter points. */
function talentCountries(page) {
  return page.evaluate(() => {
    const o = (id) => window.tcCharts[id].getOption();
    const origins = o('talent_flows').series[0].data.map((n) => n.name).filter((n) => n.endsWith('(origin)'));
    const retention = o('talent_retention').yAxis[0].data.slice().reverse();
    const labelled = o('talent_mismatch').series.flatMap((s) => s.data.filter((p) => p.label && p.label.show).map((p) => p.name)).sort();
    return { origins, retention, labelled };
  });
}

function assertDrawn(data) {
  for (const id of CHARTS) {
    const c = data[id];
    assert.ok(c, `chart ${id} exists`);
    assert.equal(c.empty, false, `chart ${id} has data`);
    const points = c.series.flat().filter((v) => v != null && (typeof v !== 'object' || v.value != null || Array.isArray(v)));
    assert.ok(points.length > 0, `chart ${id} has points`);
  }
}

test('the dashboard draws every chart, and a filter changes them', async () => {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const failed = [];
  page.on('requestfailed', (r) => failed.push(r.url()));
  page.on('request', (r) => { if (!r.url().startsWith(base)) failed.push('outside: ' + r.url()); });
  await page.goto(base);
  await rendered(page, 1);
  const before = await chartData(page);
  assertDrawn(before);
  const selected = await page.textContent('#kpi-selected .value');
  const leader = await page.textContent('#kpi-leader .value');
  // The claims come after the charts (fetched last): every shipped claim.
  await page.waitForSelector('#claims tr.claim', { timeout: 120000 });
  assert.equal((await page.$$('#claims tr.claim')).length, 8);
  await page.screenshot({ path: path.join(shots, 'dashboard.png'), fullPage: true });

  // Years: from 2016 on. The number of works and the line charts change,
  // and the URL keeps the filter.
  await page.selectOption('select[name=from]', '2016');
  await rendered(page, 2);
  const after = await chartData(page);
  assertDrawn(after);
  assert.notEqual(await page.textContent('#kpi-selected .value'), selected);
  assert.equal(after.output_full.x[0], '2016');
  assert.notEqual(before.output_full.x[0], '2016');
  assert.notDeepEqual(after.world_map.series, before.world_map.series);
  for (const id of ['talent_flows', 'talent_retention', 'talent_mismatch']) {
    assert.notDeepEqual(after[id].series, before[id].series, `${id} follows the years`);
  }
  assert.match(page.url(), /from=2016/);

  // Counting: fractional. The map and the leader's share change, no refetch.
  await page.check('input[name=counting][value=fractional]');
  await rendered(page, 3);
  const frac = await chartData(page);
  assert.notDeepEqual(frac.world_map.series, after.world_map.series);
  assert.notEqual(await page.textContent('#kpi-leader .value'), leader);
  assert.match(page.url(), /counting=fractional/);

  // Countries: the talent charts show those, the rest as "other".
  await page.fill('input[name=countries]', 'us,cn,in,de');
  await page.dispatchEvent('input[name=countries]', 'change');
  await rendered(page, 4);
  const chosen = await talentCountries(page);
  assert.deepEqual(chosen.origins, ['US (origin)', 'CN (origin)', 'IN (origin)', 'DE (origin)', 'other (origin)']);
  assert.deepEqual(chosen.retention, ['US', 'CN', 'IN', 'DE']);
  assert.deepEqual(chosen.labelled, ['CN', 'DE', 'IN', 'US']);
  assertDrawn(await chartData(page));
  assert.match(page.url(), /countries=US%2CCN%2CIN%2CDE/);
  await page.screenshot({ path: path.join(shots, 'dashboard-filtered.png'), fullPage: true });

  // Intervals: 95%. The line charts gain a band per country (two stacked
  // series each), the share bars error bars, and the URL keeps it.
  await page.selectOption('select[name=ci]', '95');
  await rendered(page, 5);
  const drawn = await page.evaluate(() => {
    const o = (id) => window.tcCharts[id].getOption();
    return {
      bands: o('output_full').series.filter((s) => String(s.stack || '').startsWith('interval ')).length,
      lines: o('output_full').series.filter((s) => !s.stack).length,
      errors: (o('world_shares').series.find((s) => s.type === 'custom') || { data: [] }).data.length,
      institutionErrors: (o('top_institutions').series.find((s) => s.type === 'custom') || { data: [] }).data.length,
    };
  });
  assert.equal(drawn.bands, 2 * drawn.lines, 'a band (two stacked series) per line');
  assert.ok(drawn.errors > 0, 'error bars on the share bars');
  assert.ok(drawn.institutionErrors > 0, 'error bars on the institutions');
  assert.match(page.url(), /ci=95/);
  assertDrawn(await chartData(page));
  await page.screenshot({ path: path.join(shots, 'dashboard-intervals.png'), fullPage: true });
  await page.selectOption('select[name=ci]', '');
  await rendered(page, 6);

  // The shared link opens the same view.
  const link = await page.getAttribute('#share', 'href');
  const again = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  await again.goto(new URL(link, base).href);
  await rendered(again, 1);
  assert.equal(await again.inputValue('select[name=from]'), '2016');
  assert.equal(await again.isChecked('input[name=counting][value=fractional]'), true);
  assert.deepEqual((await chartData(again)).world_map.series, frac.world_map.series);
  assert.deepEqual(await talentCountries(again), chosen);
  await again.close();

  // Source: OpenAlex. The demo world is all OpenAlex: the selection does
  // not change; the definitions name the scope and the URL keeps it. The
  // paper lists then select nothing, and the page says so without failing.
  const kept = await page.textContent('#kpi-selected .value');
  await page.selectOption('select[name=source]', 'openalex');
  await rendered(page, 7);
  assert.equal(await page.textContent('#kpi-selected .value'), kept);
  assert.match(await page.textContent('#definitions'), /within source openalex/);
  assert.match(page.url(), /source=openalex/);
  await page.selectOption('select[name=source]', 'paperlists');
  await rendered(page, 8);
  assert.match(await page.textContent('#definitions'), /within source paperlists/);
  assert.deepEqual(failed, []);
  await page.close();
});

test('the report opens offline from its file and draws every chart', async () => {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, offline: true });
  const page = await context.newPage();
  const outside = [];
  page.on('request', (r) => { if (!r.url().startsWith('file:') && !r.url().startsWith('data:')) outside.push(r.url()); });
  await page.goto('file://' + path.join(tmp, 'demo/report.html'));
  await rendered(page, 1);
  assertDrawn(await chartData(page));
  assert.match(await page.textContent('#definitions'), /Bad records skipped/);
  assert.match(await page.textContent('#definitions'), /concepts v1/);
  // The definitions in words are the SQL files' headers (/api/definitions).
  assert.match(await page.textContent('#definitions'), /split equally among its authorships/);
  // The claims section: every shipped claim with a verdict, and the
  // definitions panel says what a verdict means.
  const claims = await page.textContent('#claims');
  assert.match(claims, /China produces about half of the world's AI papers/);
  assert.match(claims, /Researchers who start in China and move to the US mostly stay there/);
  const verdicts = await page.$$eval('#claims tr.claim .verdict', (els) => els.map((e) => e.textContent));
  assert.equal(verdicts.length, 8, verdicts.join(', '));
  verdicts.forEach((v) => assert.match(v, /^(supported|contradicted|inconclusive|not computable)$/));
  assert.match(await page.textContent('#definitions'), /straddles the line/);
  await page.screenshot({ path: path.join(shots, 'report.png'), fullPage: true });
  assert.deepEqual(outside, []);
  await context.close();
});
