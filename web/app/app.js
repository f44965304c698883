// The shell: hash router, navigation by role, login state and logout.
// Pages are ES modules in ./pages/ (see web/CONTRACT.md); each render gets
// a fresh container, so a page that is still loading when the user moves
// on writes into a detached element and cannot disturb the next page.

import {api, currentUser, logout, onUnauthenticated} from './api.js';
import {announce, h, replaceChildren} from './dom.js';

// pattern parts starting with ':' are parameters.
const ROUTES = [
  {pattern: 'melden', page: 'melden', title: 'Melding doen', public: true},
  {pattern: 'volgen', page: 'volgen', title: 'Melding volgen', public: true},
  {pattern: 'volgen/:code', page: 'volgen', title: 'Melding volgen', public: true},
  {pattern: 'login', page: 'login', title: 'Inloggen', public: true},
  {pattern: 'login/oidc', page: 'login-oidc', title: 'Inloggen', public: true},
  {pattern: 'meldpunt', page: 'meldpunt', title: 'Meldpunt'},
  {pattern: 'zaken', page: 'zaak', title: 'Zaken'},
  {pattern: 'zaken/:id', page: 'zaak', title: 'Zaak'},
  {pattern: 'overleg', page: 'overleg', title: 'Overleg'},
  {pattern: 'dashboard', page: 'dashboard', title: 'Dashboard'},
  {pattern: 'personen/:id', page: 'person', title: 'Integraal beeld'},
  {pattern: 'privacy', page: 'privacy', title: 'Privacy'},
  {pattern: 'workflows', page: 'workflows', title: 'Werkprocessen'},
];

// Menu items per role; a user with several roles gets the union, in this order.
const MENU = [
  {hash: '#/meldpunt', label: 'Meldpunt', roles: ['meldpunt', 'regisseur', 'coordinator']},
  {hash: '#/zaken', label: 'Zaken', roles: ['meldpunt', 'regisseur', 'partner', 'coordinator', 'burgemeester']},
  {hash: '#/overleg', label: 'Overleg', roles: ['meldpunt', 'regisseur', 'partner', 'coordinator']},
  {hash: '#/dashboard', label: 'Dashboard', roles: ['coordinator', 'regisseur']},
  {hash: '#/privacy', label: 'Privacy', roles: ['privacy_officer']},
  // Definitions, not case data (any logged-in user may open the page); in
  // the menu of those who look after the workflows.
  {hash: '#/workflows', label: 'Werkprocessen', roles: ['admin', 'coordinator']},
];
const PUBLIC_MENU = [
  {hash: '#/melden', label: 'Melding doen'},
  {hash: '#/volgen', label: 'Melding volgen'},
  {hash: '#/login', label: 'Inloggen'},
];

// Where a user lands after login or on '#/'.
function startHash(user) {
  const roles = (user && user.roles) || [];
  if (roles.includes('meldpunt')) return '#/meldpunt';
  if (roles.includes('coordinator')) return '#/dashboard';
  if (roles.includes('privacy_officer')) return '#/privacy';
  if (roles.includes('admin')) return '#/workflows';
  return '#/zaken';
}

const state = {user: null, userKnown: false, current: null, generation: 0, returnTo: null, firstRender: true};

function match(hash) {
  const path = decodeURIComponent(hash.replace(/^#\/?/, '').split('?')[0]).replace(/\/+$/, '');
  const parts = path ? path.split('/') : [];
  for (const route of ROUTES) {
    const pp = route.pattern.split('/');
    if (pp.length !== parts.length) continue;
    const params = {};
    let ok = true;
    pp.forEach((p, i) => {
      if (p.startsWith(':')) params[p.slice(1)] = parts[i];
      else if (p !== parts[i]) ok = false;
    });
    if (ok) return {route, params};
  }
  return parts.length ? {route: null, params: {}} : {route: {pattern: '', home: true}, params: {}};
}

export function navigate(hash) {
  if (location.hash === hash) render();
  else location.hash = hash;
}

function renderNav() {
  const nav = document.getElementById('nav');
  const box = document.getElementById('user-box');
  const roles = (state.user && state.user.roles) || [];
  const items = state.user ? MENU.filter((m) => m.roles.some((r) => roles.includes(r))) : PUBLIC_MENU;
  const here = location.hash.split('/').slice(0, 2).join('/');
  replaceChildren(nav, h('ul', {}, items.map((m) =>
    h('li', {}, h('a', {href: m.hash, 'aria-current': here === m.hash ? 'page' : null}, m.label)))));
  if (state.user) {
    const org = state.user.organisation ? state.user.organisation.name : '';
    replaceChildren(box,
      h('span', {class: 'who', 'data-testid': 'current-user'}, state.user.username, org ? ` · ${org}` : ''),
      h('button', {type: 'button', class: 'secondary', 'data-testid': 'logout', onclick: onLogout}, 'Uitloggen'));
  } else {
    replaceChildren(box);
  }
}

async function onLogout() {
  const providerLogout = await logout();
  state.user = null;
  disposeCurrent();
  // A session begun at the organisation's provider ends there too; the
  // provider sends the browser back to Casus afterwards.
  if (providerLogout) return location.assign(providerLogout);
  announce('U bent uitgelogd.');
  navigate('#/login');
}

function disposeCurrent() {
  const current = state.current;
  state.current = null;
  if (current && typeof current.dispose === 'function') {
    try { current.dispose(); } catch (e) { console.error('dispose failed', e); }
  }
}

async function ensureUser() {
  if (state.userKnown) return state.user;
  try {
    state.user = await currentUser();
  } catch {
    state.user = null;  // unreachable server: treat as logged out, pages show the errors
  }
  state.userKnown = true;
  return state.user;
}

async function render() {
  const generation = ++state.generation;
  const main = document.getElementById('main');
  const {route, params} = match(location.hash);
  await ensureUser();
  if (generation !== state.generation) return;
  disposeCurrent();
  renderNav();

  if (!route) return showMessage(main, 'Pagina niet gevonden', 'Deze pagina bestaat niet.');
  if (route.home) return navigate(state.user ? startHash(state.user) : '#/melden');
  if (!route.public && !state.user) {
    state.returnTo = location.hash;
    return navigate('#/login');
  }
  if (route.pattern === 'login' && state.user) return navigate(startHash(state.user));

  const root = h('div', {class: 'page', 'data-page': route.page});
  replaceChildren(main, root);
  document.title = `${route.title} · Casus`;
  if (!state.firstRender) main.focus({preventScroll: false});
  state.firstRender = false;

  let module;
  try {
    module = await import(`./pages/${route.page}.js`);
  } catch (e) {
    console.error('page failed to load', e);
    return showMessage(root, route.title, 'Deze pagina kon niet worden geladen. Vernieuw de pagina.');
  }
  if (generation !== state.generation) return;
  state.current = module;
  const ctx = {api, user: state.user, params, navigate, onLogin, startHash};
  try {
    await module.render(root, ctx);
  } catch (e) {
    console.error('page failed to render', e);
    if (generation === state.generation)
      showMessage(root, route.title, 'Er ging iets mis bij het tonen van deze pagina.');
  }
}

// Called by the login page with the logged-in user.
function onLogin(user) {
  state.user = user;
  state.userKnown = true;
  const target = state.returnTo && !state.returnTo.startsWith('#/login') ? state.returnTo : startHash(user);
  state.returnTo = null;
  announce(`Ingelogd als ${user.username}.`);
  navigate(target);
}

function showMessage(el, title, text) {
  replaceChildren(el, h('h1', {}, title), h('p', {}, text));
}

onUnauthenticated(() => {
  // The session expired (or was ended elsewhere): the next route change
  // asks /me again and sends the user to the login page.
  state.userKnown = false;
});

window.addEventListener('hashchange', render);
render();
