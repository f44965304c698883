// #/workflows: the workflow definitions this Casus has loaded — the case
// types with their label, id and version — each drawn as a state diagram
// with its escalation ladder. For the functioneel beheerder who changes the
// workflow files, and for anyone who wants to see how a case type runs.
// Definitions only, no case data.

import {h, replaceChildren, showProblem} from '../dom.js';
import {drawWorkflow} from '../diagram.js';

export async function render(root, ctx) {
  const problem = h('div');
  const overview = h('div', {class: 'table-wrap'});
  const list = h('ul', {class: 'plain workflow-list', 'data-testid': 'workflow-list'});
  replaceChildren(root,
    h('h1', {}, 'Werkprocessen'),
    h('p', {class: 'lead'}, 'De zaaktypen zoals Casus ze nu uitvoert, elk met zijn toestanden, stappen en escalatieladder.'),
    h('p', {}, 'Een nieuwe versie van een workflowbestand geldt voor nieuwe zaken; lopende zaken houden de versie ',
      'waaronder ze zijn geopend.'),
    problem, overview, list);

  let workflows;
  try {
    workflows = (await ctx.api('GET', '/api/v1/workflows')).workflows || [];
  } catch (e) {
    showProblem(problem, e, 'De werkprocessen konden niet worden geladen.');
    return;
  }
  if (!root.isConnected) return;
  if (!workflows.length) {
    replaceChildren(list, h('li', {class: 'muted'}, 'Er zijn geen werkprocessen geladen.'));
    return;
  }

  replaceChildren(overview, h('table', {'data-testid': 'workflow-table'},
    h('caption', {class: 'visually-hidden'}, 'Geladen werkprocessen'),
    h('thead', {}, h('tr', {}, ['Zaaktype', 'Code', 'Versie', 'Toestanden', 'Stappen'].map((t) => h('th', {scope: 'col'}, t)))),
    h('tbody', {}, workflows.map((wf) => h('tr', {'data-workflow': wf.id},
      h('td', {}, wf.label || wf.id), h('td', {}, h('code', {}, wf.id)), h('td', {}, String(wf.version)),
      h('td', {}, String((wf.states || []).length)), h('td', {}, String((wf.transitions || []).length)))))));

  const slots = workflows.map((wf) => {
    const slot = h('div', {class: 'muted'}, 'Diagram wordt getekend…');
    list.appendChild(h('li', {'data-workflow': wf.id},
      h('h2', {id: `wf-${wf.id}`}, wf.label || wf.id),
      h('p', {class: 'muted'}, `Code ${wf.id} · versie ${wf.version}`),
      slot));
    return slot;
  });
  // One at a time: each layout is CPU work, and the page stays responsive.
  for (const [i, wf] of workflows.entries()) {
    if (!root.isConnected) return;
    try {
      slots[i].replaceWith(await drawWorkflow(wf));
    } catch (e) {
      console.error('diagram failed', e);
      replaceChildren(slots[i], 'Het diagram kon niet worden getekend.');
    }
  }
  list.dataset.drawn = 'true';
}
