// #/login: a button per organisation's identity provider (OpenID Connect),
// and the local account's password and TOTP code. Every wrong combination
// gets the same message, so the page does not tell which part was wrong.

import {ApiError, login, loginProviders} from '../api.js';
import {field, h, replaceChildren} from '../dom.js';

export async function render(root, ctx) {
  const message = h('div', {id: 'login-message', 'aria-live': 'assertive'});
  const submit = h('button', {type: 'submit'}, 'Inloggen');
  const form = h('form', {novalidate: true, 'aria-describedby': 'login-message'},
    field({id: 'username', label: 'Gebruikersnaam', required: true, autocomplete: 'username', maxlength: 64,
      attrs: {autocapitalize: 'none', spellcheck: 'false'}}),
    field({id: 'password', label: 'Wachtwoord', type: 'password', required: true, autocomplete: 'current-password',
      maxlength: 1024}),
    field({id: 'totp', label: 'Code uit de authenticator-app', required: true, autocomplete: 'one-time-code',
      maxlength: 8, hint: 'De zescijferige code die uw authenticator-app nu toont.',
      attrs: {inputmode: 'numeric', pattern: '[0-9]{6}'}}),
    h('div', {class: 'actions'}, submit));

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const username = form.elements.username.value.trim();
    const password = form.elements.password.value;
    const totp = form.elements.totp.value.replace(/\s+/g, '');
    if (!username || !password || !totp) {
      return showError(message, 'Vul uw gebruikersnaam, wachtwoord en code in.');
    }
    submit.disabled = true;
    replaceChildren(message);
    try {
      const user = await login(username, password, totp);
      ctx.onLogin(user);
    } catch (e) {
      form.elements.password.value = '';
      form.elements.totp.value = '';
      if (e instanceof ApiError && e.status === 429) {
        showError(message, 'Te veel mislukte pogingen. Wacht een kwartier en probeer het dan opnieuw.');
      } else if (e instanceof ApiError && e.status !== 0 && e.status < 500) {
        showError(message, 'Inloggen is niet gelukt. Controleer uw gebruikersnaam, wachtwoord en code.');
      } else {
        showError(message, 'De server is niet bereikbaar. Probeer het later opnieuw.');
      }
      form.elements.password.focus();
    } finally {
      submit.disabled = false;
    }
  });

  const providers = h('div', {class: 'panel', id: 'login-providers', hidden: true});
  replaceChildren(root,
    h('h1', {}, 'Inloggen'),
    h('p', {class: 'lead'}, 'Voor medewerkers van gemeenten en ketenpartners. Wilt u iets melden? ',
      h('a', {href: '#/melden'}, 'Doe een melding'), ' – daarvoor hoeft u niet in te loggen.'),
    providers,
    h('div', {class: 'panel'}, h('h2', {}, 'Met een Casus-account'), form, message));
  form.elements.username.focus();

  // The provider's verdict comes back in the address (#/login?oidc=…).
  const outcome = new URLSearchParams(location.hash.split('?')[1] || '').get('oidc');
  if (outcome === 'geweigerd') {
    showError(message, 'Inloggen via uw organisatie is niet gelukt. Probeer het opnieuw of neem contact op met uw beheerder.');
  } else if (outcome === 'onbereikbaar') {
    showError(message, 'De inlogdienst van uw organisatie is nu niet bereikbaar. Probeer het later opnieuw.');
  }
  try {
    const list = await loginProviders();
    if (list.length === 0) return;
    replaceChildren(providers,
      h('h2', {}, 'Via uw organisatie'),
      h('p', {}, 'Log in met het account van uw eigen organisatie.'),
      h('div', {class: 'actions'}, ...list.map((p) => h('button', {
        type: 'button', 'data-testid': `oidc-${p.id}`,
        onclick: () => location.assign(p.start_url),
      }, p.label))));
    providers.hidden = false;
  } catch {
    // Without the list the local login still works.
  }
}

function showError(el, text) {
  replaceChildren(el, h('div', {class: 'problem', role: 'alert', 'data-testid': 'problem'}, text));
}
