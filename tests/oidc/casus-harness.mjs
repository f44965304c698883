// One real Casus server (`casus serve`, its own self-signed TLS) and two
// real OpenID Providers (provider.mjs) for Casus's OIDC end-to-end tests.
//
//   const h = await startCasusHarness();
//   // h.a: provider a -> Gemeente Kerkrade, provisioning roles_claim
//   // h.b: provider b -> Politie Limburg, provisioning without_roles
//   await h.a.control.nextLogin({sub: 'p-1', amr: ['pwd', 'mfa']});
//   const agent = h.newAgent();
//   const landed = await h.loginVia(h.a, agent);   // follows every redirect
//   const done = await h.finish(agent);            // POST /api/v1/auth/oidc/finish
//   ...; await h.stop();
//
// Casus runs from the repository root (its default configuration names
// workflows/ relative to it) on a fresh data directory made by
// `casus init --demo`, with CASUS_LOG_LEVEL=info so that every request
// writes its log line; stdout and stderr are kept line by line for the
// log assertions (CASUS_E2E_LOG=FILE keeps them after the run). restart() stops Casus and starts it again on the same
// port and data directory with another configuration.

import {execFile, spawn} from 'node:child_process';
import {mkdtemp, rm, writeFile} from 'node:fs/promises';
import net from 'node:net';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {createAgent} from './oidc-client.mjs';
import {casusClientUris, startProvider} from './provider.mjs';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const CASUS_BIN = process.env.CASUS_BIN || path.join(REPO_ROOT, 'build/cli/casus');
export const KERKRADE = 'Gemeente Kerkrade';
export const POLICE = 'Politie Limburg';
export const DEMO_PASSWORD = 'demo-wachtwoord';
export const MFA_ACR = 'urn:example:mfa';
export const ROLE_MAP = Object.freeze({'casus-regisseur': 'regisseur', 'casus-coordinator': 'coordinator'});

const READY_LINE = /listening on https:\/\//;
const START_TIMEOUT_MS = 20000;
const STOP_TIMEOUT_MS = 10000;
const LOG_WAIT_MS = 5000;
export const CALLBACK_ROUTE = 'route="GET /api/v1/auth/oidc/{provider}/callback"';

// A port nobody listens on now (Casus's public_url needs it before it starts).
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const {port} = server.address();
      server.close(() => resolve(port));
    });
  });
}

// Runs the casus CLI from the repository root; `input` goes to its stdin.
// Resolves with {code, stdout, stderr} whatever the exit code.
export function runCli(args, {input} = {}) {
  return new Promise((resolve, reject) => {
    const child = execFile(CASUS_BIN, args, {cwd: REPO_ROOT, env: casusEnv(), timeout: 30000},
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') return reject(error);
        resolve({code: error ? error.code : 0, stdout, stderr});
      });
    child.stdin.end(input ?? '');
  });
}

function casusEnv() {
  return {...process.env, CASUS_SYNCHRONOUS: 'NORMAL', CASUS_LOG_LEVEL: 'info'};
}

const yamlText = (s) => JSON.stringify(s); // JSON strings are YAML flow scalars
const yamlList = (items) => `[${items.map(yamlText).join(', ')}]`;

function providerYaml(op, {label, organisations, provisioning, roleMap}) {
  const lines = [
    `    - id: ${op.name}`,
    `      label: ${yamlText(label)}`,
    `      issuer: ${yamlText(op.issuer)}`,
    `      client_id: ${yamlText(op.clientId)}`,
    `      client_secret_file: ${yamlText(op.clientSecretFile)}`,
    '      scopes: [openid]',
    `      organisations: ${yamlList(organisations)}`,
    `      provisioning: ${provisioning}`,
    `      mfa_acr: ${yamlList([MFA_ACR])}`,
    `      ca_file: ${yamlText(op.caFile)}`,
    '      clock_skew_seconds: 60',
  ];
  if (roleMap) {
    lines.push('      roles_claim: roles');
    const pairs = Object.entries(roleMap).map(([claimValue, role]) => `${yamlText(claimValue)}: ${yamlText(role)}`);
    lines.push(`      role_map: {${pairs.join(', ')}}`);
  }
  return lines.join('\n');
}

function lineHasOutcome(line, outcome) {
  return line.includes(` outcome=${outcome} `);
}

export async function startCasusHarness() {
  const cleanups = [];
  const h = {lines: []};
  let providers = [];
  try {
    h.dataDir = await mkdtemp(path.join(tmpdir(), 'casus-oidc-e2e-'));
    cleanups.push(() => rm(h.dataDir, {recursive: true, force: true}));
    // The demo data takes seconds (password hashes): the providers start meanwhile.
    providers = [startProvider({name: 'a'}), startProvider({name: 'b'})];
    for (const started of providers) started.then((op) => cleanups.push(() => op.stop()), () => {});
    const [init, a, b] = await Promise.all([runCli(['init', '--data-dir', h.dataDir, '--demo']), ...providers]);
    if (init.code !== 0) throw new Error(`casus init --demo failed (${init.code}): ${init.stderr}`);
    h.a = a;
    h.b = b;
    h.port = await freePort();
    h.base = `https://localhost:${h.port}`;
    h.casusCert = path.join(h.dataDir, 'tls-cert.pem');
  } catch (e) {
    await Promise.allSettled(providers); // each one that started is in cleanups then
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
    throw e;
  }

  let child = null;
  let configCount = 0;
  // Should the test process end without after() (a crash, a timeout), no
  // server is left behind.
  const killOnExit = () => child?.kill('SIGKILL');
  process.once('exit', killOnExit);

  // The configuration's text. Defaults: a -> Kerkrade with roles from the
  // `roles` claim, b -> the police without roles.
  h.configYaml = ({aProvisioning = 'roles_claim', bOrganisations = [POLICE], localAccountsDisabledFor = []} = {}) => [
    'login:',
    `  public_url: ${yamlText(h.base)}`,
    `  local_accounts_disabled_for: ${yamlList(localAccountsDisabledFor)}`,
    '  oidc:',
    providerYaml(h.a, {label: KERKRADE, organisations: [KERKRADE], provisioning: aProvisioning, roleMap: ROLE_MAP}),
    providerYaml(h.b, {label: POLICE, organisations: bOrganisations, provisioning: 'without_roles'}),
    '',
  ].join('\n');

  h.writeConfig = async (options) => {
    const file = path.join(h.dataDir, `config-${++configCount}.yaml`);
    await writeFile(file, h.configYaml(options));
    return file;
  };

  const startCasus = async (options) => {
    h.configFile = await h.writeConfig(options);
    const proc = spawn(CASUS_BIN, ['serve', '--data-dir', h.dataDir, '--config', h.configFile,
      '--listen', `127.0.0.1:${h.port}`], {cwd: REPO_ROOT, env: casusEnv(), stdio: ['ignore', 'pipe', 'pipe']});
    child = proc;
    const exited = new Promise((resolve) => proc.once('exit', (code, signal) => resolve({code, signal})));
    proc.exited = exited;
    let ready;
    const readyPromise = new Promise((resolve) => {
      ready = resolve;
    });
    for (const stream of [proc.stdout, proc.stderr]) {
      let pending = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk) => {
        pending += chunk;
        const parts = pending.split('\n');
        pending = parts.pop();
        for (const line of parts) {
          h.lines.push(line);
          if (READY_LINE.test(line)) ready();
        }
      });
    }
    let timer;
    const outcome = await Promise.race([
      readyPromise.then(() => 'ready'),
      exited.then(({code, signal}) => `exited (${code ?? signal})`),
      new Promise((resolve) => {
        timer = setTimeout(() => resolve(`not ready in ${START_TIMEOUT_MS} ms`), START_TIMEOUT_MS);
      }),
    ]);
    clearTimeout(timer);
    if (outcome !== 'ready') {
      proc.kill('SIGKILL');
      throw new Error(`casus serve ${outcome}:\n${h.lines.slice(-20).join('\n')}`);
    }
  };

  const stopCasus = async () => {
    if (!child) return;
    const proc = child;
    child = null;
    if (proc.exitCode !== null || proc.signalCode !== null) return;
    proc.kill('SIGTERM');
    let timer;
    const stopped = await Promise.race([proc.exited.then(() => true),
      new Promise((resolve) => {
        timer = setTimeout(() => resolve(false), STOP_TIMEOUT_MS);
      })]);
    clearTimeout(timer);
    if (!stopped) {
      proc.kill('SIGKILL');
      await proc.exited;
    }
  };

  try {
    await startCasus();
    await Promise.all([h.a, h.b].map((op) => op.control.setClient({
      ...casusClientUris(h.base, op.name), backchannel_ca_file: h.casusCert})));
  } catch (e) {
    await stopCasus();
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
    throw e;
  }

  // Stops Casus and starts it on the same port and data directory with
  // the configuration of `options` (see configYaml).
  h.restart = async (options) => {
    await stopCasus();
    await startCasus(options);
  };

  h.stop = async () => {
    await stopCasus();
    process.off('exit', killOnExit);
    // For a look at what Casus logged: CASUS_E2E_LOG=/some/file.
    if (process.env.CASUS_E2E_LOG) await writeFile(process.env.CASUS_E2E_LOG, `${h.lines.join('\n')}\n`);
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
  };

  // --data-dir and --config of the running server, for CLI commands.
  h.cliArgs = () => ['--data-dir', h.dataDir, '--config', h.configFile];

  // A browser-like agent trusting both providers and Casus.
  h.newAgent = () => createAgent({caFiles: [h.a.caFile, h.b.caFile, h.casusCert]});

  h.startUrl = (op) => `${h.base}/api/v1/auth/oidc/${op.name}/start`;
  h.callbackPath = (op) => `/api/v1/auth/oidc/${op.name}/callback`;

  // The whole login at `op` (armed with nextLogin first): start, the
  // provider's redirects, the callback, the landing page. The last
  // response with its chain; landedAt is the callback's Location.
  h.loginVia = async (op, agent) => {
    const response = await agent.get(h.startUrl(op));
    const callback = response.chain.find((hop) => new URL(hop.url).pathname === h.callbackPath(op));
    return {...response, callback, landedAt: callback?.location};
  };

  // Like a browser up to the provider's redirect back, without sending it:
  // {callbackUrl, startResponse}; the casus_oidc cookie stays in the agent.
  h.walkToCallback = async (op, agent) => {
    let url = h.startUrl(op);
    const startResponse = await agent.request('GET', url);
    for (let hop = 0; hop < 10; ++hop) {
      const response = hop === 0 ? startResponse : await agent.request('GET', url);
      if (response.status < 300 || response.status >= 400 || !response.headers.location) {
        throw new Error(`no redirect to the callback: ${response.status} at ${url}`);
      }
      const next = new URL(response.headers.location, url);
      if (next.origin === h.base && next.pathname === h.callbackPath(op)) {
        return {callbackUrl: next.href, startResponse};
      }
      url = next.href;
    }
    throw new Error('too many redirects before the callback');
  };

  const withJson = (response) => {
    let json;
    try {
      json = response.body ? JSON.parse(response.body) : undefined;
    } catch {
      json = undefined;
    }
    return {...response, json};
  };

  // POST /api/v1/auth/oidc/finish with the agent's handover cookie.
  h.finish = async (agent, body = {}) =>
    withJson(await agent.request('POST', `${h.base}/api/v1/auth/oidc/finish`, body));

  // A call with a bearer token only (no cookies).
  h.api = async (method, apiPath, {token, body} = {}) => {
    const agent = h.newAgent();
    return withJson(await agent.request(method, `${h.base}${apiPath}`, body,
      token ? {authorization: `Bearer ${token}`} : {}));
  };

  // A demo account's password login (with its current TOTP code).
  h.passwordLogin = async (username) => {
    const totp = await runCli(['demo', 'totp', '--username', username, '--data-dir', h.dataDir]);
    if (totp.code !== 0) throw new Error(`casus demo totp ${username}: ${totp.stderr}`);
    return h.api('POST', '/api/v1/auth/login',
      {body: {username, password: DEMO_PASSWORD, totp: totp.stdout.trim()}});
  };

  // --- the log ---
  h.logMark = () => h.lines.length;
  h.logLinesFor = (outcome, since = 0) => h.lines.slice(since).filter((l) => lineHasOutcome(l, outcome));
  h.callbackLinesSince = (since) => h.lines.slice(since).filter((l) => l.includes(CALLBACK_ROUTE));
  // Waits (briefly) for a line after `since` that `predicate` accepts: the
  // log line may trail the response it describes.
  h.waitForLog = async (predicate, since = 0) => {
    const deadline = Date.now() + LOG_WAIT_MS;
    for (;;) {
      const line = h.lines.slice(since).find(predicate);
      if (line) return line;
      if (Date.now() > deadline) {
        throw new Error(`no such log line; the last ones:\n${h.lines.slice(-10).join('\n')}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  h.waitForOutcome = (outcome, since) => h.waitForLog((l) => lineHasOutcome(l, outcome), since);

  return h;
}
