// Signing keys of the test OpenID Provider: one RS256 and one ES256 key per
// generation, as private JWKs with fresh kids. The provider's `jwks`
// configuration takes the private set; relying parties see only the public
// halves (the provider's jwks_uri). The same keys sign the hostile tokens
// of forge.mjs, so a re-signed token is indistinguishable from a real one
// except for what the test changed.

import {generateKeyPair, randomBytes} from 'node:crypto';
import {promisify} from 'node:util';
import {importJWK} from 'jose';

const generateKeyPairAsync = promisify(generateKeyPair);

const KEY_SPECS = [
  {alg: 'RS256', type: 'rsa', options: {modulusLength: 2048}},
  {alg: 'ES256', type: 'ec', options: {namedCurve: 'P-256'}},
];

function freshKid(label, alg) {
  return `${label}-${alg.toLowerCase()}-${randomBytes(6).toString('hex')}`;
}

// A new private JWK with kid, alg and use set.
export async function generateSigningJwk(alg, label) {
  const spec = KEY_SPECS.find((s) => s.alg === alg);
  if (!spec) throw new Error(`no key spec for ${alg}`);
  const {privateKey} = await generateKeyPairAsync(spec.type, spec.options);
  return {...privateKey.export({format: 'jwk'}), kid: freshKid(label, alg), alg, use: 'sig'};
}

// One key per supported algorithm, all with new kids.
export async function generateSigningKeys(label) {
  return Promise.all(KEY_SPECS.map((s) => generateSigningJwk(s.alg, label)));
}

const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi'];

export function publicJwk(jwk) {
  const copy = {...jwk};
  for (const m of PRIVATE_MEMBERS) delete copy[m];
  return copy;
}

// The private key (a jose KeyLike) for signing as `alg` with the key of
// that algorithm among `jwks`, with its kid.
export async function signingKeyFor(jwks, alg) {
  const jwk = jwks.find((k) => k.alg === alg);
  if (!jwk) throw new Error(`no signing key for ${alg}`);
  return {kid: jwk.kid, key: await importJWK(jwk, alg)};
}
