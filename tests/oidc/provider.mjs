// A real OpenID Provider (npm oidc-provider, OpenID Certified) for Casus's
// tests, on 127.0.0.1 over real TLS, with a control API for hostile cases.
//
//   const op = await startProvider({name: 'a'});
//   // op.issuer  https://localhost:<port>   op.caFile  test CA (Casus's ca_file)
//   // op.clientId, op.clientSecret, op.clientSecretFile
//   ... start Casus with that issuer, then:
//   await op.control.setClient(casusClientUris(casusBaseUrl, 'a'));
//   await op.control.nextLogin({sub: 'user-1', amr: ['pwd', 'otp'], claims: {roles: ['admin']}});
//   ... drive the login; await op.stop();
//
// Design:
// - One HTTPS server per provider. GET /interaction/<uid> is answered by
//   the harness itself: it logs in the account set by next-login and
//   grants consent in one step, so a login is a chain of redirects that a
//   non-browser agent follows (no pages, no clicks). Every interaction
//   starts a fresh provider session, hence a fresh sid.
// - The client is confidential (client_secret_basic), code flow, PKCE S256
//   required. It lives in the provider's storage adapter rather than in
//   the static configuration, so its redirect, post-logout and
//   back-channel logout URIs can be set after Casus has started (set-client;
//   Casus's port is only known then). Until then they are placeholders.
// - rotate-keys builds a new Provider object around the same storage with
//   new signing keys; requests go to whichever is current. Sessions, codes
//   and the client survive; JWKS shows only the new keys.
// - tamper rewrites the next token response's id_token (a Koa middleware
//   around the token endpoint), re-signing with the real key unless the
//   mode is about keys or algorithms (forge.mjs).
//
// Control API: POST https://localhost:<port>/__test/<operation> with a JSON
// body, loopback only; the same operations are op.control.<camelCase>():
//   next-login {sub, amr?, acr?, claims?, roles?}  who the next interaction
//       logs in (default user-1, amr ["pwd"], no acr); claims: see
//       SETTABLE_CLAIMS plus the roles claim (option rolesClaim, "roles").
//       Also forces that next interaction even if the agent has a session.
//   tamper {mode}  the next token response's id_token only: one of
//       ID_TOKEN_MODES (forge.mjs); {mode: null} disarms.
//   rotate-keys {}  -> {kids}
//   backchannel-logout {sub?, sid?, casusUrl, caFile?, mode?}  signs a
//       logout token (sub and sid of the last login when both are absent;
//       mode: one of LOGOUT_TOKEN_MODES for a hostile one) and POSTs it to
//       casusUrl, trusting caFile (Casus's tls-cert.pem) or, without it,
//       any certificate. -> {status, body} of Casus's answer.
//   last-login {}  -> {sub, sid} of the latest token response's login
//   set-client {redirect_uris, post_logout_redirect_uris?,
//       backchannel_logout_uri?, id_token_signed_response_alg?,
//       backchannel_ca_file?}  replaces all of these (absent: the
//       start-up default). backchannel_ca_file: how end_session's own
//       back-channel logout trusts Casus; default: no verification.
//
// CLI: node tests/oidc/provider.mjs --name a [--client-id x] [--client-secret y]
// prints one JSON line {name, issuer, ca_file, client_id, client_secret_file,
// control} and serves until SIGINT/SIGTERM.

import {randomBytes} from 'node:crypto';
import {rmSync} from 'node:fs';
import {mkdtemp, rm, writeFile} from 'node:fs/promises';
import https from 'node:https';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {parseArgs} from 'node:util';
import {decodeJwt} from 'jose';
import Provider from 'oidc-provider';
import {logoutClaims, postLogoutToken, relyingPartyTls, signLogoutToken} from './backchannel.mjs';
import {CONTROL_PREFIX, ControlError, serveControl} from './control-api.mjs';
import {ID_TOKEN_MODES, LOGOUT_TOKEN_MODES, tamperIdToken} from './forge.mjs';
import {createMemoryAdapter} from './memory-store.mjs';
import {SETTABLE_CLAIMS, providerConfiguration} from './provider-config.mjs';
import {generateSigningKeys, publicJwk} from './signing-keys.mjs';
import {makeTestCa} from './test-ca.mjs';

export {ID_TOKEN_MODES, LOGOUT_TOKEN_MODES, SETTABLE_CLAIMS};

const DEFAULT_LOGIN = Object.freeze({sub: 'user-1', amr: ['pwd'], acr: undefined, claims: {}});
const PLACEHOLDER_REDIRECT_URI = 'https://localhost/casus-redirect-uri-not-set-yet';
const ID_TOKEN_ALGS = ['RS256', 'ES256'];

// The URIs Casus registers for provider `providerId` when it listens on
// `casusBaseUrl` (https://localhost:<port>), as set-client takes them.
export function casusClientUris(casusBaseUrl, providerId) {
  const base = casusBaseUrl.replace(/\/+$/, '');
  return {
    redirect_uris: [`${base}/api/v1/auth/oidc/${providerId}/callback`],
    post_logout_redirect_uris: [`${base}/`],
    backchannel_logout_uri: `${base}/api/v1/auth/oidc/${providerId}/backchannel-logout`,
  };
}

function listen(server) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve(server.address().port);
    });
  });
}

const isStringArray = (v) => Array.isArray(v) && v.every((s) => typeof s === 'string' && s);

function checkedLogin(body, rolesClaim) {
  const {sub = DEFAULT_LOGIN.sub, amr = DEFAULT_LOGIN.amr, acr, claims = {}, roles} = body;
  if (typeof sub !== 'string' || !sub) throw new ControlError(400, 'sub must be a non-empty string');
  if (!isStringArray(amr)) throw new ControlError(400, 'amr must be an array of strings');
  if (acr !== undefined && (typeof acr !== 'string' || !acr)) throw new ControlError(400, 'acr must be a string');
  if (claims === null || typeof claims !== 'object' || Array.isArray(claims)) {
    throw new ControlError(400, 'claims must be an object');
  }
  const allowed = new Set([...SETTABLE_CLAIMS, rolesClaim]);
  const unknown = Object.keys(claims).filter((k) => !allowed.has(k));
  if (unknown.length) {
    throw new ControlError(400, `claims not supported: ${unknown.join(', ')} (supported: ${[...allowed].join(', ')})`);
  }
  if (roles !== undefined && !Array.isArray(roles)) throw new ControlError(400, 'roles must be an array');
  return {sub, amr: [...amr], acr, claims: {...claims, ...(roles === undefined ? {} : {[rolesClaim]: roles})}};
}

// Starts one provider. Options: name (labels kids and the CA), clientId,
// clientSecret (random when absent), tls {cert, key, caFile} to bring
// your own certificate (default: a fresh test CA), rolesClaim ("roles"),
// idTokenAlg ("RS256" or "ES256").
export async function startProvider({
  name = 'op', clientId = `casus-${name}`, clientSecret = randomBytes(24).toString('base64url'), tls,
  rolesClaim = 'roles', idTokenAlg = 'RS256',
} = {}) {
  if (!ID_TOKEN_ALGS.includes(idTokenAlg)) throw new Error(`idTokenAlg must be one of ${ID_TOKEN_ALGS}`);
  const dir = await mkdtemp(path.join(tmpdir(), `casus-oidc-${name}-`));
  // Also removed when the process exits without stop() (a failed test).
  const removeDirAtExit = () => rmSync(dir, {recursive: true, force: true});
  process.once('exit', removeDirAtExit);
  let server;
  try {
    const material = tls ?? await makeTestCa(dir, name);
    const clientSecretFile = path.join(dir, 'client-secret');
    await writeFile(clientSecretFile, clientSecret, {mode: 0o600});

    const Adapter = createMemoryAdapter();
    const cookieKeys = [randomBytes(32).toString('base64url')];
    const accounts = new Map(); // sub -> claims of its latest next-login
    const state = {
      keys: await generateSigningKeys(name),
      login: {...DEFAULT_LOGIN},
      loginArmed: false,
      tamper: null,
      lastGenuineIdToken: null,
      lastLogin: null,
      lastLogoutToken: null,
      client: {
        redirect_uris: [PLACEHOLDER_REDIRECT_URI],
        post_logout_redirect_uris: [],
        backchannel_logout_uri: undefined,
        id_token_signed_response_alg: idTokenAlg,
      },
      backchannelCaFile: undefined,
    };

    server = https.createServer({cert: material.cert, key: material.key});
    const port = await listen(server);
    const issuer = `https://localhost:${port}`;

    let provider;
    let providerHandler;
    const buildProvider = () => {
      const next = new Provider(issuer, providerConfiguration({
        name,
        adapter: Adapter,
        keys: state.keys,
        cookieKeys,
        rolesClaim,
        findClaims: (sub) => accounts.get(sub) ?? {},
        isLoginArmed: () => state.loginArmed,
        backchannelAgent: () => new https.Agent(relyingPartyTls(state.backchannelCaFile)),
      }));
      next.use(interceptTokenResponse);
      next.on('server_error', (_ctx, err) => console.error(`test provider ${name}: server_error`, err));
      next.on('backchannel.error', (_ctx, err) => console.error(`test provider ${name}: back-channel logout`,
        err.message));
      provider = next;
      providerHandler = next.callback();
    };

    // Records who logged in and, when a test armed one, swaps the ID token
    // for its hostile variant. Runs around every request; acts on
    // successful token responses only.
    async function interceptTokenResponse(ctx, nextMiddleware) {
      await nextMiddleware();
      if (ctx.method !== 'POST' || ctx.path !== '/token' || ctx.status !== 200) return;
      const genuine = ctx.body?.id_token;
      if (typeof genuine !== 'string') return;
      const claims = decodeJwt(genuine);
      state.lastLogin = {sub: claims.sub, sid: claims.sid};
      const mode = state.tamper;
      state.tamper = null;
      if (mode === 'replay_previous') {
        ctx.body = {...ctx.body, id_token: state.lastGenuineIdToken};
      } else if (mode) {
        ctx.body = {...ctx.body, id_token: await tamperIdToken(genuine, mode, {keys: state.keys, clientSecret})};
      }
      state.lastGenuineIdToken = genuine;
    }

    const clientMetadata = () => ({
      client_id: clientId,
      client_secret: clientSecret,
      client_name: `Casus (test provider ${name})`,
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
      redirect_uris: state.client.redirect_uris,
      post_logout_redirect_uris: state.client.post_logout_redirect_uris,
      id_token_signed_response_alg: state.client.id_token_signed_response_alg,
      ...(state.client.backchannel_logout_uri
        ? {backchannel_logout_uri: state.client.backchannel_logout_uri, backchannel_logout_session_required: true}
        : {}),
    });
    const storeClient = async () => {
      const metadata = clientMetadata();
      try {
        await provider.Client.validate(metadata);
      } catch (e) {
        throw new ControlError(400, `client metadata refused: ${e.error_description || e.message}`);
      }
      await new Adapter('Client').upsert(clientId, metadata);
    };

    // Logs in the armed account and grants what the client asked for, in
    // one step, on a fresh provider session.
    async function finishInteraction(req, res) {
      const current = provider;
      const interaction = await current.interactionDetails(req, res);
      if (interaction.session) {
        // A different (or the same) account logging in over an existing
        // session would make the provider ask for a logout confirmation
        // page; a fresh session keeps the login a chain of redirects.
        const old = await current.Session.find(interaction.session.cookie);
        if (old) await old.destroy();
        interaction.session = undefined;
        await interaction.save(interaction.exp - Math.floor(Date.now() / 1000));
      }
      const login = state.login;
      state.loginArmed = false;
      const grant = new current.Grant({accountId: login.sub, clientId: interaction.params.client_id});
      grant.addOIDCScope(interaction.params.scope);
      const grantId = await grant.save();
      await current.interactionFinished(req, res, {
        login: {accountId: login.sub, amr: login.amr, ...(login.acr ? {acr: login.acr} : {}), remember: true},
        consent: {grantId},
      }, {mergeWithLastSubmission: false});
    }

    const control = {
      async nextLogin(body = {}) {
        const login = checkedLogin(body, rolesClaim);
        state.login = login;
        state.loginArmed = true;
        accounts.set(login.sub, login.claims);
        return {sub: login.sub};
      },
      async tamper({mode} = {}) {
        if (mode === null || mode === undefined) {
          state.tamper = null;
          return {mode: null};
        }
        if (!ID_TOKEN_MODES.includes(mode)) {
          throw new ControlError(400, `unknown tamper mode ${mode} (modes: ${ID_TOKEN_MODES.join(', ')})`);
        }
        if (mode === 'replay_previous' && !state.lastGenuineIdToken) {
          throw new ControlError(409, 'replay_previous needs an earlier token response');
        }
        state.tamper = mode;
        return {mode};
      },
      async rotateKeys() {
        state.keys = await generateSigningKeys(name);
        buildProvider();
        return {kids: state.keys.map((k) => k.kid)};
      },
      async backchannelLogout({sub, sid, casusUrl, caFile, mode} = {}) {
        if (typeof casusUrl !== 'string' || !casusUrl.startsWith('https://')) {
          throw new ControlError(400, 'casusUrl must be an https URL');
        }
        if (mode !== undefined && !LOGOUT_TOKEN_MODES.includes(mode)) {
          throw new ControlError(400, `unknown logout token mode ${mode} (modes: ${LOGOUT_TOKEN_MODES.join(', ')})`);
        }
        if (sub === undefined && sid === undefined) {
          if (!state.lastLogin) throw new ControlError(409, 'no login yet: give sub or sid');
          ({sub, sid} = state.lastLogin);
        }
        let token;
        if (mode === 'replay_previous') {
          token = state.lastLogoutToken;
          if (!token) throw new ControlError(409, 'replay_previous needs an earlier logout token');
        } else if (mode === 'id_token') {
          token = state.lastGenuineIdToken;
          if (!token) throw new ControlError(409, 'no ID token issued yet');
        } else {
          token = await signLogoutToken(logoutClaims({issuer, clientId, sub, sid}), {
            alg: state.client.id_token_signed_response_alg, keys: state.keys, clientSecret, mode,
          });
          if (!mode) state.lastLogoutToken = token;
        }
        try {
          return await postLogoutToken(casusUrl, token, caFile);
        } catch (e) {
          throw new ControlError(502, `back-channel logout POST to ${casusUrl} failed: ${e.message}`);
        }
      },
      async lastLogin() {
        if (!state.lastLogin) throw new ControlError(404, 'no login yet');
        return {...state.lastLogin};
      },
      async setClient(body = {}) {
        const {redirect_uris: redirectUris, post_logout_redirect_uris: postLogout = [],
          backchannel_logout_uri: backchannelUri, id_token_signed_response_alg: alg = idTokenAlg,
          backchannel_ca_file: backchannelCaFile} = body;
        if (!isStringArray(redirectUris) || !redirectUris.length) {
          throw new ControlError(400, 'redirect_uris must be a non-empty array of URIs');
        }
        if (!Array.isArray(postLogout) || !postLogout.every((u) => typeof u === 'string')) {
          throw new ControlError(400, 'post_logout_redirect_uris must be an array of URIs');
        }
        if (backchannelUri !== undefined && typeof backchannelUri !== 'string') {
          throw new ControlError(400, 'backchannel_logout_uri must be a URI');
        }
        if (!ID_TOKEN_ALGS.includes(alg)) throw new ControlError(400, `id_token_signed_response_alg: ${ID_TOKEN_ALGS}`);
        const previous = state.client;
        state.client = {redirect_uris: redirectUris, post_logout_redirect_uris: postLogout,
          backchannel_logout_uri: backchannelUri, id_token_signed_response_alg: alg};
        try {
          await storeClient();
        } catch (e) {
          state.client = previous;
          throw e;
        }
        state.backchannelCaFile = backchannelCaFile;
        return clientMetadataWithoutSecret();
      },
    };
    const clientMetadataWithoutSecret = () => {
      const {client_secret: _secret, ...rest} = clientMetadata();
      return rest;
    };
    const operations = {
      'next-login': control.nextLogin,
      'tamper': control.tamper,
      'rotate-keys': control.rotateKeys,
      'backchannel-logout': control.backchannelLogout,
      'last-login': control.lastLogin,
      'set-client': control.setClient,
    };

    buildProvider();
    await storeClient();

    server.on('request', async (req, res) => {
      const {pathname} = new URL(req.url, issuer);
      if (pathname.startsWith(CONTROL_PREFIX)) return serveControl(req, res, pathname, operations);
      if (req.method === 'GET' && /^\/interaction\/[^/]+$/.test(pathname)) {
        try {
          return await finishInteraction(req, res);
        } catch (e) {
          // Typically an expired or unknown interaction (SessionNotFound).
          const status = e.statusCode || 500;
          if (status >= 500) console.error(`test provider ${name}: interaction`, e);
          res.writeHead(status, {'content-type': 'application/json'});
          return res.end(JSON.stringify({error: e.error || 'server_error', error_description: e.error_description}));
        }
      }
      return providerHandler(req, res);
    });

    return {
      name,
      issuer,
      port,
      caFile: material.caFile,
      clientId,
      clientSecret,
      clientSecretFile,
      controlUrl: `${issuer}${CONTROL_PREFIX}`,
      control,
      // The public signing keys now served at jwks_uri.
      publicJwks: () => ({keys: state.keys.map(publicJwk)}),
      async stop() {
        await new Promise((resolve) => {
          server.close(resolve);
          server.closeAllConnections();
        });
        await rm(dir, {recursive: true, force: true});
        process.off('exit', removeDirAtExit);
      },
    };
  } catch (e) {
    if (server?.listening) server.close();
    await rm(dir, {recursive: true, force: true});
    process.off('exit', removeDirAtExit);
    throw e;
  }
}

async function main() {
  const {values} = parseArgs({options: {
    'name': {type: 'string', default: 'op'},
    'client-id': {type: 'string'},
    'client-secret': {type: 'string'},
  }});
  const op = await startProvider({name: values.name, clientId: values['client-id'],
    clientSecret: values['client-secret']});
  console.log(JSON.stringify({name: op.name, issuer: op.issuer, ca_file: op.caFile, client_id: op.clientId,
    client_secret_file: op.clientSecretFile, control: op.controlUrl}));
  const shutdown = () => op.stop().then(() => process.exit(0));
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
