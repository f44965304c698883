// Privacy officer (#/privacy): whether the audit chain is intact, the
// break-the-glass accesses waiting for review, the access overview per
// person (who, organisation, when, what, why) and a search over the audit
// log. Every call is refused (403) by the server for other roles; the page
// then says so and shows nothing else.
//
// #/privacy?persoon=<id> opens the access overview of that person directly.

import {ApiError} from '../api.js';
import {announce, formatDateTime, h, replaceChildren, showProblem} from '../dom.js';
import {caseLink, ensurePagesStylesheet, section} from './page-kit.js';

const PAGE_SIZE = 100;

export async function render(root, ctx) {
  ensurePagesStylesheet();
  const problem = h('div');
  const chain = h('div', {'data-testid': 'chain-status', class: 'chain-status', 'aria-live': 'polite'}, 'Controleren…');
  replaceChildren(root, h('h1', {}, 'Privacy en toegang'), problem);

  // The chain check goes first: a refusal there means the whole page is not for this user.
  try {
    showChain(chain, await ctx.api('GET', '/api/v1/audit/verify'));
  } catch (e) {
    showProblem(problem, e, 'De controle van het auditlog is mislukt.');
    if (e instanceof ApiError && (e.status === 403 || e.status === 401)) {
      problem.append(h('p', {}, 'Deze pagina is alleen voor de privacyfunctionaris (FG).'));
      return;
    }
    replaceChildren(chain, 'Onbekend: de controle is mislukt.');
  }
  if (!root.isConnected) return;

  const recheck = h('button', {type: 'button', class: 'secondary', onclick: async () => {
    replaceChildren(chain, 'Controleren…');
    try {
      showChain(chain, await ctx.api('GET', '/api/v1/audit/verify'));
    } catch (e) {
      showProblem(chain, e, 'De controle van het auditlog is mislukt.');
    }
  }}, 'Opnieuw controleren');

  const access = accessOverview(ctx);
  const search = auditSearch(ctx, (personId) => access.open(personId));
  root.append(
    section('keten', 'Auditlog: hash-keten', chain, recheck),
    section('reviews', 'Noodtoegang (break-the-glass) te beoordelen', await accessReviews(ctx)),
    section('toegang', 'Toegangsoverzicht per persoon', access.el),
    section('zoeken', 'Auditlog doorzoeken', search));

  const wanted = new URLSearchParams(location.hash.split('?')[1] || '').get('persoon');
  if (wanted) access.open(wanted);
}

function showChain(el, status) {
  el.dataset.intact = String(status.intact);
  if (status.intact) {
    replaceChildren(el, h('p', {class: 'ok'}, h('strong', {}, 'Intact'),
      `: alle ${status.entries} regels van het auditlog sluiten op elkaar aan (gecontroleerd ${formatDateTime(status.checked_at)}).`));
  } else {
    replaceChildren(el, h('p', {class: 'broken', role: 'alert'}, h('strong', {}, 'Verbroken'),
      `: de keten klopt niet vanaf regel ${status.first_bad_seq} (${status.problem}). `,
      `${status.entries} regels gelezen, gecontroleerd ${formatDateTime(status.checked_at)}. Meld dit direct als beveiligingsincident.`));
  }
}

async function accessReviews(ctx) {
  const box = h('div', {'data-testid': 'access-reviews'});
  let grants;
  try {
    grants = (await ctx.api('GET', `/api/v1/access-reviews?limit=${PAGE_SIZE}`)).grants;
  } catch (e) {
    showProblem(box, e, 'De noodtoegangen konden niet worden geladen.');
    return box;
  }
  if (grants.length === 0) {
    replaceChildren(box, h('p', {class: 'empty'}, 'Er zijn geen noodtoegangen die nog beoordeeld moeten worden.'));
    return box;
  }
  const rows = grants.map((g) => {
    const rowProblem = h('div');
    const button = h('button', {type: 'button', dataset: {grantId: g.id}}, 'Beoordeeld');
    const row = h('tr', {dataset: {grantId: g.id, userId: g.user_id}},
      h('td', {}, caseLink(g.case_id)), h('td', {}, g.user_id), h('td', {}, g.reason),
      h('td', {}, formatDateTime(g.granted_at)), h('td', {}, formatDateTime(g.expires_at)),
      h('td', {}, button, rowProblem));
    button.setAttribute('aria-label', `Noodtoegang van ${g.user_id} tot zaak ${g.case_id} als beoordeeld markeren`);
    button.addEventListener('click', async () => {
      button.disabled = true;
      try {
        await ctx.api('POST', `/api/v1/access-reviews/${encodeURIComponent(g.id)}`);
        row.remove();
        announce('De noodtoegang is als beoordeeld gemarkeerd.');
        if (!box.querySelector('tbody tr'))
          replaceChildren(box, h('p', {class: 'empty'}, 'Er zijn geen noodtoegangen die nog beoordeeld moeten worden.'));
      } catch (e) {
        button.disabled = false;
        showProblem(rowProblem, e);
      }
    });
    return row;
  });
  replaceChildren(box, h('table', {class: 'data-table'},
    h('caption', {}, 'Noodtoegangen, oudste eerst. Controleer of de reden de toegang rechtvaardigt.'),
    h('thead', {}, h('tr', {}, ['Zaak', 'Gebruiker', 'Reden', 'Verleend', 'Verloopt', 'Actie']
      .map((t) => h('th', {scope: 'col'}, t)))),
    h('tbody', {}, rows)));
  return box;
}

const RESULT_LABELS = {success: 'toegestaan', denied: 'geweigerd', broken: 'keten verbroken'};

function accessOverview(ctx) {
  const input = h('input', {id: 'access-person', name: 'person_id', maxlength: 64, required: true,
    autocomplete: 'off', 'aria-describedby': 'access-person-hint'});
  const problem = h('div');
  const result = h('div');
  let current = null;
  let nextAfter = null;
  const more = h('button', {type: 'button', class: 'secondary', hidden: true, onclick: () => load(false)}, 'Meer laden');
  const tbody = h('tbody');

  async function load(fresh) {
    replaceChildren(problem);
    const after = fresh ? 0 : nextAfter;
    let answer;
    try {
      answer = await ctx.api('GET',
        `/api/v1/persons/${encodeURIComponent(current)}/access-log?limit=${PAGE_SIZE}&after=${after || 0}`);
    } catch (e) {
      if (fresh) replaceChildren(result);
      showProblem(problem, e, 'Het toegangsoverzicht kon niet worden geladen.');
      if (e.status === 404) problem.append(h('p', {}, 'Er is geen persoon met dit nummer.'));
      return;
    }
    if (fresh) {
      replaceChildren(tbody);
      replaceChildren(result, h('table', {class: 'data-table', 'data-testid': 'access-log'},
        h('caption', {}, `Wie had toegang tot gegevens van persoon ${current}`),
        h('thead', {}, h('tr', {}, ['Wanneer', 'Gebruiker', 'Organisatie', 'Rol', 'Wat', 'Uitkomst', 'Object', 'Reden', 'Vanaf']
          .map((t) => h('th', {scope: 'col'}, t)))),
        tbody), more);
    }
    for (const e of answer.entries) {
      tbody.append(h('tr', {dataset: {userId: e.user_id, seq: e.seq}, class: e.result === 'denied' ? 'denied' : null},
        h('td', {}, formatDateTime(e.at)),
        h('td', {}, e.username || e.user_id || 'systeem'),
        h('td', {}, e.organisation || e.org_id),
        h('td', {}, e.role),
        h('td', {}, e.action),
        h('td', {}, RESULT_LABELS[e.result] || e.result),
        h('td', {}, e.object_type === 'case' ? caseLink(e.object_id) : `${e.object_type} ${e.object_id}`),
        h('td', {}, e.reason),
        h('td', {}, e.client)));
    }
    if (fresh && answer.entries.length === 0)
      tbody.append(h('tr', {}, h('td', {colspan: 9}, 'Nog niemand heeft gegevens van deze persoon ingezien.')));
    nextAfter = answer.next_after;
    more.hidden = nextAfter === null || nextAfter === undefined;
  }

  const form = h('form', {class: 'inline-form', onsubmit: (ev) => {
    ev.preventDefault();
    current = input.value.trim();
    if (current) load(true);
  }},
  h('div', {class: 'field'},
    h('label', {for: 'access-person'}, 'Persoonsnummer'),
    h('p', {class: 'hint', id: 'access-person-hint'}, 'Het nummer van de persoon, bijvoorbeeld uit het auditlog hieronder.'),
    input),
  h('button', {type: 'submit'}, 'Toegang tonen'));

  return {
    el: h('div', {}, form, problem, result),
    open(personId) {
      input.value = personId;
      current = personId;
      load(true);
      input.focus();
    },
  };
}

function auditSearch(ctx, openPerson) {
  const fields = [
    ['audit-case', 'case_id', 'Zaaknummer'],
    ['audit-person', 'person_id', 'Over persoon (nummer)'],
    ['audit-user', 'user', 'Gebruikersnummer'],
    ['audit-action', 'action', 'Handeling (bijv. case.read)'],
  ];
  const since = h('input', {id: 'audit-since', name: 'since', type: 'datetime-local'});
  const problem = h('div');
  const result = h('div');
  let lastQuery = null;
  let nextAfter = null;
  const tbody = h('tbody');
  const more = h('button', {type: 'button', class: 'secondary', hidden: true, onclick: () => run(false)}, 'Volgende resultaten');

  async function run(fresh) {
    replaceChildren(problem);
    if (fresh) {
      const q = new URLSearchParams({limit: String(PAGE_SIZE)});
      for (const [id, name] of fields) {
        const v = form.querySelector(`#${id}`).value.trim();
        if (v) q.set(name, v);
      }
      if (since.value) q.set('since', new Date(since.value).toISOString().replace(/\.\d{3}Z$/, 'Z'));
      lastQuery = q;
    }
    const q = new URLSearchParams(lastQuery);
    if (!fresh && nextAfter) q.set('after', String(nextAfter));
    let answer;
    try {
      answer = await ctx.api('GET', `/api/v1/audit?${q}`);
    } catch (e) {
      showProblem(problem, e, 'Zoeken in het auditlog is mislukt.');
      return;
    }
    if (fresh) {
      replaceChildren(tbody);
      replaceChildren(result, h('table', {class: 'data-table', 'data-testid': 'audit-results'},
        h('caption', {}, 'Gevonden regels van het auditlog, oudste eerst'),
        h('thead', {}, h('tr', {}, ['Nr.', 'Wanneer', 'Handeling', 'Uitkomst', 'Gebruiker', 'Rol', 'Organisatie', 'Object', 'Persoon', 'Reden']
          .map((t) => h('th', {scope: 'col'}, t)))),
        tbody), more);
    }
    for (const e of answer.entries) {
      tbody.append(h('tr', {dataset: {seq: e.seq, userId: e.user_id}, class: e.result === 'denied' ? 'denied' : null},
        h('td', {}, String(e.seq)), h('td', {}, formatDateTime(e.at)), h('td', {}, e.action),
        h('td', {}, RESULT_LABELS[e.result] || e.result), h('td', {}, e.user_id || 'systeem'), h('td', {}, e.role),
        h('td', {}, e.org_id), h('td', {}, e.object_type === 'case' ? caseLink(e.object_id) : `${e.object_type} ${e.object_id}`),
        h('td', {}, e.person_id ? h('button', {type: 'button', class: 'link',
          'aria-label': `Toegangsoverzicht van persoon ${e.person_id}`, onclick: () => openPerson(e.person_id)}, e.person_id) : ''),
        h('td', {}, e.reason)));
    }
    if (fresh && answer.entries.length === 0) tbody.append(h('tr', {}, h('td', {colspan: 10}, 'Niets gevonden.')));
    nextAfter = answer.next_after;
    more.hidden = nextAfter === null || nextAfter === undefined;
  }

  const form = h('form', {class: 'search-form', onsubmit: (ev) => { ev.preventDefault(); run(true); }},
    fields.map(([id, name, label]) => h('div', {class: 'field'},
      h('label', {for: id}, label), h('input', {id, name, maxlength: 64, autocomplete: 'off'}))),
    h('div', {class: 'field'}, h('label', {for: 'audit-since'}, 'Vanaf (datum en tijd)'), since),
    h('button', {type: 'submit'}, 'Zoeken'));
  return h('div', {}, form, problem, result);
}
