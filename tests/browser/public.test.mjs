// The public side: a citizen reports on a phone (anonymously), gets a
// tracking code and looks it up; the form's refusals; and the static
// serving itself (CSP, vendor allowlist, traversal) over real TLS.

import {after, before, test} from 'node:test';
import assert from 'node:assert/strict';
import {apiFetch, launchBrowser, newPage, screenshot, startCasus, tabTo, unlabelledFields} from './harness.mjs';

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

// Collects console errors (CSP violations, failed loads) and page errors,
// which must stay empty. The one expected failure is the anonymous /me (401).
function watch(page) {
  const problems = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && !/status of 401/.test(m.text())) problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(e.message));
  return problems;
}

test('a citizen reports anonymously on a phone and follows the report with its tracking code', async () => {
  const page = await newPage(browser, {mobile: true});
  const problems = watch(page);
  await page.goto(`${casus.baseUrl}/`);
  // Not logged in: '/' lands on the public form.
  await page.waitForURL(/#\/melden$/);
  await page.getByLabel('Waar gaat uw melding over?').selectOption('woonoverlast');
  await page.getByLabel('Wat gebeurt er?').fill('Elke nacht harde muziek en geschreeuw bij de buren.');
  await page.getByLabel('Straat (en huisnummer)').fill('Hoofdstraat 12');
  await page.getByLabel('Wijk').fill('Centrum');
  assert.equal(await page.getByLabel('Gemeente').inputValue(), 'Kerkrade');
  assert.equal(await page.getByLabel('Ik meld anoniem (zonder contactgegevens)').isChecked(), true);
  assert.equal(await page.locator('#contact').isHidden(), true);
  await screenshot(page, 'melden');
  await page.getByRole('button', {name: 'Melding versturen'}).click();

  const code = (await page.getByTestId('tracking-code').textContent()).trim();
  assert.match(code, /^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
  await screenshot(page, 'melden-bedankt');

  await page.getByRole('link', {name: 'Status van deze melding bekijken'}).click();
  const status = page.getByTestId('report-status');
  await status.waitFor();
  assert.equal(await status.locator('[data-status]').getAttribute('data-status'), 'ontvangen');
  assert.ok((await status.textContent()).includes(code));
  await screenshot(page, 'volgen');
  assert.deepEqual(problems, []);
  await page.context().close();
});

test('the public form names what is missing and keeps the contact fields for a named report', async () => {
  const page = await newPage(browser, {mobile: true});
  await page.goto(`${casus.baseUrl}/#/melden`);
  await page.getByRole('button', {name: 'Melding versturen'}).click();
  await page.getByTestId('problem').waitFor();
  assert.equal(await page.getByLabel('Waar gaat uw melding over?').getAttribute('aria-invalid'), 'true');
  assert.equal(await page.getByLabel('Wat gebeurt er?').getAttribute('aria-invalid'), 'true');

  // Not anonymous: the contact fields appear; a malformed e-mail address is refused by the server.
  await page.getByLabel('Ik meld anoniem (zonder contactgegevens)').uncheck();
  await page.getByLabel('E-mailadres').waitFor();
  await page.getByLabel('Waar gaat uw melding over?').selectOption('jeugdoverlast');
  await page.getByLabel('Wat gebeurt er?').fill('Groep jongeren bij het winkelcentrum.');
  await page.getByLabel('Naam').fill('A. Melder');
  await page.getByLabel('E-mailadres').fill('geen-adres');
  await page.getByRole('button', {name: 'Melding versturen'}).click();
  await page.locator('#reporter-email[aria-invalid=true]').waitFor();
  assert.ok((await page.getByTestId('problem').textContent()).includes('reporter.email'));
  // The input is still there to correct.
  assert.equal(await page.getByLabel('Wat gebeurt er?').inputValue(), 'Groep jongeren bij het winkelcentrum.');
  await page.getByLabel('E-mailadres').fill('melder@example.org');
  await page.getByRole('button', {name: 'Melding versturen'}).click();
  await page.getByTestId('tracking-code').waitFor();
  await page.context().close();
});

test('the form works by keyboard alone, with a visible focus ring and a label on every field', async () => {
  const page = await newPage(browser);
  await page.goto(`${casus.baseUrl}/#/melden`);
  await page.getByLabel('Wat gebeurt er?').waitFor();
  assert.deepEqual(await unlabelledFields(page), []);
  await page.getByLabel('Ik meld anoniem (zonder contactgegevens)').uncheck();
  assert.deepEqual(await unlabelledFields(page), []);
  await page.getByLabel('Ik meld anoniem (zonder contactgegevens)').check();
  await page.evaluate(() => document.activeElement && document.activeElement.blur());

  assert.ok(await tabTo(page, 'category'), 'focus ring on the category');
  await page.keyboard.type('Woon');
  assert.equal(await page.getByLabel('Waar gaat uw melding over?').inputValue(), 'woonoverlast');
  assert.ok(await tabTo(page, 'description'));
  await page.keyboard.type('Blaffende hond, dag en nacht.');
  assert.ok(await tabTo(page, 'street'));
  await page.keyboard.type('Dorpstraat 3');
  await page.keyboard.press('Enter');  // Enter in a field sends the form, as users expect
  await page.getByTestId('tracking-code').waitFor();
  // The thank-you heading takes the focus, so a screen reader reads it next.
  assert.equal(await page.evaluate(() => document.activeElement.tagName), 'H1');
  await page.context().close();
});

test('an unknown tracking code is answered without detail', async () => {
  const page = await newPage(browser, {mobile: true});
  await page.goto(`${casus.baseUrl}/#/volgen`);
  await page.getByLabel('Volgcode').fill('AAAA-BBBB-CCCC');
  await page.getByRole('button', {name: 'Status opzoeken'}).click();
  await page.getByTestId('problem').waitFor();
  assert.ok((await page.getByTestId('problem').textContent()).includes('geen melding'));
  await page.context().close();
});

test('the server serves the app with a same-origin CSP, the vendor allowlist only, and no traversal', async () => {
  const root = await apiFetch(casus.baseUrl, 'GET', '/');
  assert.equal(root.status, 200);
  assert.match(root.headers['content-type'], /^text\/html/);
  const csp = root.headers['content-security-policy'];
  assert.match(csp, /default-src 'self'/);
  assert.match(csp, /script-src 'self';/);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
  assert.match(csp, /connect-src 'self' wss:\/\/localhost:\d+;/);
  assert.equal(root.headers['cache-control'], 'no-cache');
  assert.ok(root.headers.etag);
  const again = await apiFetch(casus.baseUrl, 'GET', '/', {headers: {'If-None-Match': root.headers.etag}});
  assert.equal(again.status, 304);

  const js = await apiFetch(casus.baseUrl, 'GET', '/app/app.js');
  assert.equal(js.status, 200);
  assert.match(js.headers['content-type'], /^text\/javascript/);
  const chart = await apiFetch(casus.baseUrl, 'GET', '/vendor/chart.js/chart.umd.js');
  assert.equal(chart.status, 200);
  assert.match(chart.text, /Chart/);
  for (const path of ['/vendor/chart.js/package.json', '/vendor/playwright-core/index.js', '/app/..%2f..%2fCMakeLists.txt',
    '/app/%2e%2e/CONTRACT.md', '/app/../../config/casus.yaml', '/web/CONTRACT.md', '/CONTRACT.md']) {
    const r = await apiFetch(casus.baseUrl, 'GET', path);
    assert.equal(r.status, 404, path);
  }
  // The API is untouched by the static layer.
  assert.equal((await apiFetch(casus.baseUrl, 'GET', '/api/v1/me')).status, 401);
});
