// Self-test of the test OpenID Provider (provider.mjs) and the test user
// agent (oidc-client.mjs). The test plays the relying party itself, with a
// small HTTPS server of its own (a self-signed certificate shaped like
// Casus's) for the redirect URI, the post-logout landing page and the
// back-channel logout URI. Run: node --test tests/oidc/provider.test.mjs

import assert from 'node:assert/strict';
import {createHash, randomBytes} from 'node:crypto';
import {existsSync, readFileSync} from 'node:fs';
import {mkdtemp, rm} from 'node:fs/promises';
import https from 'node:https';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, before, describe, test} from 'node:test';
import {createLocalJWKSet, decodeJwt, decodeProtectedHeader, errors as joseErrors, jwtVerify} from 'jose';
import {BACKCHANNEL_EVENT} from './backchannel.mjs';
import {FOREIGN_AUDIENCE, FOREIGN_ISSUER} from './forge.mjs';
import {createAgent, parseSetCookie} from './oidc-client.mjs';
import {ID_TOKEN_MODES, LOGOUT_TOKEN_MODES, casusClientUris, startProvider} from './provider.mjs';
import {makeSelfSignedCertificate} from './test-ca.mjs';

const ALGORITHMS = ['RS256', 'ES256'];
const RP_ID = 'a';

// --- the stand-in relying party's HTTPS server ---

async function startRelyingPartyServer(dir) {
  const {cert, key, certFile} = await makeSelfSignedCertificate(dir);
  const received = [];
  let backchannelStatus = 200;
  const server = https.createServer({cert, key}, (req, res) => {
    const url = new URL(req.url, 'https://localhost');
    if (req.method === 'POST' && url.pathname.endsWith('/backchannel-logout')) {
      const chunks = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        const form = new URLSearchParams(Buffer.concat(chunks).toString());
        received.push({contentType: req.headers['content-type'], form});
        res.writeHead(backchannelStatus, {'cache-control': 'no-store'}).end();
      });
      return;
    }
    // Routes for the agent's own checks.
    if (url.pathname === '/cookie/set') {
      res.writeHead(200, {'set-cookie': ['a=1; Path=/; Secure; HttpOnly', 'b=2; Path=/cookie/deep', 'c=3']}).end();
      return;
    }
    if (url.pathname === '/cookie/clear') {
      res.writeHead(200, {'set-cookie': ['a=; Path=/; Max-Age=0']}).end();
      return;
    }
    if (url.pathname.startsWith('/cookie/') && url.pathname.endsWith('/echo')) {
      res.writeHead(200, {'content-type': 'text/plain'}).end(req.headers.cookie || '');
      return;
    }
    if (url.pathname === '/loop') {
      res.writeHead(302, {location: '/loop'}).end();
      return;
    }
    res.writeHead(200, {'content-type': 'text/plain'}).end(`relying party page ${url.pathname}`);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `https://localhost:${server.address().port}`;
  return {
    baseUrl,
    certFile,
    received,
    setBackchannelStatus(status) {
      backchannelStatus = status;
    },
    stop: () => new Promise((resolve) => {
      server.close(resolve);
      server.closeAllConnections();
    }),
  };
}

// --- relying-party side of the protocol ---

const redirectUri = (rp) => casusClientUris(rp.baseUrl, RP_ID).redirect_uris[0];

function pkcePair() {
  const verifier = randomBytes(32).toString('base64url');
  return {verifier, challenge: createHash('sha256').update(verifier).digest('base64url')};
}

async function discover(agent, op) {
  const r = await agent.get(`${op.issuer}/.well-known/openid-configuration`);
  assert.equal(r.status, 200);
  return r.json();
}

async function jwksOf(agent, discovery) {
  const r = await agent.get(discovery.jwks_uri);
  assert.equal(r.status, 200);
  return r.json();
}

function authorizationUrl(discovery, op, rp, {state, nonce, challenge, scope = 'openid', omit = []}) {
  const url = new URL(discovery.authorization_endpoint);
  const params = {client_id: op.clientId, response_type: 'code', redirect_uri: redirectUri(rp), scope, state, nonce,
    code_challenge: challenge, code_challenge_method: 'S256'};
  for (const [k, v] of Object.entries(params)) if (!omit.includes(k)) url.searchParams.set(k, v);
  return url;
}

function basicAuth(op, secret = op.clientSecret) {
  const encoded = `${encodeURIComponent(op.clientId)}:${encodeURIComponent(secret)}`;
  return `Basic ${Buffer.from(encoded).toString('base64')}`;
}

async function exchangeCode(agent, discovery, op, rp, code, verifier, {secret} = {}) {
  const r = await agent.request('POST', discovery.token_endpoint, new URLSearchParams({
    grant_type: 'authorization_code', code, redirect_uri: redirectUri(rp), code_verifier: verifier,
  }), {authorization: basicAuth(op, secret)});
  return {status: r.status, body: JSON.parse(r.body)};
}

// The authorization request up to the redirect back to the relying party.
async function authorize(agent, discovery, op, rp, options = {}) {
  const state = randomBytes(12).toString('base64url');
  const nonce = randomBytes(12).toString('base64url');
  const {verifier, challenge} = pkcePair();
  const response = await agent.get(authorizationUrl(discovery, op, rp, {state, nonce, challenge, ...options}));
  const callback = new URL(response.url);
  return {response, callback, state, nonce, verifier};
}

// A whole login: authorization, callback, code exchange. Returns the token
// response and what the relying party sent.
async function login(agent, discovery, op, rp, options = {}) {
  const auth = await authorize(agent, discovery, op, rp, options);
  assert.equal(auth.response.status, 200, JSON.stringify(auth.response.chain));
  assert.equal(auth.callback.searchParams.get('state'), auth.state);
  assert.equal(auth.callback.searchParams.get('iss'), op.issuer);
  const code = auth.callback.searchParams.get('code');
  assert.ok(code, `no code in ${auth.callback}`);
  const tokens = await exchangeCode(agent, discovery, op, rp, code, auth.verifier);
  assert.equal(tokens.status, 200, JSON.stringify(tokens.body));
  return {...auth, tokens: tokens.body, idToken: tokens.body.id_token};
}

async function verifyIdToken(idToken, jwks, op, extra = {}) {
  return jwtVerify(idToken, createLocalJWKSet(jwks), {issuer: op.issuer, audience: op.clientId,
    algorithms: ALGORITHMS, maxTokenAge: '10m', ...extra});
}

// What a relying party must check on a logout token (Back-Channel Logout
// 1.0, section 2.6), with replay detection over `seenJtis`.
async function checkLogoutToken(token, jwks, op, seenJtis) {
  const {payload, protectedHeader} = await jwtVerify(token, createLocalJWKSet(jwks),
    {issuer: op.issuer, audience: op.clientId, algorithms: ALGORITHMS, maxTokenAge: '2m',
      requiredClaims: ['iat', 'jti', 'events']});
  assert.equal(protectedHeader.typ, 'logout+jwt', 'typ');
  assert.ok(payload.events && typeof payload.events[BACKCHANNEL_EVENT] === 'object', 'events');
  assert.ok(payload.sub || payload.sid, 'sub or sid');
  assert.equal(payload.nonce, undefined, 'nonce must be absent');
  assert.ok(!seenJtis.has(payload.jti), 'jti replayed');
  seenJtis.add(payload.jti);
  return payload;
}

async function postControl(op, operation, body, {localAddress, method = 'POST', rawBody} = {}) {
  const payload = rawBody ?? JSON.stringify(body ?? {});
  return new Promise((resolve, reject) => {
    const req = https.request(`${op.controlUrl}${operation}`, {
      method, localAddress, ca: readFileSync(op.caFile), headers: {'content-type': 'application/json'},
    }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({status: res.statusCode,
        body: JSON.parse(Buffer.concat(chunks).toString() || '{}')}));
    });
    req.on('error', reject);
    req.end(method === 'GET' ? undefined : payload);
  });
}

const hopsThrough = (chain, fragment) => chain.some((hop) => hop.url.includes(fragment));

describe('test OpenID Provider', () => {
  let dir;
  let op;
  let rp;
  let agent;
  let discovery;

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'casus-oidc-selftest-'));
    [op, rp] = await Promise.all([startProvider({name: 'a', clientSecret: 's3cret:with/odd+chars'}),
      startRelyingPartyServer(dir)]);
    agent = createAgent({caFiles: [op.caFile, rp.certFile]});
    discovery = await discover(agent, op);
    await op.control.setClient(casusClientUris(rp.baseUrl, RP_ID));
  });

  after(async () => {
    await Promise.all([op?.stop(), rp?.stop()]);
    if (dir) await rm(dir, {recursive: true, force: true});
  });

  test('discovery describes a code+PKCE provider with back-channel and RP-initiated logout', async () => {
    assert.equal(discovery.issuer, op.issuer);
    assert.match(op.issuer, /^https:\/\/localhost:\d+$/);
    for (const endpoint of ['authorization_endpoint', 'token_endpoint', 'jwks_uri', 'end_session_endpoint']) {
      assert.ok(discovery[endpoint].startsWith(`${op.issuer}/`), endpoint);
    }
    assert.deepEqual(discovery.response_types_supported, ['code']);
    assert.deepEqual(discovery.code_challenge_methods_supported, ['S256']);
    assert.ok(discovery.token_endpoint_auth_methods_supported.includes('client_secret_basic'));
    assert.ok(!discovery.token_endpoint_auth_methods_supported.includes('none'));
    assert.equal(discovery.backchannel_logout_supported, true);
    assert.equal(discovery.backchannel_logout_session_supported, true);
    for (const alg of ALGORITHMS) assert.ok(discovery.id_token_signing_alg_values_supported.includes(alg), alg);
    for (const claim of ['amr', 'acr', 'sid', 'roles']) assert.ok(discovery.claims_supported.includes(claim), claim);

    const jwks = await jwksOf(agent, discovery);
    assert.deepEqual(jwks.keys.map((k) => k.alg).sort(), ['ES256', 'RS256']);
    for (const key of jwks.keys) {
      assert.ok(key.kid, 'kid set');
      for (const secret of ['d', 'p', 'q', 'dp', 'dq', 'qi']) assert.equal(key[secret], undefined, `${secret} exposed`);
    }
  });

  test('the provider certificate verifies against its test CA only', async () => {
    const untrusting = createAgent({caFiles: [rp.certFile]});
    await assert.rejects(untrusting.get(`${op.issuer}/.well-known/openid-configuration`),
      (e) => /certificate/i.test(e.code || '') || /certificate/i.test(e.message));
    const systemRoots = createAgent();
    await assert.rejects(systemRoots.get(`${op.issuer}/jwks`));
  });

  test('a full code flow with PKCE logs in the account set by next-login', async () => {
    await op.control.nextLogin({sub: 'alice', amr: ['pwd', 'otp'], acr: 'urn:casus:test:mfa',
      claims: {roles: ['regie', 'admin'], email: 'alice@example.test', preferred_username: 'alice'}});
    const fresh = createAgent({caFiles: [op.caFile, rp.certFile]});
    const result = await login(fresh, discovery, op, rp, {scope: 'openid email profile'});

    // Only redirects from the authorization request to the callback.
    const {chain} = result.response;
    assert.ok(chain.length >= 4 && chain.length <= 10, JSON.stringify(chain));
    assert.ok(chain.slice(0, -1).every((hop) => hop.status >= 300 && hop.status < 400), JSON.stringify(chain));
    assert.ok(hopsThrough(chain, '/interaction/'), 'went through the interaction');
    assert.equal(result.callback.origin + result.callback.pathname, redirectUri(rp));

    const {payload, protectedHeader} = await verifyIdToken(result.idToken, await jwksOf(fresh, discovery), op);
    assert.equal(protectedHeader.alg, 'RS256');
    assert.equal(payload.sub, 'alice');
    assert.deepEqual(payload.amr, ['pwd', 'otp']);
    assert.equal(payload.acr, 'urn:casus:test:mfa');
    assert.deepEqual(payload.roles, ['regie', 'admin']);
    assert.equal(payload.email, 'alice@example.test');
    assert.equal(payload.preferred_username, 'alice');
    assert.equal(payload.nonce, result.nonce);
    assert.ok(payload.sid, 'sid in the ID token');
    assert.deepEqual(await op.control.lastLogin(), {sub: 'alice', sid: payload.sid});
    assert.deepEqual((await postControl(op, 'last-login')).body, {sub: 'alice', sid: payload.sid});
  });

  test('defaults: user-1 with amr ["pwd"], no acr, no roles; secret-file and CA returned', async () => {
    const other = await startProvider({name: 'b'});
    try {
      assert.notEqual(other.issuer, op.issuer);
      assert.ok(existsSync(other.caFile) && existsSync(other.clientSecretFile));
      assert.equal(readFileSync(other.clientSecretFile, 'utf8'), other.clientSecret);
      // Nothing to replay before the first token response.
      assert.equal((await postControl(other, 'tamper', {mode: 'replay_previous'})).status, 409);
      assert.equal((await postControl(other, 'last-login')).status, 404);
      await other.control.setClient(casusClientUris(rp.baseUrl, RP_ID));
      const otherAgent = createAgent({caFiles: [other.caFile, rp.certFile]});
      const otherDiscovery = await discover(otherAgent, other);
      const result = await login(otherAgent, otherDiscovery, other, rp);
      const {payload} = await verifyIdToken(result.idToken, await jwksOf(otherAgent, otherDiscovery), other);
      assert.equal(payload.sub, 'user-1');
      assert.deepEqual(payload.amr, ['pwd']);
      assert.equal(payload.acr, undefined);
      assert.equal(payload.roles, undefined);
      // Provider a's keys do not verify provider b's tokens.
      await assert.rejects(verifyIdToken(result.idToken, await jwksOf(agent, discovery), other),
        joseErrors.JWKSNoMatchingKey);
    } finally {
      const otherCa = other.caFile;
      await other.stop();
      assert.ok(!existsSync(otherCa), 'stop() removed the temp dir');
    }
  });

  test('an existing provider session logs in silently; next-login forces a new login and sid', async () => {
    const browser = createAgent({caFiles: [op.caFile, rp.certFile]});
    await op.control.nextLogin({sub: 'bob'});
    const first = await login(browser, discovery, op, rp);
    const jwks = await jwksOf(browser, discovery);
    const firstClaims = (await verifyIdToken(first.idToken, jwks, op)).payload;
    assert.equal(firstClaims.sub, 'bob');

    const silent = await login(browser, discovery, op, rp);
    assert.ok(!hopsThrough(silent.response.chain, '/interaction/'), 'no interaction with a session');
    assert.equal((await verifyIdToken(silent.idToken, jwks, op)).payload.sid, firstClaims.sid);

    await op.control.nextLogin({sub: 'carol', amr: ['hwk']});
    const forced = await login(browser, discovery, op, rp);
    assert.ok(hopsThrough(forced.response.chain, '/interaction/'));
    assert.ok(forced.response.chain.slice(0, -1).every((hop) => hop.status >= 300 && hop.status < 400));
    const forcedClaims = (await verifyIdToken(forced.idToken, jwks, op)).payload;
    assert.equal(forcedClaims.sub, 'carol');
    assert.deepEqual(forcedClaims.amr, ['hwk']);
    assert.notEqual(forcedClaims.sid, firstClaims.sid);
  });

  test('refused: no PKCE, a wrong verifier, secret or redirect URI, a replayed code', async () => {
    await op.control.nextLogin({sub: 'dave'});
    const noPkce = await authorize(agent, discovery, op, rp, {omit: ['code_challenge', 'code_challenge_method']});
    assert.equal(noPkce.callback.searchParams.get('error'), 'invalid_request');
    assert.match(noPkce.callback.searchParams.get('error_description'), /PKCE/);

    const unregistered = await agent.get(authorizationUrl(discovery, op, {baseUrl: 'https://localhost:1'},
      {state: 's', nonce: 'n', challenge: pkcePair().challenge}));
    assert.equal(unregistered.status, 400);
    assert.equal(unregistered.json().error, 'invalid_redirect_uri');

    const auth = await authorize(agent, discovery, op, rp);
    const code = auth.callback.searchParams.get('code');
    const wrongSecret = await exchangeCode(agent, discovery, op, rp, code, auth.verifier, {secret: 'wrong'});
    assert.equal(wrongSecret.status, 401);
    assert.equal(wrongSecret.body.error, 'invalid_client');
    const wrongVerifier = await exchangeCode(agent, discovery, op, rp, code, pkcePair().verifier);
    assert.equal(wrongVerifier.status, 400);
    assert.equal(wrongVerifier.body.error, 'invalid_grant');

    const auth2 = await authorize(agent, discovery, op, rp);
    const code2 = auth2.callback.searchParams.get('code');
    assert.equal((await exchangeCode(agent, discovery, op, rp, code2, auth2.verifier)).status, 200);
    const replay = await exchangeCode(agent, discovery, op, rp, code2, auth2.verifier);
    assert.equal(replay.status, 400);
    assert.equal(replay.body.error, 'invalid_grant');
  });

  // What each tamper mode must break, checked the way a relying party would.
  const TAMPER_EXPECTATIONS = {
    bad_signature: async ({token, jwks}) => {
      await assert.rejects(verifyIdToken(token, jwks, op), joseErrors.JWSSignatureVerificationFailed);
    },
    wrong_aud: async ({token, jwks}) => {
      await assert.rejects(verifyIdToken(token, jwks, op), (e) => e.claim === 'aud');
      const {payload} = await verifyIdToken(token, jwks, op, {audience: undefined});
      assert.equal(payload.aud, FOREIGN_AUDIENCE);
    },
    wrong_azp: async ({token, jwks}) => {
      const {payload} = await verifyIdToken(token, jwks, op);
      assert.deepEqual(payload.aud, [op.clientId, FOREIGN_AUDIENCE]);
      assert.equal(payload.azp, FOREIGN_AUDIENCE);
    },
    expired: async ({token, jwks}) => {
      await assert.rejects(verifyIdToken(token, jwks, op), joseErrors.JWTExpired);
      assert.ok(decodeJwt(token).iat < Date.now() / 1000 - 3000);
    },
    iat_future: async ({token, jwks}) => {
      await assert.rejects(verifyIdToken(token, jwks, op), (e) => e.claim === 'iat');
    },
    wrong_iss: async ({token, jwks}) => {
      await assert.rejects(verifyIdToken(token, jwks, op), (e) => e.claim === 'iss');
      assert.equal(decodeJwt(token).iss, FOREIGN_ISSUER);
    },
    alg_none: async ({token, jwks}) => {
      assert.equal(decodeProtectedHeader(token).alg, 'none');
      assert.equal(token.split('.')[2], '');
      await assert.rejects(verifyIdToken(token, jwks, op));
    },
    hs256: async ({token, jwks}) => {
      assert.equal(decodeProtectedHeader(token).alg, 'HS256');
      await assert.rejects(verifyIdToken(token, jwks, op));
      // A genuine HMAC over the client secret: the key-confusion attack.
      await jwtVerify(token, new TextEncoder().encode(op.clientSecret), {algorithms: ['HS256']});
    },
    unknown_kid: async ({token, jwks}) => {
      assert.ok(!jwks.keys.some((k) => k.kid === decodeProtectedHeader(token).kid));
      await assert.rejects(verifyIdToken(token, jwks, op), joseErrors.JWKSNoMatchingKey);
    },
    replay_previous: async ({token, jwks, nonce, previousIdToken}) => {
      assert.equal(token, previousIdToken);
      const {payload} = await verifyIdToken(token, jwks, op);
      assert.notEqual(payload.nonce, nonce, 'the nonce belongs to the earlier login');
    },
    wrong_nonce: async ({token, jwks, nonce}) => {
      const {payload} = await verifyIdToken(token, jwks, op);
      assert.notEqual(payload.nonce, nonce);
    },
  };

  test('every tamper mode has an expectation', () => {
    assert.deepEqual(Object.keys(TAMPER_EXPECTATIONS).sort(), [...ID_TOKEN_MODES].sort());
  });

  for (const mode of ID_TOKEN_MODES) {
    test(`tamper ${mode}: the next ID token fails the relying party's checks, the one after passes`, async () => {
      await op.control.nextLogin({sub: 'erin'});
      const previous = await login(agent, discovery, op, rp);
      assert.deepEqual((await postControl(op, 'tamper', {mode})).body, {mode});
      const tampered = await login(agent, discovery, op, rp);
      const jwks = await jwksOf(agent, discovery);
      await TAMPER_EXPECTATIONS[mode]({token: tampered.idToken, jwks, nonce: tampered.nonce,
        previousIdToken: previous.idToken});
      const untampered = await login(agent, discovery, op, rp);
      const {payload} = await verifyIdToken(untampered.idToken, jwks, op);
      assert.equal(payload.nonce, untampered.nonce);
    });
  }

  test('tamper refuses unknown modes and can be disarmed', async () => {
    const unknown = await postControl(op, 'tamper', {mode: 'fancy'});
    assert.equal(unknown.status, 400);
    assert.match(unknown.body.error, /unknown tamper mode/);
    await op.control.tamper({mode: 'bad_signature'});
    await op.control.tamper({mode: null});
    const result = await login(agent, discovery, op, rp);
    await verifyIdToken(result.idToken, await jwksOf(agent, discovery), op);
  });

  test('rotate-keys: JWKS serves only new kids and new ID tokens use them', async () => {
    const oldJwks = await jwksOf(agent, discovery);
    const beforeRotation = await login(agent, discovery, op, rp);
    const {kids} = (await postControl(op, 'rotate-keys')).body;
    const newJwks = await jwksOf(agent, discovery);
    assert.deepEqual(newJwks.keys.map((k) => k.kid).sort(), [...kids].sort());
    assert.ok(!newJwks.keys.some((k) => oldJwks.keys.some((o) => o.kid === k.kid)), 'no old kid remains');

    const afterRotation = await login(agent, discovery, op, rp);
    const kid = decodeProtectedHeader(afterRotation.idToken).kid;
    assert.ok(kids.includes(kid));
    // A relying party with the cached old JWKS meets an unknown kid, and
    // succeeds after fetching the JWKS again.
    await assert.rejects(verifyIdToken(afterRotation.idToken, oldJwks, op), joseErrors.JWKSNoMatchingKey);
    await verifyIdToken(afterRotation.idToken, newJwks, op);
    // Sessions survived the rotation: the agent's session logged in silently.
    assert.ok(!hopsThrough(afterRotation.response.chain, '/interaction/'));
    assert.equal(decodeJwt(afterRotation.idToken).sid, decodeJwt(beforeRotation.idToken).sid);
  });

  test('set-client: ES256 ID tokens; bad metadata refused and the old client kept', async () => {
    const uris = casusClientUris(rp.baseUrl, RP_ID);
    try {
      await op.control.setClient({...uris, id_token_signed_response_alg: 'ES256'});
      const result = await login(agent, discovery, op, rp);
      const {protectedHeader} = await verifyIdToken(result.idToken, await jwksOf(agent, discovery), op);
      assert.equal(protectedHeader.alg, 'ES256');
    } finally {
      await op.control.setClient(uris);
    }
    const refused = await postControl(op, 'set-client', {redirect_uris: ['not a uri']});
    assert.equal(refused.status, 400);
    assert.equal((await postControl(op, 'set-client', {redirect_uris: []})).status, 400);
    const stillWorks = await login(agent, discovery, op, rp);
    assert.equal(decodeProtectedHeader(stillWorks.idToken).alg, 'RS256');
  });

  test('backchannel-logout POSTs a verifiable logout token for the last login', async () => {
    await op.control.nextLogin({sub: 'frank'});
    const result = await login(createAgent({caFiles: [op.caFile, rp.certFile]}), discovery, op, rp);
    const sid = decodeJwt(result.idToken).sid;
    const jwks = await jwksOf(agent, discovery);
    const uri = casusClientUris(rp.baseUrl, RP_ID).backchannel_logout_uri;
    const seen = new Set();

    rp.received.length = 0;
    const answer = await postControl(op, 'backchannel-logout', {casusUrl: uri, caFile: rp.certFile});
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    assert.equal(answer.body.status, 200);
    assert.equal(rp.received.length, 1);
    assert.equal(rp.received[0].contentType, 'application/x-www-form-urlencoded');
    const payload = await checkLogoutToken(rp.received[0].form.get('logout_token'), jwks, op, seen);
    assert.equal(payload.sub, 'frank');
    assert.equal(payload.sid, sid);

    // Only a sid; no certificate pinning; the relying party's status passed on.
    rp.setBackchannelStatus(400);
    try {
      const bySid = await op.control.backchannelLogout({sid: 'some-sid', casusUrl: uri});
      assert.equal(bySid.status, 400);
    } finally {
      rp.setBackchannelStatus(200);
    }
    const sidOnly = await checkLogoutToken(rp.received.at(-1).form.get('logout_token'), jwks, op, seen);
    assert.equal(sidOnly.sid, 'some-sid');
    assert.equal(sidOnly.sub, undefined);

    // The wrong trust anchor: the POST fails on TLS.
    const mistrusted = await postControl(op, 'backchannel-logout', {casusUrl: uri, caFile: op.caFile});
    assert.equal(mistrusted.status, 502);
    assert.equal((await postControl(op, 'backchannel-logout', {casusUrl: 'http://x'})).status, 400);
  });

  for (const mode of LOGOUT_TOKEN_MODES) {
    test(`backchannel-logout mode ${mode}: the logout token fails the relying party's checks`, async () => {
      const jwks = await jwksOf(agent, discovery);
      const uri = casusClientUris(rp.baseUrl, RP_ID).backchannel_logout_uri;
      const seen = new Set();
      await op.control.backchannelLogout({casusUrl: uri, caFile: rp.certFile});
      await checkLogoutToken(rp.received.at(-1).form.get('logout_token'), jwks, op, seen);
      const answer = await op.control.backchannelLogout({casusUrl: uri, caFile: rp.certFile, mode});
      assert.equal(answer.status, 200);
      await assert.rejects(checkLogoutToken(rp.received.at(-1).form.get('logout_token'), jwks, op, seen));
    });
  }

  test('RP-initiated logout needs no click and triggers the provider\'s own back-channel logout', async () => {
    const uris = casusClientUris(rp.baseUrl, RP_ID);
    await op.control.setClient({...uris, backchannel_ca_file: rp.certFile});
    try {
      const browser = createAgent({caFiles: [op.caFile, rp.certFile]});
      await op.control.nextLogin({sub: 'grace'});
      const result = await login(browser, discovery, op, rp);
      const sid = decodeJwt(result.idToken).sid;
      rp.received.length = 0;

      const endSession = new URL(discovery.end_session_endpoint);
      endSession.searchParams.set('client_id', op.clientId);
      endSession.searchParams.set('post_logout_redirect_uri', uris.post_logout_redirect_uris[0]);
      const logout = await browser.get(endSession);
      assert.equal(logout.status, 200);
      assert.equal(logout.url, uris.post_logout_redirect_uris[0]);
      assert.ok(logout.chain.some((hop) => hop.method === 'POST' && hop.url.endsWith('/session/end/confirm')));

      assert.equal(rp.received.length, 1, 'end_session sent a back-channel logout');
      const payload = await checkLogoutToken(rp.received[0].form.get('logout_token'), await jwksOf(agent, discovery),
        op, new Set());
      assert.equal(payload.sid, sid);
      assert.equal(payload.sub, 'grace');

      // The provider session is gone: the next authorization asks for a login.
      const again = await login(browser, discovery, op, rp);
      assert.ok(hopsThrough(again.response.chain, '/interaction/'));
      assert.notEqual(decodeJwt(again.idToken).sid, sid);
    } finally {
      await op.control.setClient(uris);
    }
  });

  test('the control API refuses non-POST, unknown operations, bad bodies and non-loopback peers', async () => {
    assert.equal((await postControl(op, 'last-login', undefined, {method: 'GET'})).status, 405);
    assert.equal((await postControl(op, 'no-such-thing')).status, 404);
    assert.equal((await postControl(op, 'next-login', undefined, {rawBody: '{not json'})).status, 400);
    assert.equal((await postControl(op, 'next-login', undefined, {rawBody: '[1]'})).status, 400);
    const badClaim = await postControl(op, 'next-login', {sub: 'x', claims: {is_admin: true}});
    assert.equal(badClaim.status, 400);
    assert.match(badClaim.body.error, /is_admin/);
    assert.equal((await postControl(op, 'next-login', {sub: ''})).status, 400);
    assert.equal((await postControl(op, 'next-login', {amr: 'pwd'})).status, 400);
    const badMode = await postControl(op, 'backchannel-logout', {casusUrl: 'https://localhost:1/', mode: 'x'});
    assert.equal(badMode.status, 400);
    const foreign = await postControl(op, 'last-login', undefined, {localAddress: '127.0.0.2'});
    assert.equal(foreign.status, 403);
  });

  test('the agent keeps cookies per origin and honours Path, Secure and Max-Age=0', async () => {
    const url = new URL('https://localhost:8443/a/b');
    assert.deepEqual(parseSetCookie('x=1; Path=/a; Secure; HttpOnly', url),
      {name: 'x', value: '1', path: '/a', secure: true, expiresAt: undefined});
    assert.equal(parseSetCookie('x=; Max-Age=0', url).expiresAt, 0);
    assert.equal(parseSetCookie('x=; Expires=Thu, 01 Jan 1970 00:00:00 GMT', url).expiresAt, 0);
    assert.equal(parseSetCookie('x=1', url).path, '/a');
    assert.equal(parseSetCookie('novalue', url), undefined);

    const jarAgent = createAgent({caFiles: [op.caFile, rp.certFile]});
    await jarAgent.get(`${rp.baseUrl}/cookie/set`);
    assert.deepEqual(jarAgent.cookies(`${rp.baseUrl}/cookie/echo`), {a: '1', c: '3'});
    assert.deepEqual(jarAgent.cookies(`${rp.baseUrl}/cookie/deep/x`), {a: '1', b: '2', c: '3'});
    assert.deepEqual(jarAgent.cookies(`${rp.baseUrl}/other`), {a: '1'});
    assert.deepEqual(jarAgent.cookies(`${op.issuer}/cookie/echo`), {}, 'another origin sees none');
    assert.equal((await jarAgent.get(`${rp.baseUrl}/cookie/deep/echo`)).body, 'b=2; c=3; a=1', 'longest path first');
    await jarAgent.get(`${rp.baseUrl}/cookie/clear`);
    assert.deepEqual(jarAgent.cookies(`${rp.baseUrl}/cookie/echo`), {c: '3'});
    assert.equal((await jarAgent.get(`${rp.baseUrl}/cookie/echo`)).body, 'c=3');
  });

  test('the agent gives up after 10 redirects', async () => {
    await assert.rejects(agent.get(`${rp.baseUrl}/loop`), /more than 10 redirects/);
  });
});
