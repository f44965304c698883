// Hostile variants of a JWT the test provider issued (ID tokens) or is
// about to send (logout tokens). Each mode breaks one thing a relying
// party must check and keeps everything else genuine: claims are re-signed
// with the provider's real private key unless the mode is about the key
// or the algorithm.

import {randomBytes} from 'node:crypto';
import {SignJWT, UnsecuredJWT, base64url, decodeJwt, decodeProtectedHeader, generateKeyPair} from 'jose';
import {signingKeyFor} from './signing-keys.mjs';

// Far outside any clock skew a relying party may allow.
const HOUR = 3600;
export const FOREIGN_AUDIENCE = 'another-client';
export const FOREIGN_ISSUER = 'https://issuer.invalid';

const now = () => Math.floor(Date.now() / 1000);

// Claim edits; the token is re-signed with the real key afterwards.
const CLAIM_EDITS = {
  wrong_aud: (c) => ({...c, aud: FOREIGN_AUDIENCE}),
  wrong_azp: (c) => ({...c, aud: [c.aud, FOREIGN_AUDIENCE].flat(), azp: FOREIGN_AUDIENCE}),
  expired: (c) => ({...c, iat: now() - 2 * HOUR, exp: now() - HOUR}),
  iat_future: (c) => ({...c, iat: now() + HOUR, exp: now() + 2 * HOUR}),
  wrong_iss: (c) => ({...c, iss: FOREIGN_ISSUER}),
  wrong_nonce: (c) => ({...c, nonce: randomBytes(16).toString('base64url')}),
  // Logout tokens: the spec forbids a nonce and requires the event and a
  // sub or sid.
  with_nonce: (c) => ({...c, nonce: randomBytes(16).toString('base64url')}),
  missing_events: (c) => {
    const {events: _events, ...rest} = c;
    return rest;
  },
  missing_sub_and_sid: (c) => {
    const {sub: _sub, sid: _sid, ...rest} = c;
    return rest;
  },
};

export const ID_TOKEN_MODES = ['bad_signature', 'wrong_aud', 'wrong_azp', 'expired', 'iat_future', 'wrong_iss',
  'alg_none', 'hs256', 'unknown_kid', 'replay_previous', 'wrong_nonce'];
export const LOGOUT_TOKEN_MODES = ['bad_signature', 'wrong_aud', 'expired', 'iat_future', 'wrong_iss', 'alg_none',
  'hs256', 'unknown_kid', 'replay_previous', 'with_nonce', 'missing_events', 'missing_sub_and_sid',
  'id_token'];

function flipSignatureByte(jwt) {
  const [header, payload, signature] = jwt.split('.');
  const bytes = Buffer.from(base64url.decode(signature));
  bytes[bytes.length >> 1] ^= 0x01;
  return `${header}.${payload}.${base64url.encode(bytes)}`;
}

// Signs `claims` with `header` ({alg, typ?}) using the provider's real key
// for header.alg out of `keys` (private JWKs); the kid comes from that key.
export async function signWithRealKey(claims, header, keys) {
  const {kid, key} = await signingKeyFor(keys, header.alg);
  return new SignJWT(claims).setProtectedHeader({...header, kid}).sign(key);
}

// Signs `claims` as described by `mode` (not replay_previous / id_token:
// those need state and live in the provider). `header` is the genuine
// header ({alg, kid, typ?}); `clientSecret` keys the hs256 mode.
export async function forgeJwt(claims, header, mode, {keys, clientSecret}) {
  const genuineHeader = {alg: header.alg, ...(header.typ ? {typ: header.typ} : {})};
  if (CLAIM_EDITS[mode]) return signWithRealKey(CLAIM_EDITS[mode](claims), genuineHeader, keys);
  switch (mode) {
    case 'bad_signature':
      return flipSignatureByte(await signWithRealKey(claims, genuineHeader, keys));
    case 'alg_none':
      return new UnsecuredJWT(claims).encode();
    case 'hs256':
      // The classic key-confusion attack: the client secret as HMAC key,
      // with the kid of a real asymmetric key.
      return new SignJWT(claims).setProtectedHeader({...genuineHeader, alg: 'HS256', kid: header.kid})
        .sign(new TextEncoder().encode(clientSecret));
    case 'unknown_kid': {
      const {privateKey} = await generateKeyPair(header.alg);
      const kid = `unknown-${randomBytes(6).toString('hex')}`;
      return new SignJWT(claims).setProtectedHeader({...genuineHeader, kid}).sign(privateKey);
    }
    default:
      throw new Error(`unknown tamper mode ${mode}`);
  }
}

// The ID token `idToken` (issued by the provider) tampered as `mode`.
export async function tamperIdToken(idToken, mode, context) {
  return forgeJwt(decodeJwt(idToken), decodeProtectedHeader(idToken), mode, context);
}
