// TOTP codes (RFC 6238: HMAC-SHA1, 30 s steps, 6 digits) for the accounts
// `casus user add` creates, computed here so that the tests need no
// authenticator app and no extra package.

import {createHmac} from 'node:crypto';

const STEP_SECONDS = 30;
const DIGITS = 6;
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function base32Decode(text) {
  const clean = text.replace(/=+$/, '').toUpperCase();
  let bits = 0;
  let value = 0;
  const out = [];
  for (const ch of clean) {
    const index = BASE32.indexOf(ch);
    if (index < 0) throw new Error('not base32');
    value = (value << 5) | index;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

// The base32 secret of an otpauth://totp/...?secret=... URI.
export function secretOfOtpauthUri(uri) {
  const secret = new URL(uri).searchParams.get('secret');
  if (!secret) throw new Error('otpauth URI without a secret');
  return secret;
}

// The code for the 30-second step `stepOffset` steps away from `atMs`.
export function totpCode(base32Secret, {atMs = Date.now(), stepOffset = 0} = {}) {
  const counter = Math.floor(atMs / 1000 / STEP_SECONDS) + stepOffset;
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac('sha1', base32Decode(base32Secret)).update(message).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 10 ** DIGITS).padStart(DIGITS, '0');
}

// A code that no step near now accepts (a server may allow a step of clock
// drift either way), for the wrong-code cases.
export function wrongTotpCode(base32Secret) {
  const near = new Set([-2, -1, 0, 1, 2].map((stepOffset) => totpCode(base32Secret, {stepOffset})));
  for (let n = 0; ; ++n) {
    const candidate = String(n).padStart(DIGITS, '0');
    if (!near.has(candidate)) return candidate;
  }
}
