// The case page: a regisseur takes transitions through forms that ask for
// exactly the required data; when someone else changes the case in
// between, the 409 is explained, the new state shown and the input kept.
// Notes and afspraken land on the timeline. A partner of another
// organisation is refused and offered break-the-glass only.

import {after, before, test} from 'node:test';
import assert from 'node:assert/strict';
import {apiFetch, apiLogin, launchBrowser, login, newPage, screenshot, startCasus, unlabelledFields} from './harness.mjs';

let casus;
let browser;
let meldpunt;  // API session of meldpunt.kerkrade: the "someone else"
let caseId;

async function transition(id, name, data = {}) {
  const current = await apiFetch(casus.baseUrl, 'GET', `/api/v1/cases/${id}`, {token: meldpunt.token});
  const r = await apiFetch(casus.baseUrl, 'POST', `/api/v1/cases/${id}/transitions`,
    {token: meldpunt.token, body: {transition: name, version: current.json.version, data}});
  assert.equal(r.status, 200, r.text);
  return r.json;
}

before(async () => {
  casus = await startCasus({demo: true});
  browser = await launchBrowser();
  meldpunt = await apiLogin(casus.baseUrl, 'meldpunt.kerkrade');
  const opened = await apiFetch(casus.baseUrl, 'POST', '/api/v1/cases', {token: meldpunt.token, body: {
    type: 'wvggz', subject: {name: 'Piet Voorbeeld', birth_date: '1975-02-03'}, municipality: 'Kerkrade',
    data: {melder_type: 'naaste', melder_is_essentiele_naaste: true, aanleiding: 'Zus maakt zich ernstige zorgen.'}}});
  assert.equal(opened.status, 201, opened.text);
  caseId = opened.json.id;
  await transition(caseId, 'verrijking_starten');
});
after(async () => {
  await browser?.close();
  await casus?.stop();
});

test('a transition asks exactly for its required data; a conflict keeps the input and shows the new state', async () => {
  const page = await newPage(browser);
  await login(page, casus.baseUrl, 'regisseur.kerkrade');
  await page.goto(`${casus.baseUrl}/#/zaken/${caseId}`);
  const state = page.getByTestId('case-state');
  assert.equal(await state.getAttribute('data-state'), 'verrijking');
  assert.match(await page.getByTestId('case-level').textContent(), /Regulier/);
  const buttons = page.getByTestId('transitions');
  // Only what a gemeente regisseur may do in 'verrijking'.
  const names = await buttons.locator('button[data-transition]').evaluateAll((bs) => bs.map((b) => b.dataset.transition));
  assert.ok(names.includes('verkennend_onderzoek_starten'), names.join());
  assert.ok(!names.includes('verrijking_starten') && !names.includes('crisismaatregel_nemen'), names.join());
  await screenshot(page, 'zaak');

  await buttons.locator('button[data-transition=verkennend_onderzoek_starten]').click();
  const form = page.getByTestId('transition-form');
  const fields = await form.locator('[data-field]').evaluateAll((els) => els.map((e) => e.dataset.field));
  assert.deepEqual(fields.sort(), ['onderzoeker', 'screening_ernstig_nadeel', 'screening_vermoeden_psychische_stoornis',
    'screening_weigert_vrijwillige_zorg']);
  // Missing data is named before anything is sent.
  await form.getByRole('button', {name: 'Bevestigen'}).click();
  await form.getByTestId('problem').waitFor();
  assert.equal(await form.locator('[data-field=onderzoeker]').getAttribute('aria-invalid'), 'true');
  assert.deepEqual(await unlabelledFields(page), []);

  await form.getByLabel('Screening: ernstig nadeel?').selectOption('true');
  await form.getByLabel('Screening: vermoeden psychische stoornis?').selectOption('true');
  await form.getByLabel('Screening: weigert vrijwillige zorg?').selectOption('false');
  await form.getByLabel('Deskundige (ggz-deskundig) die het onderzoek uitvoert').fill('Dr. K. de Vries, Mondriaan');
  await form.getByLabel('Toelichting (niet verplicht)').fill('Besproken met de huisarts.');

  // Meanwhile someone else adds information: the case's version moves on.
  await transition(caseId, 'informatie_toevoegen', {informatie: 'Politie: twee E33-incidenten deze maand.'});
  await form.getByRole('button', {name: 'Bevestigen'}).click();

  const conflict = page.locator('[data-conflict=true]');
  await conflict.waitFor();
  assert.match(await conflict.textContent(), /Iemand anders heeft deze zaak gewijzigd/);
  assert.match(await conflict.textContent(), /Uw invoer is bewaard/);
  // The input survived the reload of the case.
  const kept = page.getByTestId('transition-form');
  assert.equal(await kept.getByLabel('Deskundige (ggz-deskundig) die het onderzoek uitvoert').inputValue(),
    'Dr. K. de Vries, Mondriaan');
  assert.equal(await kept.getByLabel('Screening: ernstig nadeel?').inputValue(), 'true');
  assert.equal(await kept.getByLabel('Screening: weigert vrijwillige zorg?').inputValue(), 'false');
  assert.equal(await kept.getByLabel('Toelichting (niet verplicht)').inputValue(), 'Besproken met de huisarts.');
  // The timeline already shows the other person's change.
  assert.ok(await page.getByTestId('timeline').locator('[data-type="case.transitioned"]').count() >= 2);
  await screenshot(page, 'zaak-conflict');

  await kept.getByRole('button', {name: 'Bevestigen'}).click();
  await page.locator('[data-testid=case-state][data-state=verkennend_onderzoek]').waitFor();
  await page.context().close();
});

test('a conflict that makes the step impossible still shows the user what they typed', async () => {
  const page = await newPage(browser);
  await login(page, casus.baseUrl, 'regisseur.zvh');
  await page.goto(`${casus.baseUrl}/#/zaken/${caseId}`);
  // The ZVH regisseur is not on the team yet: refused. The meldpunt adds the ZVH to the team.
  await page.getByTestId('problem').waitFor();
  const zvh = (await apiFetch(casus.baseUrl, 'GET', '/api/v1/organisations', {token: meldpunt.token})).json.organisations
    .find((o) => o.type === 'zvh');
  const added = await apiFetch(casus.baseUrl, 'POST', `/api/v1/cases/${caseId}/team`,
    {token: meldpunt.token, body: {org: zvh.id, role: 'lid'}});
  assert.equal(added.status, 201, added.text);
  await page.reload();
  await page.getByTestId('case-state').waitFor();
  // A ZVH regisseur may add information here but not decide for the gemeente.
  const buttons = page.getByTestId('transitions');
  await buttons.locator('button[data-transition=informatie_toevoegen]').click();
  const form = page.getByTestId('transition-form');
  await form.getByLabel('Informatie').fill('ZVH: eerder bekend in 2019.');
  // Meanwhile the gemeente decides: voluntary care. 'informatie_toevoegen' is no longer possible.
  await transition(caseId, 'vrijwillige_zorg_inzetten', {zorgaanbieder: 'Mondriaan bemoeizorg'});
  await form.getByRole('button', {name: 'Bevestigen'}).click();
  await page.locator('[data-conflict=true]').waitFor();
  assert.match(await page.locator('[data-conflict=true]').textContent(), /niet meer worden gezet/);
  assert.match(await page.getByTestId('kept-input').textContent(), /ZVH: eerder bekend in 2019\./);
  assert.equal(await page.getByTestId('case-state').getAttribute('data-state'), 'vrijwillige_zorg');
  await page.context().close();
});

test('notes and afspraken are recorded and appear on the timeline', async () => {
  const page = await newPage(browser);
  await login(page, casus.baseUrl, 'coordinator.kerkrade');
  await page.goto(`${casus.baseUrl}/#/zaken/${caseId}`);
  await page.getByTestId('case-state').waitFor();
  await page.getByLabel('Notitie toevoegen').fill('Overleg met GGZ gepland.');
  await page.getByRole('button', {name: 'Notitie opslaan'}).click();
  await page.getByTestId('timeline').locator('li[data-kind=note]', {hasText: 'Overleg met GGZ gepland.'}).waitFor();

  const form = page.getByTestId('action-form');
  await form.getByRole('button', {name: 'Afspraak vastleggen'}).click();
  await form.getByTestId('problem').waitFor();
  await form.locator('#act-description').fill('Huisbezoek samen met wijkagent');
  const ggz = await form.getByLabel('Eigenaar (organisatie)').locator('option', {hasText: 'Mondriaan GGZ'}).getAttribute('value');
  await form.getByLabel('Eigenaar (organisatie)').selectOption(ggz);
  await form.getByLabel('Eigenaar (medewerker, niet verplicht)').selectOption({label: 'ggz.mondriaan (Ketenpartner)'});
  await form.getByLabel('Uiterlijk klaar op').fill('2099-01-15');
  await form.getByRole('button', {name: 'Afspraak vastleggen'}).click();
  const action = page.getByTestId('actions').locator('li', {hasText: 'Huisbezoek samen met wijkagent'});
  await action.waitFor();
  assert.match(await action.textContent(), /Mondriaan GGZ – ggz\.mondriaan/);
  await page.getByTestId('timeline').locator('li[data-kind=action]').first().waitFor();
  await page.context().close();
});

test('a partner of another organisation is refused and offered only break-the-glass', async () => {
  const page = await newPage(browser);
  await login(page, casus.baseUrl, 'halt.limburg');
  await page.goto(`${casus.baseUrl}/#/zaken/${caseId}`);
  const problem = page.getByTestId('problem');
  await problem.waitFor();
  assert.match(await problem.textContent(), /geen toegang/);
  assert.equal(await page.getByTestId('case-state').count(), 0);
  assert.equal(await page.getByText('Piet Voorbeeld').count(), 0);
  const glass = page.getByTestId('break-glass-form');
  await glass.waitFor();
  await glass.getByRole('button', {name: 'Toegang vragen'}).click();
  assert.equal(await glass.getByLabel('Reden voor toegang').getAttribute('aria-invalid'), 'true');
  await screenshot(page, 'zaak-geweigerd');
  // With a reason the partner gets temporary access, and the page says it is on record.
  await glass.getByLabel('Reden voor toegang').fill('Jongere uit dit gezin meldt zich vandaag acuut bij Halt.');
  await glass.getByRole('button', {name: 'Toegang vragen'}).click();
  await page.getByTestId('case-state').waitFor();
  assert.match(await page.locator('.warning').first().textContent(), /break-the-glass/);
  await page.context().close();
});

// The tijdelijk huisverbod exists only as workflows/huisverbod.yaml: its case
// page shows its Dutch labels, its 10-day term with the legal basis, the
// burgemeester's extension and its diagram, all taken from the YAML.
test('a huisverbod case shows its labels, its 10-day term and its diagram', async () => {
  const police = await apiLogin(casus.baseUrl, 'wijkagent.kerkrade');
  const opened = await apiFetch(casus.baseUrl, 'POST', '/api/v1/cases', {token: police.token, body: {
    type: 'huisverbod', subject: {name: 'Kees Uithuis', birth_date: '1980-07-01'}, municipality: 'Kerkrade',
    data: {aanleiding: 'Mishandeling partner, kinderen aanwezig', risicotaxatie_rihg: true, kinderen_in_huishouden: true}}});
  assert.equal(opened.status, 201, opened.text);
  const id = opened.json.id;

  // The burgemeester imposes the ban through the page.
  const page = await newPage(browser);
  await login(page, casus.baseUrl, 'burgemeester.kerkrade');
  await page.goto(`${casus.baseUrl}/#/zaken/${id}`);
  const state = page.getByTestId('case-state');
  await state.waitFor();
  assert.equal((await state.textContent()).trim(), 'Besluit in voorbereiding (politie)');
  assert.equal(await page.getByTestId('deadlines').locator('li').count(), 0);
  const impose = page.getByTestId('transitions').locator('button[data-transition=huisverbod_opleggen]');
  assert.equal((await impose.textContent()).trim(), 'Huisverbod opleggen (art. 2 Wet tijdelijk huisverbod)');
  await impose.click();
  const form = page.getByTestId('transition-form');
  await form.getByLabel('Dagtekening beschikking').fill('2026-03-02');
  await form.getByLabel('Feiten en omstandigheden (ernstig en onmiddellijk gevaar)')
    .fill('Ernstig en onmiddellijk gevaar voor de partner');
  await form.getByRole('button', {name: 'Bevestigen'}).click();
  await page.locator('[data-testid=case-state][data-state=huisverbod_opgelegd]').waitFor();
  assert.equal((await state.textContent()).trim(), 'Huisverbod opgelegd (10 dagen)');
  assert.match(await page.getByTestId('case-level').textContent(), /Huisverbod van kracht/);
  assert.match(await page.locator('dl.facts').textContent(), /Tijdelijk huisverbod/);
  assert.match(await page.getByTestId('case-number').textContent(), /^HUISVERBOD-\d{4}-\d{4}$/);

  // The 10 days and the 4 weeks, with their legal bases, still running.
  const ten = page.getByTestId('deadlines').locator('li[data-deadline=huisverbod_duur]');
  await ten.waitFor();
  assert.match(await ten.textContent(), /Einde huisverbod \(10 dagen na oplegging\)/);
  assert.match(await ten.textContent(), /art\. 2 lid 1 Wet tijdelijk huisverbod/);
  assert.doesNotMatch(await ten.textContent(), /Afgerond/);
  assert.equal(await ten.locator('.badge').count(), 1);
  const four = page.getByTestId('deadlines').locator('li[data-deadline=huisverbod_maximale_duur]');
  assert.match(await four.textContent(), /Uiterste einde huisverbod \(4 weken na oplegging\)/);
  assert.match(await four.textContent(), /art\. 9 Wet tijdelijk huisverbod/);

  // Only the burgemeester's decisions are offered, with their Dutch labels.
  const extend = page.getByTestId('transitions').locator('button[data-transition=huisverbod_verlengen]');
  assert.equal((await extend.textContent()).trim(), 'Huisverbod verlengen (art. 9 Wet tijdelijk huisverbod)');
  assert.equal(await page.getByTestId('transitions').locator('button[data-transition=hulpverlening_starten]').count(), 0);

  // The diagram: every state a node, the current one highlighted, the decision traced.
  const diagram = page.getByTestId('verloop').getByTestId('workflow-diagram');
  await diagram.locator('svg').waitFor({timeout: 60000});
  const nodes = await diagram.locator('svg g.wf-node').evaluateAll((gs) => gs.map((g) => g.dataset.state));
  assert.deepEqual(nodes.sort(), ['afgesloten', 'geen_huisverbod', 'huisverbod_beeindigd', 'huisverbod_opgelegd',
    'huisverbod_verlengd', 'voorbereiding']);
  assert.deepEqual(await diagram.locator('g.wf-node.current').evaluateAll((gs) => gs.map((g) => g.dataset.state)),
    ['huisverbod_opgelegd']);
  assert.equal(await diagram.locator('g.wf-edge[data-edge="huisverbod_opleggen@voorbereiding"]').getAttribute('data-taken'),
    'true');
  await page.getByTestId('verloop').scrollIntoViewIfNeeded();
  await screenshot(page, 'zaak-huisverbod');
  await page.context().close();
});

test('a coordinator suspends a working agreement term with a reason and resumes it; a statutory term offers neither', async () => {
  const opened = await apiFetch(casus.baseUrl, 'POST', '/api/v1/cases', {token: meldpunt.token, body: {
    type: 'iaww', subject: {name: 'Ria Opschorting', birth_date: '1966-06-06'}, municipality: 'Kerkrade',
    data: {categorie: 'woonoverlast', melder_type: 'burger', wijk: 'Holz', omschrijving: 'Geluidsoverlast'}}});
  assert.equal(opened.status, 201, opened.text);
  const page = await newPage(browser);
  await login(page, casus.baseUrl, 'coordinator.kerkrade');

  // The Wvggz 14 days may not be suspended: no button.
  await page.goto(`${casus.baseUrl}/#/zaken/${caseId}`);
  const statutory = page.getByTestId('deadlines').locator('li[data-deadline=wvggz_beslissing]');
  await statutory.waitFor();
  assert.equal(await statutory.locator('button').count(), 0);

  await page.goto(`${casus.baseUrl}/#/zaken/${opened.json.id}`);
  const term = page.getByTestId('deadlines').locator('li[data-deadline=agendering]');
  await term.locator('button[data-action=suspend]').click();
  const form = term.getByTestId('suspend-form');
  // No reason: named before anything is sent.
  await form.getByRole('button', {name: 'Opschorten'}).click();
  await form.getByTestId('problem').waitFor();
  assert.equal(await form.locator('textarea').getAttribute('aria-invalid'), 'true');
  assert.deepEqual(await unlabelledFields(page), []);
  await form.getByLabel('Reden van opschorting (verplicht)').fill('Betrokkene is opgenomen in een kliniek');
  await form.getByRole('button', {name: 'Opschorten'}).click();
  await page.locator('li[data-deadline=agendering][data-suspended=true]').waitFor();
  const suspended = page.getByTestId('deadlines').locator('li[data-deadline=agendering]');
  assert.match(await suspended.textContent(), /Opgeschort/);
  assert.match(await suspended.textContent(), /Reden: Betrokkene is opgenomen in een kliniek/);
  await page.getByTestId('timeline').locator('li[data-type="deadline.suspended"]').waitFor();
  await screenshot(page, 'zaak-opgeschort');

  await suspended.locator('button[data-action=resume]').click();
  await page.locator('li[data-deadline=agendering]:not([data-suspended])').waitFor();
  await page.getByTestId('timeline').locator('li[data-type="deadline.resumed"]').waitFor();
  assert.doesNotMatch(await page.getByTestId('deadlines').locator('li[data-deadline=agendering]').textContent(),
    /Opgeschort/);
  assert.match(await page.getByTestId('timeline').textContent(), /Termijn opgeschort: Agendering/);
  assert.match(await page.getByTestId('timeline').textContent(), /Termijn hervat: Agendering/);
  await page.context().close();
});
