// The one way pages talk to the Casus API (same origin). The session lives
// in an HttpOnly cookie set at login; writes carry the session's CSRF token,
// which login returns and this module keeps in sessionStorage (per tab).

const CSRF_KEY = 'casus.csrf';
const REQUEST_TIMEOUT_MS = 20000;

export class ApiError extends Error {
  // status: HTTP status (0 when the server could not be reached);
  // problem: the RFC 9457 problem object ({type, title, status, detail, errors?, ...}).
  constructor(status, problem) {
    super((problem && (problem.detail || problem.title)) || `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.problem = problem || {};
  }
}

// api('GET', '/api/v1/cases') → parsed JSON, null for 204; throws ApiError.
export async function api(method, path, body) {
  const headers = {Accept: 'application/json, application/problem+json'};
  const init = {method, headers, credentials: 'same-origin', cache: 'no-store'};
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  if (method !== 'GET' && method !== 'HEAD') {
    const csrf = sessionStorage.getItem(CSRF_KEY);
    if (csrf) headers['X-CSRF-Token'] = csrf;
  }
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), REQUEST_TIMEOUT_MS);
  init.signal = controller.signal;
  let response;
  try {
    response = await fetch(path, init);
  } catch (e) {
    throw new ApiError(0, {title: 'network', detail: String(e && e.message || e)});
  } finally {
    clearTimeout(timer);
  }
  if (response.status === 204) return null;
  const text = await response.text();
  let data = null;
  if (text) {
    try { data = JSON.parse(text); } catch { data = null; }
  }
  if (!response.ok) {
    const error = new ApiError(response.status, data || {status: response.status});
    if (response.status === 401) notifyUnauthenticated();
    throw error;
  }
  return data;
}

// The /api/v1/me answer ({id, username, roles, organisation}), or null
// when nobody is logged in.
export async function currentUser() {
  try {
    return await api('GET', '/api/v1/me');
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) return null;
    throw e;
  }
}

// Logs in; returns the user. Throws ApiError (401 for any wrong part).
export async function login(username, password, totp) {
  const answer = await api('POST', '/api/v1/auth/login', {username, password, totp});
  if (answer && answer.csrf_token) sessionStorage.setItem(CSRF_KEY, answer.csrf_token);
  return answer.user;
}

// The organisations' OpenID providers: [{id, label, start_url}].
export async function loginProviders() {
  const answer = await api('GET', '/api/v1/auth/providers');
  return (answer && answer.providers) || [];
}

// Finishes a login through a provider (the server holds the verified
// login in a cookie): {user} once the session is open, or {totpRequired}
// when the provider asserted no second factor and the code must follow.
// Throws ApiError (401 when the login expired or the code is wrong).
export async function finishOidcLogin(totp) {
  const answer = await api('POST', '/api/v1/auth/oidc/finish', totp === undefined ? {} : {totp});
  if (answer && answer.totp_required) return {totpRequired: true};
  if (answer && answer.csrf_token) sessionStorage.setItem(CSRF_KEY, answer.csrf_token);
  return {user: answer.user};
}

// Ends the session on the server (best effort) and forgets the CSRF token.
// Returns the provider's logout address when the session began there and
// the provider should end its own session too, else null.
export async function logout() {
  try {
    const answer = await api('POST', '/api/v1/auth/logout');
    return (answer && answer.logout_url) || null;
  } catch {
    // Already expired or unreachable: the local state is cleared regardless.
    return null;
  } finally {
    sessionStorage.removeItem(CSRF_KEY);
  }
}

// Whether writes can be made in this tab (a session opened in another tab
// has no CSRF token here).
export function hasCsrfToken() { return Boolean(sessionStorage.getItem(CSRF_KEY)); }

const unauthenticatedListeners = new Set();
// `fn()` runs whenever the API answers 401 (session expired).
export function onUnauthenticated(fn) {
  unauthenticatedListeners.add(fn);
  return () => unauthenticatedListeners.delete(fn);
}
function notifyUnauthenticated() {
  for (const fn of unauthenticatedListeners) {
    try { fn(); } catch { /* a listener's failure must not hide the error */ }
  }
}
