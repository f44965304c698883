// The meldpunt: registers a police E33 report fast, sees that the person
// is not yet known, opens a Wvggz case from it; a second report about the
// same person and address finds that case and is linked to it. The work
// queue lists untriaged reports with their handling norm.

import {after, before, test} from 'node:test';
import assert from 'node:assert/strict';
import {apiFetch, apiLogin, launchBrowser, login, newPage, screenshot, startCasus, unlabelledFields} from './harness.mjs';

let casus;
let browser;
let page;
before(async () => {
  casus = await startCasus({demo: true});
  browser = await launchBrowser();
  page = await newPage(browser);
  await login(page, casus.baseUrl, 'meldpunt.kerkrade');
});
after(async () => {
  await browser?.close();
  await casus?.stop();
});

async function register({description, street, name, birth}) {
  const form = page.getByTestId('report-form');
  await form.getByLabel('Bron').selectOption('politie');
  await form.getByLabel('Incidentcode politie').selectOption('E33');
  await form.getByLabel('Categorie').selectOption('verward_gedrag');
  await form.getByLabel('Wat is er aan de hand?').fill(description);
  await form.getByLabel('Straat').fill(street);
  await form.getByLabel('Wijk').fill('Heilust');
  await form.getByLabel('Naam betrokkene').fill(name);
  await form.getByLabel('Geboortedatum betrokkene').fill(birth);
  await form.getByRole('button', {name: 'Melding registreren'}).click();
  await page.getByTestId('triage').waitFor();
}

let caseId;

test('a police E33 report opens a Wvggz case from the report', async () => {
  await page.waitForURL(/#\/meldpunt$/);
  await page.getByTestId('report-queue').waitFor();
  await register({description: 'Man loopt verward over straat en roept dat hij wordt achtervolgd.',
    street: 'Akerstraat 40', name: 'Jan Testpersoon', birth: '1980-04-01'});
  const known = page.getByTestId('known-cases');
  await known.locator('[data-known=none]').waitFor();

  const open = page.getByTestId('open-case-form');
  // The case type follows the report: E33 means a Wvggz-melding.
  assert.equal(await open.getByLabel('Soort zaak').inputValue(), 'wvggz');
  assert.equal(await open.getByLabel('Naam betrokkene').inputValue(), 'Jan Testpersoon');
  // Exactly the fields opening a Wvggz case asks for, pre-filled from the report where possible.
  assert.equal(await open.getByLabel('Type melder').inputValue(), 'politie');
  assert.equal(await open.getByLabel('Incidentcode politie').inputValue(), 'e33');
  assert.match(await open.getByLabel('Aanleiding en zorgen').inputValue(), /achtervolgd/);
  await screenshot(page, 'meldpunt-triage');
  assert.deepEqual(await unlabelledFields(page), []);
  // A required yes/no left open is named, and nothing is sent.
  await open.getByTestId('open-case').click();
  await page.locator('[data-testid=open-case-form] [data-testid=problem]').waitFor();
  assert.equal(await open.getByLabel('Melder is essentiële naaste van betrokkene').getAttribute('aria-invalid'), 'true');
  await open.getByLabel('Melder is essentiële naaste van betrokkene').selectOption('false');
  await open.getByTestId('open-case').click();

  await page.waitForURL(/#\/zaken\/case_/);
  caseId = decodeURIComponent(page.url().split('#/zaken/')[1]);
  assert.equal(await page.getByTestId('case-state').getAttribute('data-state'), 'melding_ontvangen');
  assert.equal(await page.getByTestId('case-level').getAttribute('data-level'), 'regulier');
  // The 14-day deadline of art. 5:2 Wvggz runs from the report's receipt.
  assert.ok(await page.getByTestId('deadlines').locator('li').count() >= 1);
});

test('a second report about the same person and address finds the case and is linked to it', async () => {
  await page.goto(`${casus.baseUrl}/#/meldpunt`);
  await register({description: 'Weer onrustig gedrag, buren bellen opnieuw.', street: 'akerstraat 40',
    name: 'jan testpersoon', birth: '1980-04-01'});
  const item = page.getByTestId('known-cases').locator(`[data-case-id="${caseId}"]`);
  await item.waitFor();
  assert.match(await item.textContent(), /zelfde persoon, zelfde adres/);
  await item.getByTestId('link-case').click();
  await page.waitForURL(new RegExp(`#/zaken/${caseId}$`));
  await page.getByTestId('case-state').waitFor();
});

test('the work queue shows untriaged reports with their norm; linked ones leave it', async () => {
  // A citizen's report arrives through the public form (no login).
  const r = await apiFetch(casus.baseUrl, 'POST', '/api/v1/public/reports', {body: {category: 'drugsoverlast',
    description: 'Handel in drugs bij het speeltuintje, elke avond.', location: {street: 'Parkweg 1', wijk: 'Hopel',
      municipality: 'Kerkrade'}}});
  assert.equal(r.status, 201);
  await page.goto(`${casus.baseUrl}/#/meldpunt`);
  const queue = page.getByTestId('report-queue');
  const item = queue.locator('li', {hasText: 'Handel in drugs bij het speeltuintje'});
  await item.waitFor();
  assert.match(await item.textContent(), /Drugsoverlast/);
  await screenshot(page, 'meldpunt');
  // Reports that were linked to a case are no longer in the queue.
  assert.equal(await queue.locator('li', {hasText: 'Weer onrustig gedrag'}).count(), 0);
  // Late filter: the fresh report is within its norm.
  await page.getByLabel('Alleen meldingen die te laat zijn').check();
  await queue.locator('li, p').first().waitFor();
  assert.equal(await queue.locator('li', {hasText: 'Handel in drugs bij het speeltuintje'}).count(), 0);
  await page.getByLabel('Alleen meldingen die te laat zijn').uncheck();
  await item.waitFor();
  await item.getByTestId('handle-report').click();
  await page.getByTestId('triage').waitFor();
  assert.equal(await page.getByTestId('open-case-form').getByLabel('Soort zaak').inputValue(), 'iaww');
});

test('the duplicate check tells nothing about cases the user may not see', async () => {
  // The police meldpunt may not read the gemeente's Wvggz case: for them the person is not known.
  const police = await apiLogin(casus.baseUrl, 'meldpunt.politie');
  const r = await apiFetch(casus.baseUrl, 'GET', '/api/v1/known-cases?name=Jan%20Testpersoon', {token: police.token});
  assert.equal(r.status, 200);
  assert.deepEqual(r.json.cases, []);
  const partner = await apiLogin(casus.baseUrl, 'wijkagent.kerkrade');
  const refused = await apiFetch(casus.baseUrl, 'GET', '/api/v1/known-cases?name=Jan%20Testpersoon', {token: partner.token});
  assert.equal(refused.status, 403);
});
