// Browser test harness: a real `casus serve` on loopback TLS with a fresh
// data directory, and Debian's headless Chromium driven by playwright-core.
// See web/CONTRACT.md. The casus binary comes from $CASUS_BIN (set by
// ctest), else build/cli/casus of this source tree.

import {spawn, execFile} from 'node:child_process';
import {mkdtemp, mkdir, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {promisify} from 'node:util';
import {chromium} from 'playwright-core';

const execFileAsync = promisify(execFile);
export const SOURCE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CASUS_BIN = process.env.CASUS_BIN || path.join(SOURCE_DIR, 'build', 'cli', 'casus');
export const CHROMIUM = process.env.CASUS_CHROMIUM || '/usr/bin/chromium';
export const DEMO_PASSWORD = 'demo-wachtwoord';
const SERVER_START_TIMEOUT_MS = 30000;

// Running servers by base URL, so login() can find the data dir.
const servers = new Map();

function serverEnv(dataDir) {
  const env = {...process.env, CASUS_DATA_DIR: dataDir, CASUS_SYNCHRONOUS: 'NORMAL', CASUS_LOG_LEVEL: 'warn'};
  delete env.CASUS_LISTEN;
  return env;
}

// Starts `casus serve` on 127.0.0.1 with a free port on a fresh data dir
// (`casus init --demo` first when demo). Resolves once the server listens.
// Options for tests that need more: `configFile` (passed as --config to
// init and serve), `port` (a fixed port, e.g. from freePort(), when the
// configuration must name Casus's address before it starts) and
// `logLevel` (CASUS_LOG_LEVEL; the output stays readable via log()).
export async function startCasus({demo = true, configFile, port: fixedPort = 0, logLevel} = {}) {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'casus-browser-'));
  const env = serverEnv(dataDir);
  if (logLevel) env.CASUS_LOG_LEVEL = logLevel;
  const configArgs = configFile ? ['--config', configFile] : [];
  const opts = {cwd: SOURCE_DIR, env, maxBuffer: 4 << 20};
  await execFileAsync(CASUS_BIN, ['init', '--data-dir', dataDir, ...configArgs, ...(demo ? ['--demo'] : [])], opts);

  const child = spawn(CASUS_BIN, ['serve', '--data-dir', dataDir, ...configArgs, '--listen', `127.0.0.1:${fixedPort}`],
    {cwd: SOURCE_DIR, env, stdio: ['ignore', 'pipe', 'pipe']});
  let output = '';
  const port = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`casus serve did not start in time:\n${output}`)),
      SERVER_START_TIMEOUT_MS);
    const onData = (chunk) => {
      output += chunk.toString();
      if (output.length > 1 << 20) output = output.slice(-65536);
      const m = output.match(/listens on https:\/\/[^:]+:(\d+)\//);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`casus serve exited with ${code}:\n${output}`));
    });
  });
  // Keep draining the pipes so the server never blocks on a full pipe;
  // the latest output stays available to log() (bounded).
  child.stdout.removeAllListeners('data');
  child.stderr.removeAllListeners('data');
  child.removeAllListeners('exit');
  const keep = (chunk) => {
    output += chunk.toString();
    if (output.length > 1 << 20) output = output.slice(-(1 << 19));
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);

  const baseUrl = `https://localhost:${port}`;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const instance = {
    baseUrl, dataDir, port, configFile,
    // The server's output so far (stdout and stderr, the latest MiB at most).
    log: () => output,
    async stop() {
      servers.delete(baseUrl);
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        const killer = setTimeout(() => child.kill('SIGKILL'), 15000);
        await exited;
        clearTimeout(killer);
      }
      await rm(dataDir, {recursive: true, force: true});
    },
  };
  servers.set(baseUrl, instance);
  return instance;
}

// A TCP port free on 127.0.0.1 right now (bound and released), for a
// server whose address must be known before it starts.
export async function freePort() {
  const {createServer} = await import('node:net');
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const {port} = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

// Headless Debian Chromium. playwright gives every launch a fresh, temporary
// profile (user data dir), removed on close.
export async function launchBrowser() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
}

// A browser context that accepts the server's self-signed certificate.
export async function newPage(browser, {mobile = false} = {}) {
  const context = await browser.newContext({
    ignoreHTTPSErrors: true,
    locale: 'nl-NL',
    timezoneId: 'Europe/Amsterdam',
    viewport: mobile ? {width: 390, height: 844} : {width: 1280, height: 900},
    isMobile: mobile,
    hasTouch: mobile,
  });
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error(`[page error] ${e.message}`));
  return page;
}

// The current TOTP code of a demo account of the server at `baseUrl`.
export async function demoTotp(baseUrl, username) {
  const server = servers.get(baseUrl);
  if (!server) throw new Error(`no casus server started for ${baseUrl}`);
  const {stdout} = await execFileAsync(CASUS_BIN, ['demo', 'totp', '--username', username, '--data-dir',
    server.dataDir], {cwd: SOURCE_DIR, env: serverEnv(server.dataDir)});
  return stdout.trim();
}

// Logs `username` in through the login page (demo password and current
// TOTP code) and waits until the shell shows the user. A TOTP code works
// once; when this account already used the current one, waits for the next.
export async function login(page, baseUrl, username) {
  for (let attempt = 0; attempt < 2; ++attempt) {
    await page.goto(`${baseUrl}/#/login`);
    await page.getByLabel('Gebruikersnaam').fill(username);
    await page.getByLabel('Wachtwoord').fill(DEMO_PASSWORD);
    await page.getByLabel('Code uit de authenticator-app').fill(await demoTotp(baseUrl, username));
    await page.getByRole('button', {name: 'Inloggen'}).click();
    const outcome = await Promise.race([
      page.waitForSelector('[data-testid=current-user]', {timeout: 15000}).then(() => 'ok'),
      page.waitForSelector('[data-testid=problem]', {timeout: 15000}).then(() => 'refused'),
    ]);
    if (outcome === 'ok') return;
    const waitMs = 30000 - (Date.now() % 30000) + 500;
    await new Promise((r) => setTimeout(r, waitMs));
  }
  throw new Error(`login of ${username} failed twice`);
}

// Logs in over the API (for changes a test makes "behind the browser's
// back"); returns {token, csrf_token, user}.
export async function apiLogin(baseUrl, username) {
  for (let attempt = 0; attempt < 2; ++attempt) {
    const totp = await demoTotp(baseUrl, username);
    const r = await apiFetch(baseUrl, 'POST', '/api/v1/auth/login', {body: {username, password: DEMO_PASSWORD, totp}});
    if (r.status === 200) return r.json;
    await new Promise((res) => setTimeout(res, 30000 - (Date.now() % 30000) + 500));
  }
  throw new Error(`API login of ${username} failed twice`);
}

// fetch against the test server (self-signed certificate): {status, json, text, headers}.
export async function apiFetch(baseUrl, method, pathname, {body, token, headers = {}} = {}) {
  const {Agent} = await import('node:https');
  const agent = new Agent({rejectUnauthorized: false});
  const url = new URL(pathname, baseUrl);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const allHeaders = {...headers};
  if (payload !== undefined) allHeaders['Content-Type'] = 'application/json';
  if (token) allHeaders.Authorization = `Bearer ${token}`;
  const {request} = await import('node:https');
  return new Promise((resolve, reject) => {
    const req = request(url, {method, agent, headers: allHeaders}, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => { text += c; });
      res.on('end', () => {
        let json = null;
        try { json = text ? JSON.parse(text) : null; } catch { json = null; }
        resolve({status: res.statusCode, headers: res.headers, text, json});
      });
    });
    req.on('error', reject);
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}

// Saves a full-page screenshot as <dir>/<name>.png, dir from
// $CASUS_SCREENSHOT_DIR or build/screenshots/.
export async function screenshot(page, name) {
  const dir = process.env.CASUS_SCREENSHOT_DIR || path.join(SOURCE_DIR, 'build', 'screenshots');
  await mkdir(dir, {recursive: true});
  const file = path.join(dir, `${name}.png`);
  await page.screenshot({path: file, fullPage: true});
  return file;
}

// Form controls on the page without a <label> (WCAG 1.3.1 / 4.1.2): their
// ids or names; [] when every visible field is labelled.
export async function unlabelledFields(page) {
  return page.evaluate(() => [...document.querySelectorAll('input, select, textarea')]
    .filter((el) => el.type !== 'hidden' && el.offsetParent !== null && (!el.labels || el.labels.length === 0)
      && !el.getAttribute('aria-label'))
    .map((el) => el.id || el.name || el.outerHTML.slice(0, 60)));
}

// Presses Tab until the element with `id` has focus (at most `limit` times);
// returns whether the focus ring is visible there.
export async function tabTo(page, id, limit = 40) {
  for (let i = 0; i < limit; ++i) {
    await page.keyboard.press('Tab');
    const here = await page.evaluate(() => document.activeElement && document.activeElement.id);
    if (here === id) {
      return page.evaluate(() => {
        const s = getComputedStyle(document.activeElement);
        return s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
      });
    }
  }
  throw new Error(`Tab never reached #${id}`);
}
