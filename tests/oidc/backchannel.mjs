// OIDC Back-Channel Logout from the provider's side: the logout token
// (https://openid.net/specs/openid-connect-backchannel-1_0.html, section
// 2.4) and its form POST to the relying party's back-channel logout URI.

import {randomBytes} from 'node:crypto';
import {readFileSync} from 'node:fs';
import https from 'node:https';
import {forgeJwt, signWithRealKey} from './forge.mjs';

export const BACKCHANNEL_EVENT = 'http://schemas.openid.net/event/backchannel-logout';
const LOGOUT_TOKEN_TTL_SECONDS = 120;
const POST_TIMEOUT_MS = 10000;

// The claims of a logout token for sub and/or sid.
export function logoutClaims({issuer, clientId, sub, sid}) {
  const iat = Math.floor(Date.now() / 1000);
  return {
    iss: issuer,
    aud: clientId,
    iat,
    exp: iat + LOGOUT_TOKEN_TTL_SECONDS,
    jti: randomBytes(16).toString('base64url'),
    events: {[BACKCHANNEL_EVENT]: {}},
    ...(sub === undefined ? {} : {sub}),
    ...(sid === undefined ? {} : {sid}),
  };
}

// A logout token signed with the real key for `alg` (typ logout+jwt), or
// the hostile variant `mode` of forge.mjs.
export async function signLogoutToken(claims, {alg, keys, clientSecret, mode}) {
  const header = {alg, typ: 'logout+jwt'};
  if (!mode) return signWithRealKey(claims, header, keys);
  const kid = keys.find((k) => k.alg === alg)?.kid;
  return forgeJwt(claims, {...header, kid}, mode, {keys, clientSecret});
}

// The TLS options for reaching a relying party: its certificate (PEM file)
// as the only trust anchor, or, without one, no verification (a test
// server's self-signed certificate; never outside tests).
export function relyingPartyTls(caFile) {
  return caFile ? {ca: readFileSync(caFile), rejectUnauthorized: true} : {rejectUnauthorized: false};
}

// POSTs logout_token=<token> form-encoded to `url`. Resolves with the
// relying party's {status, body}; rejects on network or TLS failure.
export function postLogoutToken(url, token, caFile) {
  const body = new URLSearchParams({logout_token: token}).toString();
  return new Promise((resolve, reject) => {
    const req = https.request(url, {
      method: 'POST',
      ...relyingPartyTls(caFile),
      headers: {'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body)},
      timeout: POST_TIMEOUT_MS,
    }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({status: res.statusCode, body: Buffer.concat(chunks).toString('utf8')}));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer from ${url} in ${POST_TIMEOUT_MS} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}
