// The privacy officer's page in a real browser: the audit chain status,
// break-the-glass reviews (marked reviewed), the access overview of a
// person that names every user who looked, the audit search; and the
// refusal of every other role by the server, said in Dutch.
import {after, before, test} from 'node:test';
import assert from 'node:assert/strict';

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

test('privacy officer sees the chain, reviews break-the-glass and every access to a person', async () => {
  // A partner outside the team breaks the glass on a Wvggz case and reads it.
  const ggz = await apiLogin(casus.baseUrl, 'ggz.mondriaan');
  const meldpunt = await apiLogin(casus.baseUrl, 'meldpunt.kerkrade');
  const list = await apiFetch(casus.baseUrl, 'GET', '/api/v1/cases?type=wvggz', {token: meldpunt.token});
  assert.equal(list.status, 200, list.text);
  const kase = list.json.cases.find((c) => c.subject.name === 'Petra Voorbeeld');
  assert.ok(kase, list.text.slice(0, 300));
  const personId = kase.subject.id;
  assert.equal((await apiFetch(casus.baseUrl, 'GET', `/api/v1/cases/${kase.id}`, {token: ggz.token})).status, 403);
  const glass = await apiFetch(casus.baseUrl, 'POST', `/api/v1/cases/${kase.id}/access`,
    {token: ggz.token, body: {reason: 'Crisisdienst: betrokkene meldt zich vannacht op de SEH'}});
  assert.equal(glass.status, 201, glass.text);
  assert.equal((await apiFetch(casus.baseUrl, 'GET', `/api/v1/cases/${kase.id}`, {token: ggz.token})).status, 200);
  assert.equal((await apiFetch(casus.baseUrl, 'GET', `/api/v1/persons/${personId}`, {token: meldpunt.token})).status, 200);

  const page = await newPage(browser);
  await login(page, casus.baseUrl, 'privacy.kerkrade');
  await page.goto(`${casus.baseUrl}/#/privacy`);

  const chain = page.locator('[data-testid=chain-status]');
  await chain.locator('text=Intact').waitFor({timeout: 10000});
  assert.equal(await chain.getAttribute('data-intact'), 'true');

  // The break-the-glass access waits for review; marking it removes it.
  const reviews = page.locator('[data-testid=access-reviews]');
  const row = reviews.locator(`tr[data-user-id="${ggz.user.id}"]`);
  await row.waitFor();
  assert.match(await row.textContent(), /Crisisdienst/);
  await screenshot(page, 'pages-privacy');
  await row.getByRole('button', {name: /als beoordeeld markeren/}).click();
  await reviews.getByText('geen noodtoegangen').waitFor();
  const pending = await page.evaluate(async () => (await fetch('/api/v1/access-reviews')).json());
  assert.equal(pending.grants.filter((g) => g.user_id === ggz.user.id).length, 0, 'reviewed on the server');

  // Access overview of the person, by its number: the refused read, the
  // break-the-glass read and the meldpunt's person view are all there.
  await page.getByLabel('Persoonsnummer', {exact: true}).fill(personId);
  await page.getByRole('button', {name: 'Toegang tonen'}).click();
  const log = page.locator('[data-testid=access-log]');
  await log.waitFor();
  await log.locator(`tr[data-user-id="${ggz.user.id}"]`).first().waitFor();
  const ggzRows = await log.locator(`tr[data-user-id="${ggz.user.id}"]`).allTextContents();
  assert.ok(ggzRows.some((t) => /geweigerd/.test(t)), `the refused read is listed: ${ggzRows}`);
  assert.ok(ggzRows.some((t) => /Mondriaan GGZ/.test(t)), 'with the organisation');
  assert.ok(ggzRows.some((t) => /Crisisdienst/.test(t)), 'with the reason given');
  assert.ok(await log.locator(`tr[data-user-id="${meldpunt.user.id}"]`).count() >= 1, 'the meldpunt read is listed');

  // Audit search by case; a person number there opens the same overview.
  await page.getByLabel('Zaaknummer').fill(kase.id);
  await page.getByRole('button', {name: 'Zoeken'}).click();
  const results = page.locator('[data-testid=audit-results]');
  await results.waitFor();
  assert.ok(await results.locator('tbody tr[data-seq]').count() >= 3);
  assert.match(await results.textContent(), /case\.break_glass/);
  assert.ok(await assertEveryFieldLabelled(page) >= 6, 'access overview and audit search fields');
  await screenshot(page, 'pages-privacy-audit');
  await page.context().close();
});

test('another role gets the server refusal in Dutch and no data', async () => {
  const page = await newPage(browser);
  await login(page, casus.baseUrl, 'coordinator.kerkrade');
  await page.goto(`${casus.baseUrl}/#/privacy`);
  const problem = page.locator('[data-testid=problem]');
  await problem.waitFor({timeout: 10000});
  assert.match(await page.locator('.page').textContent(), /geen toegang/);
  assert.match(await page.locator('.page').textContent(), /alleen voor de privacyfunctionaris/);
  for (const id of ['chain-status', 'access-log', 'access-reviews'])
    assert.equal(await page.locator(`[data-testid=${id}]`).count(), 0, id);
  await page.context().close();

  // The server says no to the same calls made directly.
  const regisseur = await apiLogin(casus.baseUrl, 'regisseur.kerkrade');
  for (const path of ['/api/v1/audit/verify', '/api/v1/audit', '/api/v1/access-reviews'])
    assert.equal((await apiFetch(casus.baseUrl, 'GET', path, {token: regisseur.token})).status, 403, path);
});
