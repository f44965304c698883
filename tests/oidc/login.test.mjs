// End-to-end: Casus's OpenID Connect login (issue #15) against two real
// OpenID Providers over real TLS, driven by a non-browser agent. One Casus
// and two providers serve the whole file; the cases run in order and the
// ones that need another configuration restart Casus at the end.
//
// Every refusal is checked three ways: the browser lands on the refusal
// page without a handover cookie (finish is 401), exactly one request log
// line names the reason, and (for the callback's refusals) the audit log
// holds a login.failed entry with the provider and reason.

import assert from 'node:assert/strict';
import {randomBytes} from 'node:crypto';
import {after, before, test} from 'node:test';
import {CALLBACK_ROUTE, KERKRADE, MFA_ACR, POLICE, runCli, startCasusHarness} from './casus-harness.mjs';
import {secretOfOtpauthUri, totpCode, wrongTotpCode} from './totp.mjs';

const REFUSED = '/#/login?oidc=geweigerd';
const LANDED = '/#/login/oidc';
const HANDOVER_COOKIE = 'casus_oidc_handover';
const BROWSER_COOKIE = 'casus_oidc';
const MFA = ['pwd', 'mfa'];
// Casus refetches a provider's keys for an unknown kid at most once a second.
const KEY_REFRESH_INTERVAL_MS = 1000;

let h;
// Values that must never reach a log line (codes, states, tokens, subs).
const secrets = new Set();
// Reasons of refused callbacks, each expected once or more in the audit log: "provider/reason".
const refusedCallbacks = new Set();
// When Casus last had reason to fetch provider a's keys: its first login
// and every unknown kid (keys are cached for a day otherwise).
let keysOfAFetchedAt = 0;

before(async () => {
  h = await startCasusHarness();
});

after(async () => {
  await h?.stop();
});

const newSub = (label) => {
  const sub = `${label}-${randomBytes(6).toString('hex')}`;
  secrets.add(sub);
  return sub;
};

function keep(...values) {
  for (const v of values) if (typeof v === 'string' && v.length >= 8) secrets.add(v);
}

const handoverCookie = (agent) => agent.cookies(`${h.base}/api/v1/auth/oidc/finish`)[HANDOVER_COOKIE];

async function arm(op, {sub, amr = MFA, acr, roles}) {
  await op.control.nextLogin({sub, amr, ...(acr ? {acr} : {}), ...(roles ? {roles} : {})});
}

// The request log line of the callback that followed `mark`, and a check
// that it is the only one.
async function callbackLine(mark) {
  const line = await h.waitForLog((l) => l.includes(CALLBACK_ROUTE), mark);
  assert.equal(h.callbackLinesSince(mark).length, 1, 'one callback, one request log line');
  return line;
}

// A login at `op` through every redirect; waits for the callback's log line.
async function login(op, who, {agent = h.newAgent(), tamper} = {}) {
  await arm(op, who);
  if (tamper) await op.control.tamper({mode: tamper});
  const mark = h.logMark();
  const landed = await h.loginVia(op, agent);
  if (op === h.a && tamper === 'unknown_kid') keysOfAFetchedAt = Date.now();
  assert.ok(landed.callback, `the provider sent the browser back: ${landed.chain.map((c) => c.url).join(' -> ')}`);
  const query = new URL(landed.callback.url).searchParams;
  keep(query.get('code'), query.get('state'), handoverCookie(agent));
  return {agent, landed, line: await callbackLine(mark)};
}

// A login at `op` that ends in a session (no TOTP step).
async function loginToSession(op, who) {
  const {agent, landed, line} = await login(op, who);
  assert.equal(landed.landedAt, LANDED, line);
  const finished = await h.finish(agent);
  assert.equal(finished.status, 200, finished.body);
  assert.ok(finished.json.token && finished.json.csrf_token, 'a session');
  keep(finished.json.token, finished.json.csrf_token);
  return {agent, token: finished.json.token, user: finished.json.user};
}

// Checks a refused callback: the refusal page, no handover, finish 401,
// one log line with outcome oidc_<reason>.
async function assertRefusedCallback({agent, landed, line}, op, reason) {
  assert.equal(landed.landedAt, REFUSED, `refused (${reason}); log: ${line}`);
  assert.equal(handoverCookie(agent), undefined, 'no handover cookie after a refusal');
  assert.match(line, / status=302 /);
  assert.ok(line.includes(` outcome=oidc_${reason} `), `outcome oidc_${reason} expected in: ${line}`);
  const finished = await h.finish(agent);
  assert.equal(finished.status, 401, 'finish without a handover');
  refusedCallbacks.add(`${op.name}/${reason}`);
  return line;
}

async function refusedLogin(op, who, reason, options) {
  return assertRefusedCallback(await login(op, who, options), op, reason);
}

const me = (token) => h.api('GET', '/api/v1/me', {token});

function setCookieHeader(response, name) {
  return [response.headers['set-cookie'] || []].flat().find((c) => c.startsWith(`${name}=`));
}

// 1 ---------------------------------------------------------------------------
let firstLogin; // {sub, token, user}: a Kerkrade regisseur through provider a

test('full login through provider a: roles from the claim, Kerkrade, the case list', async () => {
  const providers = await h.api('GET', '/api/v1/auth/providers');
  assert.equal(providers.status, 200);
  assert.deepEqual(providers.json.providers.map((p) => [p.id, p.start_url]),
    [['a', '/api/v1/auth/oidc/a/start'], ['b', '/api/v1/auth/oidc/b/start']]);
  assert.equal((await h.api('GET', '/api/v1/auth/oidc/nope/start')).status, 404, 'unknown provider');

  const sub = newSub('person-1');
  await arm(h.a, {sub, amr: MFA, roles: ['casus-regisseur', 'not-mapped']});
  const agent = h.newAgent();
  const mark = h.logMark();
  const {callbackUrl, startResponse} = await h.walkToCallback(h.a, agent);

  assert.equal(startResponse.status, 302);
  const authorization = new URL(startResponse.headers.location);
  assert.equal(authorization.origin, h.a.issuer);
  const params = authorization.searchParams;
  assert.equal(params.get('response_type'), 'code');
  assert.equal(params.get('client_id'), h.a.clientId);
  assert.equal(params.get('redirect_uri'), `${h.base}/api/v1/auth/oidc/a/callback`);
  assert.equal(params.get('code_challenge_method'), 'S256');
  assert.match(params.get('code_challenge'), /^[A-Za-z0-9_-]{43}$/);
  assert.ok(params.get('state').length >= 32 && params.get('nonce').length >= 32, 'random state and nonce');
  const browserCookie = setCookieHeader(startResponse, BROWSER_COOKIE);
  assert.ok(browserCookie, 'the start binds the browser');
  for (const attribute of ['HttpOnly', 'Secure', 'SameSite=Lax', 'Path=/api/v1/auth/oidc/']) {
    assert.ok(browserCookie.split('; ').includes(attribute), `${attribute} in ${browserCookie}`);
  }
  keep(params.get('state'), params.get('nonce'), agent.cookies(callbackUrl)[BROWSER_COOKIE]);

  const callback = await agent.request('GET', callbackUrl);
  keysOfAFetchedAt = Date.now();
  keep(new URL(callbackUrl).searchParams.get('code'));
  assert.equal(callback.status, 302);
  assert.equal(callback.headers.location, LANDED);
  const handover = setCookieHeader(callback, HANDOVER_COOKIE);
  for (const attribute of ['HttpOnly', 'Secure', 'SameSite=Strict', 'Path=/api/v1/auth/oidc/', 'Max-Age=300']) {
    assert.ok(handover.split('; ').includes(attribute), `${attribute} in the handover cookie`);
  }
  keep(handoverCookie(agent));
  assert.match(await callbackLine(mark), / status=302 user=user_\S+ outcome=ok /);

  const finished = await h.finish(agent);
  assert.equal(finished.status, 200, finished.body);
  assert.ok(setCookieHeader(finished, 'casus_session'), 'the session cookie');
  const {token, user} = finished.json;
  keep(token, finished.json.csrf_token);
  assert.match(user.username, /^a-[0-9a-f]{16}$/, 'a provisioned account');
  assert.equal((await h.finish(agent)).status, 401, 'the handover is spent');

  const who = await me(token);
  assert.equal(who.status, 200);
  assert.deepEqual(who.json.roles, ['regisseur'], 'mapped role only; unmapped claim values are ignored');
  assert.equal(who.json.organisation.name, KERKRADE);

  const cases = await h.api('GET', '/api/v1/cases', {token});
  assert.equal(cases.status, 200, cases.body);
  assert.ok(cases.json.cases.length > 0, 'a Kerkrade regisseur sees the demo cases');
  firstLogin = {sub, token, user, cases: cases.json.cases};
});

// 2 ---------------------------------------------------------------------------
test('each tampered ID token is refused, without a handover', async (t) => {
  const expected = [
    ['unknown_kid', 'unknown_kid'],
    ['bad_signature', 'bad_signature'],
    ['wrong_aud', 'wrong_aud'],
    ['wrong_azp', 'wrong_azp'],
    ['expired', 'expired'],
    ['wrong_iss', 'wrong_iss'],
    ['alg_none', 'alg_not_allowed'],
    ['hs256', 'alg_not_allowed'],
    ['replay_previous', 'nonce_mismatch'], // the genuine ID token of the login before
    ['wrong_nonce', 'nonce_mismatch'],
    ['iat_future', 'iat_in_future'],
  ];
  for (const [mode, reason] of expected) {
    await t.test(mode, async () => {
      await refusedLogin(h.a, {sub: firstLogin.sub, roles: ['casus-regisseur']}, reason, {tamper: mode});
    });
  }
  // Untampered, the same person still gets in.
  await loginToSession(h.a, {sub: firstLogin.sub, roles: ['casus-regisseur']});
});

// 3 ---------------------------------------------------------------------------
test('key rotation: the new key is fetched; an unknown kid is still refused', async () => {
  // Casus refreshes keys for an unknown kid at most once a second: the
  // last fetch must be older than that for the new key to be fetched.
  const wait = keysOfAFetchedAt + KEY_REFRESH_INTERVAL_MS + 100 - Date.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  const {kids} = await h.a.control.rotateKeys();
  assert.ok(kids.length > 0);
  const jwks = await h.newAgent().get(`${h.a.issuer}/jwks`);
  assert.deepEqual(JSON.parse(jwks.body).keys.map((k) => k.kid).sort(), [...kids].sort());

  const session = await loginToSession(h.a, {sub: firstLogin.sub, roles: ['casus-regisseur']});
  assert.equal(session.user.id, firstLogin.user.id, 'the same account');
  await refusedLogin(h.a, {sub: firstLogin.sub}, 'unknown_kid', {tamper: 'unknown_kid'});
});

// 4 ---------------------------------------------------------------------------
test('state: a replayed callback, a forged state and another browser are refused', async () => {
  // Replay the exact callback of a successful login with its cookies.
  const sub = newSub('person-4');
  await arm(h.a, {sub});
  const agent = h.newAgent();
  const {callbackUrl} = await h.walkToCallback(h.a, agent);
  const bound = agent.cookies(callbackUrl)[BROWSER_COOKIE];
  keep(bound, new URL(callbackUrl).searchParams.get('code'), new URL(callbackUrl).searchParams.get('state'));
  let mark = h.logMark();
  const first = await agent.request('GET', callbackUrl);
  assert.equal(first.headers.location, LANDED);
  await callbackLine(mark);
  keep(handoverCookie(agent));
  assert.equal((await h.finish(agent)).status, 200);

  mark = h.logMark();
  const replayed = await agent.request('GET', callbackUrl, undefined, {cookie: `${BROWSER_COOKIE}=${bound}`});
  assert.equal(replayed.headers.location, REFUSED);
  assert.equal(setCookieHeader(replayed, HANDOVER_COOKIE), undefined);
  assert.ok((await callbackLine(mark)).includes(' outcome=oidc_state_unknown '));
  refusedCallbacks.add('a/state_unknown');

  // A forged state, from a browser that did start a login.
  const forger = h.newAgent();
  await forger.request('GET', h.startUrl(h.a));
  assert.ok(forger.cookies(callbackUrl)[BROWSER_COOKIE], 'the forger has a binding cookie');
  mark = h.logMark();
  const forged = await forger.request('GET',
    `${h.base}/api/v1/auth/oidc/a/callback?code=made-up-code&state=${randomBytes(32).toString('base64url')}`);
  assert.equal(forged.headers.location, REFUSED);
  assert.ok((await callbackLine(mark)).includes(' outcome=oidc_state_unknown '));
  assert.equal((await h.finish(forger)).status, 401);

  // A callback without a state at all.
  mark = h.logMark();
  const stateless = await forger.request('GET', `${h.base}/api/v1/auth/oidc/a/callback?code=made-up-code`);
  assert.equal(stateless.headers.location, REFUSED);
  assert.ok((await callbackLine(mark)).includes(' outcome=oidc_malformed_callback '));
  refusedCallbacks.add('a/malformed_callback');

  // The provider's redirect back, carried by a browser that did not start it.
  await arm(h.a, {sub});
  const victim = h.newAgent();
  const {callbackUrl: stolen} = await h.walkToCallback(h.a, victim);
  keep(new URL(stolen).searchParams.get('code'), new URL(stolen).searchParams.get('state'));
  const attacker = h.newAgent();
  mark = h.logMark();
  const mismatch = await attacker.request('GET', stolen);
  assert.equal(mismatch.headers.location, REFUSED);
  assert.equal(setCookieHeader(mismatch, HANDOVER_COOKIE), undefined);
  assert.ok((await callbackLine(mark)).includes(' outcome=oidc_browser_mismatch '));
  assert.equal((await h.finish(attacker)).status, 401);
  refusedCallbacks.add('a/browser_mismatch');
  // The state was spent by that attempt: the victim's own callback is refused now.
  mark = h.logMark();
  const late = await victim.request('GET', stolen);
  assert.equal(late.headers.location, REFUSED);
  assert.ok((await callbackLine(mark)).includes(' outcome=oidc_state_unknown '));

  // A provider-side error and a foreign `iss` parameter (RFC 9207).
  // (The test provider names itself in `iss` already: the value is replaced.)
  for (const [key, value] of [['error', 'access_denied'], ['iss', 'https://issuer.invalid']]) {
    await arm(h.a, {sub});
    const browser = h.newAgent();
    const {callbackUrl: back} = await h.walkToCallback(h.a, browser);
    const edited = new URL(back);
    keep(edited.searchParams.get('code'), edited.searchParams.get('state'));
    edited.searchParams.set(key, value);
    mark = h.logMark();
    const answer = await browser.request('GET', edited.href);
    assert.equal(answer.headers.location, REFUSED, key);
    assert.ok((await callbackLine(mark)).includes(' outcome=oidc_provider_error '), key);
  }
  refusedCallbacks.add('a/provider_error');
});

// 5 ---------------------------------------------------------------------------
test('provider b provisions a police account without roles: it sees no case', async () => {
  const sub = newSub('person-5');
  const {token, user} = await loginToSession(h.b, {sub, roles: ['casus-regisseur']});
  assert.match(user.username, /^b-[0-9a-f]{16}$/);
  const who = await me(token);
  assert.equal(who.status, 200);
  assert.deepEqual(who.json.roles, [], 'without_roles ignores any roles claim');
  assert.equal(who.json.organisation.name, POLICE);

  const cases = await h.api('GET', '/api/v1/cases', {token});
  assert.equal(cases.status, 200, cases.body);
  assert.deepEqual(cases.json.cases, [], 'a user without roles sees no case');
  // The cases a Kerkrade regisseur sees are refused outright (some have
  // the police on their team: the missing role decides).
  for (const c of firstLogin.cases) {
    const one = await h.api('GET', `/api/v1/cases/${c.id}`, {token});
    assert.equal(one.status, 403, `case ${c.id}: ${one.body}`);
  }
});

// 6 ---------------------------------------------------------------------------
test('two providers, two organisations: one sub is two accounts; a foreign-organisation link is refused', async () => {
  const sub = newSub('shared');
  const atA = await loginToSession(h.a, {sub, roles: ['casus-regisseur']});
  const atB = await loginToSession(h.b, {sub});
  assert.notEqual(atA.user.id, atB.user.id);
  assert.equal(atA.user.organisation.name, KERKRADE);
  assert.equal(atB.user.organisation.name, POLICE);
  assert.equal((await me(atA.token)).json.id, atA.user.id);
  assert.equal((await me(atB.token)).json.id, atB.user.id);

  // A Kerkrade account cannot be linked to b while b serves the police only...
  const linkSub = newSub('kerkrade-at-b');
  const refusedLink = await runCli(['user', 'link', 'meldpunt.kerkrade', '--provider', 'b', '--subject', linkSub,
    ...h.cliArgs()]);
  assert.equal(refusedLink.code, 1, refusedLink.stderr);
  // ...but it was linked when b also listed Kerkrade (an older configuration)...
  const older = await h.writeConfig({bOrganisations: [POLICE, KERKRADE]});
  const linked = await runCli(['user', 'link', 'meldpunt.kerkrade', '--provider', 'b', '--subject', linkSub,
    '--data-dir', h.dataDir, '--config', older]);
  assert.equal(linked.code, 0, linked.stderr);
  // ...and now b may not bring it in.
  const line = await refusedLogin(h.b, {sub: linkSub}, 'wrong_organisation');
  assert.match(line, / user=user_\S+ /, 'the linked account is named in the log');
});

// 7 ---------------------------------------------------------------------------
test('no second factor asserted: the TOTP step; asserted: none; no TOTP secret: refused', async () => {
  const added = await runCli(['user', 'add', '--username', 'mfa.tester', '--role', 'regisseur', '--org', KERKRADE,
    '--org-type', 'gemeente', '--municipality', 'Kerkrade', ...h.cliArgs()], {input: 'een-lang-wachtwoord-7\n'});
  assert.equal(added.code, 0, added.stderr);
  const secret = secretOfOtpauthUri(added.stdout.match(/otpauth:\/\/\S+/)[0]);
  keep(secret);
  const sub = newSub('person-7');
  const linked = await runCli(['user', 'link', 'mfa.tester', '--provider', 'a', '--subject', sub, ...h.cliArgs()]);
  assert.equal(linked.code, 0, linked.stderr);

  // amr pwd only: the code is asked; a wrong one is 401 and may be retried.
  const {agent, landed} = await login(h.a, {sub, amr: ['pwd'], roles: ['casus-regisseur']});
  assert.equal(landed.landedAt, LANDED);
  const asked = await h.finish(agent);
  assert.equal(asked.status, 200);
  assert.deepEqual(asked.json, {totp_required: true});
  assert.equal((await h.finish(agent, {totp: wrongTotpCode(secret)})).status, 401);
  const finished = await h.finish(agent, {totp: totpCode(secret)});
  assert.equal(finished.status, 200, finished.body);
  keep(finished.json.token);
  assert.equal(finished.json.user.username, 'mfa.tester');
  assert.equal((await me(finished.json.token)).status, 200);
  assert.equal((await h.finish(agent, {totp: totpCode(secret)})).status, 401, 'the handover is spent');

  // amr with otp, or an acr from mfa_acr: no code asked.
  for (const extra of [{amr: ['pwd', 'otp']}, {amr: ['pwd'], acr: MFA_ACR}]) {
    const session = await loginToSession(h.a, {sub, roles: ['casus-regisseur'], ...extra});
    assert.equal(session.user.username, 'mfa.tester', JSON.stringify(extra));
  }
  // An acr that asserts nothing configured: the code is asked again.
  const other = await login(h.a, {sub, amr: ['pwd'], acr: 'urn:example:password', roles: ['casus-regisseur']});
  assert.deepEqual((await h.finish(other.agent)).json, {totp_required: true});

  // The account throttle counts wrong codes (the success above cleared
  // it): after five, even the right code is refused. Last, as it locks the
  // account for a while.
  const guessing = await login(h.a, {sub, amr: ['pwd'], roles: ['casus-regisseur']});
  assert.deepEqual((await h.finish(guessing.agent)).json, {totp_required: true});
  for (let attempt = 1; attempt <= 5; ++attempt) {
    assert.equal((await h.finish(guessing.agent, {totp: wrongTotpCode(secret)})).status, 401, `wrong code ${attempt}`);
  }
  assert.equal((await h.finish(guessing.agent, {totp: totpCode(secret)})).status, 429);

  // A provisioned account has no TOTP secret: without the provider's
  // second factor it cannot log in at all.
  const line = await refusedLogin(h.a, {sub: newSub('person-7b'), amr: ['pwd'], roles: ['casus-regisseur']},
    'second_factor_missing');
  assert.match(line, / user=user_\S+ /);
});

// 9 ---------------------------------------------------------------------------
test('back-channel logout: hostile logout tokens are refused; a genuine one ends the session at once', async (t) => {
  const sub = newSub('person-9');
  const first = await loginToSession(h.a, {sub, roles: ['casus-regisseur']});
  const firstSid = (await h.a.control.lastLogin()).sid;
  const second = await loginToSession(h.a, {sub, roles: ['casus-regisseur']});
  const secondSid = (await h.a.control.lastLogin()).sid;
  assert.ok(firstSid && secondSid && firstSid !== secondSid, 'two provider sessions');
  const bystander = await loginToSession(h.a, {sub: newSub('person-9b'), roles: ['casus-regisseur']});
  const logoutUrl = `${h.base}/api/v1/auth/oidc/a/backchannel-logout`;
  const backchannel = (body) => h.a.control.backchannelLogout({casusUrl: logoutUrl, caFile: h.casusCert, ...body});

  const hostile = [
    ['bad_signature', 'bad_signature'],
    ['wrong_aud', 'wrong_aud'],
    ['with_nonce', 'not_a_logout_token'],
    ['expired', 'expired'],
    ['iat_future', 'iat_in_future'],
    ['wrong_iss', 'wrong_iss'],
    ['alg_none', 'alg_not_allowed'],
    ['hs256', 'alg_not_allowed'],
    ['unknown_kid', 'unknown_kid'],
    ['missing_events', 'not_a_logout_token'],
    ['missing_sub_and_sid', 'missing_claim'],
    ['id_token', 'not_a_logout_token'],
  ];
  for (const [mode, reason] of hostile) {
    await t.test(mode, async () => {
      const mark = h.logMark();
      const answer = await backchannel({sub, sid: firstSid, mode});
      assert.equal(answer.status, 400, answer.body);
      await h.waitForOutcome(`oidc_logout_${reason}`, mark);
      assert.equal(h.logLinesFor(`oidc_logout_${reason}`, mark).length, 1);
      assert.equal((await me(first.token)).status, 200, 'the session stays');
    });
  }
  const empty = await h.api('POST', '/api/v1/auth/oidc/a/backchannel-logout', {body: new URLSearchParams()});
  assert.equal(empty.status, 400, 'no logout_token parameter');

  // By sid: that session only.
  const bySid = await backchannel({sub, sid: firstSid});
  assert.equal(bySid.status, 200, bySid.body);
  assert.equal((await me(first.token)).status, 401, 'the session with that sid ended');
  assert.equal((await me(second.token)).status, 200, 'another sid stays');
  // By sub only: every session of that account.
  const bySub = await backchannel({sub});
  assert.equal(bySub.status, 200, bySub.body);
  assert.equal((await me(second.token)).status, 401);
  assert.equal((await me(bystander.token)).status, 200, 'another account stays');
});

// 10 --------------------------------------------------------------------------
test('a blocked account: its session dies at once and the provider cannot bring it back', async () => {
  const sub = newSub('person-10');
  const {token, user} = await loginToSession(h.a, {sub, roles: ['casus-regisseur']});
  assert.equal((await me(token)).status, 200);
  const blocked = await runCli(['user', 'block', user.username, '--reason', 'end-to-end test', ...h.cliArgs()]);
  assert.equal(blocked.code, 0, blocked.stderr);
  assert.equal((await me(token)).status, 401);
  const line = await refusedLogin(h.a, {sub, roles: ['casus-regisseur']}, 'blocked');
  assert.ok(line.includes(` user=${user.id} `), line);
});

// 11 --------------------------------------------------------------------------
test('logout of a provider session sends the browser to the provider; the token is dead', async () => {
  const {token} = await loginToSession(h.a, {sub: newSub('person-11'), roles: ['casus-regisseur']});
  const discovery = JSON.parse((await h.newAgent().get(`${h.a.issuer}/.well-known/openid-configuration`)).body);
  assert.ok(discovery.end_session_endpoint, 'the test provider offers RP-initiated logout');
  const out = await h.api('POST', '/api/v1/auth/logout', {token});
  assert.equal(out.status, 200, out.body);
  const url = new URL(out.json.logout_url);
  assert.ok(out.json.logout_url.startsWith(`${discovery.end_session_endpoint}?`), out.json.logout_url);
  assert.equal(url.searchParams.get('client_id'), h.a.clientId);
  assert.equal(url.searchParams.get('post_logout_redirect_uri'), `${h.base}/`);
  assert.equal((await me(token)).status, 401);
});

test('a local password session: every refused callback is audited; logout is 204', async () => {
  const local = await h.passwordLogin('privacy.kerkrade');
  assert.equal(local.status, 200, local.body);
  const {token} = local.json;
  keep(token, local.json.csrf_token);

  const audit = await h.api('GET', '/api/v1/audit?action=login.failed&limit=1000', {token});
  assert.equal(audit.status, 200, audit.body);
  const audited = new Set(audit.json.entries.map((e) => {
    const detail = typeof e.detail === 'string' && e.detail ? JSON.parse(e.detail) : e.detail;
    return detail && detail.provider ? `${detail.provider}/${detail.reason}` : undefined;
  }));
  for (const refusal of refusedCallbacks) assert.ok(audited.has(refusal), `login.failed audited for ${refusal}`);
  const auditText = audit.body;
  for (const secret of secrets) assert.ok(!auditText.includes(secret), 'no token, code or sub in the audit log');

  const out = await h.api('POST', '/api/v1/auth/logout', {token});
  assert.equal(out.status, 204, out.body);
  assert.equal((await me(token)).status, 401);
});

// 8 and 12: one restart with provisioning off at a and local accounts off for Kerkrade.
test('restarted with provisioning off and Kerkrade local accounts off', async (t) => {
  await h.restart({aProvisioning: 'off', localAccountsDisabledFor: [KERKRADE]});

  await t.test('provisioning off: an unknown person is refused, a known one gets in', async () => {
    const sub = newSub('person-8');
    for (let attempt = 0; attempt < 2; ++attempt) {
      const line = await refusedLogin(h.a, {sub, roles: ['casus-regisseur']}, 'unknown_user');
      assert.match(line, / user=- /, 'no account was made');
    }
    const known = await loginToSession(h.a, {sub: firstLogin.sub, roles: ['casus-regisseur']});
    assert.equal(known.user.id, firstLogin.user.id);
  });

  await t.test('local accounts off for Kerkrade: its password login is 401, the police still log in', async () => {
    const kerkrade = await h.passwordLogin('coordinator.kerkrade');
    assert.equal(kerkrade.status, 401, kerkrade.body);
    const police = await h.passwordLogin('regisseur.politie');
    assert.equal(police.status, 200, police.body);
    keep(police.json.token);
    assert.equal(police.json.user.organisation.name, POLICE);
  });
});

test('no log line carries a token, code, state or subject', () => {
  const log = h.lines.join('\n');
  assert.ok(secrets.size > 20, 'the secrets were collected');
  for (const secret of secrets) assert.ok(!log.includes(secret), 'a secret value in the log');
});
