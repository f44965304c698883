// Login with password and TOTP: every failure gets the same message; a
// success shows the user and the menu of their role; logout ends the
// session on the server.

import {after, before, test} from 'node:test';
import assert from 'node:assert/strict';
import {DEMO_PASSWORD, demoTotp, launchBrowser, login, newPage, screenshot, startCasus} from './harness.mjs';

let casus;
let browser;
before(async () => {
  casus = await startCasus({demo: true});
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await casus?.stop();
});

async function attempt(page, username, password, totp) {
  await page.goto(`${casus.baseUrl}/#/login`);
  await page.getByLabel('Gebruikersnaam').fill(username);
  await page.getByLabel('Wachtwoord').fill(password);
  await page.getByLabel('Code uit de authenticator-app').fill(totp);
  await page.getByRole('button', {name: 'Inloggen'}).click();
  const problem = page.getByTestId('problem');
  await problem.waitFor();
  return (await problem.textContent()).trim();
}

test('wrong password, wrong code and unknown user get one and the same message', async () => {
  const page = await newPage(browser);
  const code = await demoTotp(casus.baseUrl, 'coordinator.kerkrade');
  const wrongCode = code === '000000' ? '111111' : '000000';
  const messages = [
    await attempt(page, 'coordinator.kerkrade', 'niet-het-wachtwoord', code),
    await attempt(page, 'coordinator.kerkrade', DEMO_PASSWORD, wrongCode),
    await attempt(page, 'bestaat.niet', DEMO_PASSWORD, code),
  ];
  assert.equal(new Set(messages).size, 1, messages.join(' | '));
  assert.match(messages[0], /Inloggen is niet gelukt/);
  // The secret fields are cleared; the user name stays for another try.
  assert.equal(await page.getByLabel('Wachtwoord').inputValue(), '');
  assert.equal(await page.getByLabel('Gebruikersnaam').inputValue(), 'bestaat.niet');
  await screenshot(page, 'login');
  // Empty fields are caught before anything is sent. A hash change returns
  // before the page re-rendered: wait for each page, or the click can land
  // on the old form just before it is replaced (seen under load).
  await page.goto(`${casus.baseUrl}/#/melden`);
  await page.locator('.page[data-page="melden"]').waitFor();
  await page.goto(`${casus.baseUrl}/#/login`);
  await page.locator('.page[data-page="login"] form').waitFor();
  assert.equal(await page.getByLabel('Gebruikersnaam').inputValue(), '');
  await page.getByRole('button', {name: 'Inloggen'}).click();
  assert.match(await page.getByTestId('problem').textContent(), /Vul uw gebruikersnaam/);
  await page.context().close();
});

test('a staff page asks for login first and returns there; logout ends the session', async () => {
  const page = await newPage(browser);
  await page.goto(`${casus.baseUrl}/#/zaken`);
  await page.waitForURL(/#\/login$/);
  await login(page, casus.baseUrl, 'regisseur.kerkrade');
  await page.waitForURL(/#\/zaken$/);
  await page.getByTestId('case-list').locator('tr[data-case-id], p').first().waitFor();
  await screenshot(page, 'zaken');
  assert.match(await page.getByTestId('current-user').textContent(), /regisseur\.kerkrade · Gemeente Kerkrade/);
  const menu = await page.locator('#nav a').allTextContents();
  assert.deepEqual(menu, ['Meldpunt', 'Zaken', 'Overleg', 'Dashboard']);
  assert.equal(await page.locator('#nav a[href="#/privacy"]').count(), 0);
  // The session cookie is HttpOnly: scripts cannot read it.
  assert.equal(await page.evaluate(() => document.cookie), '');
  assert.equal((await page.evaluate(async () => (await fetch('/api/v1/me')).status)), 200);

  await page.getByTestId('logout').click();
  await page.waitForURL(/#\/login$/);
  assert.equal((await page.evaluate(async () => (await fetch('/api/v1/me')).status)), 401);
  assert.deepEqual(await page.locator('#nav a').allTextContents(), ['Melding doen', 'Melding volgen', 'Inloggen']);
  await page.context().close();
});
