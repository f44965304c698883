// #/login/oidc: where the organisation's identity provider sends the
// browser back. The server holds the verified login; this page finishes
// it, asking the Casus TOTP code when the provider did not confirm a
// second factor itself.

import {ApiError, finishOidcLogin} from '../api.js';
import {field, h, replaceChildren} from '../dom.js';

export async function render(root, ctx) {
  const message = h('div', {id: 'login-message', 'aria-live': 'assertive'});
  replaceChildren(root, h('h1', {}, 'Inloggen'), h('p', {class: 'lead'}, 'Een moment, u wordt ingelogd…'), message);
  try {
    const first = await finishOidcLogin();
    if (first.user) return ctx.onLogin(first.user);
    askCode(root, ctx, message);
  } catch (e) {
    failed(root, message, e);
  }
}

function askCode(root, ctx, message) {
  const submit = h('button', {type: 'submit'}, 'Bevestigen');
  const form = h('form', {novalidate: true, 'aria-describedby': 'login-message'},
    field({id: 'totp', label: 'Code uit de authenticator-app', required: true, autocomplete: 'one-time-code',
      maxlength: 8, hint: 'Uw organisatie heeft geen tweede stap bevestigd. Vul de zescijferige code in die uw authenticator-app nu toont.',
      attrs: {inputmode: 'numeric', pattern: '[0-9]{6}'}}),
    h('div', {class: 'actions'}, submit));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const totp = form.elements.totp.value.replace(/\s+/g, '');
    if (!totp) return showError(message, 'Vul de code in.');
    submit.disabled = true;
    replaceChildren(message);
    try {
      const answer = await finishOidcLogin(totp);
      if (answer.user) return ctx.onLogin(answer.user);
    } catch (e) {
      form.elements.totp.value = '';
      if (e instanceof ApiError && e.status === 429) {
        showError(message, 'Te veel mislukte pogingen. Wacht een kwartier en probeer het dan opnieuw.');
      } else if (e instanceof ApiError && e.status === 401) {
        showError(message, 'De code klopt niet of de inlogpoging is verlopen. Probeer het opnieuw.');
      } else {
        showError(message, 'De server is niet bereikbaar. Probeer het later opnieuw.');
      }
      form.elements.totp.focus();
    } finally {
      submit.disabled = false;
    }
  });
  replaceChildren(root, h('h1', {}, 'Inloggen'), h('div', {class: 'panel'}, form, message));
  form.elements.totp.focus();
}

function failed(root, message, e) {
  const text = e instanceof ApiError && e.status !== 0 && e.status < 500
    ? 'Inloggen via uw organisatie is niet gelukt of verlopen.'
    : 'De server is niet bereikbaar. Probeer het later opnieuw.';
  replaceChildren(root, h('h1', {}, 'Inloggen'), message);
  showError(message, text);
  message.append(h('p', {}, h('a', {href: '#/login'}, 'Terug naar inloggen')));
}

function showError(el, text) {
  replaceChildren(el, h('div', {class: 'problem', role: 'alert', 'data-testid': 'problem'}, text));
}
