// A tiny non-browser user agent for OIDC tests: follows redirects itself
// (across origins, at most MAX_HOPS), keeps cookies per origin, submits
// the self-submitting forms providers use (form_post responses, the test
// provider's logout confirmation) like a browser with JavaScript would,
// and trusts the given CA files (the test provider's CA, Casus's
// self-signed tls-cert.pem). Node's https module only: no extra packages.
//
//   const agent = createAgent({caFiles: [op.caFile, casusCert]});
//   const r = await agent.get(`${casus}/api/v1/auth/oidc/a/start`);
//   r.status, r.url, r.body, r.chain  // [{method, url, status, location}]

import {readFileSync} from 'node:fs';
import http from 'node:http';
import https from 'node:https';

export const MAX_HOPS = 10;
const REQUEST_TIMEOUT_MS = 15000;

// --- cookies (one jar per origin: the port matters, unlike in browsers,
// so two providers on localhost never see each other's cookies) ---

function defaultCookiePath(pathname) {
  const slash = pathname.lastIndexOf('/');
  return slash <= 0 ? '/' : pathname.slice(0, slash);
}

function pathMatches(requestPath, cookiePath) {
  if (requestPath === cookiePath) return true;
  if (!requestPath.startsWith(cookiePath)) return false;
  return cookiePath.endsWith('/') || requestPath[cookiePath.length] === '/';
}

// Parses one Set-Cookie header into {name, value, path, secure, expiresAt}
// (expiresAt: ms, 0 = delete now, undefined = session cookie).
export function parseSetCookie(header, requestUrl) {
  const [pair, ...attributes] = header.split(';');
  const eq = pair.indexOf('=');
  if (eq <= 0) return undefined;
  const cookie = {name: pair.slice(0, eq).trim(), value: pair.slice(eq + 1).trim(),
    path: defaultCookiePath(requestUrl.pathname), secure: false, expiresAt: undefined};
  let maxAgeSeen = false;
  for (const attribute of attributes) {
    const [rawKey, ...rest] = attribute.split('=');
    const key = rawKey.trim().toLowerCase();
    const value = rest.join('=').trim();
    if (key === 'path' && value.startsWith('/')) cookie.path = value;
    else if (key === 'secure') cookie.secure = true;
    else if (key === 'max-age' && /^-?\d+$/.test(value)) {
      maxAgeSeen = true;
      const seconds = Number(value);
      cookie.expiresAt = seconds <= 0 ? 0 : Date.now() + seconds * 1000;
    } else if (key === 'expires' && !maxAgeSeen) {
      const at = Date.parse(value);
      if (!Number.isNaN(at)) cookie.expiresAt = at <= Date.now() ? 0 : at;
    }
  }
  return cookie;
}

class CookieJar {
  #byOrigin = new Map(); // origin -> Map(`${path}\n${name}` -> cookie)

  store(url, setCookieHeaders) {
    for (const header of setCookieHeaders) {
      const cookie = parseSetCookie(header, url);
      if (!cookie) continue;
      if (cookie.secure && url.protocol !== 'https:') continue;
      if (!this.#byOrigin.has(url.origin)) this.#byOrigin.set(url.origin, new Map());
      const jar = this.#byOrigin.get(url.origin);
      const key = `${cookie.path}\n${cookie.name}`;
      if (cookie.expiresAt === 0) jar.delete(key);
      else jar.set(key, cookie);
    }
  }

  // The cookies sent to `url`, longest path first (as browsers order them).
  matching(url) {
    const jar = this.#byOrigin.get(url.origin);
    if (!jar) return [];
    const now = Date.now();
    const result = [];
    for (const [key, cookie] of jar) {
      if (cookie.expiresAt !== undefined && cookie.expiresAt <= now) {
        jar.delete(key);
        continue;
      }
      if (cookie.secure && url.protocol !== 'https:') continue;
      if (pathMatches(url.pathname, cookie.path)) result.push(cookie);
    }
    return result.sort((a, b) => b.path.length - a.path.length);
  }

  header(url) {
    return this.matching(url).map((c) => `${c.name}=${c.value}`).join('; ');
  }

  clear() {
    this.#byOrigin.clear();
  }
}

// --- self-submitting forms ---

function decodeHtml(text) {
  return text.replace(/&quot;/g, '"').replace(/&#39;/g, '\'').replace(/&lt;/g, '<').replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

function attribute(tag, name) {
  const m = tag.match(new RegExp(`\\s${name}\\s*=\\s*"([^"]*)"`, 'i'));
  return m ? decodeHtml(m[1]) : undefined;
}

// The POST form a page submits on load ({action, fields}), or undefined.
export function autoSubmitForm(html) {
  if (!/\.submit\(\)/.test(html)) return undefined;
  const formTag = html.match(/<form\b[^>]*>/i)?.[0];
  if (!formTag || (attribute(formTag, 'method') || 'get').toLowerCase() !== 'post') return undefined;
  const start = html.indexOf(formTag);
  const end = html.slice(start).search(/<\/form>/i);
  const formBody = end < 0 ? html.slice(start) : html.slice(start, start + end);
  const fields = new URLSearchParams();
  for (const input of formBody.match(/<input\b[^>]*>/gi) || []) {
    const name = attribute(input, 'name');
    if (name !== undefined && (attribute(input, 'type') || 'text').toLowerCase() === 'hidden') {
      fields.append(name, attribute(input, 'value') ?? '');
    }
  }
  return {action: attribute(formTag, 'action') || '', fields};
}

// --- the agent ---

function encodeBody(body, headers) {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string' || Buffer.isBuffer(body)) return body;
  if (body instanceof URLSearchParams) {
    headers['content-type'] ??= 'application/x-www-form-urlencoded';
    return body.toString();
  }
  headers['content-type'] ??= 'application/json';
  return JSON.stringify(body);
}

function lowerCaseKeys(headers) {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}

// caFiles: PEM files trusted for https (instead of the system's roots);
// none given: the system's roots.
export function createAgent({caFiles = [], followForms = true} = {}) {
  const ca = caFiles.length ? caFiles.map((f) => readFileSync(f)) : undefined;
  const jar = new CookieJar();

  // One request, no redirect handling.
  function send(method, url, body, headers) {
    const requestHeaders = lowerCaseKeys(headers);
    const payload = encodeBody(body, requestHeaders);
    const cookie = jar.header(url);
    if (cookie) requestHeaders.cookie = cookie;
    if (payload !== undefined) requestHeaders['content-length'] = Buffer.byteLength(payload);
    const transport = url.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const req = transport.request(url, {method, headers: requestHeaders, timeout: REQUEST_TIMEOUT_MS,
        ...(url.protocol === 'https:' ? {ca, rejectUnauthorized: true, agent: false} : {agent: false})}, (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          jar.store(url, [res.headers['set-cookie'] || []].flat());
          resolve({status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString('utf8')});
        });
      });
      req.on('timeout', () => req.destroy(new Error(`${method} ${url.href}: no answer in ${REQUEST_TIMEOUT_MS} ms`)));
      req.on('error', reject);
      req.end(payload);
    });
  }

  // Sends the request and follows redirects (and self-submitting forms).
  // Resolves with the last response plus {url, chain}; rejects after
  // MAX_HOPS redirects.
  async function navigate(method, startUrl, body, headers = {}) {
    let url = new URL(startUrl);
    const chain = [];
    for (let hop = 0; ; ++hop) {
      const response = await send(method, url, body, headers);
      const location = response.headers.location;
      chain.push({method, url: url.href, status: response.status, ...(location ? {location} : {})});
      let next;
      if (response.status >= 300 && response.status < 400 && location) {
        next = new URL(location, url);
        if (response.status !== 307 && response.status !== 308) {
          method = 'GET';
          body = undefined;
          headers = {};
        }
      } else if (followForms && response.status === 200
          && /text\/html/.test(response.headers['content-type'] || '')) {
        const form = autoSubmitForm(response.body);
        if (form) {
          next = new URL(form.action, url);
          method = 'POST';
          body = form.fields;
          headers = {};
        }
      }
      if (!next) {
        return {...response, url: url.href, chain,
          json() {
            return JSON.parse(response.body);
          }};
      }
      if (hop + 1 >= MAX_HOPS) {
        throw new Error(`more than ${MAX_HOPS} redirects from ${startUrl}: ${chain.map((c) => c.url).join(' -> ')}`);
      }
      url = next;
    }
  }

  return {
    get: (url, headers) => navigate('GET', url, undefined, headers),
    post: (url, body, headers) => navigate('POST', url, body, headers),
    // One request without following anything (e.g. to read a Location).
    request: (method, url, body, headers = {}) => send(method, new URL(url), body, headers),
    // {name: value} of the cookies that would be sent to `url`.
    cookies(url) {
      return Object.fromEntries(jar.matching(new URL(url)).map((c) => [c.name, c.value]));
    },
    clearCookies: () => jar.clear(),
  };
}
