// Overleg in a real browser: the meetings per type, the agenda of the next
// meeting, and recording one decision per case — a transition with the
// data it requires, a note and an afspraak with owner and due date. A case
// changed by someone else meanwhile is refused (409), explained, and the
// user's input kept.
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

function localToday() {
  return new Intl.DateTimeFormat('en-CA', {timeZone: 'Europe/Amsterdam'}).format(new Date());
}

test('the agenda of the next IAWW-overleg and a decision recorded per case in one place', async () => {
  // The coordinator organises the weekly IAWW-overleg of Kerkrade, starting today.
  const coordinator = await apiLogin(casus.baseUrl, 'coordinator.kerkrade');
  const orgId = coordinator.user.organisation.id;
  const meeting = await apiFetch(casus.baseUrl, 'POST', '/api/v1/meetings', {token: coordinator.token,
    body: {case_type: 'iaww', municipality: 'Kerkrade', name: 'IAWW-overleg Kerkrade', participants: [orgId]}});
  assert.equal(meeting.status, 201, meeting.text);

  const page = await newPage(browser);
  await login(page, casus.baseUrl, 'meldpunt.kerkrade');
  await page.goto(`${casus.baseUrl}/#/overleg`);
  const meetings = page.locator('[data-testid=meetings]');
  await meetings.waitFor({timeout: 10000});
  assert.match(await meetings.textContent(), /IAWW-overleg Kerkrade/);
  assert.match(await meetings.textContent(), /IAWW-casus \(overlast\)/, 'grouped per type, labelled by iaww.yaml');

  // The only meeting opens by itself; its first agenda is drawn up from the page.
  await page.getByRole('button', {name: 'Agenda opstellen'}).click();
  const items = page.locator('[data-testid=agenda-items]');
  await items.waitFor({timeout: 10000});
  const cases = await apiFetch(casus.baseUrl, 'GET', '/api/v1/cases?type=iaww', {token: coordinator.token});
  const kees = cases.json.cases.find((c) => c.subject.name === 'Kees Testmans');
  assert.ok(kees, 'demo case Kees Testmans (verrijking)');
  const item = items.locator(`li.agenda-item[data-case-id="${kees.id}"]`);
  await item.waitFor();
  assert.match(await item.textContent(), /reden: nieuw/);
  await screenshot(page, 'pages-overleg');

  // Open the decision form; meanwhile a colleague puts the case on the agenda through the API.
  await item.getByRole('button', {name: 'Besluit vastleggen'}).click();
  const form = item.locator('[data-testid=decision-form]');
  await form.waitFor();
  await form.getByLabel('Besluit (overgang van de zaak)').selectOption('agenderen');
  await form.getByLabel('Datum IAWW-overleg').fill(localToday());
  await form.getByLabel('Notities').fill('Besproken: eerst verrijken met informatie van de woningcorporatie.');
  await form.getByRole('button', {name: 'Afspraak toevoegen'}).click();
  await form.getByLabel('Wat is afgesproken').fill('Woningcorporatie levert de klachtenhistorie aan');
  await form.getByLabel('Eigenaar (organisatie)').selectOption(orgId);
  const due = new Date(Date.now() + 14 * 86400000).toISOString().slice(0, 10);
  await form.getByLabel('Uiterlijk op').fill(due);

  const regisseur = await apiLogin(casus.baseUrl, 'regisseur.kerkrade');
  const current = await apiFetch(casus.baseUrl, 'GET', `/api/v1/cases/${kees.id}`, {token: coordinator.token});
  const behindTheBack = await apiFetch(casus.baseUrl, 'POST', `/api/v1/cases/${kees.id}/transitions`, {
    token: regisseur.token,
    body: {transition: 'agenderen', version: current.json.version, data: {overleg_datum: localToday()}},
  });
  assert.equal(behindTheBack.status, 200, behindTheBack.text);

  assert.ok(await assertEveryFieldLabelled(page) >= 7, 'the decision form with its fields and afspraak');
  await screenshot(page, 'pages-overleg-besluit');
  await form.getByRole('button', {name: 'Besluit opslaan'}).click();
  const problem = form.locator('[data-testid=problem]');
  await problem.waitFor({timeout: 10000});
  assert.match(await problem.textContent(), /Iemand anders heeft dit intussen gewijzigd/);
  await form.getByText('Uw invoer is bewaard').waitFor();
  assert.match(await form.getByLabel('Notities').inputValue(), /klachtenhistorie|woningcorporatie/);
  assert.equal(await form.getByLabel('Wat is afgesproken').inputValue(), 'Woningcorporatie levert de klachtenhistorie aan');

  // The case moved on: the choices are those of its new state. Record the
  // decision with the step the workflow allows now, with its required data.
  const transition = form.getByLabel('Besluit (overgang van de zaak)');
  assert.equal(await transition.locator('option[value=agenderen]').count(), 0, 'agenderen is no longer offered');
  await transition.selectOption('partnerinformatie_toevoegen');
  await form.getByLabel('Informatie').fill('Woningcorporatie: drie klachten sinds de zomer.');
  await form.getByRole('button', {name: 'Besluit opslaan'}).click();
  await item.getByText('Het besluit is vastgelegd.').waitFor({timeout: 10000});
  assert.equal(await item.locator('[data-testid=decisions] li:not(.empty)').count(), 1);
  assert.match(await item.locator('[data-testid=decisions]').textContent(), /overgang: informatie van ketenpartner toevoegen; notitie; 1 afspraak/);

  const after = await apiFetch(casus.baseUrl, 'GET', `/api/v1/cases/${kees.id}`, {token: coordinator.token});
  assert.equal(after.json.data.informatie, 'Woningcorporatie: drie klachten sinds de zomer.');
  const actions = await apiFetch(casus.baseUrl, 'GET', `/api/v1/cases/${kees.id}/actions`, {token: coordinator.token});
  assert.equal(actions.status, 200, actions.text);
  const list = actions.json.actions || actions.json;
  const saved = list.find((a) => a.description === 'Woningcorporatie levert de klachtenhistorie aan');
  assert.ok(saved, actions.text);
  assert.equal(saved.owner_org, orgId);
  assert.equal(saved.due_at.slice(0, 10), due);
  const notes = await apiFetch(casus.baseUrl, 'GET', `/api/v1/cases/${kees.id}/notes`, {token: coordinator.token});
  assert.match(notes.text, /eerst verrijken/);
  await page.context().close();
});

test('a user whose organisation takes part in no overleg is told so', async () => {
  const page = await newPage(browser);
  await login(page, casus.baseUrl, 'halt.limburg');
  await page.goto(`${casus.baseUrl}/#/overleg`);
  await page.getByText('U organiseert geen overleg').waitFor({timeout: 10000});
  await page.context().close();
});
