// #/workflows: the workflow definitions this Casus has loaded — the case
// types with their label, id and versions — each drawn as a state diagram
// with its escalation ladder. For the functioneel beheerder who changes the
// workflow files, and for anyone who wants to see how a case type runs.
// A type lists every loaded version: cases stay on the version they were
// opened under, so an older one can be chosen and drawn instead of the
// latest. Definitions only, no case data.

import {h, replaceChildren, showProblem} from '../dom.js';
import {drawWorkflow} from '../diagram.js';
import {loadWorkflowVersion} from '../case-types.js';

export async function render(root, ctx) {
  const problem = h('div');
  const overview = h('div', {class: 'table-wrap'});
  const list = h('ul', {class: 'plain workflow-list', 'data-testid': 'workflow-list'});
  replaceChildren(root,
    h('h1', {}, 'Werkprocessen'),
    h('p', {class: 'lead'}, 'De zaaktypen zoals Casus ze nu uitvoert, elk met zijn toestanden, stappen en escalatieladder.'),
    h('p', {}, 'Een nieuwe versie van een workflowbestand geldt voor nieuwe zaken; lopende zaken houden de versie ',
      'waaronder ze zijn geopend. Eerdere versies blijven daarom geladen en zijn hier ook te bekijken.'),
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
    h('thead', {}, h('tr', {}, ['Zaaktype', 'Code', 'Versie', 'Eerdere versies', 'Toestanden', 'Stappen']
      .map((t) => h('th', {scope: 'col'}, t)))),
    h('tbody', {}, workflows.map((wf) => h('tr', {'data-workflow': wf.id},
      h('td', {}, wf.label || wf.id), h('td', {}, h('code', {}, wf.id)), h('td', {}, String(wf.version)),
      h('td', {'data-testid': 'older-versions'}, olderVersions(wf).join(', ') || '—'),
      h('td', {}, String((wf.states || []).length)), h('td', {}, String((wf.transitions || []).length)))))));

  const entries = workflows.map((wf) => new WorkflowEntry(wf));
  for (const entry of entries) list.appendChild(entry.element);
  // One at a time: each layout is CPU work, and the page stays responsive.
  for (const entry of entries) {
    if (!root.isConnected) return;
    await entry.show(entry.latest.version);
  }
  list.dataset.drawn = 'true';
}

// The loaded versions other than the latest, newest first.
function olderVersions(wf) {
  return versionsOf(wf).filter((v) => v !== wf.version).sort((a, b) => b - a);
}

function versionsOf(wf) {
  return Array.isArray(wf.versions) && wf.versions.length ? wf.versions : [wf.version];
}

function versionLabel(version, latest) {
  return version === latest
    ? `Versie ${version} (geldt voor nieuwe zaken)`
    : `Versie ${version} (geldt nog voor lopende zaken)`;
}

// One case type on the page: its heading, the version chooser when more
// than one is loaded, and the diagram of the chosen version.
class WorkflowEntry {
  constructor(latest) {
    this.latest = latest;
    this.seq = 0;
    const versions = [...versionsOf(latest)].sort((a, b) => b - a);
    this.caption = h('p', {class: 'muted'});
    this.drawing = h('div', {class: 'muted', 'data-testid': 'workflow-drawing'}, 'Diagram wordt getekend…');
    let chooser = null;
    if (versions.length > 1) {
      const id = `wf-${latest.id}-version`;
      this.select = h('select', {id, 'data-testid': 'workflow-version'},
        versions.map((v) => h('option', {value: String(v), selected: v === latest.version},
          versionLabel(v, latest.version))));
      this.select.addEventListener('change', () => this.show(Number(this.select.value)));
      chooser = h('div', {class: 'field'}, h('label', {for: id}, 'Versie tonen'), this.select);
    }
    this.element = h('li', {'data-workflow': latest.id, 'data-versions': versions.join(' ')},
      h('h2', {id: `wf-${latest.id}`}, latest.label || latest.id),
      h('p', {class: 'muted'}, `Code ${latest.id} · geladen ${versions.length === 1 ? 'versie' : 'versies'} `,
        versions.slice().reverse().join(', ')),
      chooser, this.caption, this.drawing);
  }

  // Draws `version` in place of what is shown; the latest comes from the
  // list, an older one is fetched once (case-types.js keeps it).
  async show(version) {
    const seq = ++this.seq;
    this.caption.textContent = '';
    const wf = version === this.latest.version ? this.latest : await loadWorkflowVersion(this.latest.id, version);
    if (seq !== this.seq) return;
    let drawing;
    if (!wf) {
      drawing = h('p', {class: 'muted'}, `Versie ${version} kon niet worden geladen.`);
    } else {
      this.caption.textContent = wf.version === this.latest.version
        ? `Versie ${wf.version}: de actuele versie, voor nieuwe zaken.`
        : `Versie ${wf.version}: een eerdere versie, die nog geldt voor zaken die eronder zijn geopend. ` +
          `Nieuwe zaken volgen versie ${this.latest.version}.`;
      try {
        drawing = await drawWorkflow(wf);
      } catch (e) {
        console.error('diagram failed', e);
        drawing = h('p', {class: 'muted'}, 'Het diagram kon niet worden getekend.');
      }
      if (seq !== this.seq) return;
    }
    const shown = h('div', {'data-testid': 'workflow-drawing', 'data-version': String(version)}, drawing);
    this.drawing.replaceWith(shown);
    this.drawing = shown;
  }
}
