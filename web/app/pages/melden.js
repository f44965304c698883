// #/melden: the public melding form (no login; anonymous allowed). Shows
// the tracking code after sending.

import {api} from '../api.js';
import {announce, field, h, markInvalid, replaceChildren, showProblem} from '../dom.js';
import {CATEGORIES, MUNICIPALITIES, WIJKEN_KERKRADE} from '../labels.js';

const FIELD_IDS = {
  category: 'category', description: 'description', 'location.street': 'street', 'location.wijk': 'wijk',
  'location.municipality': 'municipality', 'reporter.name': 'reporter-name', 'reporter.email': 'reporter-email',
  'reporter.phone': 'reporter-phone',
};

export async function render(root) {
  const problem = h('div');
  const anonymous = h('input', {type: 'checkbox', id: 'anonymous', name: 'anonymous', checked: true});
  const contact = h('fieldset', {id: 'contact', hidden: true},
    h('legend', {}, 'Uw contactgegevens (niet verplicht)'),
    h('p', {class: 'hint'}, 'Alleen medewerkers van het meldpunt zien deze gegevens, om u zo nodig te bellen of te mailen.'),
    field({id: 'reporter-name', label: 'Naam', autocomplete: 'name', maxlength: 200}),
    field({id: 'reporter-email', label: 'E-mailadres', type: 'email', autocomplete: 'email', maxlength: 254}),
    field({id: 'reporter-phone', label: 'Telefoonnummer', type: 'tel', autocomplete: 'tel', maxlength: 32}));
  anonymous.addEventListener('change', () => {
    contact.hidden = anonymous.checked;
    if (!contact.hidden) contact.querySelector('input').focus();
  });

  const submit = h('button', {type: 'submit'}, 'Melding versturen');
  const form = h('form', {novalidate: true},
    field({id: 'category', label: 'Waar gaat uw melding over?', control: 'select', required: true,
      options: [{value: '', label: 'Kies een onderwerp'}, ...CATEGORIES]}),
    field({id: 'description', label: 'Wat gebeurt er?', control: 'textarea', required: true, maxlength: 5000,
      hint: 'Beschrijf wat u ziet of hoort, wanneer en hoe vaak. Noem geen namen als dat niet nodig is.',
      attrs: {rows: 5}}),
    h('fieldset', {},
      h('legend', {}, 'Waar is het?'),
      h('div', {class: 'grid-2'},
        field({id: 'street', label: 'Straat (en huisnummer)', autocomplete: 'street-address', maxlength: 200}),
        field({id: 'wijk', label: 'Wijk', maxlength: 100, attrs: {list: 'wijken'}}),
        field({id: 'municipality', label: 'Gemeente', control: 'select', required: true, value: 'Kerkrade',
          options: MUNICIPALITIES.map((m) => ({value: m, label: m}))})),
      h('datalist', {id: 'wijken'}, WIJKEN_KERKRADE.map((w) => h('option', {value: w})))),
    h('div', {class: 'check'}, anonymous,
      h('label', {for: 'anonymous'}, 'Ik meld anoniem (zonder contactgegevens)')),
    contact,
    h('div', {class: 'actions'}, submit));

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const v = (id) => form.querySelector(`#${id}`).value.trim();
    const body = {
      category: v('category'),
      description: v('description'),
      location: {municipality: v('municipality')},
    };
    if (v('street')) body.location.street = v('street');
    if (v('wijk')) body.location.wijk = v('wijk');
    if (!anonymous.checked) {
      const reporter = {};
      if (v('reporter-name')) reporter.name = v('reporter-name');
      if (v('reporter-email')) reporter.email = v('reporter-email');
      if (v('reporter-phone')) reporter.phone = v('reporter-phone');
      if (Object.keys(reporter).length) body.reporter = reporter;
    }
    const missing = [];
    if (!body.category) missing.push({field: 'category', message: 'kies een onderwerp'});
    if (!body.description) missing.push({field: 'description', message: 'beschrijf wat er gebeurt'});
    if (missing.length) {
      const err = {status: 400, problem: {errors: missing}};
      showProblem(problem, err);
      const first = markInvalid(form, err, FIELD_IDS);
      if (first) first.focus();
      return;
    }
    submit.disabled = true;
    try {
      const answer = await api('POST', '/api/v1/public/reports', body);
      showReceipt(root, answer.tracking_code);
    } catch (e) {
      const message = showProblem(problem, e, 'Uw melding kon niet worden verstuurd. Probeer het opnieuw.');
      announce(message.title);
      const first = markInvalid(form, e, FIELD_IDS);
      if (first) first.focus();
    } finally {
      submit.disabled = false;
    }
  });

  replaceChildren(root,
    h('h1', {}, 'Melding doen'),
    h('p', {class: 'lead'}, 'Meld overlast of zorgen over iemand in uw buurt. U kunt anoniem melden. ',
      'Is er direct gevaar? Bel 112.'),
    problem,
    form);
}

function showReceipt(root, code) {
  const heading = h('h1', {tabindex: '-1'}, 'Bedankt voor uw melding');
  replaceChildren(root,
    heading,
    h('div', {class: 'notice', role: 'status'},
      h('p', {}, 'Uw melding is ontvangen. Bewaar deze volgcode; daarmee kunt u de status van uw melding opzoeken:'),
      h('p', {class: 'tracking-code', 'data-testid': 'tracking-code'}, code)),
    h('p', {}, h('a', {href: `#/volgen/${encodeURIComponent(code)}`}, 'Status van deze melding bekijken')),
    h('p', {}, h('a', {href: '#/melden', onclick: (e) => { e.preventDefault(); render(root); }}, 'Nog een melding doen')));
  heading.focus();
}
