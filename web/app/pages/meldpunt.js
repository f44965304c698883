// #/meldpunt: register a report fast, see whether the person or address is
// already known in cases the user may see, open a case of the right type
// from the report or link it to an existing case; and the work queue of
// untriaged reports with their handling norms and late markers.

import {ApiError} from '../api.js';
import {announce, field, formatDateTime, h, markInvalid, replaceChildren, showProblem, timeLeft} from '../dom.js';
import {dataFields, readDataFields} from '../fields.js';
import {caseTypeOptions, loadCaseTypes, suggestedCaseType, typeLabel, workflowOf} from '../case-types.js';
import {CATEGORIES, INCIDENT_CODES, MUNICIPALITIES, REPORT_STATUSES, SOURCES, WIJKEN_KERKRADE, labelOf} from '../labels.js';

const REPORT_FIELD_IDS = {
  source: 'r-source', category: 'r-category', description: 'r-description', incident_code: 'r-incident',
  'location.street': 'r-street', 'location.wijk': 'r-wijk', 'location.municipality': 'r-municipality',
  'subject.name': 'r-subject-name', 'subject.birth_date': 'r-subject-birth', 'reporter.name': 'r-reporter-name',
  'reporter.email': 'r-reporter-email', 'reporter.phone': 'r-reporter-phone',
};

export async function render(root, ctx) {
  const {user} = ctx;
  const municipality = (user.organisation && user.organisation.municipality) || 'Kerkrade';
  const triageArea = h('section', {'aria-labelledby': 'triage-title', hidden: true, id: 'triage-area'});
  const queueArea = h('section', {'aria-labelledby': 'queue-title'});
  const intake = intakeForm(ctx, municipality, (report, subject) => openTriage(ctx, triageArea, report, subject, refreshQueue));

  async function refreshQueue() {
    await renderQueue(ctx, queueArea, (report) => openTriage(ctx, triageArea, report, null, refreshQueue));
  }

  replaceChildren(root,
    h('h1', {}, 'Meldpunt'),
    h('div', {class: 'columns'},
      h('div', {}, intake, triageArea),
      queueArea));
  // The case types (the open-case form says so when they could not be loaded).
  await loadCaseTypes();
  await refreshQueue();
}

function intakeForm(ctx, municipality, onRegistered) {
  const problem = h('div');
  const submit = h('button', {type: 'submit'}, 'Melding registreren');
  const form = h('form', {novalidate: true, 'data-testid': 'report-form', 'aria-labelledby': 'intake-title'},
    h('h2', {id: 'intake-title'}, 'Nieuwe melding registreren'),
    problem,
    h('div', {class: 'grid-2'},
      field({id: 'r-source', label: 'Bron', control: 'select', required: true, value: 'burger', options: SOURCES}),
      field({id: 'r-incident', label: 'Incidentcode politie', control: 'select', options: INCIDENT_CODES, value: ''}),
      field({id: 'r-category', label: 'Categorie', control: 'select', required: true,
        options: [{value: '', label: 'Kies een categorie'}, ...CATEGORIES]})),
    field({id: 'r-description', label: 'Wat is er aan de hand?', control: 'textarea', required: true, maxlength: 5000}),
    h('fieldset', {},
      h('legend', {}, 'Locatie'),
      h('div', {class: 'grid-2'},
        field({id: 'r-street', label: 'Straat', maxlength: 200}),
        field({id: 'r-wijk', label: 'Wijk', maxlength: 100, attrs: {list: 'r-wijken'}}),
        field({id: 'r-municipality', label: 'Gemeente', control: 'select', required: true, value: municipality,
          options: MUNICIPALITIES.map((m) => ({value: m, label: m}))})),
      h('datalist', {id: 'r-wijken'}, WIJKEN_KERKRADE.map((w) => h('option', {value: w})))),
    h('fieldset', {},
      h('legend', {}, 'Betrokkene (als bekend)'),
      h('div', {class: 'grid-2'},
        field({id: 'r-subject-name', label: 'Naam betrokkene', maxlength: 200, autocomplete: 'off'}),
        field({id: 'r-subject-birth', label: 'Geboortedatum betrokkene', type: 'date'}))),
    h('fieldset', {},
      h('legend', {}, 'Melder (niet verplicht)'),
      h('div', {class: 'grid-2'},
        field({id: 'r-reporter-name', label: 'Naam melder', maxlength: 200, autocomplete: 'off'}),
        field({id: 'r-reporter-phone', label: 'Telefoon melder', type: 'tel', maxlength: 32, autocomplete: 'off'}),
        field({id: 'r-reporter-email', label: 'E-mail melder', type: 'email', maxlength: 254, autocomplete: 'off'}))),
    h('div', {class: 'actions'}, submit));

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const v = (id) => form.querySelector(`#${id}`).value.trim();
    const body = {
      source: v('r-source'), category: v('r-category'), description: v('r-description'),
      location: {municipality: v('r-municipality')},
    };
    if (v('r-incident')) body.incident_code = v('r-incident');
    if (v('r-street')) body.location.street = v('r-street');
    if (v('r-wijk')) body.location.wijk = v('r-wijk');
    let subject = null;
    if (v('r-subject-name')) {
      subject = {name: v('r-subject-name')};
      if (v('r-subject-birth')) subject.birth_date = v('r-subject-birth');
      body.subject = subject;
    }
    const reporter = {};
    if (v('r-reporter-name')) reporter.name = v('r-reporter-name');
    if (v('r-reporter-phone')) reporter.phone = v('r-reporter-phone');
    if (v('r-reporter-email')) reporter.email = v('r-reporter-email');
    if (Object.keys(reporter).length) body.reporter = reporter;

    const missing = [];
    if (!body.category) missing.push({field: 'category', message: 'kies een categorie'});
    if (!body.description) missing.push({field: 'description', message: 'beschrijf de melding'});
    if (missing.length) {
      const err = {status: 400, problem: {errors: missing}};
      showProblem(problem, err);
      const first = markInvalid(form, err, REPORT_FIELD_IDS);
      if (first) first.focus();
      return;
    }
    submit.disabled = true;
    try {
      const report = await ctx.api('POST', '/api/v1/reports', body);
      replaceChildren(problem);
      markInvalid(form, null, REPORT_FIELD_IDS);
      form.reset();
      form.querySelector('#r-municipality').value = municipality;
      announce('Melding geregistreerd.');
      onRegistered(report, subject);
    } catch (e) {
      showProblem(problem, e, 'De melding kon niet worden geregistreerd.');
      const first = markInvalid(form, e, REPORT_FIELD_IDS);
      if (first) first.focus();
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}

// The next step for one report: known cases, link, or open a new case.
async function openTriage(ctx, area, report, subject, refreshQueue) {
  const {api} = ctx;
  area.hidden = false;
  const knownList = h('div', {'data-testid': 'known-cases', 'aria-live': 'polite'});
  const problem = h('div');
  const typeSelect = field({id: 'c-type', label: 'Soort zaak', control: 'select', required: true,
    value: suggestedCaseType(report.category, report.incident_code),
    options: [{value: '', label: 'Kies een soort zaak'}, ...caseTypeOptions()]});
  const dataArea = h('div', {id: 'c-data'});
  const submit = h('button', {type: 'submit', 'data-testid': 'open-case'}, 'Zaak openen');
  const openForm = h('form', {novalidate: true, 'data-testid': 'open-case-form', 'aria-labelledby': 'open-title'},
    h('h3', {id: 'open-title'}, 'Nieuwe zaak openen vanuit deze melding'),
    typeSelect,
    h('div', {class: 'grid-2'},
      field({id: 'c-subject-name', label: 'Naam betrokkene', required: true, maxlength: 200, autocomplete: 'off',
        value: subject ? subject.name : ''}),
      field({id: 'c-subject-birth', label: 'Geboortedatum betrokkene', type: 'date',
        value: subject && subject.birth_date ? subject.birth_date : ''})),
    dataArea,
    h('div', {class: 'actions'}, submit,
      h('button', {type: 'button', class: 'secondary', onclick: () => checkKnown()}, 'Controleer opnieuw of persoon of adres bekend is')),
    problem);

  const typeInput = openForm.querySelector('#c-type');
  function renderDataArea() {
    typeInput.removeAttribute('aria-invalid');
    const wf = workflowOf(typeInput.value);
    if (!typeInput.value) {
      replaceChildren(dataArea, h('p', {class: 'muted'}, 'Kies eerst een soort zaak.'));
      return;
    }
    if (!wf) {
      replaceChildren(dataArea, h('p', {class: 'warning'}, 'De gegevens voor dit soort zaak konden niet worden geladen.'));
      return;
    }
    replaceChildren(dataArea, dataFields(wf.open.fields, 'c-data', prefillFor(wf, report)));
  }
  typeInput.addEventListener('change', renderDataArea);
  renderDataArea();

  async function checkKnown() {
    const name = openForm.querySelector('#c-subject-name').value.trim();
    const birth = openForm.querySelector('#c-subject-birth').value;
    const street = report.location && report.location.street;
    const params = new URLSearchParams();
    if (name) params.set('name', name);
    if (name && birth) params.set('birth_date', birth);
    if (street) {
      params.set('street', street);
      params.set('municipality', report.location.municipality);
    }
    if (!name && !street) {
      replaceChildren(knownList, h('p', {class: 'muted'}, 'Vul een naam in (of registreer een straat) om te controleren of de persoon of het adres al bekend is.'));
      return;
    }
    replaceChildren(knownList, h('p', {class: 'muted'}, 'Bezig met controleren…'));
    try {
      const answer = await api('GET', `/api/v1/known-cases?${params}`);
      if (!answer.cases.length) {
        replaceChildren(knownList, h('p', {class: 'notice', 'data-known': 'none'},
          'Niet bekend: er is geen zaak over deze persoon of dit adres die u mag zien.'));
        return;
      }
      replaceChildren(knownList,
        h('p', {class: 'warning', 'data-known': 'some'}, `Bekend: ${answer.cases.length === 1 ? '1 zaak' : `${answer.cases.length} zaken`} over deze persoon of dit adres.`),
        h('ul', {class: 'plain'}, answer.cases.map((c) => h('li', {'data-case-id': c.id},
          h('strong', {}, `${typeLabel(c.type)} – ${c.subject.name}`), ' ',
          h('span', {class: 'badge'}, c.state_label || c.state), ' ',
          h('span', {class: 'muted'}, [c.by_person ? 'zelfde persoon' : null, c.by_address ? 'zelfde adres' : null]
            .filter(Boolean).join(', ')),
          h('div', {class: 'actions'},
            h('a', {class: 'button secondary', href: `#/zaken/${encodeURIComponent(c.id)}`}, 'Zaak bekijken'),
            h('button', {type: 'button', 'data-testid': 'link-case', onclick: () => link(c)}, 'Melding aan deze zaak koppelen'))))));
    } catch (e) {
      showProblem(knownList, e, 'Controleren lukte niet.');
    }
  }

  async function link(c) {
    try {
      await api('POST', `/api/v1/reports/${encodeURIComponent(report.id)}/link`, {case_id: c.id});
      announce('Melding gekoppeld.');
      await refreshQueue();
      ctx.navigate(`#/zaken/${encodeURIComponent(c.id)}`);
    } catch (e) {
      showProblem(problem, e, 'Koppelen lukte niet.');
    }
  }

  openForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    const wf = workflowOf(typeInput.value);
    const name = openForm.querySelector('#c-subject-name').value.trim();
    const birth = openForm.querySelector('#c-subject-birth').value;
    const {data, errors} = wf ? readDataFields(dataArea, wf.open.fields, 'c-data') : {data: {}, errors: []};
    if (!name) errors.unshift({field: 'subject.name', message: 'Naam betrokkene is verplicht'});
    if (!typeInput.value) errors.unshift({field: 'type', message: 'Kies een soort zaak'});
    if (errors.length) {
      showProblem(problem, {status: 422, problem: {errors}});
      if (!name) openForm.querySelector('#c-subject-name').setAttribute('aria-invalid', 'true');
      if (!typeInput.value) typeInput.setAttribute('aria-invalid', 'true');
      const first = openForm.querySelector('[aria-invalid=true]');
      if (first) first.focus();
      return;
    }
    const body = {type: typeInput.value, report_id: report.id, subject: {name},
      municipality: report.location.municipality, data};
    if (birth) body.subject.birth_date = birth;
    submit.disabled = true;
    try {
      const kase = await api('POST', '/api/v1/cases', body);
      announce('Zaak geopend.');
      ctx.navigate(`#/zaken/${encodeURIComponent(kase.id)}`);
    } catch (e) {
      const shown = e instanceof ApiError && e.problem && Array.isArray(e.problem.errors)
        ? {status: e.status, problem: {errors: e.problem.errors.map((x) => ({...x, field: labelFor(wf, x.field)}))}} : e;
      showProblem(problem, shown, 'De zaak kon niet worden geopend.');
      if (e instanceof ApiError && e.status === 409) showProblem(problem, e, 'Deze melding is al aan een zaak gekoppeld.');
    } finally {
      submit.disabled = false;
    }
  });

  const heading = h('h2', {id: 'triage-title', tabindex: '-1'}, 'Vervolg van de melding');
  replaceChildren(area,
    heading,
    h('div', {class: 'panel', 'data-testid': 'triage', 'data-report-id': report.id},
      h('dl', {class: 'facts'},
        h('dt', {}, 'Ontvangen'), h('dd', {}, formatDateTime(report.received_at)),
        h('dt', {}, 'Categorie'), h('dd', {}, labelOf(CATEGORIES, report.category)),
        h('dt', {}, 'Bron'), h('dd', {}, labelOf(SOURCES, report.source), report.incident_code ? ` (${report.incident_code})` : ''),
        h('dt', {}, 'Locatie'), h('dd', {}, [report.location.street, report.location.wijk, report.location.municipality]
          .filter(Boolean).join(', ')),
        h('dt', {}, 'Omschrijving'), h('dd', {}, report.description),
        report.handling ? [h('dt', {}, 'Afhandelen vóór'), h('dd', {}, formatDateTime(report.handling.due_at), ' ',
          handlingBadge(report.handling))] : null),
      h('h3', {}, 'Is de persoon of het adres al bekend?'),
      knownList,
      openForm));
  heading.focus();
  await checkKnown();
}

function labelFor(wf, field) {
  const name = String(field || '').replace(/^data\./, '');
  const spec = wf && wf.open.fields.find((f) => f.name === name);
  return spec ? spec.label : field;
}

// Sensible first values for opening a case from this report.
function prefillFor(wf, report) {
  const values = {};
  for (const f of wf.open.fields) {
    if (f.name === 'aanleiding' || f.name === 'omschrijving' || f.name === 'aanleiding_melding') values[f.name] = report.description;
    if (f.name === 'politie_incidentcode' && report.incident_code) values[f.name] = report.incident_code.toLowerCase();
    if (f.name === 'melder_type') {
      const bySource = {burger: report.reporter_known ? 'burger' : 'anoniem', politie: 'politie',
        professional: 'professional', landelijk_meldpunt: 'landelijk_meldpunt_zorgwekkend_gedrag'};
      if ((f.values || []).includes(bySource[report.source])) values[f.name] = bySource[report.source];
    }
  }
  return values;
}

function handlingBadge(handling) {
  if (handling.late3) return h('span', {class: 'badge late', 'data-late': '3x'}, '3× te laat');
  if (handling.late) return h('span', {class: 'badge late', 'data-late': '1x'}, 'te laat');
  return h('span', {class: 'badge ok'}, timeLeft(handling.due_at));
}

async function renderQueue(ctx, area, onHandle) {
  const onlyLate = area.querySelector('#q-late');
  const late = onlyLate ? onlyLate.checked : false;
  const list = h('div', {'data-testid': 'report-queue'});
  const toggle = h('input', {type: 'checkbox', id: 'q-late', checked: late});
  toggle.addEventListener('change', () => renderQueue(ctx, area, onHandle));
  replaceChildren(area,
    h('h2', {id: 'queue-title'}, 'Werkvoorraad: nog niet getrieerde meldingen'),
    h('div', {class: 'check'}, toggle, h('label', {for: 'q-late'}, 'Alleen meldingen die te laat zijn')),
    list);
  try {
    const answer = await ctx.api('GET', `/api/v1/reports?status=ontvangen&limit=100${late ? '&late=true' : ''}`);
    const reports = answer.reports;
    if (!reports.length) {
      replaceChildren(list, h('p', {class: 'muted'}, late ? 'Geen meldingen over de termijn.' : 'Geen meldingen in de werkvoorraad.'));
      return;
    }
    replaceChildren(list, h('ul', {class: 'plain'}, reports.map((r) => h('li', {'data-report-id': r.id},
      h('div', {}, h('strong', {}, labelOf(CATEGORIES, r.category)), ' ',
        r.incident_code ? h('span', {class: 'badge'}, r.incident_code) : null, ' ',
        r.handling ? handlingBadge(r.handling) : null),
      h('div', {class: 'muted'}, formatDateTime(r.received_at), ' · ', labelOf(SOURCES, r.source), ' · ',
        [r.location.street, r.location.wijk, r.location.municipality].filter(Boolean).join(', '), ' · ',
        REPORT_STATUSES[r.status] || r.status),
      h('p', {}, r.description.length > 160 ? `${r.description.slice(0, 160)}…` : r.description),
      h('button', {type: 'button', class: 'secondary', 'data-testid': 'handle-report', onclick: () => onHandle(r)},
        'Behandelen')))));
  } catch (e) {
    showProblem(list, e, 'De werkvoorraad kon niet worden geladen.');
  }
}
