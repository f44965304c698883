// The coordinator dashboard in a real browser against a real casus serve:
// counts, lists, charts and CSV export, an escalation made through the API
// while the page is open appearing without a reload, and the refusal for a
// role that has no dashboard.
import {after, before, test} from 'node:test';
import assert from 'node:assert/strict';
import {readFile} from 'node:fs/promises';

import {assertEveryFieldLabelled} from './pages-checks.mjs';
import {apiFetch, apiLogin, launchBrowser, login, newPage, screenshot, startCasus} from './harness.mjs';

let casus;
let browser;

before(async () => {
  casus = await startCasus({demo: true});
  browser = await launchBrowser();
});

after(async () => {
  if (browser) await browser.close();
  if (casus) await casus.stop();
});

// The demo IAWW case "Familie Proef": in uitvoering at level bemiddeling.
async function familieProef(token) {
  const r = await apiFetch(casus.baseUrl, 'GET', '/api/v1/cases?type=iaww', {token});
  assert.equal(r.status, 200, r.text);
  const list = r.json.cases || r.json.items || [];
  const kase = list.find((c) => c.subject && c.subject.name === 'Familie Proef');
  assert.ok(kase, `demo case Familie Proef not found in ${r.text.slice(0, 500)}`);
  const full = await apiFetch(casus.baseUrl, 'GET', `/api/v1/cases/${kase.id}`, {token});
  assert.equal(full.status, 200, full.text);
  return full.json;
}

test('dashboard shows counts, lists and charts, and an escalation arrives live without reload', async () => {
  const page = await newPage(browser);
  await login(page, casus.baseUrl, 'coordinator.kerkrade');
  await page.goto(`${casus.baseUrl}/#/dashboard`);
  await page.waitForSelector('[data-testid=live-status]:text("verbonden")', {timeout: 15000});

  const counts = page.locator('[data-testid=counts]');
  await counts.waitFor();
  for (const type of ['iaww', 'jpp', 'topx', 'wvggz'])
    assert.equal(await counts.locator(`tr[data-type=${type}]`).count(), 1, `a counts row for ${type}`);
  // The demo escalated an IAWW case to bemiddeling and a JPP case: both are recent escalations.
  assert.ok(await page.locator('[data-testid=escalations] li[data-case-id]').count() >= 2);

  // Charts: Chart.js loaded from /vendor, one canvas per chart, the figures also as a table.
  await page.waitForSelector('[data-testid=chart-category] canvas', {timeout: 15000});
  await page.waitForSelector('[data-testid=chart-wijk] canvas');
  assert.equal(await page.evaluate(() => typeof window.Chart), 'function');
  const categoryRows = await page.locator('[data-testid=chart-category-table] tbody tr').count();
  assert.equal(categoryRows, 6, 'six months by default');
  const tableText = await page.locator('[data-testid=chart-category-table]').textContent();
  assert.match(tableText, /woonoverlast|verward gedrag/, 'the demo reports are counted per category');

  // The escalation: the coordinator's colleague escalates Familie Proef through the API.
  const session = await apiLogin(casus.baseUrl, 'regisseur.kerkrade');
  const kase = await familieProef(session.token);
  assert.equal(kase.level, 'bemiddeling');
  assert.ok(kase.allowed_transitions.some((t) => t.name === 'interventie_inzetten'),
    `interventie_inzetten allowed for regisseur.kerkrade: ${JSON.stringify(kase.allowed_transitions)}`);
  await page.evaluate(() => { window.__notReloaded = true; });
  const before = await page.locator(`[data-testid=escalations] li[data-case-id="${kase.id}"]`).count();
  const started = Date.now();
  const r = await apiFetch(casus.baseUrl, 'POST', `/api/v1/cases/${kase.id}/transitions`, {
    token: session.token,
    body: {transition: 'interventie_inzetten', version: kase.version, data: {interventie: 'handhaving'}},
  });
  assert.equal(r.status, 200, r.text);
  const item = page.locator(`[data-testid=escalations] li[data-case-id="${kase.id}"]`, {hasText: 'interventies'});
  await item.first().waitFor({timeout: 10000});
  console.log(`escalation visible on the dashboard ${Date.now() - started} ms after the API answered`);
  assert.equal(await page.evaluate(() => window.__notReloaded), true, 'the page was not reloaded');
  assert.ok(await page.locator(`[data-testid=escalations] li[data-case-id="${kase.id}"]`).count() > before);
  // After the refresh the counts show the new level.
  await page.locator('[data-testid=counts] tr[data-type=iaww]', {hasText: 'interventies'}).waitFor({timeout: 10000});
  assert.ok(await assertEveryFieldLabelled(page) >= 5, 'period and export fields');
  await screenshot(page, 'pages-dashboard');

  // CSV export of reports per wijk.
  await page.selectOption('#export-group', 'wijk');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', {name: 'CSV downloaden'}).click(),
  ]);
  assert.match(download.suggestedFilename(), /^casus-reports-wijk-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = await readFile(await download.path(), 'utf8');
  assert.match(csv, /^wijk,count\r?\n/);
  assert.ok(csv.trim().split(/\r?\n/).length >= 2, csv);
  await page.getByText('De CSV is gedownload.').waitFor();
  await page.context().close();
});

test('after a dropped connection the dashboard reconnects with ?after= and shows what happened meanwhile', async () => {
  const page = await newPage(browser);
  // Every connection of the page to /api/v1/events passes through here: the
  // first is dropped on command, the second held until the test lets it go.
  const urls = [];
  let first = null;
  let releaseSecond;
  const secondMayConnect = new Promise((resolve) => { releaseSecond = resolve; });
  await page.context().routeWebSocket(/\/api\/v1\/events/, async (ws) => {
    urls.push(ws.url());
    if (urls.length === 1) first = ws;
    else await secondMayConnect;
    ws.connectToServer();
  });
  await login(page, casus.baseUrl, 'burgemeester.kerkrade');
  await page.goto(`${casus.baseUrl}/#/dashboard`);
  await page.waitForSelector('[data-testid=live-status][data-state=verbonden]', {timeout: 15000});

  // One event while connected gives the page a cursor.
  const session = await apiLogin(casus.baseUrl, 'coordinator.kerkrade');
  let kase = await familieProef(session.token);
  let r = await apiFetch(casus.baseUrl, 'POST', `/api/v1/cases/${kase.id}/transitions`, {token: session.token,
    body: {transition: 'afschalen', version: kase.version, data: {motivering: 'Rust in de straat sinds de interventie'}}});
  assert.equal(r.status, 200, r.text);
  await page.locator('[data-testid=counts] tr[data-type=iaww]', {hasText: r.json.level.replace(/_/g, ' ')}).waitFor({timeout: 10000});

  const escalatedToInterventies = () => page.locator(`[data-testid=escalations] li[data-case-id="${kase.id}"]`,
    {hasText: 'interventies'}).count();
  const seenBefore = await escalatedToInterventies();

  // Drop the connection; escalate while the page is away.
  await first.close({code: 1001, reason: 'test drops the connection'});
  await page.waitForSelector('[data-testid=live-status][data-state=verbroken]', {timeout: 10000});
  kase = await familieProef(session.token);
  r = await apiFetch(casus.baseUrl, 'POST', `/api/v1/cases/${kase.id}/transitions`, {token: session.token,
    body: {transition: 'interventie_inzetten', version: kase.version, data: {interventie: 'zorg'}}});
  assert.equal(r.status, 200, r.text);
  releaseSecond();

  await page.waitForSelector('[data-testid=live-status][data-state=verbonden]', {timeout: 30000});
  assert.equal(urls.length, 2, urls.join(' '));
  assert.match(urls[1], /\?after=\d+$/, 'the reconnect asks for what it missed');
  // The missed event itself was replayed (the page announces it, by the
  // zaaknummer people know the case by; a mere refresh of the figures
  // would not), and the escalation is listed.
  assert.match(kase.zaaknummer, /^IAWW-\d{4}-\d{4,}$/);
  await page.waitForFunction((text) => document.getElementById('announcer').textContent === text,
    `Nieuwe escalatie: zaak ${kase.zaaknummer}.`, {timeout: 10000});
  for (let i = 0; i < 50 && await escalatedToInterventies() <= seenBefore; ++i) await page.waitForTimeout(200);
  assert.ok(await escalatedToInterventies() > seenBefore, 'the escalation made while disconnected is listed');
  await page.context().close();
});

test('a role without a dashboard is refused by the server and told so in Dutch', async () => {
  const page = await newPage(browser);
  await login(page, casus.baseUrl, 'privacy.kerkrade');
  await page.goto(`${casus.baseUrl}/#/dashboard`);
  const problem = page.locator('[data-testid=problem]');
  await problem.waitFor({timeout: 10000});
  assert.match(await problem.textContent(), /geen toegang/);
  assert.equal(await page.locator('[data-testid=counts]').count(), 0);
  await page.context().close();
});
