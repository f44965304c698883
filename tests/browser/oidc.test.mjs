// Login through an organisation's OpenID provider, in the browser: one
// Casus with two test providers (tests/oidc/provider.mjs) for two
// organisations. A full login that reaches the case list; the Casus TOTP
// step when the provider asserted no second factor; a refused ID token;
// logout through the provider's end-session endpoint and back.

import {after, before, test} from 'node:test';
import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {createHmac} from 'node:crypto';
import {mkdtemp, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {casusClientUris, startProvider} from '../oidc/provider.mjs';
import {CASUS_BIN, SOURCE_DIR, apiFetch, freePort, launchBrowser, newPage, screenshot,
  startCasus} from './harness.mjs';

const KERKRADE = 'Gemeente Kerkrade';
const POLITIE = 'Politie Limburg';
const LINKED_USER = 'agent.limburg';
const LINKED_SUBJECT = 'politie-medewerker-7';
const LINKED_PASSWORD = 'een-lang-wachtwoord-voor-de-test';
const REFUSED = /Inloggen via uw organisatie is niet gelukt/;
const LOGIN_TIMEOUT_MS = 20000;

let opA;
let opB;
let casus;
let browser;
let configDir;

function loginConfig(casusPort) {
  const provider = (op, id, label, extra) => `
    - id: ${id}
      label: ${label}
      issuer: ${op.issuer}
      client_id: ${op.clientId}
      client_secret_file: ${op.clientSecretFile}
      ca_file: ${op.caFile}
${extra}`;
  return `login:
  public_url: https://localhost:${casusPort}
  oidc:${provider(opA, 'a', KERKRADE, `      organisations: ["${KERKRADE}"]
      provisioning: roles_claim
      roles_claim: roles
      role_map: {casus-regisseur: regisseur}`)}${provider(opB, 'b', POLITIE, `      organisations: ["${POLITIE}"]`)}
`;
}

before(async () => {
  [opA, opB] = await Promise.all([startProvider({name: 'a'}), startProvider({name: 'b'})]);
  configDir = await mkdtemp(path.join(tmpdir(), 'casus-oidc-browser-'));
  const configFile = path.join(configDir, 'casus.yaml');
  const port = await freePort();
  await writeFile(configFile, loginConfig(port));
  // info: the request log lines carry the refusal reasons asserted below.
  casus = await startCasus({demo: true, configFile, port, logLevel: 'info'});
  await opA.control.setClient(casusClientUris(casus.baseUrl, 'a'));
  await opB.control.setClient(casusClientUris(casus.baseUrl, 'b'));
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await casus?.stop();
  await Promise.all([opA?.stop(), opB?.stop()]);
  if (configDir) await rm(configDir, {recursive: true, force: true});
});

// Runs a casus command against the test server's data directory; resolves
// with its standard output, rejects with its output on a non-zero exit.
function runCasus(args, input = '') {
  return new Promise((resolve, reject) => {
    const env = {...process.env, CASUS_SYNCHRONOUS: 'NORMAL', CASUS_LOG_LEVEL: 'warn'};
    delete env.CASUS_LISTEN;
    const child = spawn(CASUS_BIN, [...args, '--data-dir', casus.dataDir, '--config', casus.configFile],
      {cwd: SOURCE_DIR, env, stdio: ['pipe', 'pipe', 'pipe']});
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => { stdout += c; });
    child.stderr.on('data', (c) => { stderr += c; });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(stdout)
      : reject(new Error(`casus ${args.slice(0, 2).join(' ')} exited with ${code}: ${stderr}${stdout}`))));
    child.stdin.end(input);
  });
}

// RFC 6238 (HMAC-SHA1, 30 s steps, 6 digits) from a base32 secret.
function totpCode(base32Secret, step = Math.floor(Date.now() / 30000)) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const ch of base32Secret.replace(/=+$/, '').toUpperCase()) {
    const value = alphabet.indexOf(ch);
    if (value < 0) throw new Error('secret is not base32');
    bits += value.toString(2).padStart(5, '0');
  }
  const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha1', key).update(counter).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const number = (mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return String(number).padStart(6, '0');
}

// Every URL the page's main frame requested while navigating (redirect
// hops included), in order.
function recordNavigations(page) {
  const urls = [];
  page.on('request', (request) => {
    if (request.isNavigationRequest() && request.frame() === page.mainFrame()) urls.push(request.url());
  });
  return urls;
}

// The request log lines of the server's output for one route template.
function logLines(route) {
  return casus.log().split('\n').filter((line) => line.includes(`route="${route}"`));
}

async function waitForLogLine(route, pattern) {
  for (let i = 0; i < 100; ++i) {
    const line = logLines(route).find((l) => pattern.test(l));
    if (line) return line;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no log line for ${route} matching ${pattern}:\n${logLines(route).join('\n')}`);
}

async function openLoginPage(page) {
  await page.goto(`${casus.baseUrl}/#/login`);
  await page.locator('.page[data-page="login"] #login-providers:not([hidden])').waitFor();
}

// Logs in through provider `op` (armed by the caller) and waits for the
// shell; returns the finish response's JSON (with the session token).
async function loginThroughProvider(page, id) {
  await openLoginPage(page);
  const finished = page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/oidc/finish'),
    {timeout: LOGIN_TIMEOUT_MS});
  await page.getByTestId(`oidc-${id}`).click();
  const response = await finished;
  assert.equal(response.status(), 200);
  await page.getByTestId('current-user').waitFor({timeout: LOGIN_TIMEOUT_MS});
  return response.json();
}

test('both providers have a button; a login through one reaches the case list', async () => {
  const page = await newPage(browser);
  const visited = recordNavigations(page);
  await openLoginPage(page);
  assert.equal(await page.getByTestId('oidc-a').textContent(), KERKRADE);
  assert.equal(await page.getByTestId('oidc-b').textContent(), POLITIE);
  await screenshot(page, 'login-oidc');

  // A second factor asserted by the provider: no Casus TOTP step. An
  // unmapped role value is ignored.
  await opA.control.nextLogin({sub: 'kerkrade-regisseur-1', amr: ['pwd', 'mfa'],
    claims: {roles: ['casus-regisseur', 'iets-anders']}});
  const finished = await loginThroughProvider(page, 'a');
  assert.equal(finished.totp_required, undefined);
  assert.deepEqual(finished.user.roles, ['regisseur']);

  await page.waitForURL(/#\/zaken$/);
  await page.getByTestId('case-list').locator('tr[data-case-id], p').first().waitFor();
  assert.match(await page.getByTestId('current-user').textContent(), new RegExp(`^a-[0-9a-f]{16} · ${KERKRADE}$`));
  assert.deepEqual(await page.locator('#nav a').allTextContents(), ['Meldpunt', 'Zaken', 'Overleg', 'Dashboard']);
  assert.equal(await page.locator('#totp').count(), 0);
  // The way there: Casus's start, the provider, Casus's callback.
  const at = (prefix) => visited.findIndex((u) => u.startsWith(prefix));
  assert.ok(at(`${casus.baseUrl}/api/v1/auth/oidc/a/start`) >= 0, visited.join('\n'));
  assert.ok(at(`${opA.issuer}/`) > at(`${casus.baseUrl}/api/v1/auth/oidc/a/start`), visited.join('\n'));
  assert.ok(at(`${casus.baseUrl}/api/v1/auth/oidc/a/callback`) > at(`${opA.issuer}/`), visited.join('\n'));
  // The session and login cookies are HttpOnly.
  assert.equal(await page.evaluate(() => document.cookie), '');
  assert.equal(await page.evaluate(async () => (await fetch('/api/v1/me')).status), 200);
  await page.context().close();
});

test('without a second factor from the provider the Casus TOTP step follows', async () => {
  const added = await runCasus(['user', 'add', '--username', LINKED_USER, '--role', 'regisseur', '--org', POLITIE,
    '--org-type', 'politie', '--municipality', 'Kerkrade'], `${LINKED_PASSWORD}\n`);
  const secret = /[?&]secret=([A-Z2-7]+)/.exec(added)?.[1];
  assert.ok(secret, 'user add prints an otpauth URI with the secret');
  await runCasus(['user', 'link', LINKED_USER, '--provider', 'b', '--subject', LINKED_SUBJECT]);

  const page = await newPage(browser);
  await opB.control.nextLogin({sub: LINKED_SUBJECT, amr: ['pwd']});
  await openLoginPage(page);
  await page.getByTestId('oidc-b').click();
  await page.waitForURL(/#\/login\/oidc$/, {timeout: LOGIN_TIMEOUT_MS});
  const field = page.locator('.page[data-page="login-oidc"] #totp');
  await field.waitFor({timeout: LOGIN_TIMEOUT_MS});
  assert.equal(await page.getByTestId('current-user').count(), 0);
  await screenshot(page, 'login-oidc-totp');

  // A wrong code: refused, and the same login may try again.
  const now = Math.floor(Date.now() / 30000);
  const valid = new Set([-1, 0, 1].map((d) => totpCode(secret, now + d)));
  const wrong = ['000000', '111111', '222222', '333333'].find((c) => !valid.has(c));
  await field.fill(wrong);
  await page.getByRole('button', {name: 'Bevestigen'}).click();
  assert.match(await page.getByTestId('problem').textContent(), /De code klopt niet/);
  assert.equal(await page.getByTestId('current-user').count(), 0);

  await field.fill(totpCode(secret));
  await page.getByRole('button', {name: 'Bevestigen'}).click();
  await page.getByTestId('current-user').waitFor({timeout: LOGIN_TIMEOUT_MS});
  assert.equal(await page.getByTestId('current-user').textContent(), `${LINKED_USER} · ${POLITIE}`);
  await page.waitForURL(/#\/zaken$/);
  await page.context().close();
});

test('a refused ID token ends on the login page with the generic message', async () => {
  const page = await newPage(browser);
  const visited = recordNavigations(page);
  await opA.control.nextLogin({sub: 'kerkrade-regisseur-2', amr: ['pwd', 'mfa'], claims: {roles: ['casus-regisseur']}});
  await opA.control.tamper({mode: 'wrong_aud'});
  await openLoginPage(page);
  await page.getByTestId('oidc-a').click();
  await page.waitForURL(/#\/login\?oidc=geweigerd$/, {timeout: LOGIN_TIMEOUT_MS});
  assert.match(await page.getByTestId('problem').textContent(), REFUSED);
  assert.equal(await page.getByTestId('current-user').count(), 0);
  // The buttons are back for another try.
  await page.getByTestId('oidc-a').waitFor();
  assert.equal(await page.evaluate(async () => (await fetch('/api/v1/me')).status), 401);

  // One log line with the reason, and neither the code nor the state in it.
  const line = await waitForLogLine('GET /api/v1/auth/oidc/{provider}/callback', /outcome=oidc_wrong_aud/);
  assert.match(line, /status=302 user=- outcome=oidc_wrong_aud/);
  const callback = new URL(visited.find((u) => u.startsWith(`${casus.baseUrl}/api/v1/auth/oidc/a/callback`)));
  for (const name of ['code', 'state']) {
    const value = callback.searchParams.get(name);
    assert.ok(value, `the callback carried ${name}`);
    assert.ok(!casus.log().includes(value), `the log must not contain the ${name}`);
  }
  await page.context().close();
});

test('logout of a provider session goes through its end-session endpoint and back, logged out', async () => {
  const page = await newPage(browser);
  const visited = recordNavigations(page);
  await opA.control.nextLogin({sub: 'kerkrade-regisseur-3', amr: ['pwd', 'otp'], claims: {roles: ['casus-regisseur']}});
  const {token} = await loginThroughProvider(page, 'a');
  assert.equal((await apiFetch(casus.baseUrl, 'GET', '/api/v1/me', {token})).status, 200);

  // Casus's answer is read on its way to the page: the page navigates
  // away at once, and its body is gone after that.
  let logoutUrl;
  await page.route('**/api/v1/auth/logout', async (route) => {
    const response = await route.fetch();
    logoutUrl = (await response.json()).logout_url;
    await route.fulfill({response});
  });
  await page.getByTestId('logout').click();
  await page.waitForURL((url) => url.origin === opA.issuer || (url.origin === casus.baseUrl && url.hash === '#/melden'),
    {timeout: LOGIN_TIMEOUT_MS});
  assert.ok(logoutUrl, 'the logout answer names the provider\'s logout URL');
  const expected = new URL(logoutUrl);
  assert.equal(expected.origin, opA.issuer);
  assert.equal(expected.searchParams.get('client_id'), opA.clientId);
  assert.equal(expected.searchParams.get('post_logout_redirect_uri'), `${casus.baseUrl}/`);

  // The provider confirms by itself and sends the browser back to Casus,
  // whose start page for nobody logged in is the public form.
  await page.waitForURL(`${casus.baseUrl}/#/melden`, {timeout: LOGIN_TIMEOUT_MS});
  assert.ok(visited.includes(logoutUrl), visited.join('\n'));
  assert.equal(await page.getByTestId('current-user').count(), 0);
  assert.equal(await page.evaluate(async () => (await fetch('/api/v1/me')).status), 401);
  assert.equal((await apiFetch(casus.baseUrl, 'GET', '/api/v1/me', {token})).status, 401);
  // Ending its own session, the provider told Casus over the back channel too.
  await waitForLogLine('POST /api/v1/auth/oidc/{provider}/backchannel-logout', /status=200/);
  await page.context().close();
});
