// The full journey of issue 5, one user group after another, each in its
// own browser context: a citizen reports → the meldpunt triages and opens a
// Wvggz case → the regisseur takes it through the verkennend onderzoek →
// the burgemeester takes a crisismaatregel and the coordinator's dashboard
// shows the escalation live, without reload → a partner of another
// organisation cannot open the case → the privacy officer sees every access.

import {after, before, test} from 'node:test';
import assert from 'node:assert/strict';
import {apiFetch, apiLogin, launchBrowser, login, newPage, screenshot, startCasus} from './harness.mjs';

let casus;
let browser;
const started = Date.now();
before(async () => {
  casus = await startCasus({demo: true});
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await casus?.stop();
  console.log(`journey took ${((Date.now() - started) / 1000).toFixed(1)} s`);
});

const DESCRIPTION = 'Mijn buurman praat tegen stemmen, heeft de ramen dichtgetimmerd en dreigt met een mes.';
const today = new Date().toISOString().slice(0, 10);

// Fills every field of an open transition form: yes for each yes/no,
// today for dates, a sentence for text.
async function fillAll(form) {
  for (const el of await form.locator('[data-field]').all()) {
    const type = await el.getAttribute('data-type');
    if (type === 'bool') await el.selectOption('true');
    else if (type === 'date') await el.fill(today);
    else if (type === 'datetime') await el.fill(`${today}T10:00`);
    else if (type === 'enum') await el.selectOption({index: 1});
    else await el.fill('Vastgelegd in de browsertest.');
  }
}

async function take(page, name, {fill = fillAll} = {}) {
  await page.getByTestId('transitions').locator(`button[data-transition=${name}]`).click();
  const form = page.getByTestId('transition-form');
  await fill(form);
  await form.getByRole('button', {name: 'Bevestigen'}).click();
  await Promise.race([form.waitFor({state: 'detached'}), form.getByTestId('problem').waitFor()]);
  if (await form.count()) throw new Error(`${name} refused: ${await form.getByTestId('problem').textContent()}`);
}

test('citizen → meldpunt → regisseur → live dashboard → refused partner → privacy officer', async (t) => {
  let trackingCode;
  let caseId;
  let personId;

  await t.test('a citizen reports on a phone and gets a tracking code', async () => {
    const page = await newPage(browser, {mobile: true});
    await page.goto(`${casus.baseUrl}/#/melden`);
    await page.getByLabel('Waar gaat uw melding over?').selectOption('verward_gedrag');
    await page.getByLabel('Wat gebeurt er?').fill(DESCRIPTION);
    await page.getByLabel('Straat (en huisnummer)').fill('Kloosterraderstraat 7');
    await page.getByLabel('Wijk').fill('Centrum');
    await page.getByRole('button', {name: 'Melding versturen'}).click();
    trackingCode = (await page.getByTestId('tracking-code').textContent()).trim();
    await page.context().close();
  });

  await t.test('the meldpunt triages the report and opens a Wvggz case', async () => {
    const page = await newPage(browser);
    await login(page, casus.baseUrl, 'meldpunt.kerkrade');
    const item = page.getByTestId('report-queue').locator('li', {hasText: DESCRIPTION.slice(0, 40)});
    await item.waitFor();
    await item.getByTestId('handle-report').click();
    const open = page.getByTestId('open-case-form');
    await open.waitFor();
    assert.equal(await open.getByLabel('Soort zaak').inputValue(), 'wvggz');
    await open.getByLabel('Naam betrokkene').fill('Karel Onbekend');
    await open.getByRole('button', {name: /Controleer opnieuw/}).click();
    await page.getByTestId('known-cases').locator('[data-known=none]').waitFor();
    assert.equal(await open.getByLabel('Type melder').inputValue(), 'anoniem');
    await open.getByLabel('Melder is essentiële naaste van betrokkene').selectOption('false');
    await open.getByTestId('open-case').click();
    await page.waitForURL(/#\/zaken\/case_/);
    caseId = decodeURIComponent(page.url().split('#/zaken/')[1]);
    personId = decodeURIComponent((await page.locator('a[href^="#/personen/"]').getAttribute('href')).split('/').pop());
    await take(page, 'verrijking_starten');
    await page.locator('[data-testid=case-state][data-state=verrijking]').waitFor();
    await page.context().close();

    const status = await apiFetch(casus.baseUrl, 'GET', `/api/v1/public/reports/${trackingCode}`);
    assert.equal(status.json.status, 'in_behandeling');
  });

  let dashboard;
  await t.test('the coordinator watches the dashboard, live', async () => {
    dashboard = await newPage(browser);
    await login(dashboard, casus.baseUrl, 'coordinator.kerkrade');
    await dashboard.waitForURL(/#\/dashboard$/);
    await dashboard.getByTestId('live-status').filter({hasText: /^verbonden$/}).waitFor();
    assert.equal(await dashboard.locator(`[data-testid=escalations] [data-case-id="${caseId}"]`).count(), 0);
    await screenshot(dashboard, 'dashboard');
  });

  await t.test('the regisseur takes the case through the verkennend onderzoek', async () => {
    const page = await newPage(browser);
    await login(page, casus.baseUrl, 'regisseur.kerkrade');
    await page.goto(`${casus.baseUrl}/#/zaken/${caseId}`);
    await page.getByTestId('case-state').waitFor();
    await take(page, 'verkennend_onderzoek_starten');
    await page.locator('[data-testid=case-state][data-state=verkennend_onderzoek]').waitFor();
    await take(page, 'informatie_toevoegen');
    await take(page, 'aanvraag_zorgmachtiging_indienen', {fill: async (form) => {
      await form.getByLabel('Datum aanvraag').fill(today);
      await form.getByLabel('Betrokkene stelt een eigen plan van aanpak op').selectOption('false');
    }});
    await page.locator('[data-testid=case-state][data-state=aanvraag_zorgmachtiging_ingediend]').waitFor();
    await screenshot(page, 'zaak-regisseur');
    await page.context().close();
  });

  await t.test('the burgemeester takes a crisismaatregel; the dashboard shows the escalation without reload', async () => {
    const page = await newPage(browser);
    await login(page, casus.baseUrl, 'burgemeester.kerkrade');
    await page.goto(`${casus.baseUrl}/#/zaken/${caseId}`);
    await page.getByTestId('case-state').waitFor();
    const navigations = [];
    dashboard.on('framenavigated', (f) => { if (f === dashboard.mainFrame()) navigations.push(f.url()); });
    await take(page, 'crisismaatregel_nemen');
    await page.locator('[data-testid=case-level][data-level=crisismaatregel]').waitFor();
    await page.context().close();

    await dashboard.locator(`[data-testid=escalations] [data-case-id="${caseId}"]`).first().waitFor({timeout: 15000});
    assert.deepEqual(navigations, [], 'the dashboard was not reloaded');
    await screenshot(dashboard, 'dashboard-escalatie');
    // The coordinator opens the case from the dashboard.
    await dashboard.locator(`[data-testid=escalations] [data-case-id="${caseId}"] a`).first().click();
    await dashboard.locator('[data-testid=case-level][data-level=crisismaatregel]').waitFor();
    await dashboard.context().close();
  });

  await t.test('a partner of another organisation cannot open the case', async () => {
    const page = await newPage(browser);
    await login(page, casus.baseUrl, 'jongerenwerk.impuls');
    await page.goto(`${casus.baseUrl}/#/zaken/${caseId}`);
    await page.getByTestId('problem').waitFor();
    assert.equal(await page.getByTestId('case-state').count(), 0);
    assert.equal(await page.getByText('Karel Onbekend').count(), 0);
    await page.context().close();
  });

  await t.test('the privacy officer sees every access to the person', async () => {
    const admin = await apiLogin(casus.baseUrl, 'beheer.kerkrade');
    const orgs = (await apiFetch(casus.baseUrl, 'GET', '/api/v1/organisations', {token: admin.token})).json.organisations;
    const userId = (name) => orgs.flatMap((o) => o.users).find((u) => u.username === name).id;
    const expected = ['meldpunt.kerkrade', 'regisseur.kerkrade', 'burgemeester.kerkrade', 'coordinator.kerkrade',
      'jongerenwerk.impuls'].map(userId);

    const page = await newPage(browser);
    await login(page, casus.baseUrl, 'privacy.kerkrade');
    await page.waitForURL(/#\/privacy$/);
    await page.getByTestId('chain-status').filter({hasNotText: 'Controleren…'}).waitFor();
    // The person's number (as the meldpunt's case page links it).
    await page.getByLabel('Persoonsnummer').fill(personId);
    await page.getByRole('button', {name: 'Toegang tonen'}).click();
    const log = page.getByTestId('access-log');
    await log.locator('tr[data-user-id]').first().waitFor();
    const seen = new Set(await log.locator('tr[data-user-id]').evaluateAll((rows) => rows.map((r) => r.dataset.userId)));
    for (const [i, id] of expected.entries()) assert.ok(seen.has(id), `access by user #${i} (${id}) is listed`);
    // The refused partner is there, marked as refused.
    const refused = log.locator(`tr[data-user-id="${expected[4]}"]`);
    assert.match(await refused.first().textContent(), /geweigerd/);
    await screenshot(page, 'privacy');
    await page.context().close();
  });
});
