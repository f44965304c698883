// Throwaway TLS material for the test OpenID Provider, made with the
// `openssl` CLI (Debian package openssl): a test CA, a server certificate
// it signs for localhost and 127.0.0.1, and a self-signed certificate shaped
// like the one `casus serve` makes for itself (CA:FALSE), for tests that
// stand in for Casus. Everything lives in a directory the caller owns and
// removes.

import {execFile} from 'node:child_process';
import {randomBytes} from 'node:crypto';
import {readFile, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {promisify} from 'node:util';

const execFileAsync = promisify(execFile);

// Two days: long enough for any run, short enough to be useless if a file
// ever leaks. openssl starts validity at "now", so no clock tricks.
const VALIDITY_DAYS = '2';
const SERVER_NAMES = 'DNS:localhost,IP:127.0.0.1,IP:::1';

async function openssl(args) {
  try {
    await execFileAsync('openssl', args, {maxBuffer: 1 << 20});
  } catch (e) {
    throw new Error(`openssl ${args[0]} failed (is the openssl package installed?): ${e.stderr || e.message}`);
  }
}

function randomSerial() {
  return `0x${randomBytes(12).toString('hex')}`;
}

// Creates dir/ca.pem (the trust anchor a relying party is given),
// dir/server.pem and dir/server-key.pem. Returns the paths and the PEM
// texts of the server certificate and key, ready for https.createServer.
export async function makeTestCa(dir, label) {
  const caKey = path.join(dir, 'ca-key.pem');
  const caFile = path.join(dir, 'ca.pem');
  const certFile = path.join(dir, 'server.pem');
  const keyFile = path.join(dir, 'server-key.pem');
  const csrFile = path.join(dir, 'server.csr');
  const extFile = path.join(dir, 'server-ext.cnf');

  await openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
    '-keyout', caKey, '-out', caFile, '-days', VALIDITY_DAYS, '-set_serial', randomSerial(),
    '-subj', `/CN=Casus test CA ${label}`,
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
  await openssl(['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
    '-keyout', keyFile, '-out', csrFile, '-subj', '/CN=localhost']);
  await writeFile(extFile, [
    'basicConstraints=critical,CA:FALSE',
    'keyUsage=critical,digitalSignature',
    'extendedKeyUsage=serverAuth',
    `subjectAltName=${SERVER_NAMES}`,
    '',
  ].join('\n'));
  await openssl(['x509', '-req', '-in', csrFile, '-CA', caFile, '-CAkey', caKey, '-set_serial', randomSerial(),
    '-days', VALIDITY_DAYS, '-extfile', extFile, '-out', certFile]);

  return {caFile, certFile, keyFile, cert: await readFile(certFile, 'utf8'), key: await readFile(keyFile, 'utf8')};
}

// A self-signed leaf certificate for localhost (CA:FALSE, like Casus's own
// tls-cert.pem): the certificate file is its own trust anchor.
export async function makeSelfSignedCertificate(dir) {
  const certFile = path.join(dir, 'self-signed.pem');
  const keyFile = path.join(dir, 'self-signed-key.pem');
  const configFile = path.join(dir, 'self-signed.cnf');
  // A config of our own: `req -x509` would otherwise add the system
  // config's v3_ca extensions (CA:TRUE).
  await writeFile(configFile, [
    '[req]', 'distinguished_name=dn', 'x509_extensions=leaf', 'prompt=no',
    '[dn]', 'CN=localhost',
    '[leaf]', 'basicConstraints=critical,CA:FALSE', 'keyUsage=critical,digitalSignature',
    'extendedKeyUsage=serverAuth', `subjectAltName=${SERVER_NAMES}`, '',
  ].join('\n'));
  await openssl(['req', '-x509', '-config', configFile, '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256',
    '-nodes', '-keyout', keyFile, '-out', certFile, '-days', VALIDITY_DAYS, '-set_serial', randomSerial()]);
  return {certFile, keyFile, cert: await readFile(certFile, 'utf8'), key: await readFile(keyFile, 'utf8')};
}
