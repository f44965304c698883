// #/volgen and #/volgen/<code>: a citizen looks up the coarse status of a
// report by its tracking code.

import {ApiError, api} from '../api.js';
import {field, formatDateTime, h, replaceChildren, showProblem} from '../dom.js';
import {PUBLIC_STATUSES} from '../labels.js';

export async function render(root, ctx) {
  const result = h('div', {'aria-live': 'polite'});
  const form = h('form', {novalidate: true},
    field({id: 'code', label: 'Volgcode', required: true, maxlength: 20, value: ctx.params.code || '',
      hint: 'De code die u kreeg na het versturen, bijvoorbeeld ABCD-EFGH-JKMN.',
      attrs: {autocapitalize: 'characters', spellcheck: 'false', autocomplete: 'off'}}),
    h('div', {class: 'actions'}, h('button', {type: 'submit'}, 'Status opzoeken')));
  const input = form.querySelector('#code');

  async function lookup() {
    const code = input.value.trim().toUpperCase();
    if (!code) {
      input.setAttribute('aria-invalid', 'true');
      return replaceChildren(result, h('div', {class: 'problem', role: 'alert', 'data-testid': 'problem'},
        'Vul de volgcode in.'));
    }
    input.removeAttribute('aria-invalid');
    try {
      const status = await api('GET', `/api/v1/public/reports/${encodeURIComponent(code)}`);
      replaceChildren(result, h('div', {class: 'panel', 'data-testid': 'report-status'},
        h('h2', {}, 'Status van uw melding'),
        h('p', {class: 'tracking-code'}, code),
        h('dl', {class: 'facts'},
          h('dt', {}, 'Status'), h('dd', {'data-status': status.status}, PUBLIC_STATUSES[status.status] || status.status),
          h('dt', {}, 'Laatst bijgewerkt'), h('dd', {}, formatDateTime(status.updated_at)),
          status.outcome ? [h('dt', {}, 'Uitkomst'), h('dd', {}, status.outcome)] : null)));
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) {
        input.setAttribute('aria-invalid', 'true');
        replaceChildren(result, h('div', {class: 'problem', role: 'alert', 'data-testid': 'problem'},
          'Er is geen melding met deze volgcode. Controleer de code.'));
      } else {
        showProblem(result, e);
      }
    }
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    lookup();
  });

  replaceChildren(root,
    h('h1', {}, 'Melding volgen'),
    h('p', {class: 'lead'}, 'Met uw volgcode ziet u of uw melding in behandeling is. ',
      'Om de privacy van anderen te beschermen ziet u geen details.'),
    form, result);
  if (ctx.params.code) await lookup();
}
