// Workflow diagrams and the live case page. #/workflows draws every
// workflow that /api/v1/workflows lists, with a node for every state, and
// names its loaded versions; a case page draws the version its case is
// pinned to with the current state highlighted and the path taken traced;
// and what someone else does (a note and a transition in their page, an
// afspraak over the API) shows on an open case page without a reload,
// while what the user is typing stays. One server and browser for all.
//
// Not covered here: a case pinned to an older version than the latest.
// That needs two runs of the server over one data directory (open the case,
// raise the file's version, start again), which the harness does not offer
// (startCasus always starts on a fresh data directory and stop() removes
// it); tests/api_handlers/workflows_api_test.cc covers the API side.

import {after, before, test} from 'node:test';
import assert from 'node:assert/strict';
import {apiFetch, apiLogin, launchBrowser, login, newPage, screenshot, startCasus} from './harness.mjs';

let casus;
let browser;
let meldpunt;   // API session of meldpunt.kerkrade: opens the case, takes steps "behind the browser's back"
let regisseur;  // a page of regisseur.kerkrade, logged in once and shared by the case tests
let caseId;

async function transition(id, name, data = {}) {
  const current = await apiFetch(casus.baseUrl, 'GET', `/api/v1/cases/${id}`, {token: meldpunt.token});
  const r = await apiFetch(casus.baseUrl, 'POST', `/api/v1/cases/${id}/transitions`,
    {token: meldpunt.token, body: {transition: name, version: current.json.version, data}});
  assert.equal(r.status, 200, r.text);
  return r.json;
}

// Whether a transition changes the level: the API sends null or {change: raise|lower|set, level}.
const changesLevel = (t) => Boolean(t.level && t.level.change);

before(async () => {
  casus = await startCasus({demo: true});
  browser = await launchBrowser();
  meldpunt = await apiLogin(casus.baseUrl, 'meldpunt.kerkrade');
  const opened = await apiFetch(casus.baseUrl, 'POST', '/api/v1/cases', {token: meldpunt.token, body: {
    type: 'wvggz', subject: {name: 'Anna Diagram', birth_date: '1981-05-06'}, municipality: 'Kerkrade',
    data: {melder_type: 'naaste', melder_is_essentiele_naaste: true, aanleiding: 'Buurvrouw maakt zich zorgen.'}}});
  assert.equal(opened.status, 201, opened.text);
  caseId = opened.json.id;
  await transition(caseId, 'verrijking_starten');
  await transition(caseId, 'informatie_toevoegen', {informatie: 'Huisarts: bekend met psychoses.'});
  await transition(caseId, 'vrijwillige_zorg_inzetten', {zorgaanbieder: 'Mondriaan bemoeizorg'});
});
after(async () => {
  await browser?.close();
  await casus?.stop();
});

test('#/workflows draws every loaded workflow with a node for each state and its level marks', async () => {
  const listed = await apiFetch(casus.baseUrl, 'GET', '/api/v1/workflows', {token: meldpunt.token});
  assert.equal(listed.status, 200, listed.text);
  const workflows = listed.json.workflows;
  assert.ok(workflows.length >= 4, `only ${workflows.length} workflows`);

  const page = await newPage(browser);
  // The functioneel beheerder lands on the workflows page and has it in the menu.
  await login(page, casus.baseUrl, 'beheer.kerkrade');
  await page.waitForURL(/#\/workflows$/);
  assert.ok((await page.locator('#nav a').allTextContents()).includes('Werkprocessen'));
  await page.locator('[data-testid=workflow-list][data-drawn=true]').waitFor({timeout: 60000});

  for (const wf of workflows) {
    const row = page.getByTestId('workflow-table').locator(`tr[data-workflow="${wf.id}"]`);
    assert.match(await row.textContent(), new RegExp(`${wf.id}.*${wf.version}`));
    // Its loaded versions are named; the latest is the one drawn.
    assert.ok(Array.isArray(wf.versions) && wf.versions.includes(wf.version), `${wf.id}: versions ${wf.versions}`);
    const entry = page.getByTestId('workflow-list').locator(`li[data-workflow="${wf.id}"]`);
    assert.equal(await entry.getAttribute('data-versions'), [...wf.versions].sort((a, b) => b - a).join(' '));
    assert.match(await entry.textContent(), new RegExp(`geladen versies? ${wf.versions.join(', ')}`));
    const older = wf.versions.filter((v) => v !== wf.version);
    assert.equal((await row.getByTestId('older-versions').textContent()).trim(),
      older.length ? older.sort((a, b) => b - a).join(', ') : '—');
    const chooser = entry.getByTestId('workflow-version');
    if (wf.versions.length > 1) {
      assert.deepEqual(await chooser.locator('option').evaluateAll((os) => os.map((o) => Number(o.value))),
        [...wf.versions].sort((a, b) => b - a));
      assert.equal(await chooser.inputValue(), String(wf.version));
    } else {
      assert.equal(await chooser.count(), 0, `${wf.id}: nothing to choose from`);
    }
    assert.equal(await entry.locator(`[data-testid=workflow-drawing][data-version="${wf.version}"] ` +
      `[data-testid=workflow-diagram][data-workflow="${wf.id}"]`).count(), 1, `${wf.id}: latest drawn`);
    const figure = page.locator(`[data-testid=workflow-diagram][data-workflow="${wf.id}"]`);
    assert.equal(await figure.count(), 1, `no diagram for ${wf.id}`);
    // Every state has a node that was really laid out and drawn, and nothing else is a state node.
    const nodes = await figure.locator('svg g.wf-node').evaluateAll((gs) => gs.map((g) => {
      const box = g.getBBox();
      return {state: g.dataset.state, cls: g.getAttribute('class'), w: box.width, h: box.height};
    }));
    assert.deepEqual(nodes.map((n) => n.state).sort(), wf.states.map((s) => s.id).sort(), wf.id);
    for (const n of nodes) assert.ok(n.w > 20 && n.h > 10, `${wf.id}.${n.state} not drawn: ${JSON.stringify(n)}`);
    const initial = wf.states.find((s) => s.initial) || wf.states[0];
    assert.match(nodes.find((n) => n.state === initial.id).cls, /\binitial\b/, `${wf.id}: initial state`);
    for (const s of wf.states.filter((x) => x.terminal)) {
      assert.match(nodes.find((n) => n.state === s.id).cls, /\bterminal\b/, `${wf.id}.${s.id}: terminal`);
    }
    // Every transition shows: an edge per state it leaves from, or a line
    // inside the state it keeps the case in; a level change carries a mark.
    for (const t of wf.transitions) {
      const froms = Array.isArray(t.from) ? t.from : [t.from];
      assert.ok(froms.length > 0 && froms[0], `${wf.id}.${t.name}: the API sends no 'from'`);
      for (const from of froms) {
        const stays = !t.to || t.to === from;
        const el = stays
          ? figure.locator(`g.wf-node[data-state="${from}"] g.wf-stay[data-transition="${t.name}"]`)
          : figure.locator(`g.wf-edge[data-edge="${t.name}@${from}"][data-to="${t.to}"]`);
        assert.equal(await el.count(), 1, `${wf.id}: ${t.name} from ${from}`);
        const mark = stays ? el.locator('.wf-level')
          : figure.locator(`g.wf-edge-label[data-edge="${t.name}@${from}"] .wf-level`);
        assert.equal(await mark.count(), changesLevel(t) ? 1 : 0, `${wf.id}: level mark of ${t.name} from ${from}`);
      }
    }
    // The ladder beside it, lowest level first.
    assert.deepEqual(await figure.getByTestId('workflow-ladder').locator('li').evaluateAll((lis) => lis.map((li) => li.dataset.level)),
      wf.levels.map((l) => l.id));
  }
  await screenshot(page, 'werkprocessen');
  await page.context().close();
});

test('every listed version is served by path in the same form, and nothing else is', async () => {
  const listed = (await apiFetch(casus.baseUrl, 'GET', '/api/v1/workflows', {token: meldpunt.token})).json.workflows;
  for (const wf of listed) {
    for (const version of wf.versions) {
      const one = await apiFetch(casus.baseUrl, 'GET', `/api/v1/workflows/${wf.id}/${version}`, {token: meldpunt.token});
      assert.equal(one.status, 200, one.text);
      assert.equal(one.json.id, wf.id);
      assert.equal(one.json.version, version);
      assert.deepEqual(one.json.versions, wf.versions);
      if (version === wf.version) assert.deepEqual(one.json, wf);
    }
    const beyond = Math.max(...wf.versions) + 1;
    const missing = await apiFetch(casus.baseUrl, 'GET', `/api/v1/workflows/${wf.id}/${beyond}`, {token: meldpunt.token});
    assert.equal(missing.status, 404, missing.text);
  }
  for (const version of ['abc', '0', '-1']) {
    const bad = await apiFetch(casus.baseUrl, 'GET', `/api/v1/workflows/wvggz/${version}`, {token: meldpunt.token});
    assert.equal(bad.status, 400, `${version}: ${bad.text}`);
  }
  assert.equal((await apiFetch(casus.baseUrl, 'GET', '/api/v1/workflows/onbekend/1', {token: meldpunt.token})).status, 404);
  assert.equal((await apiFetch(casus.baseUrl, 'GET', '/api/v1/workflows/wvggz/1')).status, 401);
});

test('the case page draws its workflow with the current state highlighted and the path taken traced', async () => {
  const kase = (await apiFetch(casus.baseUrl, 'GET', `/api/v1/cases/${caseId}`, {token: meldpunt.token})).json;
  assert.ok(Number.isInteger(kase.definition_version), JSON.stringify(kase.definition_version));
  regisseur = await newPage(browser);
  await login(regisseur, casus.baseUrl, 'regisseur.kerkrade');
  await regisseur.goto(`${casus.baseUrl}/#/zaken/${caseId}`);
  const diagram = regisseur.getByTestId('verloop').getByTestId('workflow-diagram');
  await diagram.locator('svg').waitFor({timeout: 60000});
  // The version the case is pinned to, without a warning that another one is drawn.
  assert.equal(await diagram.getAttribute('data-version'), String(kase.definition_version));
  assert.equal(await regisseur.getByTestId('verloop').locator('.warning').count(), 0);
  const current = await diagram.locator('g.wf-node.current').evaluateAll((gs) => gs.map((g) => g.dataset.state));
  assert.deepEqual(current, ['vrijwillige_zorg']);
  const visited = await diagram.locator('g.wf-node[data-visited=true]').evaluateAll((gs) => gs.map((g) => g.dataset.state));
  assert.deepEqual(visited.sort(), ['melding_ontvangen', 'verrijking', 'vrijwillige_zorg']);
  const taken = await diagram.locator('g.wf-edge[data-taken=true]').evaluateAll((gs) => gs.map((g) => g.dataset.edge));
  assert.deepEqual(taken.sort(), ['verrijking_starten@melding_ontvangen', 'vrijwillige_zorg_inzetten@verrijking']);
  // The step that kept the case in its state is marked inside that state.
  assert.equal(await diagram.locator('g.wf-node[data-state=verrijking] g.wf-stay[data-transition=informatie_toevoegen][data-taken=true]').count(), 1);
  // The current level is marked on the ladder.
  assert.equal(await diagram.locator('[data-testid=workflow-ladder] li.current').getAttribute('data-level'), 'regulier');
  await regisseur.getByTestId('verloop').scrollIntoViewIfNeeded();
  await screenshot(regisseur, 'zaak-verloop');
});

test('two users: a note, an afspraak and a transition by others appear on an open case page without a reload', async () => {
  const coordinator = await newPage(browser);
  await login(coordinator, casus.baseUrl, 'coordinator.kerkrade');
  const sockets = [];
  coordinator.on('websocket', (ws) => sockets.push({ws, closed: new Promise((resolve) => ws.on('close', resolve))}));
  await coordinator.goto(`${casus.baseUrl}/#/zaken/${caseId}`);
  await regisseur.goto(`${casus.baseUrl}/#/zaken/${caseId}`);
  for (const page of [coordinator, regisseur]) {
    await page.locator('[data-testid=live-status][data-state=verbonden]').waitFor();
    await page.getByTestId('case-state').waitFor();
    // Marks this document: a reload would lose it.
    await page.evaluate(() => { window.casusNoReload = true; });
  }
  // The coordinator is half-way through a note of their own.
  await coordinator.getByLabel('Notitie toevoegen').fill('Concept: nog niet opslaan');

  // The regisseur adds a note through the page.
  await regisseur.getByLabel('Notitie toevoegen').fill('Huisbezoek gepland met de wijkagent.');
  await regisseur.getByRole('button', {name: 'Notitie opslaan'}).click();
  await coordinator.getByTestId('timeline').locator('li[data-kind=note]', {hasText: 'Huisbezoek gepland met de wijkagent.'})
    .waitFor();
  assert.equal(await coordinator.getByLabel('Notitie toevoegen').inputValue(), 'Concept: nog niet opslaan');

  // The meldpunt records an afspraak over the API: both pages show it.
  const orgs = (await apiFetch(casus.baseUrl, 'GET', '/api/v1/organisations', {token: meldpunt.token})).json.organisations;
  const kerkrade = orgs.find((o) => o.name === 'Gemeente Kerkrade');
  const action = await apiFetch(casus.baseUrl, 'POST', `/api/v1/cases/${caseId}/actions`, {token: meldpunt.token,
    body: {description: 'Gesprek met de zorgaanbieder plannen', owner_org: kerkrade.id, due_at: '2099-03-01T16:00:00Z'}});
  assert.equal(action.status, 201, action.text);
  for (const page of [coordinator, regisseur]) {
    await page.getByTestId('actions').locator('li', {hasText: 'Gesprek met de zorgaanbieder plannen'}).waitFor();
  }

  // The regisseur closes the case through the page: the coordinator's page
  // follows, diagram included.
  await regisseur.getByTestId('transitions').locator('button[data-transition=afsluiten]').click();
  const form = regisseur.getByTestId('transition-form');
  await form.getByLabel('Reden van afsluiten').fill('Zorg loopt, geen rol meer voor de gemeente.');
  await form.getByRole('button', {name: 'Bevestigen'}).click();
  for (const page of [coordinator, regisseur]) {
    await page.locator('[data-testid=case-state][data-state=afgesloten]').waitFor();
    await page.locator('[data-testid=verloop] g.wf-node.current[data-state=afgesloten]').waitFor();
    assert.equal(await page.locator('[data-testid=verloop] g.wf-edge[data-edge="afsluiten@vrijwillige_zorg"]')
      .getAttribute('data-taken'), 'true');
    assert.ok(await page.getByTestId('timeline').locator('[data-type="case.transitioned"]').count() >= 3);
    assert.equal(await page.evaluate(() => window.casusNoReload), true, 'the page was reloaded');
  }
  assert.equal(await coordinator.getByLabel('Notitie toevoegen').inputValue(), 'Concept: nog niet opslaan');
  await screenshot(coordinator, 'zaak-live');

  // Leaving the case page closes its live stream.
  assert.ok(sockets.length >= 1);
  await coordinator.goto(`${casus.baseUrl}/#/zaken`);
  await coordinator.getByTestId('case-list').waitFor();
  await Promise.all(sockets.map((s) => s.closed));
  await coordinator.context().close();
  await regisseur.context().close();
});
