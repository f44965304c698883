// The person view ("integraal beeld") in a real browser: every case of the
// person that the user may see, with the afspraken of each partner, grouped
// per case and per organisation; and nothing for a user who may see none.
import {after, before, test} from 'node:test';
import assert from 'node:assert/strict';

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

test('integraal beeld lists the cases and afspraken of all partners, grouped per case and organisation', async () => {
  // A second case about Jan Demo (an IAWW case, the person is linked, not
  // duplicated) and an afspraak for the police on it.
  const meldpunt = await apiLogin(casus.baseUrl, 'meldpunt.kerkrade');
  const wvggz = await apiFetch(casus.baseUrl, 'GET', '/api/v1/cases?type=wvggz', {token: meldpunt.token});
  const janCase = wvggz.json.cases.find((c) => c.subject.name === 'Jan Demo');
  assert.ok(janCase, wvggz.text.slice(0, 300));
  const personId = janCase.subject.id;
  const opened = await apiFetch(casus.baseUrl, 'POST', '/api/v1/cases', {token: meldpunt.token, body: {
    type: 'iaww', municipality: 'Kerkrade',
    subject: {name: 'Jan Demo', birth_date: janCase.subject.birth_date},
    data: {categorie: 'woonoverlast', melder_type: 'burger', wijk: 'Heilust', omschrijving: 'Geluidsoverlast in de nacht'},
  }});
  assert.equal(opened.status, 201, opened.text);
  assert.equal(opened.json.subject.id, personId, 'the known person is linked');
  const teamOrg = opened.json.team[0].org_id;
  const action = await apiFetch(casus.baseUrl, 'POST', `/api/v1/cases/${opened.json.id}/actions`, {token: meldpunt.token,
    body: {description: 'Huisbezoek samen met de wijkagent', owner_org: teamOrg,
      due_at: new Date(Date.now() + 7 * 86400000).toISOString().replace(/\.\d{3}Z$/, 'Z')}});
  assert.equal(action.status, 201, action.text);

  const page = await newPage(browser);
  await login(page, casus.baseUrl, 'coordinator.kerkrade');
  await page.goto(`${casus.baseUrl}/#/personen/${personId}`);
  const cases = page.locator('[data-testid=person-cases]');
  await cases.waitFor({timeout: 10000});
  await page.getByRole('heading', {name: 'Integraal beeld: Jan Demo'}).waitFor();
  assert.equal(await cases.locator(`[data-case-id="${janCase.id}"]`).count(), 1, 'the Wvggz case');
  assert.equal(await cases.locator(`[data-case-id="${opened.json.id}"]`).count(), 1, 'the new IAWW case');
  const iaww = cases.locator(`[data-case-id="${opened.json.id}"]`);
  assert.match(await iaww.textContent(), /Huisbezoek samen met de wijkagent/);
  assert.match(await iaww.textContent(), /Gemeente Kerkrade/, 'the afspraak owner by name');
  // Per organisation: the owner organisation lists the afspraak with its case.
  const org = page.locator(`[data-testid=person-organisations] [data-org-id="${teamOrg}"]`);
  assert.match(await org.textContent(), /Huisbezoek samen met de wijkagent/);
  await screenshot(page, 'pages-person');
  await page.context().close();
});

test('a partner outside every team gets no integraal beeld, in Dutch', async () => {
  const burgemeester = await apiLogin(casus.baseUrl, 'burgemeester.kerkrade');
  const list = await apiFetch(casus.baseUrl, 'GET', '/api/v1/cases?type=jpp', {token: burgemeester.token});
  const personId = list.json.cases[0].subject.id;
  const page = await newPage(browser);
  await login(page, casus.baseUrl, 'ggz.mondriaan');
  await page.goto(`${casus.baseUrl}/#/personen/${personId}`);
  const problem = page.locator('[data-testid=problem]');
  await problem.waitFor({timeout: 10000});
  assert.match(await page.locator('.page').textContent(), /Niet gevonden|geen toegang/);
  assert.equal(await page.locator('[data-testid=person-cases] [data-case-id]').count(), 0);
  await page.context().close();
});
