// The HTTP face of the test provider's control API: POST /__test/<name>
// with a JSON body, answered with JSON. Only loopback peers may use it
// (the server listens on 127.0.0.1 only; the check keeps it that way if
// that ever changes). The operations themselves are the provider's
// `control` functions; this file only routes, parses and maps errors.

export const CONTROL_PREFIX = '/__test/';
const BODY_LIMIT = 64 * 1024;
const LOOPBACK_PEERS = new Set(['127.0.0.1', '::ffff:127.0.0.1']);

// A refusal the caller caused (bad input, wrong state): its message is
// safe to return.
export class ControlError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

function sendJson(res, status, value) {
  const body = JSON.stringify(value);
  res.writeHead(status, {'content-type': 'application/json', 'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store'});
  res.end(body);
}

async function readJson(req) {
  let size = 0;
  const chunks = [];
  for await (const chunk of req) {
    size += chunk.length;
    if (size > BODY_LIMIT) throw new ControlError(413, 'body too large');
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text.trim()) return {};
  try {
    const value = JSON.parse(text);
    if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error('not an object');
    return value;
  } catch {
    throw new ControlError(400, 'body must be a JSON object');
  }
}

// Serves one control request. `operations` maps names (next-login, …) to
// async functions of the parsed body returning a JSON-able value.
export async function serveControl(req, res, pathname, operations) {
  try {
    if (!LOOPBACK_PEERS.has(req.socket.remoteAddress)) {
      throw new ControlError(403, 'the control API answers loopback clients only');
    }
    const operation = operations[pathname.slice(CONTROL_PREFIX.length)];
    if (!operation) throw new ControlError(404, `no control operation ${pathname}`);
    if (req.method !== 'POST') throw new ControlError(405, 'control operations are POST');
    sendJson(res, 200, (await operation(await readJson(req))) ?? {});
  } catch (e) {
    if (e instanceof ControlError) {
      sendJson(res, e.status, {error: e.message});
    } else {
      console.error(`test provider control ${pathname}:`, e);
      sendJson(res, 500, {error: 'internal error (see the test output)'});
    }
  }
}
